"""Every error the OrderMesh client raises, in one tree.

::

    OrderMeshError
    ├── ConfigurationError        bad base URL, plain http to a remote host, missing credentials
    ├── InvalidRequestError       a request refused before sending; names each bad field
    ├── TransportError            no HTTP answer: connect failure, timeout, dropped connection
    │   └── OutcomeUnknownError   the request may have been applied; not re-sent blindly
    └── ApiError                  an HTTP error answer: status, method, path, API message, request id
        ├── BadRequestError       400 (validation)
        ├── AuthenticationError   401
        ├── PermissionDeniedError 403
        ├── NotFoundError         404
        ├── ConflictError         409 (e.g. a duplicate safeId)
        ├── RateLimitError        429
        └── ServerError           5xx

No error ever carries a token, a secret or a request body: only what is safe to log. What may
leave the task log for a wider audience (OpenLineage's error facet) is ``screened(exc)``: the
error's structured facts, none of its free text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails


class OrderMeshError(Exception):
    """Base class of everything the OrderMesh client raises."""


class ConfigurationError(OrderMeshError, ValueError):
    """The client was configured in a way that cannot work or is unsafe."""


class InvalidRequestError(OrderMeshError, ValueError):
    """A request failed validation before anything was sent.

    ``field_errors`` maps each bad field's path (in the API's camelCase, e.g.
    ``refunds.0.amount``) to what is wrong with it.
    """

    def __init__(self, what: str, field_errors: dict[str, str]):
        self.what = what
        self.field_errors = dict(field_errors)
        details = "; ".join(f"{field or '(body)'}: {problem}" for field, problem in self.field_errors.items())
        super().__init__(f"invalid {what}: {details}")

    @classmethod
    def from_pydantic(cls, what: str, errors: Sequence[ErrorDetails]) -> InvalidRequestError:
        """Build from ``ValidationError.errors()``, keeping paths and messages but never input values."""
        field_errors: dict[str, str] = {}
        for error in errors:
            path = ".".join(str(part) for part in error.get("loc", ()))
            message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
            field_errors[path] = f"{field_errors[path]}; {message}" if path in field_errors else message
        return cls(what, field_errors)


class TransportError(OrderMeshError):
    """No HTTP answer arrived. ``retryable`` says whether trying again can help."""

    def __init__(
        self, message: str, *, method: str, path: str, retryable: bool = True, maybe_applied: bool = False
    ):
        self.method = method
        self.path = path
        self.retryable = retryable
        self.maybe_applied = maybe_applied
        super().__init__(f"{method} {path}: {message}")


class OutcomeUnknownError(TransportError):
    """The connection failed after the request was sent, on an operation that is unsafe to repeat.

    The API may or may not have applied it. Check the resource's state (for a refund: the item's
    refund records) before trying again.
    """


class ApiError(OrderMeshError):
    """OrderMesh answered with an HTTP error status."""

    status: int = 0

    def __init__(
        self,
        *,
        status: int,
        method: str,
        path: str,
        api_message: str | None = None,
        request_id: str | None = None,
        field_errors: dict[str, str] | None = None,
        retry_after: float | None = None,
        codes: Sequence[str] = (),
    ):
        self.status = status
        self.method = method
        self.path = path
        self.api_message = api_message
        self.request_id = request_id
        self.field_errors = dict(field_errors or {})
        self.retry_after = retry_after
        self.codes = tuple(codes)
        """The API's own error codes (``errors[].code``), when it sends any."""
        text = f"OrderMesh answered {status} to {method} {path}"
        if api_message:
            text += f": {api_message}"
        if request_id:
            text += f" (request id {request_id})"
        super().__init__(text)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status}, method={self.method!r}, path={self.path!r})"


class BadRequestError(ApiError, ValueError):
    """400: the API rejected the request's content."""


class AuthenticationError(ApiError):
    """401: missing, invalid or expired credentials or token."""


class PermissionDeniedError(ApiError):
    """403: authenticated, but not allowed to do this."""


class NotFoundError(ApiError, LookupError):
    """404: the resource does not exist (or is not visible to this merchant)."""


class ConflictError(ApiError):
    """409: a duplicate (e.g. ``safeId``) or a state that does not allow the action."""


class RateLimitError(ApiError):
    """429: too many requests; ``retry_after`` holds the server's hint in seconds, if any."""


class ServerError(ApiError):
    """5xx: OrderMesh failed to handle the request."""


_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: BadRequestError,
    429: RateLimitError,
}


def error_class_for(status: int) -> type[ApiError]:
    """The one mapping from an HTTP status to an error class."""
    if status >= 500:
        return ServerError
    return _BY_STATUS.get(status, ApiError)


def screened(exc: BaseException) -> str:
    """``exc`` as the facts that cannot hold customer data or a secret, for readers beyond the task log.

    The API's validation text may echo a value it refused (a name, an address, an email, as the
    sandbox does for a country code), and so may a pydantic message of ours; the task log keeps
    those words for the people who run the task, but OpenLineage's error facet reaches a lineage
    backend's every reader. So only structured facts pass: the exception's type; for an API answer
    the status, method and path (the ids in it are OrderMesh's), the refused fields' names, the
    API's error codes and its request id; for a lost answer the method and path; for a request
    refused before sending, what it was and the fields' names. An exception that wraps an OrderMesh
    error (an ``AirflowFailException`` raised from one) gives that error's facts after its own
    type; any other gives its type alone. Free text never passes, whatever its source.
    """
    origin = _ordermesh_origin(exc)
    facts = [
        type(exc).__name__ if origin in (exc, None) else f"{type(exc).__name__} from {type(origin).__name__}"
    ]
    if isinstance(origin, ApiError):
        facts.append(f"HTTP {origin.status} to {origin.method} {origin.path}")
    elif isinstance(origin, TransportError):
        facts.append(f"no answer to {origin.method} {origin.path}")
    elif isinstance(origin, InvalidRequestError):
        facts.append(f"invalid {origin.what}, not sent")
    if isinstance(origin, (ApiError, InvalidRequestError)) and origin.field_errors:
        facts.append("fields " + ", ".join(field or "(body)" for field in origin.field_errors))
    if isinstance(origin, ApiError):
        if origin.codes:
            facts.append("codes " + ", ".join(origin.codes))
        if origin.request_id:
            facts.append(f"request id {origin.request_id}")
    return "; ".join(facts)


def _ordermesh_origin(exc: BaseException) -> OrderMeshError | None:
    """``exc`` if it is an OrderMesh error, else the first one it was raised from or during (if any)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, OrderMeshError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None
