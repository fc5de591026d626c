"""How statuses move: the facility's automatic steps, what each shipment status allows, and how
item and order statuses follow from the shipments that carry them.

A shipment walks ``Assigned -> Accepted -> InProduction -> Shipped -> Delivered``, one step per
``step_seconds`` of virtual time, unless its facility rejects it (decided when it was routed)
or someone cancels, holds, reroutes or unassigns it. An action from a status that does not
allow it is a 409.
"""

from __future__ import annotations

import itertools
from datetime import datetime
from enum import StrEnum
from typing import Final

from airflow_provider_ordermesh.models.statuses import OrderStatus
from airflow_provider_ordermesh.sandbox.backend.errors import Conflict
from airflow_provider_ordermesh.sandbox.backend.state import (
    ItemRecord,
    OrderRecord,
    SandboxState,
    ShipmentRecord,
    ShipmentStatus,
)

S = ShipmentStatus

HAPPY_PATH: Final = (S.ASSIGNED, S.ACCEPTED, S.IN_PRODUCTION, S.SHIPPED, S.DELIVERED)
NEXT_STEP: Final = dict(itertools.pairwise(HAPPY_PATH))
"""The facility's next automatic step from each status that has one."""

SHIPPED_STATUSES: Final = frozenset({S.SHIPPED, S.DELIVERED})


class ShipmentAction(StrEnum):
    """Things done to a shipment; the value reads in an error message ("cannot reroute ...")."""

    REROUTE = "reroute"
    REJECT = "reject"
    ASSIGN = "assign"
    UNASSIGN = "unassign items from"
    RESUBMIT = "resubmit"
    CANCEL = "cancel"
    DELETE = "delete"
    PACK = "add packages to"
    RETRY_POLLING = "retry polling for"
    PACKING_SLIP = "generate a packing slip for"


_BEFORE_PRODUCTION: Final = frozenset({S.UNASSIGNED, S.ASSIGNED, S.ACCEPTED, S.REJECTED})

ALLOWED_FROM: Final[dict[ShipmentAction, frozenset[ShipmentStatus]]] = {
    ShipmentAction.REROUTE: _BEFORE_PRODUCTION,
    ShipmentAction.REJECT: frozenset({S.ASSIGNED, S.ACCEPTED}),
    ShipmentAction.ASSIGN: frozenset({S.UNASSIGNED, S.REJECTED}),
    ShipmentAction.UNASSIGN: frozenset({S.ASSIGNED, S.ACCEPTED, S.REJECTED}),
    ShipmentAction.RESUBMIT: frozenset({S.ASSIGNED, S.REJECTED}),
    ShipmentAction.CANCEL: _BEFORE_PRODUCTION | {S.IN_PRODUCTION},
    ShipmentAction.DELETE: _BEFORE_PRODUCTION | {S.CANCELLED},
    ShipmentAction.PACK: frozenset({S.ASSIGNED, S.ACCEPTED, S.IN_PRODUCTION, S.SHIPPED, S.DELIVERED}),
    ShipmentAction.RETRY_POLLING: frozenset(S) - {S.DELIVERED, S.CANCELLED},
    ShipmentAction.PACKING_SLIP: frozenset(S) - {S.CANCELLED},
}
"""The shipment statuses each action may start from."""


def require(action: ShipmentAction, shipment: ShipmentRecord) -> None:
    """A 409 unless ``shipment``'s status allows ``action``."""
    if shipment.status not in ALLOWED_FROM[action]:
        raise Conflict(f"cannot {action} shipment {shipment.id}: it is {shipment.status.label}")


def facility_step(shipment: ShipmentRecord) -> ShipmentStatus:
    """What the facility does next: accept (or reject, if it decided to), produce, ship, deliver."""
    if shipment.status is S.ASSIGNED and shipment.will_reject:
        return S.REJECTED
    return NEXT_STEP[shipment.status]


def can_reach(status: ShipmentStatus, goal: ShipmentStatus) -> bool:
    """True when ``goal`` lies ahead of ``status`` on the happy path."""
    return status in HAPPY_PATH and goal in HAPPY_PATH and HAPPY_PATH.index(goal) > HAPPY_PATH.index(status)


def item_status(item: ItemRecord) -> OrderStatus:
    active = item.active_quantity
    if active == 0:
        return OrderStatus.CANCELLED
    shipped = item.quantity_in(SHIPPED_STATUSES)
    if shipped >= active:
        return OrderStatus.FULFILLED
    if shipped:
        return OrderStatus.PARTIALLY_FULFILLED
    if item.quantity_in({S.IN_PRODUCTION}):
        return OrderStatus.IN_PRODUCTION
    return OrderStatus.OPEN


def order_status(order: OrderRecord) -> OrderStatus:
    live = [item.status for item in order.items if item.status is not OrderStatus.CANCELLED]
    if not live:
        return OrderStatus.CANCELLED
    if order.on_hold:
        return OrderStatus.CUSTOMER_CARE_HOLD
    if all(status is OrderStatus.FULFILLED for status in live):
        return OrderStatus.FULFILLED
    if any(status in (OrderStatus.FULFILLED, OrderStatus.PARTIALLY_FULFILLED) for status in live):
        return OrderStatus.PARTIALLY_FULFILLED
    if OrderStatus.IN_PRODUCTION in live:
        return OrderStatus.IN_PRODUCTION
    return OrderStatus.OPEN


def refresh_statuses(state: SandboxState, order: OrderRecord, at: datetime, actor: str) -> None:
    """Bring the statuses of ``order`` and its items in line with its shipments, auditing each change."""
    for item in order.items:
        status = item_status(item)
        if status is not item.status:
            state.audit.record(
                "OrderItem",
                item.id,
                "StatusChanged",
                f"item is now {status}",
                actor=actor,
                old=item.status,
                new=status,
                at=at,
            )
            item.status, item.updated_at = status, at
            if status is OrderStatus.CANCELLED:
                item.cancelled_at = at
            elif status is not OrderStatus.OPEN and item.processed_at is None:
                item.processed_at = at
    status = order_status(order)
    if status is not order.status:
        state.audit.record(
            "Order",
            order.id,
            "StatusChanged",
            f"order is now {status}",
            actor=actor,
            old=order.status,
            new=status,
            at=at,
        )
        order.status = status
    order.updated_at = at
