"""One API call as data (``Operation``) and the retry/re-auth flow that runs it (``call_flow``), written once.

``Operation`` says what to call (an endpoint row, ids, query, body) and how to read the answer.
``call_flow`` decides, attempt by attempt, whether to send, wait, re-authenticate, give up or
follow a conflict to the existing resource. It performs no I/O: it yields ``Send``, ``Sleep`` and
``Reauthenticate`` steps, and the sync and async drivers in ``client.py`` carry them out. So the
retry rules exist once for both (the httpx ``auth_flow`` idea).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from airflow_provider_ordermesh.client.answers import read_answer
from airflow_provider_ordermesh.client.endpoints import Endpoint, endpoint
from airflow_provider_ordermesh.client.errors import (
    ApiError,
    AuthenticationError,
    ConflictError,
    OutcomeUnknownError,
    TransportError,
    error_class_for,
)
from airflow_provider_ordermesh.client.retry import RetryPolicy, parse_retry_after
from airflow_provider_ordermesh.models.errors import ErrorBody
from airflow_provider_ordermesh.models.search import QueryParams

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class Response:
    """A raw HTTP answer, as both transports report it."""

    status: int
    headers: Mapping[str, str]
    content: bytes

    def json(self) -> Any:
        """The body parsed as JSON (None when empty); raises ``ValueError`` when it is not JSON."""
        return json.loads(self.content) if self.content else None


@dataclass(frozen=True)
class JsonBytes:
    """A request body already encoded as JSON, sent as is (bulk bodies are assembled from encoded items)."""

    content: bytes = field(repr=False)


@dataclass(frozen=True)
class Operation(Generic[T]):
    """What to call and how to parse the answer into ``T``.

    ``on_conflict`` is an optional follow-up (e.g. fetch an order by its ``safeId``) whose result
    is returned when the API answers 409: for idempotent creates, 409 means "already done".
    """

    endpoint: Endpoint
    parse: Callable[[Any], T]
    path_params: Mapping[str, str] = field(default_factory=dict)
    query: QueryParams | None = None
    body: Any = field(
        default=None, repr=False
    )  # JSON-ready data or ``JsonBytes``; may hold secrets or personal data
    on_conflict: Operation[T] | None = None

    @classmethod
    def of(cls, name: str, parse: Callable[[Any], T], **kwargs: Any) -> Operation[T]:
        return cls(endpoint=endpoint(name), parse=parse, **kwargs)

    @property
    def path(self) -> str:
        """The endpoint's path with this operation's ids filled in and quoted."""
        return self.endpoint.format_path(**self.path_params)

    @property
    def method(self) -> str:
        """The endpoint's HTTP method."""
        return self.endpoint.method


@dataclass(frozen=True)
class Send:
    """Send this operation's request once and report a ``Response`` or a ``TransportError``."""

    operation: Operation[Any]


@dataclass(frozen=True)
class Sleep:
    """Wait this long before the next attempt (backoff or ``Retry-After``)."""

    seconds: float


@dataclass(frozen=True)
class Reauthenticate:
    """Drop the cached token (it was refused) so the next ``Send`` fetches a fresh one."""


Step = Send | Sleep | Reauthenticate
Outcome = Response | TransportError | None


def call_flow(operation: Operation[T], policy: RetryPolicy) -> Generator[Step, Outcome, T]:
    """Run one operation to a parsed result or a typed error; see the module docstring."""
    reauthenticated = False
    attempt = 0
    while True:
        outcome = yield Send(operation)
        if isinstance(outcome, TransportError):
            if not policy.should_retry_transport(
                retryable=outcome.retryable,
                maybe_applied=outcome.maybe_applied,
                retry_safe=operation.endpoint.retry_safe,
                attempt=attempt,
            ):
                if outcome.maybe_applied and not operation.endpoint.retry_safe:
                    raise OutcomeUnknownError(
                        "the connection failed after the request was sent, so it may have been applied; "
                        "it was not re-sent because repeating it is unsafe",
                        method=operation.method,
                        path=operation.path,
                        retryable=False,
                        maybe_applied=True,
                    ) from outcome
                raise outcome
            delay = policy.delay(attempt)
            log.warning(
                "OrderMesh %s %s failed (%s); retry %d in %.2fs",
                operation.method,
                operation.path,
                outcome,
                attempt + 1,
                delay,
            )
            yield Sleep(delay)
            attempt += 1
            reauthenticated = False  # see below: a later 401 is a new expiry
            continue

        assert outcome is not None
        if outcome.status < 400:
            return read_answer(
                operation.parse, outcome.content, endpoint=operation.endpoint, path=operation.path
            )

        error = api_error(operation, outcome)
        if (
            isinstance(error, AuthenticationError)
            and operation.endpoint.authenticated
            and not reauthenticated
        ):
            log.info(
                "OrderMesh refused the token on %s %s; fetching a new one", operation.method, operation.path
            )
            reauthenticated = True
            yield Reauthenticate()
            continue
        if isinstance(error, ConflictError) and operation.on_conflict is not None:
            log.info(
                "OrderMesh %s %s: %s; returning the existing resource",
                operation.method,
                operation.path,
                error.api_message or "conflict",
            )
            return (yield from call_flow(operation.on_conflict, policy))
        if policy.should_retry_status(outcome.status, attempt):
            delay = policy.delay(attempt, error.retry_after)
            log.warning(
                "OrderMesh answered %d to %s %s; retry %d in %.2fs",
                outcome.status,
                operation.method,
                operation.path,
                attempt + 1,
                delay,
            )
            yield Sleep(delay)
            attempt += 1
            # A 401 after this retry is a new expiry, not a fresh token refused at once, so the
            # token may be renewed again; each round costs a retry, so this cannot loop.
            reauthenticated = False
            continue
        raise error


def api_error(operation: Operation[Any], response: Response) -> ApiError:
    """The typed error for an HTTP error answer, with the API's own message and request id."""
    try:
        body = ErrorBody.model_validate(response.json() or {})
    except (ValueError, TypeError):
        body = ErrorBody()
    request_id = body.request_id or next(
        (v for k, v in response.headers.items() if k.lower() in ("x-request-id", "request-id")), None
    )
    retry_after = parse_retry_after(response.headers) if response.status in (429, 503) else None
    return error_class_for(response.status)(
        status=response.status,
        method=operation.method,
        path=operation.path,
        api_message=body.describe(),
        request_id=request_id,
        field_errors=body.field_errors(),
        retry_after=retry_after,
        codes=body.codes(),
    )
