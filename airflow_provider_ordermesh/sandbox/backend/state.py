"""What one sandboxed merchant account holds in memory: records, their indexes, clock, ids and audit log.

Records point at each other (an item at its order, a shipment at its order and at its items),
so the rules in ``orders.py`` and ``shipments.py`` walk objects instead of looking ids up. A
record keeps the validated request it was created from (``submitted``), with later updates
applied, so that what the client sent comes back unchanged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum
from random import Random
from typing import Any, Final, TypeVar

from pydantic import BaseModel

from airflow_provider_ordermesh.models.statuses import DEFAULT_SHIPMENT_STATUSES, OrderStatus
from airflow_provider_ordermesh.sandbox.backend.bodies.orders import CreateOrder, InboundOrder, OrderItem
from airflow_provider_ordermesh.sandbox.backend.bodies.shipments import PackageDetails
from airflow_provider_ordermesh.sandbox.backend.clock import VirtualClock
from airflow_provider_ordermesh.sandbox.backend.config import SandboxConfig
from airflow_provider_ordermesh.sandbox.backend.errors import FieldError, NotFound
from airflow_provider_ordermesh.sandbox.backend.facilities import Facility
from airflow_provider_ordermesh.sandbox.backend.ids import IdFactory

_CODES = DEFAULT_SHIPMENT_STATUSES


class ShipmentStatus(IntEnum):
    """Shipment status codes, taken by name from the provider's one status vocabulary."""

    UNASSIGNED = _CODES.code("Unassigned")
    ASSIGNED = _CODES.code("Assigned")
    ACCEPTED = _CODES.code("Accepted")
    IN_PRODUCTION = _CODES.code("InProduction")
    SHIPPED = _CODES.code("Shipped")
    DELIVERED = _CODES.code("Delivered")
    REJECTED = _CODES.code("Rejected")
    CANCELLED = _CODES.code("Cancelled")

    @property
    def label(self) -> str:
        return _CODES.name(self.value)


@dataclass(eq=False, slots=True)
class OrderRecord:
    id: str
    short_id: str
    safe_id: str
    submitted: CreateOrder
    created_at: datetime
    updated_at: datetime
    status: OrderStatus = OrderStatus.OPEN
    on_hold: bool = False
    items: list[ItemRecord] = field(default_factory=list)
    shipments: list[ShipmentRecord] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RefundRecord:
    """One refund recorded against an item's price or its shipping."""

    transaction_id: str
    is_shipping_refund: bool
    amount: float
    reason: str


@dataclass(eq=False, slots=True)
class ItemRecord:
    id: str
    short_id: str
    order: OrderRecord = field(repr=False)
    submitted: OrderItem
    created_at: datetime
    updated_at: datetime
    status: OrderStatus = OrderStatus.OPEN
    cancelled_quantity: int = 0
    processed_at: datetime | None = None
    cancelled_at: datetime | None = None
    refunds: list[RefundRecord] = field(default_factory=list)

    @property
    def quantity(self) -> int:
        return self.submitted.quantity

    @property
    def active_quantity(self) -> int:
        """Ordered and not cancelled."""
        return self.quantity - self.cancelled_quantity

    def quantity_in(self, statuses: Container[ShipmentStatus]) -> int:
        """How many of this item sit on shipments of these statuses."""
        return sum(s.lines.get(self, 0) for s in self.order.shipments if s.status in statuses)

    @property
    def unallocated_quantity(self) -> int:
        """Active quantity on no live shipment (after an unassign, a delete or a partial reroute)."""
        return self.active_quantity - self.quantity_in(LIVE_SHIPMENT_STATUSES)

    def refundable(self, shipping: bool) -> float:
        """What is left to refund of the price (``remainingPriceBalance``) or of the shipping."""
        if shipping:
            total = self.submitted.customer_shipping_price or 0.0
        elif self.submitted.customer_price is not None:
            total = self.submitted.customer_price * self.quantity
        else:
            total = self.submitted.customer_subtotal or 0.0
        refunded = sum(r.amount for r in self.refunds if r.is_shipping_refund == shipping)
        return round(total - refunded, 2)


@dataclass(eq=False, slots=True)
class ShipmentRecord:
    id: str
    short_id: str
    order: OrderRecord = field(repr=False)
    facility: Facility | None
    lines: dict[ItemRecord, int] = field(repr=False)
    created_at: datetime
    updated_at: datetime
    status: ShipmentStatus = ShipmentStatus.ASSIGNED
    will_reject: bool = False
    is_rejected_by_vendor: bool = False
    is_polling_stopped: bool = False
    shipping_method: str | None = None
    packages: list[PackageRecord] = field(default_factory=list)


LIVE_SHIPMENT_STATUSES: Final = frozenset(ShipmentStatus) - {ShipmentStatus.CANCELLED}


@dataclass(eq=False, slots=True)
class PackageRecord:
    id: str
    short_id: str
    shipment: ShipmentRecord = field(repr=False)
    details: PackageDetails
    packing_slip_id: str | None = None


@dataclass(eq=False, slots=True)
class PackingSlipRecord:
    id: str
    shipment: ShipmentRecord = field(repr=False)
    format: str
    content_type: str
    document: bytes = field(repr=False)
    created_at: datetime


@dataclass(eq=False, slots=True)
class NoteRecord:
    id: str
    text: str
    format: str
    resource_type: str
    resource_id: str
    created_by: str
    created_at: datetime
    updated_at: datetime


@dataclass(eq=False, slots=True)
class InboundRecord:
    """An order submitted in the merchant's own format, and what became of it."""

    request_id: str
    received_at: datetime
    submitted: InboundOrder
    order: OrderRecord | None = None
    errors: list[FieldError] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class AuditRecord:
    sequence: int
    """Position in the whole log; the event's id on the wire."""
    resource_type: str
    resource_id: str
    action: str
    description: str
    actor: str
    created_at: datetime
    old_value: str | None = None
    new_value: str | None = None


class AuditLog:
    """Every change, per resource, in the order it happened.

    Every change is audited, so ``revision`` (the number of events) moves whenever the state does.
    """

    def __init__(self, clock: VirtualClock) -> None:
        self._clock = clock
        self._events: dict[tuple[str, str], list[AuditRecord]] = {}
        self.revision = 0
        self.listeners: list[Callable[[AuditRecord], None]] = []
        """Called with each new record (the webhook hub listens here)."""

    def record(
        self,
        resource_type: str,
        resource_id: str,
        action: str,
        description: str,
        *,
        actor: str,
        old: str | None = None,
        new: str | None = None,
        at: datetime | None = None,
    ) -> None:
        self.revision += 1
        event = AuditRecord(
            sequence=self.revision,
            resource_type=resource_type,
            resource_id=resource_id,
            action=action,
            description=description,
            actor=actor,
            created_at=at or self._clock.now(),
            old_value=old,
            new_value=new,
        )
        self._events.setdefault((resource_type, resource_id), []).append(event)
        for listener in self.listeners:
            listener(event)

    def events(self, resource_type: str, resource_id: str) -> list[AuditRecord]:
        return self._events.get((resource_type, resource_id), [])


R = TypeVar("R")


class SandboxState:
    """The records of one merchant account and the means to make more: clock, ids, seeded chance."""

    def __init__(self, settings: SandboxConfig) -> None:
        self.settings = settings
        self.clock = VirtualClock(settings.speed)
        self.ids = IdFactory(Random(f"{settings.seed}:ids"))
        self.chance = Random(f"{settings.seed}:lifecycle")
        self.audit = AuditLog(self.clock)
        self.orders: dict[str, OrderRecord] = {}
        self.orders_by_safe_id: dict[str, OrderRecord] = {}
        self.items: dict[str, ItemRecord] = {}
        self.shipments: dict[str, ShipmentRecord] = {}
        self.packages: dict[str, PackageRecord] = {}
        self.packing_slips: dict[str, PackingSlipRecord] = {}
        self.notes: dict[str, NoteRecord] = {}
        self.inbound: list[InboundRecord] = []
        self.shipments_by_status: Counter[ShipmentStatus] = Counter()
        self.duplicate_safe_id_attempts = 0
        self._last_search: tuple[str, int, list[Any]] | None = None

    def select(self, query: BaseModel, records: Iterable[R], tests: Sequence[Callable[[R], bool]]) -> list[R]:
        """The records that pass every test, in creation order.

        Until the state changes, the same query (the next page of a search) reuses the last
        answer, so paging through 50,000 filtered orders costs one scan, not one per page.
        """
        key = f"{type(query).__name__}:{query.model_dump_json()}"
        if self._last_search is not None and self._last_search[:2] == (key, self.audit.revision):
            return self._last_search[2]
        matches = [record for record in records if all(test(record) for test in tests)]
        self._last_search = (key, self.audit.revision, matches)
        return matches

    def order(self, order_id: str) -> OrderRecord:
        return _lookup(self.orders, order_id, "order")

    def item(self, item_id: str) -> ItemRecord:
        return _lookup(self.items, item_id, "order item")

    def shipment(self, shipment_id: str) -> ShipmentRecord:
        return _lookup(self.shipments, shipment_id, "shipment")

    def package(self, package_id: str) -> PackageRecord:
        return _lookup(self.packages, package_id, "package")

    def packing_slip(self, slip_id: str) -> PackingSlipRecord:
        return _lookup(self.packing_slips, slip_id, "packing slip")

    def note(self, note_id: str) -> NoteRecord:
        return _lookup(self.notes, note_id, "note")


def _lookup(table: dict[str, R], key: str, what: str) -> R:
    try:
        return table[key]
    except KeyError:
        raise NotFound(f"{what} {key!r} not found") from None
