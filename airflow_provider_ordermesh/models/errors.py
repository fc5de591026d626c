"""Error bodies the API answers with (``ValidationErrorResponse``, ``NotFoundErrorResponse``, ...).

Two error-item shapes are accepted: the one the public docs show (prod, "Add new variants to a
merchant catalog": ``{errorMessage, propertyName, attemptedValue}``) and the reconstructed
``{field, message, code}``. The 401 example is ``{"statusCode": 0}``.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from airflow_provider_ordermesh.models._base import ApiModel


class FieldError(ApiModel):
    """One problem, usually with the field it concerns, in either error-item shape.

    ``attempted_value`` is kept for the caller but never put into messages: it may hold
    personal data (an address, a name) that must not reach logs.
    """

    field: str | None = None
    message: str | None = None
    code: str | None = None
    property_name: str | None = None
    error_message: str | None = None
    attempted_value: Any = None

    @property
    def where(self) -> str | None:
        """The field the problem concerns (``propertyName`` or ``field``)."""
        return self.property_name or self.field

    @property
    def text(self) -> str | None:
        """The API's own words for the problem (``errorMessage`` or ``message``)."""
        return self.error_message or self.message

    def describe(self) -> str | None:
        """``"<field>: <message>"``, or the message alone."""
        if not self.text:
            return None
        return f"{self.where}: {self.text}" if self.where else self.text


class ErrorBody(ApiModel):
    """An error answer: the status, the API's message, its field errors and request id."""

    status_code: int | None = None
    message: str | None = None
    errors: list[FieldError] = Field(default_factory=list)
    request_id: str | None = None

    def describe(self) -> str | None:
        """A one-line summary of the API's own message and field errors, if it sent any."""
        parts = [self.message] if self.message else []
        parts += [text for text in (e.describe() for e in self.errors) if text]
        return "; ".join(parts) or None

    def codes(self) -> tuple[str, ...]:
        """The API's error codes of its field errors, once each, in order (no value, no free text)."""
        return tuple(dict.fromkeys(e.code for e in self.errors if e.code))

    def field_errors(self) -> dict[str, str]:
        """The API's message per field, for errors that name one."""
        return {e.where: e.text or "" for e in self.errors if e.where}
