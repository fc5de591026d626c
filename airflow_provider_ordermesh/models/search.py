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
from airflow_provider_ordermesh.models._base import OpaqueId, OrderId, RequestModel, ShortText

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

    ids: list[OrderId] | None = Field(default=None, max_length=IDS_PER_SEARCH_MAX)
    safe_ids: list[ShortText] | None = Field(default=None, max_length=IDS_PER_SEARCH_MAX)
    status: list[ShortText] | None = None
    safe_id: ShortText | None = None
    external_id: ShortText | None = None
    is_test: bool | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    updated_since: datetime | None = None
    updated_before: datetime | None = None


class OrderItemSearch(_Filters):
    """Filters of ``GET /v1/orderItems/search``."""

    ids: list[OpaqueId] | None = Field(default=None, max_length=IDS_PER_SEARCH_MAX)
    order_id: OrderId | None = None
    status: list[ShortText] | None = None
    sku: ShortText | None = None
    updated_since: datetime | None = None
    updated_before: datetime | None = None


class ShipmentSearch(_Filters):
    """Filters of ``GET /shipment/v1/search``. ``status`` takes integer codes."""

    ids: list[str] | None = Field(default=None, max_length=IDS_PER_SEARCH_MAX)
    order_ids: list[OrderId] | None = Field(default=None, max_length=IDS_PER_SEARCH_MAX)
    status: list[int] | None = None
    facility_id: ShortText | None = None
    updated_since: datetime | None = None
    updated_before: datetime | None = None

    @field_validator("ids")
    @classmethod
    def _ids_not_blank(cls, ids: list[str] | None) -> list[str] | None:
        if ids is not None and any(not i or not i.strip() for i in ids):
            raise ValueError("shipment ids must not be blank")
        return ids


class NoteFilter(_Filters):
    """Filters of ``GET /v1/notes``."""

    resource_type: ShortText | None = None
    resource_id: ShortText | None = None
