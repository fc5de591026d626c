"""Base classes and field types shared by every OrderMesh model.

Two kinds of model, on purpose:

* ``ApiModel`` parses what the API sends. It accepts unknown fields (the real API has more
  than the docs show, and dev and stg differ) and missing optional ones.
* ``RequestModel`` is what we send. It forbids unknown fields and validates what is known,
  so that a typo or a bad value fails with the field's name before any request is made.

Python attributes are snake_case; the wire format is camelCase. Both spellings are accepted
on input, and ``to_api()`` always writes the wire format.
"""

from __future__ import annotations

import re
from collections.abc import Callable
import unicodedata
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic.alias_generators import to_camel

from airflow_provider_ordermesh.models.codes import COUNTRY_CODES, CURRENCY_CODES


class ApiModel(BaseModel):
    """A model of something the API returns: tolerant of unknown and missing fields."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="allow",
        protected_namespaces=(),
    )

    def to_api(self) -> dict[str, Any]:
        """The JSON-ready dict in the API's own field names."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class RequestModel(BaseModel):
    """A model of something we send: strict, so bad input fails before any request."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        str_strip_whitespace=True,
        protected_namespaces=(),
    )

    def to_api(self) -> dict[str, Any]:
        """The JSON-ready request body in the API's own field names, without unset optionals."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


_HEX24 = re.compile(r"^[0-9a-fA-F]{24}$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_OPAQUE = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")


def _check(pattern: re.Pattern[str], what: str, example: str) -> Callable[[str], str]:
    def validate(value: str) -> str:
        if not pattern.match(value):
            raise ValueError(f"{value!r} is not a valid {what} (expected e.g. {example!r})")
        return value

    return validate


def _upper_code(codes: frozenset[str], what: str, example: str) -> Callable[[str], str]:
    def validate(value: str) -> str:
        upper = value.upper()
        if upper not in codes:
            raise ValueError(f"{value!r} is not an {what} (e.g. {example!r})")
        return upper

    return validate


OrderId = Annotated[str, AfterValidator(_check(_HEX24, "order id (24 hex characters)", "65add270441de72442397b6e"))]
"""An OrderMesh order id: 24 hex characters (confirmed)."""

Uuid = Annotated[str, AfterValidator(_check(_UUID, "UUID", "3ed09cf5-1d2c-4c1e-9b7e-8f6a2b1c0d9e"))]
"""Shipment, package and merchant ids are UUIDs (confirmed)."""

ShipmentId = Uuid
PackageId = Uuid

OpaqueId = Annotated[str, AfterValidator(_check(_OPAQUE, "id (1-64 letters, digits, '_.:-')", "7890abcdef123456"))]
"""Ids whose form the docs leave open (order items, facilities, vendors, notes, safeIds)."""

CountryCode = Annotated[str, AfterValidator(_upper_code(COUNTRY_CODES, "ISO 3166-1 alpha-2 country code", "US"))]
CurrencyCode = Annotated[str, AfterValidator(_upper_code(CURRENCY_CODES, "ISO 4217 currency code", "USD"))]

def _visible(value: str) -> str:
    """Text with at least one visible character: not only spaces, controls or zero-width marks."""
    if not any(unicodedata.category(c)[0] not in "CZ" for c in value):
        raise ValueError("must have visible content (it is empty or only whitespace)")
    return value


def _not_bool(value: Any) -> Any:
    """Refuse ``True``/``False`` where a number is expected: pydantic would read them as 1 and 0."""
    if isinstance(value, bool):
        raise ValueError("must be a number, not a boolean")  # noqa: TRY004 - pydantic reports ValueErrors
    return value


VisibleText = AfterValidator(_visible)
NotBool = BeforeValidator(_not_bool)

ShortText = Annotated[str, StringConstraints(max_length=255), VisibleText]
"""Names, address lines and other single-line text: visible content, at most 255 characters."""

LongText = Annotated[str, StringConstraints(min_length=1, max_length=4000), VisibleText]
"""Reasons and notes: required, visible content, at most 4,000 characters."""

Reason = Annotated[str, StringConstraints(min_length=1, max_length=1000), VisibleText]

Amount = Annotated[float, NotBool, Field(ge=0, allow_inf_nan=False)]
"""A money amount sent as a plain number, never negative."""

PositiveAmount = Annotated[float, NotBool, Field(gt=0, allow_inf_nan=False)]
Quantity = Annotated[int, NotBool, Field(ge=1, le=100_000, strict=False)]
