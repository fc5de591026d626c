"""The base of every body the sandbox reads, and the kinds of value its fields take.

Each field names its wire key as the API notes spell it (``alias="safeId"``, ``"orderItemIDs"``):
nothing is derived from the Python name, a body is read by those keys only, and any other key (a
snake_case or PascalCase spelling, a typo) is refused with a 400 that names it.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from airflow_provider_ordermesh.models.codes import COUNTRY_CODES, CURRENCY_CODES


class WireBody(BaseModel):
    """A request body as the API reads it: documented keys only, strings stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)  # read by alias only

    def wire(self) -> dict[str, Any]:
        """The body as JSON again, in its wire keys, without the fields left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


def _one_of(codes: frozenset[str], what: str) -> AfterValidator:
    """A code from ``codes``, any case, read in upper case."""

    def check(value: str) -> str:
        if value.upper() not in codes:
            raise ValueError(f"{value!r} is not an {what}")
        return value.upper()

    return AfterValidator(check)


def _no_booleans(value: Any) -> Any:
    """JSON ``true`` is not the number 1 on this API."""
    if isinstance(value, bool):
        raise ValueError("must be a number, not a boolean")
    return value


Id = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"^[^\s/\x00-\x1f\x7f]+$")]
"""An id in a body: non-empty, without whitespace, ``/`` or control characters (an unknown one is a 404 later)."""

MerchantUuid = Annotated[
    str,
    StringConstraints(
        pattern=r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
    ),
]
"""A ``merchantId`` or ``transformationId``: the docs give them as UUIDs, and the service refuses others."""

Text = Annotated[str, StringConstraints(min_length=1, max_length=255)]
"""A single-line value (names, address lines, SKUs): not blank, at most 255 characters."""

Reason = Annotated[str, StringConstraints(min_length=1, max_length=1000)]
LongText = Annotated[str, StringConstraints(min_length=1, max_length=4000)]
Url = Annotated[str, StringConstraints(min_length=1, max_length=2048)]
Link = Annotated[str, StringConstraints(max_length=2048)]
"""An optional link (a thumbnail, a carrier's tracking page), which may be empty."""

CountryCode = Annotated[str, _one_of(COUNTRY_CODES, "ISO 3166-1 alpha-2 country code")]
CurrencyCode = Annotated[str, _one_of(CURRENCY_CODES, "ISO 4217 currency code")]

Amount = Annotated[float, BeforeValidator(_no_booleans), Field(ge=0, allow_inf_nan=False)]
PositiveAmount = Annotated[float, BeforeValidator(_no_booleans), Field(gt=0, allow_inf_nan=False)]
Quantity = Annotated[int, BeforeValidator(_no_booleans), Field(ge=1, le=100_000)]
