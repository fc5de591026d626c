"""Order and order-item verbs: create (idempotent on ``safeId``), read, search, update, cancel,
customer-care hold, refunds and inbound submissions.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Final

from pydantic import AfterValidator, BaseModel

from airflow_provider_ordermesh.models.statuses import DEFAULT_ORDER_STATUSES, OrderStatus
from airflow_provider_ordermesh.sandbox.backend.bodies.fields import Id, Text
from airflow_provider_ordermesh.sandbox.backend.bodies.orders import (
    AddRefund,
    CancelOrder,
    CreateOrder,
    CustomerCareHold,
    InboundOrder,
    UpdateOrder,
    UpdateOrderItem,
)
from airflow_provider_ordermesh.sandbox.backend.errors import (
    Conflict,
    FieldError,
    NotFound,
    SandboxError,
    ValidationFailed,
)
from airflow_provider_ordermesh.sandbox.backend.filters import Filter, Filters, Ids, Match, Moment, Texts
from airflow_provider_ordermesh.sandbox.backend.lifecycle import refresh_statuses
from airflow_provider_ordermesh.sandbox.backend.shipments import ShipmentsBackend
from airflow_provider_ordermesh.sandbox.backend.state import (
    AuditRecord,
    InboundRecord,
    ItemRecord,
    OrderRecord,
    RefundRecord,
    SandboxState,
)
from airflow_provider_ordermesh.sandbox.backend.validation import parse
from airflow_provider_ordermesh.sandbox.backend.webhooks import INBOUND_FAILED

_FINISHED = (OrderStatus.CANCELLED, OrderStatus.FULFILLED)


def _canonical(statuses: list[str]) -> list[str]:
    return sorted(DEFAULT_ORDER_STATUSES.normalise_all(statuses))


Statuses = Annotated[list[str], AfterValidator(_canonical)]
"""Order or item statuses, any case (``open``), read as their canonical names; an unknown one names ``status``."""

ORDER_FILTERS: Final = Filters[OrderRecord](
    "OrderSearch",
    Filter("ids", Ids, lambda o: o.id, Match.ONE_OF),
    Filter("safeIds", Texts, lambda o: o.safe_id, Match.ONE_OF),
    Filter("status", Statuses, lambda o: o.status, Match.ONE_OF),
    Filter("safeId", Text, lambda o: o.safe_id),
    Filter("externalId", Text, lambda o: o.submitted.external_id),
    Filter("isTest", bool, lambda o: o.submitted.is_test, Match.FLAG),
    Filter("createdFrom", Moment, lambda o: o.created_at, Match.SINCE),
    Filter("createdTo", Moment, lambda o: o.created_at, Match.UNTIL),
    Filter("updatedSince", Moment, lambda o: o.updated_at, Match.SINCE),
    Filter("updatedBefore", Moment, lambda o: o.updated_at, Match.BEFORE),
)
"""``GET /v1/orders/search`` (parameter names reconstructed, as in the client)."""

ITEM_FILTERS: Final = Filters[ItemRecord](
    "OrderItemSearch",
    Filter("ids", Ids, lambda i: i.id, Match.ONE_OF),
    Filter("orderId", Id, lambda i: i.order.id),
    Filter("status", Statuses, lambda i: i.status, Match.ONE_OF),
    Filter("sku", Text, lambda i: i.submitted.sku),
    Filter("updatedSince", Moment, lambda i: i.updated_at, Match.SINCE),
    Filter("updatedBefore", Moment, lambda i: i.updated_at, Match.BEFORE),
)
"""``GET /v1/orderItems/search``."""


class OrdersBackend:
    """Orders and their items; their shipments are opened and cancelled through ``shipments``."""

    def __init__(self, state: SandboxState, shipments: ShipmentsBackend) -> None:
        self._state = state
        self._shipments = shipments

    # --- Create and read ---------------------------------------------------------------------

    def create(self, request: CreateOrder, *, actor: str) -> OrderRecord:
        """A new order, routed to facilities at once; a ``safeId`` already used is a 409 and is counted."""
        state = self._state
        safe_id = request.safe_id or f"sandbox-{state.ids.token(16)}"
        existing = state.orders_by_safe_id.get(safe_id)
        if existing is not None:
            state.duplicate_safe_id_attempts += 1
            raise Conflict(f"an order with safeId {safe_id!r} already exists (order {existing.id})")
        now = state.clock.now()
        order = OrderRecord(
            id=state.ids.hex24(),
            short_id=state.ids.short("O", 8),
            safe_id=safe_id,
            submitted=request,
            created_at=now,
            updated_at=now,
        )
        order.items = [
            ItemRecord(
                id=state.ids.hex24(),
                short_id=state.ids.short("I", 8),
                order=order,
                submitted=item,
                created_at=now,
                updated_at=now,
            )
            for item in request.items
        ]
        state.orders[order.id] = order
        state.orders_by_safe_id[safe_id] = order
        state.audit.record(
            "Order", order.id, "Created", f"order {order.short_id} created with safeId {safe_id}", actor=actor
        )
        for item in order.items:
            state.items[item.id] = item
            state.audit.record(
                "OrderItem", item.id, "Created", f"{item.quantity} x {item.submitted.sku}", actor=actor
            )
        self._shipments.route(order, actor=actor)
        return order

    def get(self, order_id: str) -> OrderRecord:
        return self._state.order(order_id)

    def get_by_safe_id(self, safe_id: str) -> OrderRecord:
        try:
            return self._state.orders_by_safe_id[safe_id]
        except KeyError:
            raise NotFound(f"order with safeId {safe_id!r} not found") from None

    def get_many(self, order_ids: Iterable[str]) -> list[OrderRecord]:
        """The known orders among ``order_ids``, in the order asked, each once."""
        orders = self._state.orders
        return [orders[order_id] for order_id in dict.fromkeys(order_ids) if order_id in orders]

    def all(self) -> list[OrderRecord]:
        return list(self._state.orders.values())

    def search(self, query: BaseModel) -> list[OrderRecord]:
        """The orders matching ``query``, an ``ORDER_FILTERS.query``."""
        return self._state.select(query, self._state.orders.values(), ORDER_FILTERS.tests(query))

    def get_item(self, item_id: str) -> ItemRecord:
        return self._state.item(item_id)

    def search_items(self, query: BaseModel) -> list[ItemRecord]:
        """The items matching ``query``, an ``ITEM_FILTERS.query``; ``orderId`` narrows the scan to one order."""
        records: Iterable[ItemRecord] = self._state.items.values()
        order_id = getattr(query, "orderId", None)
        if order_id is not None:
            order = self._state.orders.get(order_id)
            records = order.items if order else []
        return self._state.select(query, records, ITEM_FILTERS.tests(query))

    def audit_logs(self, order_id: str) -> list[AuditRecord]:
        return self._state.audit.events("Order", self._state.order(order_id).id)

    def item_audit_logs(self, order_id: str, item_id: str) -> list[AuditRecord]:
        return self._state.audit.events("OrderItem", _item_of(self._state.order(order_id), item_id).id)

    # --- Change ------------------------------------------------------------------------------

    def update(self, order_id: str, changes: UpdateOrder, *, actor: str) -> OrderRecord:
        order = self._state.order(order_id)
        if order.status in _FINISHED:
            raise Conflict(f"order {order.id} is {order.status} and can no longer change")
        fields = {name: getattr(changes, name) for name in changes.model_fields_set - {"id"}}
        order.submitted = order.submitted.model_copy(update=fields)
        self._changed(order, "Updated", f"changed {', '.join(sorted(fields))}", actor=actor)
        return order

    def update_item(self, order_id: str, item_id: str, changes: UpdateOrderItem, *, actor: str) -> ItemRecord:
        """Change an item that is still Open; a new quantity applies to the one shipment carrying it."""
        order = self._state.order(order_id)
        item = _item_of(order, item_id)
        if item.status is not OrderStatus.OPEN:
            raise Conflict(f"order item {item.id} is {item.status}; only Open items can change")
        fields = {name: getattr(changes, name) for name in changes.model_fields_set}
        if "quantity" in fields:
            self._shipments.resize(item, fields["quantity"], actor=actor)
        item.submitted = item.submitted.model_copy(update=fields)
        item.updated_at = self._state.clock.now()
        self._state.audit.record(
            "OrderItem", item.id, "Updated", f"changed {', '.join(sorted(fields))}", actor=actor
        )
        self._changed(order, "ItemUpdated", f"item {item.short_id} updated", actor=actor)
        return item

    def cancel(self, request: CancelOrder, *, actor: str) -> OrderRecord:
        """Cancel the whole order, or the given quantities of some items; shipped quantities stay shipped."""
        order = self._state.order(request.order_id)
        if order.status is OrderStatus.CANCELLED:
            raise Conflict(f"order {order.id} is already cancelled")
        if request.items is None:
            wanted = {item: self._shipments.cancellable_quantity(item) for item in order.items}
            if not any(wanted.values()):
                raise Conflict(f"nothing of order {order.id} can be cancelled: every item has shipped")
        else:
            wanted = self._cancellation(order, request)
        for item, quantity in wanted.items():
            if quantity:
                self._shipments.cancel_quantity(item, quantity, actor=actor, reason=request.reason)
        units = sum(wanted.values())
        self._changed(
            order,
            "Cancelled" if request.items is None else "ItemsCancelled",
            f"{units} units cancelled" + (f": {request.reason}" if request.reason else ""),
            actor=actor,
        )
        return order

    def hold(self, order_id: str, request: CustomerCareHold, *, actor: str) -> OrderRecord:
        """Put an order on customer-care hold, pausing its shipments; holding a held order changes nothing."""
        order = self._state.order(order_id)
        if order.on_hold:
            return order
        if order.status in _FINISHED:
            raise Conflict(f"order {order.id} is {order.status} and cannot be put on hold")
        order.on_hold = True
        self._shipments.pause(order)
        self._changed(order, "CustomerCareHold", request.reason or "put on customer-care hold", actor=actor)
        return order

    def refund(self, request: AddRefund, *, actor: str) -> None:
        """Record refunds against item balances; any refund above what is left rejects the whole request."""
        order = self._state.order(request.order_id)
        items = {item.id: item for item in order.items}
        left: dict[tuple[str, bool], float] = {}
        errors = []
        for index, refund in enumerate(request.refunds):
            item = items.get(refund.item_id)
            if item is None:
                errors.append(
                    FieldError(
                        f"refunds.{index}.itemId", f"item {refund.item_id} is not part of order {order.id}"
                    )
                )
                continue
            key = (item.id, refund.is_shipping_refund)
            balance = left.setdefault(key, item.refundable(shipping=refund.is_shipping_refund))
            if refund.amount > balance:
                kind = "shipping" if refund.is_shipping_refund else "price"
                errors.append(
                    FieldError(
                        f"refunds.{index}.amount",
                        f"{refund.amount:g} exceeds the remaining {kind} balance {balance:g} "
                        f"of item {item.id}",
                    )
                )
            left[key] = round(balance - refund.amount, 2)
        if errors:
            raise ValidationFailed("the refunds do not fit the items they name", errors)
        for refund in request.refunds:
            item = items[refund.item_id]
            item.refunds.append(
                RefundRecord(
                    transaction_id=self._state.ids.token(12),
                    is_shipping_refund=refund.is_shipping_refund,
                    amount=refund.amount,
                    reason=refund.reason,
                )
            )
            item.updated_at = self._state.clock.now()
            self._state.audit.record(
                "OrderItem", item.id, "Refunded", f"{refund.amount:g} refunded: {refund.reason}", actor=actor
            )
        self._changed(order, "Refunded", f"{len(request.refunds)} refunds recorded", actor=actor)

    def submit_inbound(self, request: InboundOrder, *, actor: str) -> InboundRecord:
        """Receive an order in the merchant's own format.

        The sandbox's one Transformation is the identity: a ``body`` that is a valid create-order
        request becomes an order; anything else is kept with the errors that stopped it.
        """
        record = InboundRecord(
            request_id=self._state.ids.uuid(), received_at=self._state.clock.now(), submitted=request
        )
        self._state.inbound.append(record)
        try:
            record.order = self.create(
                parse(CreateOrder, request.body, where="inbound order body"), actor=actor
            )
        except SandboxError as exc:
            record.errors = exc.errors or [FieldError(None, exc.message)]
            self._state.audit.record(
                "InboundOrder", record.request_id, INBOUND_FAILED, "order could not be created", actor=actor
            )
        return record

    # --- Helpers ------------------------------------------------------------------------------

    def _cancellation(self, order: OrderRecord, request: CancelOrder) -> dict[ItemRecord, int]:
        """How much of each item ``request.items`` cancels, checked against what can still be cancelled."""
        items = {item.id: item for item in order.items}
        wanted: dict[ItemRecord, int] = {}
        unknown, too_many = [], []
        for index, entry in enumerate(request.items or []):
            item = items.get(entry.item_id)
            if item is None:
                unknown.append(
                    FieldError(
                        f"items.{index}.itemId", f"item {entry.item_id} is not part of order {order.id}"
                    )
                )
                continue
            cancellable = self._shipments.cancellable_quantity(item)
            wanted[item] = wanted.get(item, 0) + (entry.quantity or cancellable)
            if not cancellable or wanted[item] > cancellable:
                too_many.append(
                    FieldError(
                        f"items.{index}.quantity",
                        f"only {cancellable} of item {item.id} can still be cancelled",
                    )
                )
        if unknown:
            raise ValidationFailed("the items to cancel are not part of the order", unknown)
        if too_many:
            raise Conflict("those quantities can no longer be cancelled", too_many)
        return wanted

    def _changed(self, order: OrderRecord, action: str, description: str, *, actor: str) -> None:
        now = self._state.clock.now()
        self._state.audit.record("Order", order.id, action, description, actor=actor, at=now)
        refresh_statuses(self._state, order, now, actor)


def _item_of(order: OrderRecord, item_id: str) -> ItemRecord:
    for item in order.items:
        if item.id == item_id:
            return item
    raise NotFound(f"order item {item_id!r} not found in order {order.id}")
