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
import unicodedata
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Final

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

    def to_api_json(self) -> bytes:
        """``to_api()`` already encoded as compact UTF-8 JSON, in one pass of pydantic-core.

        For bodies sent in bulk: building the dict and then encoding it costs about three times as much.
        """
        return self.__pydantic_serializer__.to_json(self, by_alias=True, exclude_none=True)


ID_MAX_LENGTH = 200
"""Longest id accepted in a path or body: far beyond any id the docs show, short of abuse."""

BLANK_TEXTS: Final = frozenset({"", "null", "none"})
"""Rendered texts that mean "nothing" (compared stripped and lower-cased): what a template renders
from a missing value (``None``, ``| tojson`` of ``None``). Never an id, a filter or a text to send."""

ID_SEPARATORS: Final = "/?#%\\"
"""Characters that end or escape a path segment (``/``, ``?``, ``#``, ``%``, ``\\``): never in an id."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ID_TROUBLE = re.compile(r"[\s\x00-\x1f\x7f" + re.escape(ID_SEPARATORS) + "]")
"""Any character ``id_problem`` refuses (``\\s`` is ``str.isspace``): one C scan clears a good id."""


def id_problem(value: object) -> str | None:
    """Why ``value`` cannot be sent as an id, or None when it can.

    The id rule, for every id sent in a path or a body: a string, not empty, not what a template
    renders from a missing value (``"None"``, ``"null"``), no whitespace or control characters, no
    path separator (``/ ? # % \\``), not ``.`` or ``..``, at most ``ID_MAX_LENGTH`` characters. An id
    placed in a path is also refused when it is one of the API's path words (``client.inputs``).
    The rule does not enforce the forms the docs describe (order ids of 24 hex characters, UUIDs
    for shipments), because the docs' own examples use other forms (``"b234ee56-7890-4f12-a123-fake"``).
    """
    if (
        isinstance(value, str)
        and 0 < len(value) <= ID_MAX_LENGTH
        and not _ID_TROUBLE.search(value)
        and value.lower() not in BLANK_TEXTS
        and value not in (".", "..")
    ):
        return None  # the common case; the checks below say what is wrong
    if not isinstance(value, str):
        return f"must be a string id, got {type(value).__name__}"
    if not value:
        return "must not be empty"
    if value.lower() in BLANK_TEXTS:
        return (
            f"is {value!r}, what a template renders from a missing value; give the real id "
            "(check the template or XCom that fills it)"
        )
    if len(value) > ID_MAX_LENGTH:
        return f"is {len(value)} characters long; ids are at most {ID_MAX_LENGTH}"
    if any(ch.isspace() for ch in value):
        return f"{value!r} contains whitespace; ids never do"
    if _CONTROL.search(value):
        return "contains control characters"
    separator = next((ch for ch in value if ch in ID_SEPARATORS), None)
    if separator is not None:
        return f"{value!r} contains {separator!r}, which would change the request path; ids never do"
    if value in (".", ".."):
        return f"{value!r} would change the request path; give the real id"
    return None


def _valid_id(value: str) -> str:
    problem = id_problem(value)
    if problem:
        raise ValueError(problem)
    return value


Id = Annotated[str, AfterValidator(_valid_id)]
"""Every OrderMesh id (orders, items, shipments, packages, merchants, notes, safeIds), checked by ``id_problem``.

Forms seen in the docs, for reading rather than checking: order ids are 24 hex characters,
shipment, package and merchant ids are UUIDs, short ids are ``O``/``I``/``S``/``P`` plus digits.
"""


_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _uuid(value: str) -> str:
    if not _UUID.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a UUID; OrderMesh merchant ids are UUIDs (e.g. "
            "'b234ee56-7890-4f12-a123-4567890abcde'): copy yours from the OrderMesh portal"
        )
    return value


MerchantId = Annotated[str, AfterValidator(_valid_id), AfterValidator(_uuid)]
"""A merchant id we send: a UUID, as the docs give every ``merchantId`` (the service refuses others)."""


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{value.isoformat()} has no time zone, so the API would read it in a zone of its own; write "
            f"one, e.g. '{value.isoformat()}Z' for UTC (or a datetime with tzinfo=timezone.utc)"
        )
    return value


Moment = Annotated[datetime, AfterValidator(_aware)]
"""A point in time we send (search filters): with a time zone, never a naive one read in the API's zone."""


def _upper_code(codes: frozenset[str], what: str, example: str) -> Callable[[str], str]:
    def validate(value: str) -> str:
        upper = value.upper()
        if upper not in codes:
            raise ValueError(f"{value!r} is not an {what} (e.g. {example!r})")
        return upper

    return validate


CountryCode = Annotated[
    str, AfterValidator(_upper_code(COUNTRY_CODES, "ISO 3166-1 alpha-2 country code", "US"))
]
CurrencyCode = Annotated[str, AfterValidator(_upper_code(CURRENCY_CODES, "ISO 4217 currency code", "USD"))]


def _visible(value: str) -> str:
    """Text with at least one visible character (not only spaces, controls or zero-width marks) that is
    not what a template renders from a missing value (``"None"``, ``"null"``: ``BLANK_TEXTS``)."""
    if len(value) <= 4 and value.strip().lower() in BLANK_TEXTS:
        raise ValueError(
            f"is {value!r}, what a template renders from a missing value; give the text (check the "
            "template or XCom that fills it)"
        )
    if value and "!" <= value[0] <= "~":  # printable ASCII is visible (L, N, P, S): the common case
        return value
    if not any(unicodedata.category(c)[0] not in "CZ" for c in value):
        raise ValueError("must have visible content (it is empty or only whitespace)")
    return value


def _not_bool(value: Any) -> Any:
    """Refuse ``True``/``False`` where a number is expected: pydantic would read them as 1 and 0."""
    if isinstance(value, bool):
        raise ValueError("must be a number, not a boolean")
    return value


VisibleText = AfterValidator(_visible)
NotBool = BeforeValidator(_not_bool)

ShortText = Annotated[str, StringConstraints(max_length=255), VisibleText]
"""Names, address lines and other single-line text: visible content, at most 255 characters."""

LongText = Annotated[str, StringConstraints(min_length=1, max_length=4000), VisibleText]
"""Reasons and notes: required, visible content, at most 4,000 characters."""

Reason = Annotated[str, StringConstraints(min_length=1, max_length=1000), VisibleText]

# ``NotBool`` comes after the ``Field`` constraints on purpose: it still runs first (a before-validator
# wraps what precedes it), and the bounds stay in pydantic-core instead of becoming Python validators.
Amount = Annotated[float, Field(ge=0, allow_inf_nan=False), NotBool]
"""A money amount sent as a plain number, never negative."""

PositiveAmount = Annotated[float, Field(gt=0, allow_inf_nan=False), NotBool]
Quantity = Annotated[int, Field(ge=1, le=100_000, strict=False), NotBool]
