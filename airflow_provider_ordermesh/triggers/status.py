"""Deferrable waits for shipment and order statuses, run by the triggerer.

``OrderMeshShipmentStatusTrigger`` and ``OrderMeshOrderStatusTrigger`` poll the async client in
batches (the same queries and evaluation as the sensors' poke), and yield exactly one event:

``{"status": "success" | "failure" | "timeout" | "error", "message": str,
"statuses": {id: status name}, "pending": [id, ...], "error_type": str | None}``

The triggers of one event loop (a triggerer) share their searches: polls that fall within a
hundredth of the poll interval of each other go out as searches of up to 100 ids
(``waits.coalesce``), and each trigger reads only the records of its own ids.

Their arguments are plain JSON and their deadline is a wall-clock epoch (``time.time()``), so a
trigger rebuilt from ``serialize()`` on another host resumes where it was: it only depends on the
ids and the deadline. There is nothing to cancel on kill: a wait owns no work in OrderMesh.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterable, Mapping
from typing import Any

from airflow_provider_ordermesh.compat import BaseTrigger, TriggerEvent
from airflow_provider_ordermesh.hooks.connection_form import DEFAULT_CONN_ID
from airflow_provider_ordermesh.models.statuses import ShipmentStatuses
from airflow_provider_ordermesh.waits.coalesce import linger_for
from airflow_provider_ordermesh.waits.progress import event_payload
from airflow_provider_ordermesh.waits.step import WaitStep, when
from airflow_provider_ordermesh.waits.watch import OrderWatch, ShipmentWatch, Watch, afetch


class WaitTrigger(BaseTrigger):
    """The polling loop every wait trigger shares (the status triggers here, and
    ``triggers.inbound``); subclasses say what to watch and how they serialize."""

    def __init__(
        self,
        *,
        end_time: float,
        ordermesh_conn_id: str = DEFAULT_CONN_ID,
        poll_interval: float = 60.0,
        max_consecutive_errors: int = 5,
        unknown_id_grace: int = 3,
        page_size: int = 100,
        hook_params: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self.unknown_id_grace = unknown_id_grace
        self.end_time = float(end_time)
        self.ordermesh_conn_id = ordermesh_conn_id
        self.poll_interval = float(poll_interval)
        self.max_consecutive_errors = max_consecutive_errors
        self.page_size = page_size
        self.hook_params = dict(hook_params or {})

    def _common_kwargs(self) -> dict[str, Any]:
        return {
            "end_time": self.end_time,
            "ordermesh_conn_id": self.ordermesh_conn_id,
            "poll_interval": self.poll_interval,
            "max_consecutive_errors": self.max_consecutive_errors,
            "unknown_id_grace": self.unknown_id_grace,
            "page_size": self.page_size,
            "hook_params": self.hook_params,
        }

    def _classpath(self) -> str:
        return f"{type(self).__module__}.{type(self).__qualname__}"

    def watch(self) -> Watch:  # pragma: no cover - each subclass defines it
        raise NotImplementedError

    async def run(self) -> AsyncIterator[TriggerEvent]:
        """Poll until every id reaches a target status, one fails, the deadline passes or errors pile up.

        What each poll decides is ``waits.step.WaitStep``, the same step the sensor's poke drives.
        """
        try:
            step = WaitStep(
                self.watch(),
                max_consecutive_errors=self.max_consecutive_errors,
                unknown_id_grace=self.unknown_id_grace,
            )
            from airflow_provider_ordermesh.hooks.ordermesh import OrderMeshHook  # only in the triggerer

            client = await OrderMeshHook(self.ordermesh_conn_id, **self.hook_params).get_async_client()
        except Exception as exc:
            yield TriggerEvent(
                event_payload(
                    "error", f"cannot start the OrderMesh wait: {exc}", error_type=type(exc).__name__
                )
            )
            return
        while True:
            try:
                found = await afetch(
                    client, step.watch, page_size=self.page_size, linger=linger_for(self.poll_interval)
                )
                verdict = step.after_poll(found)
            except Exception as exc:
                verdict = step.after_error(exc)
            if verdict.over:
                yield TriggerEvent(verdict.event())
                return
            if verdict.status == "retrying":
                self.log.warning("%s", verdict.message)
            else:
                self.log.info("%s", verdict.message)
            # The poll above is the final check once the deadline has passed.
            remaining = self.end_time - time.time()
            if remaining <= 0:
                yield TriggerEvent(step.at_deadline(when(self.end_time)).event())
                return
            await asyncio.sleep(min(self.poll_interval, remaining))


class OrderMeshShipmentStatusTrigger(WaitTrigger):
    """Wait in the triggerer until shipments reach a target status; see ``OrderMeshShipmentStatusSensor``.

    :param shipment_ids: Shipments to watch.
    :param order_ids: Orders whose shipments (all of them) to watch.
    :param target_statuses: Status codes that mean done.
    :param failure_statuses: Status codes that end the wait as a failure.
    :param status_names: ``{"<code>": "<name>"}`` overrides of the status vocabulary, for messages.
    :param end_time: Deadline as a UNIX epoch (``time.time()`` based, valid across hosts).
    :param ordermesh_conn_id: The OrderMesh connection.
    :param poll_interval: Seconds between polls.
    :param max_consecutive_errors: Polls in a row that may fail (429, 5xx, no answer) before giving up.
    :param page_size: Records per search page (1-100).
    :param hook_params: JSON client options for ``OrderMeshHook``, e.g. ``{"max_retries": 3}``.
    """

    def __init__(
        self,
        *,
        target_statuses: Iterable[int],
        failure_statuses: Iterable[int] = (),
        shipment_ids: Iterable[str] = (),
        order_ids: Iterable[str] = (),
        status_names: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.shipment_ids = list(shipment_ids)
        self.order_ids = list(order_ids)
        self.target_statuses = [int(code) for code in target_statuses]
        self.failure_statuses = [int(code) for code in failure_statuses]
        self.status_names = {str(code): str(name) for code, name in (status_names or {}).items()}

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return self._classpath(), {
            "shipment_ids": self.shipment_ids,
            "order_ids": self.order_ids,
            "target_statuses": self.target_statuses,
            "failure_statuses": self.failure_statuses,
            "status_names": self.status_names,
            **self._common_kwargs(),
        }

    def watch(self) -> ShipmentWatch:
        return ShipmentWatch.build(
            shipment_ids=self.shipment_ids,
            order_ids=self.order_ids,
            targets=self.target_statuses,
            failures=self.failure_statuses,
            vocabulary=ShipmentStatuses.from_overrides(self.status_names),
        )


class OrderMeshOrderStatusTrigger(WaitTrigger):
    """Wait in the triggerer until orders or order items reach a target status.

    :param order_ids: Orders to watch.
    :param order_item_ids: Order items to watch.
    :param target_statuses: Status names that mean done (e.g. ``["Fulfilled"]``).
    :param failure_statuses: Status names that end the wait as a failure (e.g. ``["Cancelled"]``).
    :param fail_on_rejected_shipments: End the wait as a failure when a watched order that is
        still pending has a rejected shipment (they are named in the messages either way).

    The other parameters are those of ``OrderMeshShipmentStatusTrigger``.
    """

    def __init__(
        self,
        *,
        target_statuses: Iterable[str],
        failure_statuses: Iterable[str] = (),
        order_ids: Iterable[str] = (),
        order_item_ids: Iterable[str] = (),
        fail_on_rejected_shipments: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.fail_on_rejected_shipments = bool(fail_on_rejected_shipments)
        self.order_ids = list(order_ids)
        self.order_item_ids = list(order_item_ids)
        self.target_statuses = [str(status) for status in target_statuses]
        self.failure_statuses = [str(status) for status in failure_statuses]

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return self._classpath(), {
            "order_ids": self.order_ids,
            "order_item_ids": self.order_item_ids,
            "target_statuses": self.target_statuses,
            "failure_statuses": self.failure_statuses,
            "fail_on_rejected_shipments": self.fail_on_rejected_shipments,
            **self._common_kwargs(),
        }

    def watch(self) -> OrderWatch:
        return OrderWatch.build(
            order_ids=self.order_ids,
            order_item_ids=self.order_item_ids,
            targets=self.target_statuses,
            failures=self.failure_statuses,
            fail_on_rejected_shipments=self.fail_on_rejected_shipments,
        )
