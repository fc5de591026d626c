"""``client.orders``: create (one or in bulk), read, search, update, cancel, hold, refund, audit."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from airflow_provider_ordermesh.limits import BULK_MAX_ITEMS
from airflow_provider_ordermesh.client.errors import InvalidRequestError
from airflow_provider_ordermesh.client.operation import Operation
from airflow_provider_ordermesh.client.resources._base import Resource, checked_id, no_content, unwrap, validated
from airflow_provider_ordermesh.models._base import OrderId
from airflow_provider_ordermesh.models.common import AuditEvent, BulkResponse, Page
from airflow_provider_ordermesh.models.orders import (
    AddRefund,
    BulkUpdateOrder,
    CancelOrder,
    CreateOrder,
    CreateOrderResponse,
    CustomerCareHold,
    InboundOrder,
    InboundOrderReceipt,
    Order,
    OrderItem,
    UpdateOrder,
    UpdateOrderItem,
)
from airflow_provider_ordermesh.models.search import OrderSearch

OrderInput = CreateOrder | Mapping[str, Any]


def _created_from_existing(data: Any) -> CreateOrderResponse:
    order = Order.model_validate(data["order"])
    return CreateOrderResponse(id=order.id, short_id=order.short_id, safe_id=order.safe_id,
                               external_id=order.external_id, shipment_ids=order.shipment_ids,
                               already_existed=True)


def with_safe_id(order: OrderInput) -> CreateOrder:
    """The order validated, with a random ``safeId`` when it has none, fixed before any attempt.

    Every retry of the request then carries the same ``safeId``, so a create whose answer was lost
    cannot create a second order. (Operators derive a deterministic one instead, so that Airflow's
    own task retries are covered too.)
    """
    model = validated(CreateOrder, order, what="order")
    return model if model.safe_id else model.model_copy(update={"safe_id": uuid.uuid4().hex})


class Orders(Resource):
    """Orders and their items."""

    def create(self, order: OrderInput) -> CreateOrderResponse:
        """Create one order; if its ``safeId`` already exists, return that order instead (idempotent)."""
        model = with_safe_id(order)
        safe_id = model.safe_id or ""
        existing = Operation.of("orders.get_by_safe_id", _created_from_existing, path_params={"safe_id": safe_id})
        return self._execute(Operation.of("orders.create", CreateOrderResponse.model_validate,
                                          body=model.to_api(), on_conflict=existing))

    def create_bulk(self, orders: Sequence[OrderInput]) -> BulkResponse:
        """Create up to ``BULK_MAX_ITEMS`` orders in one request; the answer has one result per order.

        Each order gets a ``safeId`` first, so the whole batch may be re-sent safely. Batching a
        longer list, and deciding what a partial failure means, is the bulk operator's job.
        """
        if not orders:
            raise InvalidRequestError("bulk create", {"bulk": "give at least one order"})
        if len(orders) > BULK_MAX_ITEMS:
            raise InvalidRequestError("bulk create", {"bulk": f"at most {BULK_MAX_ITEMS} orders per request, got {len(orders)}"})
        body = {"bulk": [with_safe_id_at(i, order).to_api() for i, order in enumerate(orders)]}
        return self._execute(Operation.of("orders.create_bulk", BulkResponse.model_validate, body=body))

    def retrieve_bulk(self, order_ids: Sequence[str]) -> list[Order]:
        """Read several orders by id in one request."""
        ids = [checked_id(f"orderIds.{i}", oid, OrderId) for i, oid in enumerate(order_ids)]
        if not ids or len(ids) > BULK_MAX_ITEMS:
            raise InvalidRequestError("bulk read", {"orderIds": f"give 1 to {BULK_MAX_ITEMS} ids"})
        return self._execute(Operation.of("orders.retrieve_bulk", _orders_list, query={"ids": ids}))

    def update_bulk(self, updates: Sequence[BulkUpdateOrder | Mapping[str, Any]]) -> BulkResponse:
        """Update several orders (each entry carries its ``id``); one result per entry."""
        if not updates or len(updates) > BULK_MAX_ITEMS:
            raise InvalidRequestError("bulk update", {"bulk": f"give 1 to {BULK_MAX_ITEMS} updates"})
        body = {"bulk": [validated(BulkUpdateOrder, u, what=f"update bulk.{i}").to_api() for i, u in enumerate(updates)]}
        return self._execute(Operation.of("orders.update_bulk", BulkResponse.model_validate, body=body))

    def get(self, order_id: str) -> Order:
        return self._execute(Operation.of("orders.get", unwrap("order", Order),
                                          path_params={"order_id": checked_id("orderId", order_id, OrderId)}))

    def get_by_safe_id(self, safe_id: str) -> Order:
        return self._execute(Operation.of("orders.get_by_safe_id", unwrap("order", Order),
                                          path_params={"safe_id": checked_id("safeId", safe_id)}))

    def update(self, order_id: str, changes: UpdateOrder | Mapping[str, Any]) -> Order:
        body = validated(UpdateOrder, changes, what="order update").to_api()
        return self._execute(Operation.of("orders.update", unwrap("order", Order), body=body,
                                          path_params={"order_id": checked_id("orderId", order_id, OrderId)}))

    def get_item(self, order_item_id: str) -> OrderItem:
        return self._execute(Operation.of("orders.get_item", unwrap("orderItem", OrderItem),
                                          path_params={"order_item_id": checked_id("orderItemId", order_item_id)}))

    def update_item(self, order_id: str, order_item_id: str,
                    changes: UpdateOrderItem | Mapping[str, Any]) -> OrderItem:
        body = validated(UpdateOrderItem, changes, what="order item update").to_api()
        return self._execute(Operation.of(
            "orders.update_item", unwrap("orderItem", OrderItem), body=body,
            path_params={"order_id": checked_id("orderId", order_id, OrderId),
                         "order_item_id": checked_id("orderItemId", order_item_id)}))

    def cancel(self, request: CancelOrder | Mapping[str, Any]) -> Order:
        """Cancel a whole order, or only the given items and quantities."""
        body = validated(CancelOrder, request, what="cancel request").to_api()
        return self._execute(Operation.of("orders.cancel", unwrap("order", Order), body=body))

    def customer_care_hold(self, order_id: str, reason: str | None = None) -> Order:
        body = validated(CustomerCareHold, {"reason": reason}, what="customer care hold").to_api()
        return self._execute(Operation.of("orders.customer_care_hold", unwrap("order", Order), body=body,
                                          path_params={"order_id": checked_id("orderId", order_id, OrderId)}))

    def refund(self, request: AddRefund | Mapping[str, Any]) -> None:
        """Record refunds of item prices or shipping (``POST /v1/orders/refund``, answered 204).

        Never re-sent after a dropped connection: see ``OutcomeUnknownError``.
        """
        body = validated(AddRefund, request, what="refund request").to_api()
        return self._execute(Operation.of("orders.refund", no_content, body=body))

    def submit_inbound(self, request: InboundOrder | Mapping[str, Any]) -> InboundOrderReceipt:
        """Queue an order in your own format; the outcome arrives later by ``OrderCreation`` webhook."""
        body = validated(InboundOrder, request, what="inbound order").to_api()
        return self._execute(Operation.of("orders.submit_inbound", InboundOrderReceipt.model_validate, body=body))

    # --- paged reads ------------------------------------------------------------------------

    def search_page(self, filters: OrderSearch | Mapping[str, Any] | None = None, *, page: int = 1,
                    page_size: int = 100) -> Page[Order]:
        query = validated(OrderSearch, filters, what="order search").to_query()
        return self._page("orders.search", Order, page=page, page_size=page_size, query=query)

    def search(self, filters: OrderSearch | Mapping[str, Any] | None = None, *, page_size: int = 100,
               max_items: int | None = None) -> Iterator[Order]:
        """Every order matching the filters, fetched lazily page by page."""
        model = validated(OrderSearch, filters, what="order search")
        return self._iterate(lambda page: self.search_page(model, page=page, page_size=page_size), max_items)

    def search_records(self, filters: OrderSearch | Mapping[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Every matching order as the API sent it (a plain dict), page by page: for exports."""
        return self._records("orders.search", validated(OrderSearch, filters, what="order search").to_query())

    def audit_log_records(self, order_id: str) -> Iterator[dict[str, Any]]:
        """The order's audit events as the API sent them, page by page: for exports."""
        return self._records("orders.audit_logs", order_id=checked_id("orderId", order_id, OrderId))

    def list_page(self, *, page: int = 1, page_size: int = 100) -> Page[Order]:
        return self._page("orders.list", Order, page=page, page_size=page_size)

    def list(self, *, page_size: int = 100, max_items: int | None = None) -> Iterator[Order]:
        return self._iterate(lambda page: self.list_page(page=page, page_size=page_size), max_items)

    def audit_logs_page(self, order_id: str, *, page: int = 1, page_size: int = 100) -> Page[AuditEvent]:
        return self._page("orders.audit_logs", AuditEvent, page=page, page_size=page_size,
                          order_id=checked_id("orderId", order_id, OrderId))

    def audit_logs(self, order_id: str, *, max_items: int | None = None) -> Iterator[AuditEvent]:
        return self._iterate(lambda page: self.audit_logs_page(order_id, page=page), max_items)

    def item_audit_logs_page(self, order_id: str, order_item_id: str, *, page: int = 1,
                             page_size: int = 100) -> Page[AuditEvent]:
        return self._page("orders.item_audit_logs", AuditEvent, page=page, page_size=page_size,
                          order_id=checked_id("orderId", order_id, OrderId),
                          order_item_id=checked_id("orderItemId", order_item_id))

    def item_audit_logs(self, order_id: str, order_item_id: str, *, max_items: int | None = None) -> Iterator[AuditEvent]:
        return self._iterate(lambda page: self.item_audit_logs_page(order_id, order_item_id, page=page), max_items)


def with_safe_id_at(index: int, order: OrderInput) -> CreateOrder:
    """``with_safe_id`` for entry ``index`` of a bulk request, so errors name ``bulk.<index>``."""
    try:
        return with_safe_id(order)
    except InvalidRequestError as exc:
        raise InvalidRequestError("bulk create", {f"bulk.{index}.{k}": v for k, v in exc.field_errors.items()}) from None


def _orders_list(data: Any) -> list[Order]:
    return [Order.model_validate(o) for o in (data or {}).get("orders", [])]
