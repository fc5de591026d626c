"""The deferrable wait of ``OrderMeshInboundOrderSensor``: inbound orders by safeId, in the triggerer.

The loop, the event and the shared searches are ``triggers.status.WaitTrigger``'s; only the watch
differs. At the deadline the event is a ``failure`` whose message says the outcome of the safeIds
not found is unknown (``waits.step.WaitStep.at_deadline``), never a success or a bare timeout.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from airflow_provider_ordermesh.triggers.status import WaitTrigger
from airflow_provider_ordermesh.waits.watch import InboundWatch


class OrderMeshInboundOrderTrigger(WaitTrigger):
    """Wait in the triggerer until an order exists for every safeId; see ``OrderMeshInboundOrderSensor``.

    :param safe_ids: The safeIds of the submitted inbound orders.
    :param end_time: Deadline as a UNIX epoch (``time.time()`` based, valid across hosts).

    The other parameters are those of ``OrderMeshShipmentStatusTrigger`` (``unknown_id_grace`` is
    carried but never used: a safeId not found is waited for until the deadline).
    """

    def __init__(self, *, safe_ids: Iterable[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.safe_ids = list(safe_ids)

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return self._classpath(), {"safe_ids": self.safe_ids, **self._common_kwargs()}

    def watch(self) -> InboundWatch:
        return InboundWatch.build(safe_ids=self.safe_ids)
