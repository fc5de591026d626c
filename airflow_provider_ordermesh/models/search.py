"""Filters of the list and search operations, turned into query strings.

Filter and paging parameter names are reconstructed (the docs show only the catalog's
``page``/``pageSize``); they live here and nowhere else. ``updatedSince``/``updatedBefore`` make a
half-open window ``[since, before)``, so consecutive windows neither overlap nor leave gaps.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field, field_validator

from airflow_provider_ordermesh.limits import IDS_PER_SEARCH_MAX
from airflow_provider_ordermesh.models._base import Id, Moment, RequestModel, ShortText
from airflow_provider_ordermesh.models.statuses import DEFAULT_SHIPMENT_STATUSES

QueryParams = dict[str, str | list[str]]


class _Filters(RequestModel):
    def to_query(self) -> QueryParams:
        """Query parameters in the API's names: lists repeat the key, datetimes are ISO 8601."""
        query: QueryParams = {}
        for key, value in self.model_dump(by_alias=True, exclude_none=True).items():
            if isinstance(value, list):
                if value:
                    query[key] = [_as_text(v) for v in value]
            else:
                query[key] = _as_text(value)
        return query


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


class OrderSearch(_Filters):
    """Filters of ``GET /v1/orders/search``."""

    ids: list[Id] | None = Field(default=None, max_length=IDS_PER_SEARCH_MAX)
    safe_ids: list[ShortText] | None = Field(default=None, max_length=IDS_PER_SEARCH_MAX)
    status: list[ShortText] | None = None
    safe_id: ShortText | None = None
    external_id: ShortText | None = None
    is_test: bool | None = None
    created_from: Moment | None = None
    created_to: Moment | None = None
    updated_since: Moment | None = None
    updated_before: Moment | None = None


class OrderItemSearch(_Filters):
    """Filters of ``GET /v1/orderItems/search``."""

    ids: list[Id] | None = Field(default=None, max_length=IDS_PER_SEARCH_MAX)
    order_id: Id | None = None
    status: list[ShortText] | None = None
    sku: ShortText | None = None
    updated_since: Moment | None = None
    updated_before: Moment | None = None


class ShipmentSearch(_Filters):
    """Filters of ``GET /shipment/v1/search``. ``status`` takes codes or names (``4`` or ``"Shipped"``).

    Names are turned into the integer codes the API expects, through the one shipment status
    vocabulary (``models.statuses``); an unknown name fails here, naming the known ones. Codes
    pass as given, so a deployment with extra codes can still filter on them.
    """

    ids: list[Id] | None = Field(default=None, max_length=IDS_PER_SEARCH_MAX)
    order_ids: list[Id] | None = Field(default=None, max_length=IDS_PER_SEARCH_MAX)
    status: list[int] | None = None
    facility_id: ShortText | None = None
    updated_since: Moment | None = None
    updated_before: Moment | None = None

    @field_validator("status", mode="before")
    @classmethod
    def _status_codes(cls, statuses: Any) -> Any:
        if isinstance(statuses, (list, tuple, set, frozenset)):
            return [s if isinstance(s, int) else DEFAULT_SHIPMENT_STATUSES.code(s) for s in statuses]
        return statuses


class NoteFilter(_Filters):
    """Filters of ``GET /v1/notes``."""

    resource_type: ShortText | None = None
    resource_id: ShortText | None = None
