"""Shipment verbs: routing new orders, the facility lifecycle on the virtual clock, the actions a
merchant or facility takes, packages and packing slips.

Every status change goes through ``_move``, which keeps the per-status counts, creates the
package of a shipment that ships, audits the change, schedules the facility's next step and
brings the order's statuses up to date.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Final

from pydantic import BaseModel, BeforeValidator

from airflow_provider_ordermesh.models.statuses import DEFAULT_SHIPMENT_STATUSES, OrderStatus
from airflow_provider_ordermesh.sandbox.backend.bodies.fields import Text
from airflow_provider_ordermesh.sandbox.backend.bodies.shipments import (
    Assign,
    CancelShipment,
    CreatePackages,
    CreateShipment,
    GeneratePackingSlip,
    ItemQuantity,
    PackageDetails,
    Reject,
    Reroute,
    UnassignItems,
    UpdatePackage,
    UpdateShipment,
)
from airflow_provider_ordermesh.sandbox.backend.clock import Schedule, iso
from airflow_provider_ordermesh.sandbox.backend.documents import render_packing_slip
from airflow_provider_ordermesh.sandbox.backend.errors import Conflict, FieldError, NotFound, ValidationFailed
from airflow_provider_ordermesh.sandbox.backend.facilities import Facility, facility, facility_for_sku
from airflow_provider_ordermesh.sandbox.backend.filters import Filter, Filters, Ids, Match, Moment
from airflow_provider_ordermesh.sandbox.backend.lifecycle import (
    ALLOWED_FROM,
    HAPPY_PATH,
    NEXT_STEP,
    SHIPPED_STATUSES,
    ShipmentAction,
    can_reach,
    facility_step,
    refresh_statuses,
    require,
)
from airflow_provider_ordermesh.sandbox.backend.state import (
    AuditRecord,
    ItemRecord,
    OrderRecord,
    PackageRecord,
    PackingSlipRecord,
    SandboxState,
    ShipmentRecord,
    ShipmentStatus,
)

S = ShipmentStatus
_CANCELLABLE = ALLOWED_FROM[ShipmentAction.CANCEL]


def _status_code(status: Any) -> Any:
    """A shipment status given by code or by name (``4`` or ``Shipped``), as its code."""
    return DEFAULT_SHIPMENT_STATUSES.code(status) if isinstance(status, str) else status


SHIPMENT_FILTERS: Final = Filters[ShipmentRecord](
    "ShipmentSearch",
    Filter("ids", Ids, lambda s: s.id, Match.ONE_OF),
    Filter("orderIds", Ids, lambda s: s.order.id, Match.ONE_OF),
    Filter("status", list[Annotated[int, BeforeValidator(_status_code)]], lambda s: s.status, Match.ONE_OF),
    Filter("facilityId", Text, lambda s: s.facility.id if s.facility else None),
    Filter("updatedSince", Moment, lambda s: s.updated_at, Match.SINCE),
    Filter("updatedBefore", Moment, lambda s: s.updated_at, Match.BEFORE),
)
"""``GET /shipment/v1/search`` (parameter names reconstructed, as in the client)."""


@dataclass(frozen=True)
class RerouteOutcome:
    """Where a reroute left things: the shipment asked about, its target, and any shipment split off."""

    shipment: ShipmentRecord
    facility: Facility
    new_shipments: list[ShipmentRecord]


class ShipmentsBackend:
    """Shipments of one sandbox state, and the schedule of their facilities' next steps."""

    def __init__(self, state: SandboxState) -> None:
        self._state = state
        self._schedule = Schedule()

    # --- Routing and the facility lifecycle ---------------------------------------------------

    def route(self, order: OrderRecord, *, actor: str) -> None:
        """Open one shipment per facility the order's SKUs map to; each may be rejected at acceptance."""
        groups: dict[Facility, dict[ItemRecord, int]] = {}
        for item in order.items:
            groups.setdefault(facility_for_sku(item.submitted.sku), {})[item] = item.quantity
        for target, lines in groups.items():
            will_reject = self._state.chance.random() < self._state.settings.reject_rate
            self._open(order, target, lines, will_reject=will_reject, actor=actor)

    def catch_up(self) -> None:
        """Apply every facility step that fell due on the virtual clock, each at its own due time."""
        for due, shipment_id in self._schedule.pop_due(self._state.clock.elapsed()):
            shipment = self._state.shipments[shipment_id]
            self._facility_reports(shipment, facility_step(shipment), at=due)

    def pause(self, order: OrderRecord) -> None:
        """Stop the automatic steps of an order's shipments (customer-care hold)."""
        for shipment in order.shipments:
            self._schedule.cancel(shipment.id)

    def force_advance(
        self, shipment_ids: Sequence[str] | None, to_status: ShipmentStatus | None
    ) -> list[ShipmentRecord]:
        """Make facilities report progress now: one step, or on to ``to_status``; no rejections.

        Without ids, every shipment that can make that progress does; with ids, each must be able to.
        """
        if to_status is not None and to_status not in HAPPY_PATH[1:]:
            later = ", ".join(f"{status.value} ({status.label})" for status in HAPPY_PATH[1:])
            raise ValidationFailed(
                "toStatus is not a step a facility reports",
                [FieldError("toStatus", f"choose one of {later}")],
            )

        def goal(shipment: ShipmentRecord) -> ShipmentStatus | None:
            return to_status if to_status is not None else NEXT_STEP.get(shipment.status)

        if shipment_ids is None:
            candidates: Iterable[ShipmentRecord] = self._state.shipments.values()
        else:
            candidates = [self._state.shipment(shipment_id) for shipment_id in shipment_ids]
        plan: list[tuple[ShipmentRecord, ShipmentStatus]] = []
        for shipment in candidates:
            target = goal(shipment)
            if target is not None and can_reach(shipment.status, target):
                plan.append((shipment, target))
            elif shipment_ids is not None:
                aim = target.label if target else "a later status"
                raise Conflict(
                    f"shipment {shipment.id} is {shipment.status.label}; it cannot advance to {aim}"
                )
        for shipment, target in plan:
            while shipment.status is not target:
                self._facility_reports(shipment, NEXT_STEP[shipment.status])
        return [shipment for shipment, _ in plan]

    def force_reject(self, shipment_ids: Sequence[str]) -> list[ShipmentRecord]:
        """Make the facilities of these shipments reject them now."""
        shipments = [self._state.shipment(shipment_id) for shipment_id in shipment_ids]
        for shipment in shipments:
            require(ShipmentAction.REJECT, shipment)
        for shipment in shipments:
            self._facility_reports(shipment, S.REJECTED)
        return shipments

    # --- Reads -------------------------------------------------------------------------------

    def get(self, shipment_id: str) -> ShipmentRecord:
        return self._state.shipment(shipment_id)

    def for_order(self, order_id: str) -> list[ShipmentRecord]:
        return list(self._state.order(order_id).shipments)

    def for_order_and_vendor(self, order_id: str, vendor_id: str) -> ShipmentRecord:
        for shipment in self._state.order(order_id).shipments:
            if shipment.facility is not None and shipment.facility.vendor_id == vendor_id:
                return shipment
        raise NotFound(f"order {order_id!r} has no shipment for vendor {vendor_id!r}")

    def for_order_item(self, item_id: str) -> ShipmentRecord:
        item = self._state.item(item_id)
        carrying = [s for s in item.order.shipments if item in s.lines]
        if not carrying:
            raise NotFound(f"order item {item_id!r} is on no shipment")
        live = [s for s in carrying if s.status is not S.CANCELLED]
        return (live or carrying)[0]

    def search(self, query: BaseModel) -> list[ShipmentRecord]:
        """The shipments matching ``query``, a ``SHIPMENT_FILTERS.query``."""
        return self._state.select(query, self._state.shipments.values(), SHIPMENT_FILTERS.tests(query))

    def audit_logs(self, shipment_id: str) -> list[AuditRecord]:
        return self._state.audit.events("Shipment", self._state.shipment(shipment_id).id)

    def message_audit_logs(self, shipment_id: str) -> list[AuditRecord]:
        return self._state.audit.events("ShipmentMessage", self._state.shipment(shipment_id).id)

    def package_audit_logs(self, package_id: str) -> list[AuditRecord]:
        return self._state.audit.events("Package", self._state.package(package_id).id)

    # --- Merchant and facility actions ---------------------------------------------------------

    def create(self, request: CreateShipment, *, actor: str) -> ShipmentRecord:
        """A shipment for chosen quantities of an order's items that no shipment carries yet."""
        order = self._state.order(request.order_id)
        target = facility(request.facility_id)
        _check_vendor(target, request.vendor_id)
        if order.status is OrderStatus.CANCELLED:
            raise Conflict(f"order {order.id} is cancelled")
        items = {item.id: item for item in order.items}
        lines: dict[ItemRecord, int] = {}
        errors = []
        for index, entry in enumerate(request.order_items):
            item = items.get(entry.id)
            if item is None:
                errors.append(
                    FieldError(f"orderItems.{index}.id", f"item {entry.id} is not part of order {order.id}")
                )
                continue
            lines[item] = lines.get(item, 0) + entry.quantity
            if lines[item] > item.unallocated_quantity:
                errors.append(
                    FieldError(
                        f"orderItems.{index}.quantity",
                        f"only {item.unallocated_quantity} of item {item.id} are on no shipment",
                    )
                )
        if errors:
            raise ValidationFailed("the shipment's items are invalid", errors)
        return self._open(order, target, lines, actor=actor)

    def update(self, shipment_id: str, changes: UpdateShipment, *, actor: str) -> ShipmentRecord:
        shipment = self._state.shipment(shipment_id)
        if "shipping_method" in changes.model_fields_set:
            shipment.shipping_method = changes.shipping_method
        if changes.is_polling_stopped is not None:
            shipment.is_polling_stopped = changes.is_polling_stopped
        self._changed(shipment, "Updated", "shipment details updated", actor=actor)
        return shipment

    def delete(self, shipment_id: str, *, actor: str) -> None:
        """Remove a shipment that has not gone into production, with its packages."""
        shipment = self._state.shipment(shipment_id)
        require(ShipmentAction.DELETE, shipment)
        del self._state.shipments[shipment.id]
        for package in shipment.packages:
            del self._state.packages[package.id]
        shipment.order.shipments.remove(shipment)
        self._state.shipments_by_status[shipment.status] -= 1
        self._schedule.cancel(shipment.id)
        self._audit(shipment, "Deleted", "shipment and its packages deleted", actor=actor)
        refresh_statuses(self._state, shipment.order, self._state.clock.now(), actor)

    def reroute(self, request: Reroute, *, actor: str) -> RerouteOutcome:
        """Move a whole shipment to another facility, or split the given item quantities off to it."""
        shipment = self._state.shipment(request.shipment_id)
        target = facility(request.facility_id)
        require(ShipmentAction.REROUTE, shipment)
        moving = self._split_off(shipment, request.order_items)
        reason = f"rerouted to {target.name}: {request.reason}"
        if moving is None:
            self._assign(shipment, target, actor=actor, reason=reason)
            return RerouteOutcome(shipment, target, [])
        self._changed(shipment, "ItemsRerouted", reason, actor=actor)
        return RerouteOutcome(shipment, target, [self._open(shipment.order, target, moving, actor=actor)])

    def reject(self, shipment_id: str, request: Reject, *, actor: str) -> ShipmentRecord:
        shipment = self._state.shipment(shipment_id)
        require(ShipmentAction.REJECT, shipment)
        self._move(shipment, S.REJECTED, actor=actor, reason=request.reason)
        return shipment

    def assign(self, shipment_id: str, request: Assign, *, actor: str) -> ShipmentRecord:
        shipment = self._state.shipment(shipment_id)
        target = facility(request.facility_id)
        require(ShipmentAction.ASSIGN, shipment)
        _check_vendor(target, request.vendor_id)
        self._assign(shipment, target, actor=actor)
        return shipment

    def unassign(self, shipment_id: str, request: UnassignItems, *, actor: str) -> ShipmentRecord:
        """Take item quantities off a shipment: all of them unassigns it, some split them off unassigned."""
        shipment = self._state.shipment(shipment_id)
        require(ShipmentAction.UNASSIGN, shipment)
        moving = self._split_off(shipment, request.order_items)
        if moving is None:
            shipment.facility = None
            self._move(shipment, S.UNASSIGNED, actor=actor, reason=request.reason)
        else:
            self._changed(shipment, "ItemsUnassigned", request.reason or "items unassigned", actor=actor)
            self._open(shipment.order, None, moving, actor=actor)
        return shipment

    def resubmit(self, shipment_id: str, *, actor: str) -> ShipmentRecord:
        """Send the shipment to its facility again; a resubmitted shipment is not rejected again."""
        shipment = self._state.shipment(shipment_id)
        require(ShipmentAction.RESUBMIT, shipment)
        assert shipment.facility is not None, "assigned and rejected shipments always have a facility"
        self._assign(shipment, shipment.facility, actor=actor, reason="resubmitted")
        return shipment

    def retry_polling(self, shipment_id: str, *, actor: str) -> ShipmentRecord:
        shipment = self._state.shipment(shipment_id)
        require(ShipmentAction.RETRY_POLLING, shipment)
        shipment.is_polling_stopped = False
        self._message(shipment, "OutboundShipmentUpdate", "outbound polling restarted", actor=actor)
        self._changed(shipment, "PollingRetried", "outbound polling restarted", actor=actor)
        return shipment

    def cancel(self, shipment_id: str, request: CancelShipment, *, actor: str) -> ShipmentRecord:
        """Cancel a shipment before it ships; the item quantities it carries are cancelled with it."""
        shipment = self._state.shipment(shipment_id)
        require(ShipmentAction.CANCEL, shipment)
        self._cancel(shipment, actor=actor, reason=request.reason)
        return shipment

    def cancellable_quantity(self, item: ItemRecord) -> int:
        """How much of an item can still be cancelled: what no shipment carries or has not shipped."""
        return item.unallocated_quantity + item.quantity_in(_CANCELLABLE)

    def cancel_quantity(self, item: ItemRecord, quantity: int, *, actor: str, reason: str | None) -> None:
        """Cancel ``quantity`` of ``item``: first what no shipment carries, then from the newest shipments.

        A shipment left with nothing to carry is cancelled as a whole.
        """
        loose = min(quantity, item.unallocated_quantity)
        item.cancelled_quantity += loose
        left = quantity - loose
        for shipment in reversed(item.order.shipments):
            if not left:
                break
            carried = shipment.lines.get(item, 0)
            if not carried or shipment.status not in _CANCELLABLE:
                continue
            taken = min(carried, left)
            left -= taken
            if taken == carried and len(shipment.lines) == 1:
                self._cancel(shipment, actor=actor, reason=reason)
                continue
            _reduce(shipment.lines, {item: taken})
            item.cancelled_quantity += taken
            self._changed(shipment, "ItemsCancelled", f"{taken} of item {item.id} cancelled", actor=actor)

    def resize(self, item: ItemRecord, quantity: int, *, actor: str) -> None:
        """Carry a new quantity of an item that sits whole in one place (one shipment, or none)."""
        carrying = [s for s in item.order.shipments if item in s.lines and s.status is not S.CANCELLED]
        if item.cancelled_quantity or len(carrying) + bool(item.unallocated_quantity) > 1:
            raise Conflict(
                f"order item {item.id} is split across shipments or partly cancelled; "
                "reroute or cancel its parts instead of changing its quantity"
            )
        for shipment in carrying:
            shipment.lines[item] = quantity
            self._changed(shipment, "ItemResized", f"item {item.short_id} now {quantity}", actor=actor)

    # --- Packages and packing slips --------------------------------------------------------------

    def create_packages(
        self, shipment_id: str, request: CreatePackages, *, actor: str
    ) -> list[PackageRecord]:
        """Record the facility's parcels; a shipment not yet shipped is shipped by it."""
        shipment = self._state.shipment(shipment_id)
        require(ShipmentAction.PACK, shipment)
        on_board = [item.id for item in shipment.lines]
        errors = [
            FieldError(
                f"packages.{index}.orderItemIDs.{position}",
                f"item {item_id} is not on shipment {shipment.id}",
            )
            for index, details in enumerate(request.packages)
            for position, item_id in enumerate(details.order_item_ids or [])
            if item_id not in on_board
        ]
        if errors:
            raise ValidationFailed("the packages name items the shipment does not carry", errors)
        packages = [
            self._add_package(
                shipment,
                details
                if details.order_item_ids
                else details.model_copy(update={"order_item_ids": on_board}),
                actor=actor,
            )
            for details in request.packages
        ]
        if shipment.status not in SHIPPED_STATUSES:
            self._move(shipment, S.SHIPPED, actor=actor, reason="packages created")
        return packages

    def update_package(self, package_id: str, changes: UpdatePackage, *, actor: str) -> PackageRecord:
        package = self._state.package(package_id)
        package.details = package.details.model_copy(
            update={name: getattr(changes, name) for name in changes.model_fields_set}
        )
        self._state.audit.record("Package", package.id, "Updated", "package details updated", actor=actor)
        self._changed(package.shipment, "PackageUpdated", f"package {package.short_id} updated", actor=actor)
        return package

    def generate_packing_slip(
        self, shipment_id: str, request: GeneratePackingSlip, *, actor: str
    ) -> PackingSlipRecord:
        shipment = self._state.shipment(shipment_id)
        require(ShipmentAction.PACKING_SLIP, shipment)
        content_type, document = render_packing_slip(shipment, request.format)
        slip = PackingSlipRecord(
            id=self._state.ids.uuid(),
            shipment=shipment,
            format=request.format,
            content_type=content_type,
            document=document,
            created_at=self._state.clock.now(),
        )
        self._state.packing_slips[slip.id] = slip
        for package in shipment.packages:
            package.packing_slip_id = slip.id
        self._changed(
            shipment, "PackingSlipGenerated", f"{request.format} packing slip {slip.id}", actor=actor
        )
        return slip

    # --- The one path of every change ------------------------------------------------------------

    def _open(
        self,
        order: OrderRecord,
        target: Facility | None,
        lines: dict[ItemRecord, int],
        *,
        actor: str,
        will_reject: bool = False,
    ) -> ShipmentRecord:
        """A new shipment of ``lines``; with a facility it is assigned there at once."""
        now = self._state.clock.now()
        shipment = ShipmentRecord(
            id=self._state.ids.uuid(),
            short_id=self._state.ids.short("S", 10),
            order=order,
            facility=None,
            lines=lines,
            created_at=now,
            updated_at=now,
            status=S.UNASSIGNED,
        )
        self._state.shipments[shipment.id] = shipment
        self._state.shipments_by_status[S.UNASSIGNED] += 1
        order.shipments.append(shipment)
        self._audit(shipment, "Created", f"shipment of {sum(lines.values())} units created", actor=actor)
        if target is None:
            refresh_statuses(self._state, order, now, actor)
        else:
            self._assign(shipment, target, actor=actor, will_reject=will_reject)
        return shipment

    def _assign(
        self,
        shipment: ShipmentRecord,
        target: Facility,
        *,
        actor: str,
        reason: str | None = None,
        will_reject: bool = False,
    ) -> None:
        shipment.facility = target
        shipment.will_reject = will_reject
        shipment.is_rejected_by_vendor = False
        self._move(shipment, S.ASSIGNED, actor=actor, reason=reason)
        self._message(shipment, "ShipmentAssigned", f"shipment sent to {target.name}", actor=actor)

    def _cancel(self, shipment: ShipmentRecord, *, actor: str, reason: str | None) -> None:
        for item, quantity in shipment.lines.items():
            item.cancelled_quantity += quantity
        self._move(shipment, S.CANCELLED, actor=actor, reason=reason)

    def _facility_reports(
        self, shipment: ShipmentRecord, status: ShipmentStatus, at: float | None = None
    ) -> None:
        """The facility tells OrderMesh that ``shipment`` moved to ``status``."""
        assert shipment.facility is not None, "only shipments at a facility progress"
        actor = shipment.facility.vendor_id
        moment = self._state.clock.at(at) if at is not None else None
        self._message(
            shipment,
            "StatusUpdate",
            f"{shipment.facility.name} reports {status.label}",
            actor=actor,
            at=moment,
        )
        self._move(shipment, status, actor=actor, at=at)

    def _move(
        self,
        shipment: ShipmentRecord,
        status: ShipmentStatus,
        *,
        actor: str,
        reason: str | None = None,
        at: float | None = None,
    ) -> None:
        """Change ``shipment``'s status at virtual second ``at`` (now by default), with every consequence."""
        elapsed = self._state.clock.elapsed() if at is None else at
        moment = self._state.clock.at(elapsed)
        previous, shipment.status, shipment.updated_at = shipment.status, status, moment
        self._state.shipments_by_status[previous] -= 1
        self._state.shipments_by_status[status] += 1
        if status is S.REJECTED:
            shipment.is_rejected_by_vendor = True
        if status is S.SHIPPED and not shipment.packages:
            self._add_package(shipment, self._carrier_package(shipment, moment), actor=actor)
        description = f"{previous.label} -> {status.label}" + (f": {reason}" if reason else "")
        self._audit(
            shipment,
            "StatusChanged",
            description,
            actor=actor,
            old=previous.label,
            new=status.label,
            at=moment,
        )
        if status in NEXT_STEP and not shipment.order.on_hold:
            self._schedule.set(shipment.id, elapsed + self._state.settings.step_seconds)
        else:
            self._schedule.cancel(shipment.id)
        refresh_statuses(self._state, shipment.order, moment, actor)

    def _changed(self, shipment: ShipmentRecord, action: str, description: str, *, actor: str) -> None:
        """Audit a change that keeps the status, and refresh what depends on the shipment."""
        now = self._state.clock.now()
        shipment.updated_at = now
        self._audit(shipment, action, description, actor=actor, at=now)
        refresh_statuses(self._state, shipment.order, now, actor)

    def _split_off(
        self, shipment: ShipmentRecord, wanted: list[ItemQuantity] | None
    ) -> dict[ItemRecord, int] | None:
        """Take ``wanted`` quantities (``orderItems``) off ``shipment`` and return them; None means all."""
        if wanted is None:
            return None
        on_board = {item.id: item for item in shipment.lines}
        moving: dict[ItemRecord, int] = {}
        errors = []
        for index, entry in enumerate(wanted):
            item = on_board.get(entry.id)
            if item is None:
                errors.append(
                    FieldError(f"orderItems.{index}.id", f"item {entry.id} is not on shipment {shipment.id}")
                )
                continue
            moving[item] = moving.get(item, 0) + entry.quantity
            if moving[item] > shipment.lines[item]:
                errors.append(
                    FieldError(
                        f"orderItems.{index}.quantity",
                        f"shipment {shipment.id} carries only {shipment.lines[item]} of item {item.id}",
                    )
                )
        if errors:
            raise ValidationFailed("the order items are not on the shipment in those quantities", errors)
        if moving == shipment.lines:
            return None
        _reduce(shipment.lines, moving)
        return moving

    def _add_package(self, shipment: ShipmentRecord, details: PackageDetails, *, actor: str) -> PackageRecord:
        package = PackageRecord(
            id=self._state.ids.uuid(),
            short_id=self._state.ids.short("P", 10),
            shipment=shipment,
            details=details,
        )
        self._state.packages[package.id] = package
        shipment.packages.append(package)
        self._state.audit.record(
            "Package",
            package.id,
            "Created",
            f"{details.carrier_name} package {details.carrier_tracking_number or ''}".strip(),
            actor=actor,
        )
        return package

    def _carrier_package(self, shipment: ShipmentRecord, shipped_at: datetime) -> PackageDetails:
        """The parcel a facility hands its carrier when the shipment ships."""
        assert shipment.facility is not None, "only shipments at a facility ship"
        tracking_number = self._state.ids.digits(18)
        return PackageDetails.model_construct(
            carrier_name=shipment.facility.carrier,
            carrier_method_name=shipment.facility.carrier_method,
            carrier_tracking_number=tracking_number,
            carrier_link=shipment.facility.tracking_link(tracking_number),
            carrier_account=False,
            shipped_date=iso(shipped_at),
            fulfilled_date=iso(shipped_at),
            order_item_ids=[item.id for item in shipment.lines],
        )

    def _audit(
        self,
        shipment: ShipmentRecord,
        action: str,
        description: str,
        *,
        actor: str,
        old: str | None = None,
        new: str | None = None,
        at: datetime | None = None,
    ) -> None:
        self._state.audit.record(
            "Shipment", shipment.id, action, description, actor=actor, old=old, new=new, at=at
        )

    def _message(
        self,
        shipment: ShipmentRecord,
        action: str,
        description: str,
        *,
        actor: str,
        at: datetime | None = None,
    ) -> None:
        """Audit a message exchanged with the facility about ``shipment``."""
        self._state.audit.record("ShipmentMessage", shipment.id, action, description, actor=actor, at=at)


def _check_vendor(target: Facility, vendor_id: str | None) -> None:
    if vendor_id is not None and vendor_id != target.vendor_id:
        raise ValidationFailed(
            "the vendor does not run that facility",
            [FieldError("vendorId", f"facility {target.id} belongs to vendor {target.vendor_id}")],
        )


def _reduce(lines: dict[ItemRecord, int], taken: dict[ItemRecord, int]) -> None:
    for item, quantity in taken.items():
        lines[item] -= quantity
        if not lines[item]:
            del lines[item]
