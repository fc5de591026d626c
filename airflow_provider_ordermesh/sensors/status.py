"""Sensors that wait for shipments, orders or order items to reach a status.

Both poll in batches (100 ids per search, paged), fail fast on a failure status, and work in
poke, reschedule and deferrable modes; the shared machinery is in ``sensors.base``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from airflow_provider_ordermesh.models.statuses import (
    DEFAULT_ORDER_STATUSES,
    DEFAULT_SHIPMENT_STATUSES,
    SHIPMENT_STATUS_NAMES,
    ShipmentStatuses,
    UnknownStatusError,
)
from airflow_provider_ordermesh.sensors.base import OrderMeshWaitError, StatusSensorBase
from airflow_provider_ordermesh.waits.watch import (
    OrderWatch,
    ShipmentWatch,
    id_list,
    order_status_names,
    shipment_status_codes,
    status_list,
)

if TYPE_CHECKING:
    from airflow_provider_ordermesh.triggers.status import (
        OrderMeshOrderStatusTrigger,
        OrderMeshShipmentStatusTrigger,
    )

# The triggers are imported in ``make_trigger``, when a sensor defers: they load Airflow's
# ``airflow.triggers`` package, which DAG parsing would otherwise pay for (~10 ms).

__all__ = ["OrderMeshOrderStatusSensor", "OrderMeshShipmentStatusSensor", "OrderMeshWaitError"]


class OrderMeshShipmentStatusSensor(StatusSensorBase):
    """Wait until shipments reach a target status, failing fast when one reaches a failure status.

    Watch one shipment, a list of shipments, all shipments of one or more orders, or both. The
    result (XCom) is ``{"<shipment id>": "<status name>", ...}``.

    :param shipment_ids: A shipment id or a list of them (templated).
    :param order_ids: An order id or a list of them, whose shipments (all of them) to watch (templated).
    :param target_statuses: Codes or names that mean done (templated); default ``Shipped`` and ``Delivered``.
    :param failure_statuses: Codes or names that fail the wait (templated); default the vocabulary's
        failures, ``Rejected`` and ``Cancelled``. Pass ``[]`` to wait through them.
    :param status_vocabulary: ``{code: name}`` overrides of the status names; default the
        connection's ``shipment_statuses`` extra.
    :param ordermesh_conn_id: The OrderMesh connection (templated).
    :param deferrable: Wait in the triggerer; default ``[operators] default_deferrable``.
    :param max_consecutive_errors: Polls in a row that may fail (429, 5xx, no answer, after the
        client's own retries) before the wait fails. In reschedule mode each poke is a new task
        run that starts counting again, so there only the timeout ends an outage.
    :param unknown_id_grace: Polls in a row that an id OrderMesh does not know (a shipment id, or
        an order in ``order_ids`` that has no shipments and is not found either) may stay unknown
        before the wait fails naming it (a typo, or an id of another kind); default 3. A known
        order without shipments yet is waited for. In reschedule mode the poke intervals since
        the first poke count as polls.
    :param on_empty: What an empty input (every id field empty once rendered, e.g. an upstream
        that found nothing) does: ``"fail"`` (default), ``"skip"`` or ``"succeed"`` (returns ``{}``).
    :param page_size: Records per search page (1-100).
    :param hook_params: JSON options for ``OrderMeshHook`` and its client, e.g. ``{"max_retries": 3}``.

    .. seealso:: The README's "Sensors and triggers" section.
    """

    lineage_reads = ("shipments",)

    template_fields: Sequence[str] = (
        "ordermesh_conn_id",
        "shipment_ids",
        "order_ids",
        "target_statuses",
        "failure_statuses",
    )
    id_fields = ("shipment_ids", "order_ids")

    def __init__(
        self,
        *,
        shipment_ids: str | Sequence[str] | None = None,
        order_ids: str | Sequence[str] | None = None,
        status_vocabulary: Mapping[int | str, str] | ShipmentStatuses | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.shipment_ids = shipment_ids
        self.order_ids = order_ids
        self.status_vocabulary = status_vocabulary
        self._check_early()

    def _vocabulary(self, *, at_runtime: bool) -> ShipmentStatuses:
        if isinstance(self.status_vocabulary, ShipmentStatuses):
            return self.status_vocabulary
        if self.status_vocabulary is not None:
            return ShipmentStatuses.from_overrides(self.status_vocabulary)
        return self.hook.shipment_statuses if at_runtime else DEFAULT_SHIPMENT_STATUSES

    def _statuses(self, vocabulary: ShipmentStatuses) -> tuple[list[int | str], list[int | str]]:
        targets: list[int | str] = (
            status_list(self.target_statuses, field="target_statuses")
            if self.target_statuses is not None
            else sorted(vocabulary.codes_named(vocabulary.shipped))
        )
        failures: list[int | str] = (
            status_list(self.failure_statuses, field="failure_statuses")
            if self.failure_statuses is not None
            else sorted(vocabulary.codes_named(vocabulary.failures))
        )
        return targets, failures

    def check_statuses(self) -> None:
        vocabulary = self._vocabulary(at_runtime=False)
        shipment_status_codes(*self._statuses(vocabulary), vocabulary)

    def _check_early(self) -> None:
        try:
            super()._check_early()
        except UnknownStatusError:
            if self.status_vocabulary is not None:
                raise
            # The connection's shipment_statuses extra may define the name: it is checked again
            # against that vocabulary when the task starts, before the first request.

    def build_watch(self, *, at_runtime: bool) -> ShipmentWatch:
        vocabulary = self._vocabulary(at_runtime=at_runtime)
        targets, failures = self._statuses(vocabulary)
        return ShipmentWatch.build(
            shipment_ids=id_list(self.shipment_ids, field="shipment_ids"),
            order_ids=id_list(self.order_ids, field="order_ids"),
            targets=targets,
            failures=failures,
            vocabulary=vocabulary,
        )

    def make_trigger(self, watch: ShipmentWatch, end_time: float) -> OrderMeshShipmentStatusTrigger:
        from airflow_provider_ordermesh.triggers.status import OrderMeshShipmentStatusTrigger

        renamed = {
            str(code): name
            for code, name in watch.vocabulary.names.items()
            if SHIPMENT_STATUS_NAMES.get(code) != name
        }
        return OrderMeshShipmentStatusTrigger(
            shipment_ids=list(watch.shipment_ids),
            order_ids=list(watch.order_ids),
            target_statuses=sorted(watch.targets),
            failure_statuses=sorted(watch.failures),
            status_names=renamed,
            **self._common_trigger_kwargs(end_time),
        )


class OrderMeshOrderStatusSensor(StatusSensorBase):
    """Wait until orders and/or order items reach a target status, failing fast on a failure status.

    The result (XCom) is ``{"<order or order item id>": "<status>", ...}``.

    :param order_ids: An order id or a list of them (templated).
    :param order_item_ids: An order item id or a list of them (templated).
    :param target_statuses: Status names that mean done (templated); default ``Fulfilled``.
    :param failure_statuses: Status names that fail the wait (templated); default ``Cancelled``.
    :param fail_on_rejected_shipments: Fail at once when a watched order that is still pending
        has a rejected shipment (the order stays open, so the wait could only time out). Either
        way the waiting log and the timeout message name the rejected shipments beside the order.

    The other parameters are those of ``OrderMeshShipmentStatusSensor``.

    .. seealso:: The README's "Sensors and triggers" section.
    """

    lineage_reads = ("orders",)

    template_fields: Sequence[str] = (
        "ordermesh_conn_id",
        "order_ids",
        "order_item_ids",
        "target_statuses",
        "failure_statuses",
    )
    id_fields = ("order_ids", "order_item_ids")

    def __init__(
        self,
        *,
        order_ids: str | Sequence[str] | None = None,
        order_item_ids: str | Sequence[str] | None = None,
        fail_on_rejected_shipments: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.order_ids = order_ids
        self.order_item_ids = order_item_ids
        self.fail_on_rejected_shipments = fail_on_rejected_shipments
        self._check_early()

    def _statuses(self) -> tuple[frozenset[str], frozenset[str]]:
        targets = (
            status_list(self.target_statuses, field="target_statuses")
            if self.target_statuses is not None
            else ["Fulfilled"]
        )
        failures = (
            status_list(self.failure_statuses, field="failure_statuses")
            if self.failure_statuses is not None
            else sorted(DEFAULT_ORDER_STATUSES.failures)
        )
        return order_status_names(targets, failures, DEFAULT_ORDER_STATUSES)  # type: ignore[arg-type]

    def check_statuses(self) -> None:
        self._statuses()

    def build_watch(self, *, at_runtime: bool) -> OrderWatch:
        targets, failures = self._statuses()
        return OrderWatch.build(
            order_ids=id_list(self.order_ids, field="order_ids"),
            order_item_ids=id_list(self.order_item_ids, field="order_item_ids"),
            targets=targets,
            failures=failures,
            fail_on_rejected_shipments=self.fail_on_rejected_shipments,
        )

    def make_trigger(self, watch: OrderWatch, end_time: float) -> OrderMeshOrderStatusTrigger:
        from airflow_provider_ordermesh.triggers.status import OrderMeshOrderStatusTrigger

        return OrderMeshOrderStatusTrigger(
            order_ids=list(watch.order_ids),
            order_item_ids=list(watch.order_item_ids),
            target_statuses=sorted(watch.targets),
            failure_statuses=sorted(watch.failures),
            fail_on_rejected_shipments=watch.fail_on_rejected_shipments,
            **self._common_trigger_kwargs(end_time),
        )
