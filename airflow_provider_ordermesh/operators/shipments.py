"""Operators for OrderMesh shipments: reroute (one or many), reject, assign, unassign, cancel,
create, packages, resubmit, packing slips, search.

Conventions as in ``operators.orders``: keyword-only, templated ids and payloads validated
before any request, small JSON return values. Actions on one shipment return
``{"shipment_id", "status", "status_code"}`` (the status name comes from the connection's
status vocabulary) and store the ``OrderMesh shipment`` portal link before acting.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from airflow_provider_ordermesh import models
from airflow_provider_ordermesh.arguments.ids import checked_id
from airflow_provider_ordermesh.arguments.narrowing import NOT_GIVEN, refuse_blank
from airflow_provider_ordermesh.arguments.payloads import parse_json_text, validated_argument
from airflow_provider_ordermesh.client.errors import OutcomeUnknownError
from airflow_provider_ordermesh.compat import AirflowFailException
from airflow_provider_ordermesh.links.portal import OrderMeshOrderLink, OrderMeshShipmentLink
from airflow_provider_ordermesh.models.statuses import UnknownStatusError
from airflow_provider_ordermesh.operators.base import OrderMeshBaseOperator
from airflow_provider_ordermesh.operators.bulk import OrderMeshBulkOperator
from airflow_provider_ordermesh.operators.idempotency import (
    TaskIdentity,
    canonical_lines,
    check_room_for_marker,
    guarded,
    marker_of,
    markers_in,
    natural,
    refuse_duplicates,
)
from airflow_provider_ordermesh.operators.search import OrderMeshSearchOperator

if TYPE_CHECKING:
    from airflow_provider_ordermesh.client import OrderMeshClient
    from airflow_provider_ordermesh.client.bulk import BulkEntry, BulkResult, SendBatch
    from airflow_provider_ordermesh.compat import Context

# ``models`` loads each model on first use, in a task (building them at DAG parse took ~60 ms);
# ``client.bulk`` is imported inside ``sender`` for the same reason (~3 ms).


def _items(value: Any, *, param: str, widening: str) -> Any:
    """An item list argument that narrows an action, parsed if it is JSON text; blank is refused."""
    refuse_blank(value, param=param, widening=widening)
    items = parse_json_text(value, param=param)
    refuse_blank(items, param=param, widening=widening)
    return items


def _drop_none(body: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in body.items() if value is not None}


def _item_id(entry: Any) -> Any:
    """The item an ``[{"id", "quantity"}]`` entry names (None when it names none: validation says so)."""
    return entry.get("id") if isinstance(entry, dict) else getattr(entry, "id", None)


def refuse_repeated_items(items: Any, *, param: str) -> None:
    """Refuse an item list naming one item twice (it would move or take it twice)."""
    if isinstance(items, list):
        refuse_duplicates(items, _item_id, param=param, what="item")


def marked_reason(
    context: Context, kind: str, reason: str | None, content: dict[str, Any], *, default: str, field: str
) -> str:
    """``reason`` (or ``default``) ending with the marker of this task instance's ``kind`` action on
    ``content`` (item lists in canonical order), which the shipment's audit log then records."""
    check_room_for_marker(reason, field=field)
    canonical = {k: canonical_lines(v) if isinstance(v, list) else v for k, v in content.items()}
    marker = TaskIdentity.from_context(context).line_marker(kind, canonical)
    return f"{(reason or '').strip() or default}{marker}"


def marker_recorded(client: OrderMeshClient, shipment_id: str, reason: str | None) -> bool:
    """True when the shipment's audit log records the marker that ends ``reason``."""
    marker = marker_of(reason)
    return marker is not None and any(
        marker in markers_in(event.description) or marker in markers_in(event.new_value)
        for event in client.shipments.audit_logs(shipment_id)
    )


class _ShipmentAction(OrderMeshBaseOperator):
    """An action on the shipment ``shipment_id``, which carries the shipment's portal link."""

    lineage_writes = ("shipments",)

    operator_extra_links = (OrderMeshShipmentLink(),)
    template_fields: tuple[str, ...] = (*OrderMeshBaseOperator.template_fields, "shipment_id")

    def __init__(self, *, shipment_id: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.shipment_id = shipment_id

    def marker_recorded(self, shipment_id: str, reason: str | None) -> bool:
        """True when the shipment's audit log records the marker that ends ``reason``."""
        return marker_recorded(self.client, shipment_id, reason)

    def result_if_marked(self, shipment_id: str, reason: str) -> dict[str, Any] | None:
        """The shipment's result when its audit log records the marker ending ``reason`` (the action
        is applied); else None."""
        if not self.marker_recorded(shipment_id, reason):
            return None
        return self.shipment_result(self.client.shipments.get(shipment_id))

    def shipment_result(self, shipment: models.Shipment) -> dict[str, Any]:
        """What an action on one shipment returns: its id, status name (the connection's vocabulary) and code."""
        return {
            "shipment_id": shipment.id,
            "status": self.hook.shipment_statuses.name(shipment.shipment_status),
            "status_code": shipment.shipment_status,
        }


class OrderMeshRerouteShipmentOperator(_ShipmentAction):
    """Move a shipment, or chosen item quantities of it, to another facility.

    On a retried task, or when the answer was lost, the reroute is not sent again when the
    shipment's audit log records the marker its reason ends with (`` [om:<12 hex>]``, from the task
    instance and the request, items in any order), or, for a whole-shipment reroute, when the
    shipment already sits at ``facility_id``. An item named twice in ``order_items`` is refused.

    :param shipment_id: The shipment (a UUID).
    :param facility_id: The facility to move it to.
    :param reason: Why (required by the API).
    :param order_items: ``[{"id", "quantity"}]`` to move only these. Leave it out to move the whole
        shipment; once given, a rendering to ``None``, ``""``, ``"null"`` or ``[]`` refuses the task.
    :return: ``{"shipment_id", "facility_id", "new_shipment_ids"}``.
    """

    idempotency = guarded(
        "the marker of its reason in the shipment's audit log; a whole-shipment reroute also by the"
        " shipment's facility"
    )

    template_fields = (*_ShipmentAction.template_fields, "facility_id", "reason", "order_items")
    template_fields_renderers: ClassVar[dict[str, str]] = {"order_items": "json"}

    def __init__(
        self,
        *,
        shipment_id: str,
        facility_id: str,
        reason: str,
        order_items: list[dict[str, Any]] | str | Any = NOT_GIVEN,
        **kwargs: Any,
    ) -> None:
        super().__init__(shipment_id=shipment_id, **kwargs)
        self.facility_id = facility_id
        self.reason = reason
        self.order_items = order_items

    def perform(self, context: Context) -> dict[str, Any]:
        shipment_id = checked_id(self.shipment_id, param="shipment_id")
        body = {"shipmentId": shipment_id, "facilityId": self.facility_id, "reason": self.reason}
        if self.order_items is not NOT_GIVEN:
            body["orderItems"] = _items(self.order_items, param="order_items", widening="the whole shipment")
            refuse_repeated_items(body["orderItems"], param="order_items")
        plain = validated_argument(models.Reroute, _drop_none(body), param="reroute")
        content = plain.to_api()
        del content["reason"]
        reason = marked_reason(
            context, "reroute", plain.reason, content, default="rerouted from Airflow", field="reason"
        )
        request = plain.model_copy(update={"reason": reason})
        self.push_link(context, OrderMeshShipmentLink, shipment_id)
        return self.send_once(
            context,
            send=lambda: self._reroute(request),
            applied=lambda: self._rerouted_already(shipment_id, request),
        )

    def _reroute(self, request: models.Reroute) -> dict[str, Any]:
        answer = self.client.shipments.reroute(request)
        return {
            "shipment_id": answer.shipment_id,
            "facility_id": answer.facility_id or request.facility_id,
            "new_shipment_ids": answer.new_shipment_ids,
        }

    def _rerouted_already(self, shipment_id: str, request: models.Reroute) -> dict[str, Any] | None:
        """The result, when the audit log records this reroute's marker or a whole-shipment reroute
        finds the shipment at its target facility; else None."""
        if self.marker_recorded(shipment_id, request.reason):
            return {"shipment_id": shipment_id, "facility_id": request.facility_id, "new_shipment_ids": []}
        if request.order_items:
            return None
        shipment = self.client.shipments.get(shipment_id)
        if shipment.facility_id != request.facility_id:
            return None
        return {"shipment_id": shipment.id, "facility_id": shipment.facility_id, "new_shipment_ids": []}


class OrderMeshBulkRerouteShipmentsOperator(OrderMeshBulkOperator):
    """Reroute many shipments through the bulk endpoint, with per-shipment results.

    On a retried task, whole-shipment reroutes whose shipment already sits at the target
    facility are not sent again (one search per batch), nor are partial reroutes whose shipment's
    audit log records the marker at the end of their reason (from the task instance and the entry,
    items in any order; one read per partial entry, on retries only). Batching,
    concurrency and ``on_partial_failure`` are described on ``OrderMeshBulkOperator``.

    :param reroutes: ``[{"shipmentId", "facilityId", "reason", "orderItems"?}]``: a list, a JSON
        array (e.g. an XCom), or a ``.json`` / ``.jsonl`` file path.
    :return: ``{"shipment_ids", "rerouted", "already_rerouted", "failures": [{"index",
        "shipment_id", "message"}]}``.
    """

    idempotency = guarded(
        "a retried task reads each batch's shipments: a whole-shipment reroute is done when its "
        "shipment sits at the target, a partial one when the shipment's audit log records its "
        "reason's marker"
    )
    lineage_writes = ("shipments",)

    source_param = "reroutes"
    ref_field = "shipmentId"
    ref_key = "shipment_id"
    template_fields: tuple[str, ...] = (*OrderMeshBaseOperator.template_fields, "reroutes")
    template_fields_renderers: ClassVar[dict[str, str]] = {"reroutes": "json"}

    def __init__(self, *, reroutes: Sequence[Any] | str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.reroutes = reroutes

    def request_model(self) -> type[models.Reroute]:
        return models.Reroute

    def make_entry(self, context: Context, index: int, request: Any) -> BulkEntry[models.Reroute]:
        """The reroute with the marker of its content at the end of its reason (see the class docstring)."""
        from airflow_provider_ordermesh.client.bulk import BulkEntry

        content = request.to_api()
        del content["reason"]
        reason = marked_reason(
            context, "reroute", request.reason, content, default="", field=f"reroutes[{index}].reason"
        )
        marked = request.model_copy(update={"reason": reason})
        return BulkEntry(index=index, ref=request.shipment_id, item=marked)

    def sender(self, context: Context) -> SendBatch[models.Reroute]:
        from airflow_provider_ordermesh.client.bulk import reroute_shipments_batch

        client, retried = self.client, self.try_number(context) > 1
        return lambda batch: reroute_shipments_batch(
            client,
            batch,
            skip_applied=retried,
            partial_applied=lambda r: marker_recorded(client, r.shipment_id, r.reason),
        )

    def summarise(self, result: BulkResult) -> dict[str, Any]:
        return {
            "shipment_ids": result.ids,
            "rerouted": result.applied,
            "already_rerouted": result.already_existed,
        }


class OrderMeshRejectShipmentOperator(_ShipmentAction):
    """Reject a shipment on the facility's behalf (it then needs a reroute or reassignment).

    :param shipment_id: The shipment.
    :param reason: Why (required).
    """

    idempotency = guarded("the marker of its reason in the shipment's audit log")

    template_fields = (*_ShipmentAction.template_fields, "reason")

    def __init__(self, *, shipment_id: str, reason: str, **kwargs: Any) -> None:
        super().__init__(shipment_id=shipment_id, **kwargs)
        self.reason = reason

    def perform(self, context: Context) -> dict[str, Any]:
        shipment_id = checked_id(self.shipment_id, param="shipment_id")
        plain = validated_argument(models.Reject, {"reason": self.reason}, param="reason")
        reason = marked_reason(
            context, "reject", plain.reason, {"shipmentId": shipment_id}, default="", field="reason"
        )
        self.push_link(context, OrderMeshShipmentLink, shipment_id)
        return self.send_once(
            context,
            send=lambda: self.shipment_result(self.client.shipments.reject(shipment_id, reason)),
            applied=lambda: self.result_if_marked(shipment_id, reason),
        )


class OrderMeshAssignShipmentOperator(_ShipmentAction):
    """Assign a shipment to a facility (and vendor).

    :param shipment_id: The shipment.
    :param facility_id: The facility.
    :param vendor_id: The facility's vendor, if the API needs it.
    """

    idempotency = guarded("the shipment's facility and status: assigned at the facility means done")

    template_fields = (*_ShipmentAction.template_fields, "facility_id", "vendor_id")

    def __init__(
        self, *, shipment_id: str, facility_id: str, vendor_id: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(shipment_id=shipment_id, **kwargs)
        self.facility_id = facility_id
        self.vendor_id = vendor_id

    def perform(self, context: Context) -> dict[str, Any]:
        shipment_id = checked_id(self.shipment_id, param="shipment_id")
        body = {"facilityId": self.facility_id, "vendorId": self.vendor_id or None}
        request = validated_argument(models.Assign, _drop_none(body), param="assignment")
        self.push_link(context, OrderMeshShipmentLink, shipment_id)
        return self.send_once(
            context,
            send=lambda: self.shipment_result(self.client.shipments.assign(shipment_id, request)),
            applied=lambda: self._assigned_already(shipment_id, request.facility_id),
        )

    def _assigned_already(self, shipment_id: str, facility_id: str) -> dict[str, Any] | None:
        """The result when the shipment sits, assigned, at ``facility_id``; else None."""
        shipment = self.client.shipments.get(shipment_id)
        name = self.hook.shipment_statuses.name(shipment.shipment_status)
        if shipment.facility_id != facility_id or name in ("Unassigned", "Rejected"):
            return None
        return self.shipment_result(shipment)


class OrderMeshUnassignItemsOperator(_ShipmentAction):
    """Take item quantities off a shipment so that they can be routed again.

    :param shipment_id: The shipment.
    :param order_items: ``[{"id", "quantity"}]``.
    :param reason: Why.
    """

    idempotency = guarded("the marker of its reason in the shipment's audit log")

    template_fields = (*_ShipmentAction.template_fields, "order_items", "reason")
    template_fields_renderers: ClassVar[dict[str, str]] = {"order_items": "json"}

    def __init__(
        self,
        *,
        shipment_id: str,
        order_items: list[dict[str, Any]] | str,
        reason: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(shipment_id=shipment_id, **kwargs)
        self.order_items = order_items
        self.reason = reason

    def perform(self, context: Context) -> dict[str, Any]:
        shipment_id = checked_id(self.shipment_id, param="shipment_id")
        items = _items(self.order_items, param="order_items", widening="every item")
        refuse_repeated_items(items, param="order_items")
        body = {"orderItems": items, "reason": self.reason or None}
        plain = validated_argument(models.UnassignItems, _drop_none(body), param="unassign request")
        content = {"shipmentId": shipment_id, "orderItems": plain.to_api()["orderItems"]}
        reason = marked_reason(
            context, "unassign", plain.reason, content, default="unassigned from Airflow", field="reason"
        )
        request = plain.model_copy(update={"reason": reason})
        self.push_link(context, OrderMeshShipmentLink, shipment_id)
        return self.send_once(
            context,
            send=lambda: self.shipment_result(self.client.shipments.unassign_items(shipment_id, request)),
            applied=lambda: self.result_if_marked(shipment_id, reason),
        )


class OrderMeshCancelShipmentOperator(_ShipmentAction):
    """Cancel a shipment.

    :param shipment_id: The shipment.
    :param reason: Why.
    """

    idempotency = guarded("the shipment's status: Cancelled is final, so it means done")

    template_fields = (*_ShipmentAction.template_fields, "reason")

    def __init__(self, *, shipment_id: str, reason: str | None = None, **kwargs: Any) -> None:
        super().__init__(shipment_id=shipment_id, **kwargs)
        self.reason = reason

    def perform(self, context: Context) -> dict[str, Any]:
        shipment_id = checked_id(self.shipment_id, param="shipment_id")
        request = validated_argument(
            models.CancelShipment, {"reason": self.reason} if self.reason else {}, param="reason"
        )
        self.push_link(context, OrderMeshShipmentLink, shipment_id)
        return self.send_once(
            context,
            send=lambda: self.shipment_result(self.client.shipments.cancel(shipment_id, request.reason)),
            applied=lambda: self._cancelled_already(shipment_id),
        )

    def _cancelled_already(self, shipment_id: str) -> dict[str, Any] | None:
        """The result when the shipment is cancelled already (a state no later action leaves); else None."""
        shipment = self.client.shipments.get(shipment_id)
        if self.hook.shipment_statuses.name(shipment.shipment_status) != "Cancelled":
            return None
        return self.shipment_result(shipment)


class OrderMeshResubmitShipmentOperator(_ShipmentAction):
    """Send a shipment again to the facility it is assigned to.

    :param shipment_id: The shipment.
    """

    idempotency = natural(
        "sends the shipment to the facility it is assigned to; twice leaves it assigned there"
    )

    def perform(self, context: Context) -> dict[str, Any]:
        shipment_id = checked_id(self.shipment_id, param="shipment_id")
        self.push_link(context, OrderMeshShipmentLink, shipment_id)
        return self.shipment_result(self.client.shipments.resubmit(shipment_id))


class OrderMeshCreatePackagesOperator(_ShipmentAction):
    """Record the packages (parcels, carriers, tracking numbers) of a shipment.

    A tracking number identifies a package: on every try the operator reads the shipment first and
    leaves out each package whose tracking number it records already (its id is returned), and two
    packages with one tracking number in the input are refused before anything is sent. After a
    lost answer, packages without a tracking number cannot be recognised: the task then fails
    without Airflow retries, asking to check the shipment's packages by hand.

    :param shipment_id: The shipment.
    :param packages: ``[{"carrierName", "carrierTrackingNumber", ...}]``: a list or JSON array.
    :return: ``{"shipment_id", "package_ids"}``.
    """

    idempotency = guarded(
        "tracking numbers: on every try, packages whose tracking number the shipment records are "
        "not sent; a lost answer with a package without one fails, named"
    )

    template_fields = (*_ShipmentAction.template_fields, "packages")
    template_fields_renderers: ClassVar[dict[str, str]] = {"packages": "json"}

    def __init__(self, *, shipment_id: str, packages: list[dict[str, Any]] | str, **kwargs: Any) -> None:
        super().__init__(shipment_id=shipment_id, **kwargs)
        self.packages = packages

    def perform(self, context: Context) -> dict[str, Any]:
        shipment_id = checked_id(self.shipment_id, param="shipment_id")
        packages = parse_json_text(self.packages, param="packages")
        request = validated_argument(models.CreatePackages, {"packages": packages}, param="packages")
        refuse_duplicates(
            request.packages, lambda p: p.carrier_tracking_number, param="packages", what="tracking number"
        )
        self.push_link(context, OrderMeshShipmentLink, shipment_id)
        recorded = self._recorded(shipment_id)
        missing = [p for p in request.packages if p.carrier_tracking_number not in recorded]
        known = [
            recorded[p.carrier_tracking_number]
            for p in request.packages
            if p.carrier_tracking_number in recorded
        ]
        if known:
            self.log.info(
                "%d of %d packages are recorded already (same tracking number); not sent",
                len(known),
                len(request.packages),
            )
        if not missing:
            return {"shipment_id": shipment_id, "package_ids": known}
        try:
            created = self.client.shipments.create_packages(
                shipment_id, request.model_copy(update={"packages": missing})
            )
        except OutcomeUnknownError as exc:
            if any(p.carrier_tracking_number is None for p in missing):
                raise AirflowFailException(
                    f"{exc}. Some packages have no tracking number, so no read can tell whether they "
                    f"were recorded; not sent again (no Airflow retry): check shipment {shipment_id}'s "
                    "packages by hand"
                ) from exc
            recorded = self._recorded(shipment_id)
            if any(p.carrier_tracking_number not in recorded for p in missing):
                raise  # the retry reads the tracking numbers again before sending
            self.log.warning("the answer was lost, but every package is recorded: applied once")
            return {
                "shipment_id": shipment_id,
                "package_ids": [recorded[p.carrier_tracking_number] for p in request.packages],
            }
        return {"shipment_id": shipment_id, "package_ids": [*known, *(p.id for p in created)]}

    def _recorded(self, shipment_id: str) -> dict[str | None, str | None]:
        """``{tracking number: package id}`` of the shipment's packages that have a tracking number."""
        shipment = self.client.shipments.get(shipment_id)
        return {p.carrier_tracking_number: p.id for p in shipment.packages if p.carrier_tracking_number}


class OrderMeshCreateShipmentOperator(OrderMeshBaseOperator):
    """Create a shipment for chosen items of an order at a facility.

    :param payload: ``{"orderId", "facilityId", "vendorId"?, "orderItems": [{"id", "quantity"}]}``
        (``CreateShipmentDTO``): a dict, model or JSON string.
    :return: ``{"shipment_id", "order_id", "status", "status_code"}``.
    """

    idempotency = guarded(
        "the order's shipments: one at the facility carrying the requested quantities means done"
    )
    lineage_writes = ("shipments",)

    template_fields: tuple[str, ...] = (*OrderMeshBaseOperator.template_fields, "payload")
    template_fields_renderers: ClassVar[dict[str, str]] = {"payload": "json"}
    operator_extra_links = (OrderMeshOrderLink(), OrderMeshShipmentLink())

    def __init__(self, *, payload: dict[str, Any] | str | Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.payload = payload

    def perform(self, context: Context) -> dict[str, Any]:
        payload = parse_json_text(self.payload, param="payload")
        if isinstance(payload, dict):
            refuse_repeated_items(payload.get("orderItems"), param="payload.orderItems")
        request = validated_argument(models.CreateShipment, payload, param="payload")
        self.push_link(context, OrderMeshOrderLink, request.order_id)
        shipment = self.send_once(
            context,
            send=lambda: self.client.shipments.create(request),
            applied=lambda: self._created_already(request),
        )
        self.push_link(context, OrderMeshShipmentLink, shipment.id)
        return {
            "shipment_id": shipment.id,
            "order_id": shipment.order_id or request.order_id,
            "status": self.hook.shipment_statuses.name(shipment.shipment_status),
            "status_code": shipment.shipment_status,
        }

    def _created_already(self, request: models.CreateShipment) -> models.Shipment | None:
        """A shipment of the order at the facility that carries every requested item quantity, or None."""
        wanted = {entry.id: entry.quantity for entry in request.order_items}
        for shipment in self.client.shipments.search({"orderIds": [request.order_id]}):
            carried = {item.id: item.quantity for item in shipment.order_items}
            if shipment.facility_id == request.facility_id and all(
                carried.get(item_id, 0) == quantity for item_id, quantity in wanted.items()
            ):
                return shipment
        return None


class OrderMeshGeneratePackingSlipOperator(OrderMeshBaseOperator):
    """Generate a shipment's packing slip and, if asked, write the document to a file.

    :param shipment_id: The shipment.
    :param format: ``"pdf"`` or ``"html"``.
    :param output_path: Where to write the decoded document (templated; directories are
        created): a local path (on the worker that runs the task) or an object-storage URI such
        as ``s3://bucket/slips/{{ ds }}.pdf`` with ``storage_conn_id``; checked before the slip
        is generated (``files``). The API may answer with a URL instead of the document; then
        nothing is written and the task fails if ``output_path`` was given.
    :param storage_conn_id: The Airflow connection of the object store ``output_path`` names.
    :return: ``{"packing_slip_id", "path", "url"}`` (``path`` None when nothing was written).
    """

    idempotency = natural(
        "renders the shipment's packing slip; a second one is the same document and changes no "
        "order or shipment"
    )
    lineage_reads = ("shipments",)
    lineage_writes = ("packing_slips",)

    template_fields: tuple[str, ...] = (
        *OrderMeshBaseOperator.template_fields,
        "shipment_id",
        "format",
        "output_path",
    )
    operator_extra_links = (OrderMeshShipmentLink(),)

    def __init__(
        self,
        *,
        shipment_id: str,
        format: str = "pdf",
        output_path: str | None = None,
        storage_conn_id: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.shipment_id = shipment_id
        self.format = format
        self.output_path = output_path
        self.storage_conn_id = storage_conn_id

    def perform(self, context: Context) -> dict[str, Any]:
        shipment_id = checked_id(self.shipment_id, param="shipment_id")
        request = validated_argument(models.GeneratePackingSlip, {"format": self.format}, param="format")
        from airflow_provider_ordermesh.files import shown, writable_file, write_bytes

        target = (
            writable_file(self.output_path, param="output_path", storage_conn_id=self.storage_conn_id)
            if self.output_path
            else None
        )
        self.push_link(context, OrderMeshShipmentLink, shipment_id)
        slip = self.client.packing_slips.generate(shipment_id, format=request.format)
        path = None
        if target is not None:
            document = slip.document_bytes()
            if document is None:
                raise AirflowFailException(
                    f"packing slip {slip.packing_slip_id} came as a URL ({slip.url}), not inline; nothing "
                    f"written to {self.output_path}"
                )
            write_bytes(target, document)
            path = shown(target)
            self.lineage_details["output_files"] = [str(target) if "://" in path else path]
            self.log.info("wrote packing slip %s (%d bytes) to %s", slip.packing_slip_id, len(document), path)
        return {"packing_slip_id": slip.packing_slip_id, "path": path, "url": slip.url}


class OrderMeshSearchShipmentsOperator(OrderMeshSearchOperator):
    """Find shipments by filters, paging through every result up to ``max_results``.

    :param filters: ``ShipmentSearch`` filters, e.g. ``{"status": ["Rejected"], "orderIds": [...]}``;
        ``status`` takes names or codes, read through the connection's status vocabulary.
    :param max_results: Stop after this many (default 1000; None for all).
    :param fields: None to return shipment ids; else fields to return per shipment (e.g.
        ``["id", "orderId", "facilityId", "status"]``; ``status`` is the status name).
    :return: A list of ids or of small dicts, ready for ``.partial().expand()``.
    """

    lineage_reads = ("shipments",)

    def filter_model(self) -> type[models.ShipmentSearch]:
        return models.ShipmentSearch

    def record_model(self) -> type[models.Shipment]:
        return models.Shipment

    def derived_fields(self) -> frozenset[str]:
        return frozenset({"status"})  # the status name, read through the connection's vocabulary

    def prepare_filters(self, filters: dict[str, Any]) -> dict[str, Any]:
        status = filters.get("status")
        if status is None:
            return filters
        try:
            codes = self.hook.shipment_statuses.codes([status] if isinstance(status, (str, int)) else status)
        except UnknownStatusError as exc:
            raise AirflowFailException(f"invalid filters: status: {exc}") from None
        return {**filters, "status": sorted(codes)}

    def iterate(self, filters: Any, *, limit: int | None) -> Any:
        return self.client.shipments.search(filters, page_size=self.page_size, max_items=limit)

    def pick(self, record: Any, fields: list[str]) -> dict[str, Any]:
        picked = super().pick(record, fields)
        if "status" in fields:
            picked["status"] = self.hook.shipment_statuses.name(record.shipment_status)
        return picked
