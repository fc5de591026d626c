"""Error bodies the API answers with (``ValidationErrorResponse``, ``NotFoundErrorResponse``, ...).

Their layouts are undocumented except the 401 example ``{"statusCode": 0}``; the model accepts
that and the richer reconstructed form ``{statusCode, message, errors: [{field, message}], requestId}``.
"""

from __future__ import annotations

from pydantic import Field

from airflow_provider_ordermesh.models._base import ApiModel


class FieldError(ApiModel):
    """``Error``: one problem, usually with the field it concerns."""

    field: str | None = None
    message: str | None = None
    code: str | None = None


class ErrorBody(ApiModel):
    status_code: int | None = None
    message: str | None = None
    errors: list[FieldError] = Field(default_factory=list)
    request_id: str | None = None

    def describe(self) -> str | None:
        """A one-line summary of the API's own message and field errors, if it sent any."""
        parts = [self.message] if self.message else []
        parts += [f"{e.field}: {e.message}" if e.field else str(e.message) for e in self.errors if e.message]
        return "; ".join(parts) or None
