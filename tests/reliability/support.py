"""Small helpers shared by the reliability tests: fast retries, sandbox stats and orders, client sleeps."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import requests

from airflow_provider_ordermesh.client import RetryPolicy

FAST_RETRY_POLICY = RetryPolicy(max_retries=10, backoff_base=0.005, backoff_cap=0.05)
"""Ten retries, 5 ms doubling to at most 50 ms (jittered): the production flow, shrunk in time."""

FAST = {"retry_policy": FAST_RETRY_POLICY}
"""``hook_params`` for the operators under test."""


def place_order(sandbox: Any, *skus: str) -> Any:
    """An order placed straight in the sandbox's backend (no request counted): two units of each
    SKU (a t-shirt by default) at 20.00 each plus 5.00 shipping, so it can be refunded and cancelled."""
    from operators.data import order

    from airflow_provider_ordermesh.models.orders import CreateOrder

    return sandbox.backend.orders.create(CreateOrder.model_validate(order(*skus)), actor="test")


def reset_stats(sandbox: Any) -> None:
    """Zero the sandbox's request counts, keeping its data (``POST /_sandbox/stats/reset``)."""
    requests.post(f"{sandbox.url}/_sandbox/stats/reset", timeout=10).raise_for_status()


def requests_to(stats: Mapping[str, Any], endpoint: str) -> dict[str, int]:
    """``{status or "dropped": count}`` of one endpoint, from ``sandbox.stats()``."""
    return dict(stats["requests"].get(endpoint, {}))


def sent(stats: Mapping[str, Any], endpoint: str) -> int:
    """How many requests one endpoint received, whatever their outcome."""
    return sum(requests_to(stats, endpoint).values())


def answered(stats: Mapping[str, Any], outcome: int | str) -> int:
    """How many requests, over every endpoint, ended with ``outcome`` (a status code or ``"dropped"``)."""
    return sum(outcomes.get(str(outcome), 0) for outcomes in stats["requests"].values())


def delta(after: Mapping[str, Any], before: Mapping[str, Any], endpoint: str) -> dict[str, int]:
    """The requests one endpoint received between two stats snapshots, by outcome."""
    old, new = requests_to(before, endpoint), requests_to(after, endpoint)
    changes = {outcome: count - old.get(outcome, 0) for outcome, count in new.items()}
    return {outcome: change for outcome, change in changes.items() if change}


def assert_created_exactly_once(sandbox: Any, source: list[dict[str, Any]], order_ids: list[str]) -> None:
    """The sandbox holds one order per input order and no other, and ``order_ids`` are theirs in input order.

    "Created once" is checked twice over: no two orders share a safeId, and each input's
    ``externalId`` (unique in the inputs) is found on exactly one order.
    """
    orders = sandbox.backend.state.orders
    inputs = [o["externalId"] for o in source]
    assert len(orders) == len(source)
    assert len({order.safe_id for order in orders.values()}) == len(orders), "two orders share a safeId"
    assert sorted(order.submitted.external_id for order in orders.values()) == sorted(inputs)
    assert [orders[order_id].submitted.external_id for order_id in order_ids] == inputs


class RecordedSleeps(list[float]):
    """The client's ``sleep``: records every wait it asks for, and really waits at most ``cap`` seconds.

    So a ``Retry-After: 2`` is provably honoured (the client asks for >= 2 s) without a test
    spending two seconds on it.
    """

    def __init__(self, cap: float = 0.01) -> None:
        super().__init__()
        self.cap = cap

    def __call__(self, seconds: float) -> None:
        self.append(seconds)
        time.sleep(min(seconds, self.cap))
