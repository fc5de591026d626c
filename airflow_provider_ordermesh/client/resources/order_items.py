"""``client.order_items``: search order items across orders."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from airflow_provider_ordermesh.client.resources._base import Resource, validated
from airflow_provider_ordermesh.models.common import Page
from airflow_provider_ordermesh.models.orders import OrderItem
from airflow_provider_ordermesh.models.search import OrderItemSearch


class OrderItems(Resource):
    def search_page(self, filters: OrderItemSearch | Mapping[str, Any] | None = None, *, page: int = 1,
                    page_size: int = 100) -> Page[OrderItem]:
        query = validated(OrderItemSearch, filters, what="order item search").to_query()
        return self._page("order_items.search", OrderItem, page=page, page_size=page_size, query=query)

    def search(self, filters: OrderItemSearch | Mapping[str, Any] | None = None, *, page_size: int = 100,
               max_items: int | None = None) -> Iterator[OrderItem]:
        model = validated(OrderItemSearch, filters, what="order item search")
        return self._iterate(lambda page: self.search_page(model, page=page, page_size=page_size), max_items)

    def search_records(self, filters: OrderItemSearch | Mapping[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Every matching order item as the API sent it (a plain dict), page by page: for exports."""
        return self._records("order_items.search", validated(OrderItemSearch, filters, what="order item search").to_query())
