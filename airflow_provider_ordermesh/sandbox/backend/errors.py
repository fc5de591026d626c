"""The sandbox's errors: each class fixes an HTTP status; ``app.py`` turns them into error bodies.

Backend verbs raise these and never see HTTP (moto's ``ServiceException`` split). The wire form is
``{"statusCode", "message", "errors": [{"field", "message"}], "requestId"}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True)
class FieldError:
    """One problem with one field; ``field`` is a camelCase dotted path such as ``items.0.quantity``."""

    field: str | None
    message: str

    def to_api(self) -> dict[str, Any]:
        return {"field": self.field, "message": self.message}


class SandboxError(Exception):
    """An error the API answers with; ``status_code`` is fixed per class."""

    status_code: ClassVar[int] = 500

    def __init__(self, message: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or []

    def body(self, request_id: str) -> dict[str, Any]:
        return error_body(self.status_code, self.message, request_id, self.errors)


class ValidationFailed(SandboxError):
    """The request is malformed: a missing or invalid field, or a value out of range."""

    status_code = 400


class Unauthorized(SandboxError):
    """Bad credentials, or a missing, invalid or expired bearer token."""

    status_code = 401


class NotFound(SandboxError):
    """An id that names nothing; the message names the id."""

    status_code = 404


class Conflict(SandboxError):
    """The request clashes with the current state: a duplicate ``safeId`` or a forbidden transition."""

    status_code = 409


def error_body(
    status_code: int, message: str, request_id: str, errors: Sequence[FieldError] = ()
) -> dict[str, Any]:
    """The JSON body every 4xx and 5xx answer carries, fault-injected ones included."""
    return {
        "statusCode": status_code,
        "message": message,
        "errors": [error.to_api() for error in errors],
        "requestId": request_id,
    }
