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
from airflow_provider_ordermesh.compat import AirflowFailException
from airflow_provider_ordermesh.links.portal import OrderMeshOrderLink, OrderMeshShipmentLink
from airflow_provider_ordermesh.models.statuses import UnknownStatusError
from airflow_provider_ordermesh.operators.arguments import NOT_GIVEN, refuse_blank
from airflow_provider_ordermesh.operators.base import (
    OrderMeshBaseOperator,
    checked_id,
    parse_json_text,
    validated_argument,
)
from airflow_provider_ordermesh.operators.bulk import OrderMeshBulkOperator
from airflow_provider_ordermesh.operators.search import OrderMeshSearchOperator

if TYPE_CHECKING:
    from airflow_provider_ordermesh.client.bulk import BulkResult, SendBatch
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


class _ShipmentAction(OrderMeshBaseOperator):
    """An action on the shipment ``shipment_id``, which carries the shipment's portal link."""

    lineage_writes = ("shipments",)

    operator_extra_links = (OrderMeshShipmentLink(),)
    template_fields: tuple[str, ...] = (*OrderMeshBaseOperator.template_fields, "shipment_id")

    def __init__(self, *, shipment_id: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.shipment_id = shipment_id

    def shipment_result(self, shipment: models.Shipment) -> dict[str, Any]:
        """What an action on one shipment returns: its id, status name (the connection's vocabulary) and code."""
        return {
            "shipment_id": shipment.id,
            "status": self.hook.shipment_statuses.name(shipment.shipment_status),
            "status_code": shipment.shipment_status,
        }


class OrderMeshRerouteShipmentOperator(_ShipmentAction):
    """Move a shipment, or chosen item quantities of it, to another facility.

    On a retried task, or when the answer was lost, a whole-shipment reroute whose shipment
    already sits at ``facility_id`` is not sent again.

    :param shipment_id: The shipment (a UUID).
    :param facility_id: The facility to move it to.
    :param reason: Why (required by the API).
    :param order_items: ``[{"id", "quantity"}]`` to move only these. Leave it out to move the whole
        shipment; once given, a rendering to ``None``, ``""``, ``"null"`` or ``[]`` refuses the task.
    :return: ``{"shipment_id", "facility_id", "new_shipment_ids"}``.
    """

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
        request = validated_argument(models.Reroute, _drop_none(body), param="reroute")
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
        """The result, when a whole-shipment reroute finds the shipment at its target facility; else None."""
        if request.order_items:
            return None
        shipment = self.client.shipments.get(shipment_id)
        if shipment.facility_id != request.facility_id:
            return None
        return {"shipment_id": shipment.id, "facility_id": shipment.facility_id, "new_shipment_ids": []}


class OrderMeshBulkRerouteShipmentsOperator(OrderMeshBulkOperator):
    """Reroute many shipments through the bulk endpoint, with per-shipment results.

    On a retried task, whole-shipment reroutes whose shipment already sits at the target
    facility are not sent again (one search per batch); partial reroutes are. Batching,
    concurrency and ``on_partial_failure`` are described on ``OrderMeshBulkOperator``.

    :param reroutes: ``[{"shipmentId", "facilityId", "reason", "orderItems"?}]``: a list, a JSON
        array (e.g. an XCom), or a ``.json`` / ``.jsonl`` file path.
    :return: ``{"shipment_ids", "rerouted", "already_rerouted", "failures": [{"index",
        "shipment_id", "message"}]}``.
    """

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

    def sender(self, context: Context) -> SendBatch[models.Reroute]:
        from airflow_provider_ordermesh.client.bulk import reroute_shipments_batch

        client, retried = self.client, self.try_number(context) > 1
        return lambda batch: reroute_shipments_batch(client, batch, skip_applied=retried)

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

    template_fields = (*_ShipmentAction.template_fields, "reason")

    def __init__(self, *, shipment_id: str, reason: str, **kwargs: Any) -> None:
        super().__init__(shipment_id=shipment_id, **kwargs)
        self.reason = reason

    def perform(self, context: Context) -> dict[str, Any]:
        shipment_id = checked_id(self.shipment_id, param="shipment_id")
        request = validated_argument(models.Reject, {"reason": self.reason}, param="reason")
        self.push_link(context, OrderMeshShipmentLink, shipment_id)
        return self.shipment_result(self.client.shipments.reject(shipment_id, request.reason))


class OrderMeshAssignShipmentOperator(_ShipmentAction):
    """Assign a shipment to a facility (and vendor).

    :param shipment_id: The shipment.
    :param facility_id: The facility.
    :param vendor_id: The facility's vendor, if the API needs it.
    """

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
        return self.shipment_result(self.client.shipments.assign(shipment_id, request))


class OrderMeshUnassignItemsOperator(_ShipmentAction):
    """Take item quantities off a shipment so that they can be routed again.

    :param shipment_id: The shipment.
    :param order_items: ``[{"id", "quantity"}]``.
    :param reason: Why.
    """

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
        body = {
            "orderItems": _items(self.order_items, param="order_items", widening="every item"),
            "reason": self.reason or None,
        }
        request = validated_argument(models.UnassignItems, _drop_none(body), param="unassign request")
        self.push_link(context, OrderMeshShipmentLink, shipment_id)
        return self.shipment_result(self.client.shipments.unassign_items(shipment_id, request))


class OrderMeshCancelShipmentOperator(_ShipmentAction):
    """Cancel a shipment.

    :param shipment_id: The shipment.
    :param reason: Why.
    """

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
        return self.shipment_result(self.client.shipments.cancel(shipment_id, request.reason))


class OrderMeshResubmitShipmentOperator(_ShipmentAction):
    """Send a shipment again to the facility it is assigned to.

    :param shipment_id: The shipment.
    """

    def perform(self, context: Context) -> dict[str, Any]:
        shipment_id = checked_id(self.shipment_id, param="shipment_id")
        self.push_link(context, OrderMeshShipmentLink, shipment_id)
        return self.shipment_result(self.client.shipments.resubmit(shipment_id))


class OrderMeshCreatePackagesOperator(_ShipmentAction):
    """Record the packages (parcels, carriers, tracking numbers) of a shipment.

    :param shipment_id: The shipment.
    :param packages: ``[{"carrierName", "carrierTrackingNumber", ...}]``: a list or JSON array.
    :return: ``{"shipment_id", "package_ids"}``.
    """

    template_fields = (*_ShipmentAction.template_fields, "packages")
    template_fields_renderers: ClassVar[dict[str, str]] = {"packages": "json"}

    def __init__(self, *, shipment_id: str, packages: list[dict[str, Any]] | str, **kwargs: Any) -> None:
        super().__init__(shipment_id=shipment_id, **kwargs)
        self.packages = packages

    def perform(self, context: Context) -> dict[str, Any]:
        shipment_id = checked_id(self.shipment_id, param="shipment_id")
        packages = parse_json_text(self.packages, param="packages")
        request = validated_argument(models.CreatePackages, {"packages": packages}, param="packages")
        self.push_link(context, OrderMeshShipmentLink, shipment_id)
        created = self.client.shipments.create_packages(shipment_id, request)
        return {"shipment_id": shipment_id, "package_ids": [p.id for p in created]}


class OrderMeshCreateShipmentOperator(OrderMeshBaseOperator):
    """Create a shipment for chosen items of an order at a facility.

    :param payload: ``{"orderId", "facilityId", "vendorId"?, "orderItems": [{"id", "quantity"}]}``
        (``CreateShipmentDTO``): a dict, model or JSON string.
    :return: ``{"shipment_id", "order_id", "status", "status_code"}``.
    """

    lineage_writes = ("shipments",)

    template_fields: tuple[str, ...] = (*OrderMeshBaseOperator.template_fields, "payload")
    template_fields_renderers: ClassVar[dict[str, str]] = {"payload": "json"}
    operator_extra_links = (OrderMeshOrderLink(), OrderMeshShipmentLink())

    def __init__(self, *, payload: dict[str, Any] | str | Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.payload = payload

    def perform(self, context: Context) -> dict[str, Any]:
        request = validated_argument(models.CreateShipment, self.payload, param="payload")
        self.push_link(context, OrderMeshOrderLink, request.order_id)
        shipment = self.client.shipments.create(request)
        self.push_link(context, OrderMeshShipmentLink, shipment.id)
        return {
            "shipment_id": shipment.id,
            "order_id": shipment.order_id or request.order_id,
            "status": self.hook.shipment_statuses.name(shipment.shipment_status),
            "status_code": shipment.shipment_status,
        }


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
