"""``client.order_items``: search order items across orders.

Filters are checked before sending (``InvalidRequestError``); errors as in every group.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from airflow_provider_ordermesh.client.operation import Operation
from airflow_provider_ordermesh.client.resources._base import (
    AsyncGroup,
    Group,
    PagedRead,
    SyncGroup,
    api_call,
    every_page,
    every_record,
    page_operation,
    paged_read,
    validated,
)
from airflow_provider_ordermesh.models.common import Page
from airflow_provider_ordermesh.models.orders import OrderItem
from airflow_provider_ordermesh.models.search import OrderItemSearch


class OrderItemsApi(Group):
    """Order-item search, declared once for ``OrderItems`` and ``AsyncOrderItems``."""

    @api_call
    def search_page(
        self,
        filters: OrderItemSearch | Mapping[str, Any] | None = None,
        *,
        page: int = 1,
        page_size: int = 100,
    ) -> Operation[Page[OrderItem]]:
        """One ``Page`` of the order items matching the filters."""
        query = validated(OrderItemSearch, filters, what="order item search").to_query()
        return page_operation("order_items.search", OrderItem, page=page, page_size=page_size, query=query)

    @paged_read
    def search(
        self,
        filters: OrderItemSearch | Mapping[str, Any] | None = None,
        *,
        page_size: int = 100,
        max_items: int | None = None,
    ) -> PagedRead[OrderItem]:
        """Every order item matching the filters (at most ``max_items``), page by page."""
        checked = validated(OrderItemSearch, filters, what="order item search")
        return every_page(OrderItemsApi.search_page, self, checked, page_size=page_size, max_items=max_items)

    @paged_read
    def search_records(
        self, filters: OrderItemSearch | Mapping[str, Any] | None = None
    ) -> PagedRead[dict[str, Any]]:
        """Every matching order item as the API sent it (a plain dict), page by page: for exports."""
        query = validated(OrderItemSearch, filters, what="order item search").to_query()
        return every_record("order_items.search", query=query)


class OrderItems(OrderItemsApi, SyncGroup):
    """``client.order_items`` of ``OrderMeshClient``."""


class AsyncOrderItems(OrderItemsApi, AsyncGroup):
    """``client.order_items`` of ``AsyncOrderMeshClient``: the same methods, awaited."""
