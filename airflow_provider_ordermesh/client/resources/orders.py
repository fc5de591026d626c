"""``client.orders``: create (one or in bulk), read, search, update, cancel, hold, refund, audit.

Every method checks its input before sending (``InvalidRequestError``, naming the field), and
may raise an ``ApiError`` subclass for an error answer, ``TransportError`` when no answer came,
and ``UnexpectedAnswerError`` for an answer in an unknown shape.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from airflow_provider_ordermesh.client.answers import bare, listing, no_content, unwrap
from airflow_provider_ordermesh.client.errors import InvalidRequestError
from airflow_provider_ordermesh.client.operation import JsonBytes, Operation
from airflow_provider_ordermesh.client.resources._base import (
    AsyncGroup,
    Group,
    PagedRead,
    SyncGroup,
    api_call,
    checked_id,
    every_page,
    every_record,
    page_operation,
    paged_read,
    validated,
)
from airflow_provider_ordermesh.limits import BULK_MAX_ITEMS
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


@dataclass(frozen=True)
class EncodedOrder:
    """A validated order with its ``safeId``, already encoded as its request JSON (``to_api_json``).

    For callers that had to encode the order anyway (the bulk operator hashes it into a derived
    ``safeId``): ``create_bulk`` sends ``content`` as it is instead of encoding the order again.
    """

    safe_id: str
    content: bytes = field(repr=False)  # personal data
    fingerprint: str | None = None
    """The content record (``meta["omContent"]``) of an order created under a key, to compare with
    an existing order of the same ``safeId``; None when the safeId does not come from a key."""


_order = unwrap("order", Order)


def _created_from_existing(data: Any) -> CreateOrderResponse:
    order = _order(data)
    return CreateOrderResponse(
        id=order.id,
        short_id=order.short_id,
        safe_id=order.safe_id,
        external_id=order.external_id,
        shipment_ids=order.shipment_ids,
        already_existed=True,
    )


def with_safe_id(order: OrderInput) -> CreateOrder:
    """The order validated, with a random ``safeId`` when it has none, fixed before any attempt.

    Every retry of the request then carries the same ``safeId``, so a create whose answer was lost
    cannot create a second order. (Operators derive a deterministic one instead, so that Airflow's
    own task retries are covered too.)
    """
    checked = validated(CreateOrder, order, what="order")
    return checked if checked.safe_id else checked.model_copy(update={"safe_id": uuid.uuid4().hex})


def with_safe_id_at(index: int, order: OrderInput) -> CreateOrder:
    """``with_safe_id`` for entry ``index`` of a bulk request, so errors name ``bulk.<index>``."""
    try:
        return with_safe_id(order)
    except InvalidRequestError as exc:
        raise InvalidRequestError(
            "bulk create", {f"bulk.{index}.{k}": v for k, v in exc.field_errors.items()}
        ) from None


def encoded_at(index: int, order: OrderInput | EncodedOrder) -> bytes:
    """Entry ``index`` of a bulk create as request JSON: validated, with its ``safeId``, encoded once."""
    if isinstance(order, EncodedOrder):
        return order.content
    return with_safe_id_at(index, order).to_api_json()


def _order_path(order_id: str) -> dict[str, str]:
    return {"order_id": checked_id("orderId", order_id)}


def _bulk_size(what: str, entries: Sequence[Any], noun: str) -> None:
    if not entries or len(entries) > BULK_MAX_ITEMS:
        raise InvalidRequestError(
            what, {"bulk": f"give 1 to {BULK_MAX_ITEMS} {noun} per request, got {len(entries)}"}
        )


class OrdersApi(Group):
    """Orders and their items, declared once for ``Orders`` and ``AsyncOrders``."""

    @api_call
    def create(self, order: OrderInput) -> Operation[CreateOrderResponse]:
        """Create one order and return its ids (``CreateOrderResponse``).

        Idempotent: the order gets a ``safeId`` first if it has none, and when that ``safeId``
        already exists (409) the existing order is returned with ``already_existed=True``.
        """
        checked = with_safe_id(order)
        existing = Operation.of(
            "orders.get_by_safe_id",
            _created_from_existing,
            path_params={"safe_id": checked_id("safeId", checked.safe_id)},
        )
        return Operation.of(
            "orders.create", bare(CreateOrderResponse), body=checked.to_api(), on_conflict=existing
        )

    @api_call
    def create_bulk(self, orders: Sequence[OrderInput | EncodedOrder]) -> Operation[BulkResponse]:
        """Create up to ``BULK_MAX_ITEMS`` orders in one request; returns one ``BulkResponse`` result per order.

        Each order gets a ``safeId`` first, so the whole batch may be re-sent safely. Batching a
        longer list, and deciding what a partial failure means, is ``client.bulk``'s job. Each
        order is encoded once, straight to JSON, and the body is joined from those bytes
        (``EncodedOrder`` entries are used as they are).
        """
        _bulk_size("bulk create", orders, "orders")
        body = b'{"bulk":[' + b",".join(encoded_at(i, order) for i, order in enumerate(orders)) + b"]}"
        return Operation.of("orders.create_bulk", bare(BulkResponse), body=JsonBytes(body))

    @api_call
    def retrieve_bulk(self, order_ids: Sequence[str]) -> Operation[list[Order]]:
        """Read up to ``BULK_MAX_ITEMS`` orders by id in one request; returns the ``Order`` list found."""
        ids = [checked_id(f"orderIds.{i}", oid) for i, oid in enumerate(order_ids)]
        if not ids or len(ids) > BULK_MAX_ITEMS:
            raise InvalidRequestError("bulk read", {"orderIds": f"give 1 to {BULK_MAX_ITEMS} ids"})
        return Operation.of("orders.retrieve_bulk", listing("orders", Order), query={"ids": ids})

    @api_call
    def update_bulk(self, updates: Sequence[BulkUpdateOrder | Mapping[str, Any]]) -> Operation[BulkResponse]:
        """Update up to ``BULK_MAX_ITEMS`` orders (each entry carries its ``id``); one result per entry."""
        _bulk_size("bulk update", updates, "updates")
        body = {
            "bulk": [
                validated(BulkUpdateOrder, u, what=f"update bulk.{i}").to_api() for i, u in enumerate(updates)
            ]
        }
        return Operation.of("orders.update_bulk", bare(BulkResponse), body=body)

    @api_call
    def get(self, order_id: str) -> Operation[Order]:
        """Read one order with its items; raises ``NotFoundError`` if there is none with this id."""
        return Operation.of("orders.get", _order, path_params=_order_path(order_id))

    @api_call
    def get_by_safe_id(self, safe_id: str) -> Operation[Order]:
        """Read the order created with this ``safeId``; raises ``NotFoundError`` if there is none."""
        return Operation.of(
            "orders.get_by_safe_id", _order, path_params={"safe_id": checked_id("safeId", safe_id)}
        )

    @api_call
    def update(self, order_id: str, changes: UpdateOrder | Mapping[str, Any]) -> Operation[Order]:
        """Change an order's data (external id, addresses, meta); returns the updated ``Order``."""
        body = validated(UpdateOrder, changes, what="order update").to_api()
        return Operation.of("orders.update", _order, body=body, path_params=_order_path(order_id))

    @api_call
    def get_item(self, order_item_id: str) -> Operation[OrderItem]:
        """Read one order item by its id; raises ``NotFoundError`` if there is none."""
        return Operation.of(
            "orders.get_item",
            unwrap("orderItem", OrderItem),
            path_params={"order_item_id": checked_id("orderItemId", order_item_id)},
        )

    @api_call
    def update_item(
        self, order_id: str, order_item_id: str, changes: UpdateOrderItem | Mapping[str, Any]
    ) -> Operation[OrderItem]:
        """Change one item of an order; returns the updated ``OrderItem``."""
        body = validated(UpdateOrderItem, changes, what="order item update").to_api()
        return Operation.of(
            "orders.update_item",
            unwrap("orderItem", OrderItem),
            body=body,
            path_params={**_order_path(order_id), "order_item_id": checked_id("orderItemId", order_item_id)},
        )

    @api_call
    def cancel(self, request: CancelOrder | Mapping[str, Any]) -> Operation[Order]:
        """Cancel a whole order, or only the given items and quantities; returns the ``Order`` after it.

        Never re-sent after a dropped connection (``OutcomeUnknownError``).
        """
        body = validated(CancelOrder, request, what="cancel request").to_api()
        return Operation.of("orders.cancel", _order, body=body)

    @api_call
    def customer_care_hold(self, order_id: str, reason: str | None = None) -> Operation[Order]:
        """Put an order on customer-care hold; returns the held ``Order``."""
        body = validated(CustomerCareHold, {"reason": reason}, what="customer care hold").to_api()
        return Operation.of("orders.customer_care_hold", _order, body=body, path_params=_order_path(order_id))

    @api_call
    def refund(self, request: AddRefund | Mapping[str, Any]) -> Operation[None]:
        """Record refunds of item prices or shipping (``POST /v1/orders/refund``, answered 204); returns None.

        The body is sent as given, ids included (the docs' own example uses placeholder ids).
        Never re-sent after a dropped connection: see ``OutcomeUnknownError``.
        """
        body = validated(AddRefund, request, what="refund request").to_api()
        return Operation.of("orders.refund", no_content, body=body)

    @api_call
    def submit_inbound(self, request: InboundOrder | Mapping[str, Any]) -> Operation[InboundOrderReceipt]:
        """Queue an order in your own format; returns the receipt, the outcome arrives by ``OrderCreation`` webhook."""
        body = validated(InboundOrder, request, what="inbound order").to_api()
        return Operation.of("orders.submit_inbound", bare(InboundOrderReceipt), body=body)

    # --- paged reads ------------------------------------------------------------------------

    @api_call
    def search_page(
        self, filters: OrderSearch | Mapping[str, Any] | None = None, *, page: int = 1, page_size: int = 100
    ) -> Operation[Page[Order]]:
        """One ``Page`` of the orders matching the filters."""
        query = validated(OrderSearch, filters, what="order search").to_query()
        return page_operation("orders.search", Order, page=page, page_size=page_size, query=query)

    @paged_read
    def search(
        self,
        filters: OrderSearch | Mapping[str, Any] | None = None,
        *,
        page_size: int = 100,
        max_items: int | None = None,
    ) -> PagedRead[Order]:
        """Every order matching the filters (at most ``max_items``), fetched lazily page by page."""
        checked = validated(OrderSearch, filters, what="order search")
        return every_page(OrdersApi.search_page, self, checked, page_size=page_size, max_items=max_items)

    @paged_read
    def search_records(
        self, filters: OrderSearch | Mapping[str, Any] | None = None
    ) -> PagedRead[dict[str, Any]]:
        """Every matching order as the API sent it (a plain dict), page by page: for exports."""
        query = validated(OrderSearch, filters, what="order search").to_query()
        return every_record("orders.search", query=query)

    @api_call
    def list_page(self, *, page: int = 1, page_size: int = 100) -> Operation[Page[Order]]:
        """One ``Page`` of all the merchant's orders."""
        return page_operation("orders.list", Order, page=page, page_size=page_size)

    @paged_read
    def list(self, *, page_size: int = 100, max_items: int | None = None) -> PagedRead[Order]:
        """Every order of the merchant (at most ``max_items``), fetched lazily page by page."""
        return every_page(OrdersApi.list_page, self, page_size=page_size, max_items=max_items)

    @api_call
    def audit_logs_page(
        self, order_id: str, *, page: int = 1, page_size: int = 100
    ) -> Operation[Page[AuditEvent]]:
        """One ``Page`` of an order's audit log."""
        return page_operation(
            "orders.audit_logs", AuditEvent, page=page, page_size=page_size, path_params=_order_path(order_id)
        )

    @paged_read
    def audit_logs(self, order_id: str, *, max_items: int | None = None) -> PagedRead[AuditEvent]:
        """Every ``AuditEvent`` of an order, page by page."""
        checked_id("orderId", order_id)
        return every_page(OrdersApi.audit_logs_page, self, order_id, max_items=max_items)

    @paged_read
    def audit_log_records(self, order_id: str) -> PagedRead[dict[str, Any]]:
        """An order's audit events as the API sent them, page by page: for exports."""
        return every_record("orders.audit_logs", path_params=_order_path(order_id))

    @api_call
    def item_audit_logs_page(
        self, order_id: str, order_item_id: str, *, page: int = 1, page_size: int = 100
    ) -> Operation[Page[AuditEvent]]:
        """One ``Page`` of an order item's audit log."""
        return page_operation(
            "orders.item_audit_logs",
            AuditEvent,
            page=page,
            page_size=page_size,
            path_params={**_order_path(order_id), "order_item_id": checked_id("orderItemId", order_item_id)},
        )

    @paged_read
    def item_audit_logs(
        self, order_id: str, order_item_id: str, *, max_items: int | None = None
    ) -> PagedRead[AuditEvent]:
        """Every ``AuditEvent`` of an order item, page by page."""
        checked_id("orderId", order_id)
        checked_id("orderItemId", order_item_id)
        return every_page(OrdersApi.item_audit_logs_page, self, order_id, order_item_id, max_items=max_items)


class Orders(OrdersApi, SyncGroup):
    """``client.orders`` of ``OrderMeshClient``."""


class AsyncOrders(OrdersApi, AsyncGroup):
    """``client.orders`` of ``AsyncOrderMeshClient``: the same methods, awaited."""
