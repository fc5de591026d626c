"""Fault rules: which API requests fail, how, and how often, drawn from a seeded RNG.

A rule names endpoints by name or glob (``orders.create``, ``orders.*``, ``*``) and one kind:

* ``status``: answer ``status`` (default 503) with the usual error body; a 429 also carries
  ``Retry-After: retryAfter`` (default 1 second).
* ``latency``: wait ``latencyMs`` before answering.
* ``drop``: close the TCP connection without a byte of answer. ``requests`` then raises
  ``requests.exceptions.ConnectionError`` (``ProtocolError('Connection aborted.',
  RemoteDisconnected('Remote end closed connection without response'))``) and httpx raises
  ``httpx.RemoteProtocolError``, exactly as for a server that died mid-request. The socket is
  reached through ``connections.py``, so drops need the sandbox's own server (``SandboxServer``
  or the command line), not an in-process ASGI transport.
* ``token_expiry``: invalidate every access token, so the request (and every other) gets a 401
  until the client fetches a new token. With ``everySeconds`` it happens every N real seconds to
  the tokens at least N seconds old: each token lives N to 2N seconds, so tokens die of age as
  real ones do, never just after they were issued (a token refused at its first use means broken
  credentials to a client, not expiry).

``when`` says whether ``status``, ``latency`` and ``drop`` act ``before`` the backend sees the
request or ``after`` it has applied it, so that a client can lose the answer to a change that
did happen. How often: ``count`` fires for exactly the next N matching requests, ``rate`` with
that probability, and neither means every time; ``skip`` lets the first N matching requests
through untouched before the rule starts (the second read of an order, not the first).

On the command line a rule is ``ROUTE:KIND[=VALUE][:option=value...]``, for example
``orders.*:status=503:rate=0.1``, ``shipments.get:latency=200``, ``orders.create:drop=after:count=1``
or ``*:token_expiry=30`` (the value is the kind's main setting: status code, milliseconds,
``when``, or ``everySeconds``).
"""

from __future__ import annotations

import fnmatch
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from random import Random
from typing import Any, Literal

from pydantic import ConfigDict, Field, model_validator

from airflow_provider_ordermesh.client.endpoints import ENDPOINTS
from airflow_provider_ordermesh.sandbox.backend.validation import SandboxModel

FaultKind = Literal["status", "latency", "drop", "token_expiry"]

_KIND_VALUE_FIELD: dict[str, str] = {
    "status": "status",
    "latency": "latencyMs",
    "drop": "when",
    "token_expiry": "everySeconds",
}
"""What ``KIND=VALUE`` sets in the command-line syntax."""


class FaultRule(SandboxModel):
    """One fault: which endpoints, what happens, when in the request, and how often."""

    model_config = ConfigDict(frozen=True)

    route: str = Field("*", min_length=1, description="Endpoint name or glob, e.g. 'orders.*'.")
    kind: FaultKind
    status: int = Field(503, ge=400, le=599)
    retry_after: int | None = Field(None, ge=0, description="Seconds; sent with 429 (default 1).")
    rate: float | None = Field(None, ge=0, le=1)
    count: int | None = Field(None, ge=1)
    skip: int = Field(0, ge=0, description="Matching requests let through before the rule starts.")
    latency_ms: int = Field(0, ge=0)
    when: Literal["before", "after"] = "before"
    every_seconds: float | None = Field(None, gt=0)

    @model_validator(mode="after")
    def _consistent(self) -> FaultRule:
        if self.rate is not None and self.count is not None:
            raise ValueError("give either 'rate' or 'count', not both")
        if self.kind == "latency" and not self.latency_ms:
            raise ValueError("a latency fault needs 'latencyMs'")
        if self.every_seconds is not None and self.kind != "token_expiry":
            raise ValueError("'everySeconds' applies to token_expiry faults only")
        if self.every_seconds is not None and (self.rate is not None or self.count is not None):
            raise ValueError("'everySeconds' sets how often the fault fires; drop 'rate' and 'count'")
        if self.kind == "token_expiry" and self.when == "after":
            raise ValueError("token_expiry acts before the request; 'when' does not apply")
        if not any(self.matches(name) for name in ENDPOINTS):
            raise ValueError(f"route {self.route!r} matches no endpoint; e.g. 'orders.create' or 'orders.*'")
        return self

    def matches(self, endpoint_name: str) -> bool:
        return fnmatch.fnmatchcase(endpoint_name, self.route)

    @property
    def retry_after_header(self) -> str | None:
        """The ``Retry-After`` value to send, if any."""
        if self.retry_after is not None:
            return str(self.retry_after)
        return "1" if self.status == 429 else None


def parse_fault_spec(spec: str) -> FaultRule:
    """A rule from the command-line syntax ``ROUTE:KIND[=VALUE][:option=value...]``."""
    route, _, rest = spec.partition(":")
    kind_part, *options = rest.split(":") if rest else [""]
    kind, _, kind_value = kind_part.partition("=")
    data: dict[str, Any] = {"route": route, "kind": kind}
    if kind_value:
        data[_KIND_VALUE_FIELD.get(kind, kind)] = kind_value
    for option in options:
        key, separator, value = option.partition("=")
        if not separator:
            raise ValueError(f"fault option {option!r} in {spec!r} is not key=value")
        data[key] = value
    return FaultRule.model_validate(data)


@dataclass(frozen=True)
class FaultPlan:
    """The rules that fire for one request, sorted by the moment they act."""

    expire_tokens_older_than: float | None
    """Access tokens at least this many seconds old die before the request (0: all); None: none."""
    before: tuple[FaultRule, ...]
    after: tuple[FaultRule, ...]


class FaultInjector:
    """Decides which rules fire for a request: counts run down, rates draw from a seeded RNG."""

    def __init__(
        self, rules: Sequence[FaultRule], seed: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._rules = tuple(rules)
        self._remaining = [rule.count for rule in self._rules]
        self._to_skip = [rule.skip for rule in self._rules]
        self._rng = Random(f"{seed}:faults")
        self._clock = clock
        self._last_expiry = [clock()] * len(self._rules)

    @property
    def rules(self) -> tuple[FaultRule, ...]:
        return self._rules

    def plan(self, endpoint_name: str) -> FaultPlan:
        """The rules that fire for one request to ``endpoint_name``; counts and draws are used up."""
        fired = [
            rule
            for index, rule in enumerate(self._rules)
            if rule.matches(endpoint_name) and self._fires(index)
        ]
        ages = [rule.every_seconds or 0.0 for rule in fired if rule.kind == "token_expiry"]
        return FaultPlan(
            expire_tokens_older_than=min(ages) if ages else None,
            before=tuple(rule for rule in fired if rule.kind != "token_expiry" and rule.when == "before"),
            after=tuple(rule for rule in fired if rule.when == "after"),
        )

    def _fires(self, index: int) -> bool:
        rule = self._rules[index]
        if self._to_skip[index]:
            self._to_skip[index] -= 1
            return False
        if rule.every_seconds is not None:
            now = self._clock()
            if now - self._last_expiry[index] < rule.every_seconds:
                return False
            self._last_expiry[index] = now
            return True
        remaining = self._remaining[index]
        if remaining is not None:
            if remaining == 0:
                return False
            self._remaining[index] = remaining - 1
            return True
        return rule.rate is None or self._rng.random() < rule.rate
