"""The fallback for inbound orders where no webhook receiver is configured: wait for them by safeId.

``OrderMeshSubmitInboundOrderOperator`` queues an order whose outcome OrderMesh reports only by an
``OrderCreation`` webhook (docs/webhooks.md). Without the receiver, a search can only tell that an
order with the safeId exists; so an order found succeeded, and one not found by the deadline has an
**unknown** outcome, which fails the task: it is never reported as a success.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

from airflow_provider_ordermesh.arguments.ids import checked_safe_ids
from airflow_provider_ordermesh.sensors.base import WaitSensorBase
from airflow_provider_ordermesh.waits.watch import InboundWatch

if TYPE_CHECKING:
    from airflow_provider_ordermesh.triggers.inbound import OrderMeshInboundOrderTrigger

__all__ = ["OrderMeshInboundOrderSensor"]

DEFAULT_TIMEOUT: Final = 3600.0
"""The default deadline, in seconds: OrderMesh processes an inbound order in seconds to minutes, so
an hour without it means it failed or is stuck; Airflow's own default (7 days) would hide that."""


class OrderMeshInboundOrderSensor(WaitSensorBase):
    """Wait until submitted inbound orders exist, found by their safeIds; the fallback without webhooks.

    Polls the order search by safeId (100 per request, paged), in poke, reschedule or deferrable
    mode. Succeeds when every safeId is found, returning ``{"<safeId>": "<order id>", ...}``. When
    ``timeout`` passes with some not found, the task **fails** with ``OrderMeshWaitError``
    (``sensors.base``) listing
    the safeIds found and those whose outcome is unknown: OrderMesh reports an inbound order that
    could not be created only by its ``OrderCreation`` webhook, so a safeId not found may have
    failed or may still be queued. ``soft_fail`` does not turn this into a skip, and nothing turns
    it into a success; with the webhook receiver (docs/webhooks.md) the outcome is known instead.

    :param safe_ids: What to wait for (templated): the results of
        ``OrderMeshSubmitInboundOrderOperator`` (``submit.output``, also of a task mapped with
        ``.expand``; each result's ``safe_id`` is used), a list of safeIds, or one of either.
        ``None``, blanks, ``[]``, other types and a safeId given twice are refused before any request.
    :param timeout: The deadline in seconds from the first poke (default 3600, an hour).
    :param ordermesh_conn_id: The OrderMesh connection (templated).
    :param deferrable: Wait in the triggerer; default ``[operators] default_deferrable``.
    :param max_consecutive_errors: Polls in a row that may fail (429, 5xx, no answer) before the
        wait fails. An answer no retry can change (401, 403, 400, an answer in an unexpected shape)
        fails it at once: never read as "not found".
    :param page_size: Records per search page (1-100).
    :param hook_params: JSON options for ``OrderMeshHook`` and its client, e.g. ``{"max_retries": 3}``.

    .. seealso:: docs/webhooks.md, "When to use the new-orders watcher instead".
    """

    lineage_reads = ("orders",)

    template_fields: Sequence[str] = ("ordermesh_conn_id", "safe_ids")
    id_fields = ("safe_ids",)

    def __init__(self, *, safe_ids: Any, timeout: float = DEFAULT_TIMEOUT, **kwargs: Any) -> None:
        super().__init__(timeout=timeout, **kwargs)
        self.safe_ids = safe_ids
        self._check_early()

    def build_watch(self, *, at_runtime: bool) -> InboundWatch:
        return InboundWatch.build(safe_ids=checked_safe_ids(self.safe_ids, param="safe_ids"))

    def make_trigger(self, watch: InboundWatch, end_time: float) -> OrderMeshInboundOrderTrigger:
        from airflow_provider_ordermesh.triggers.inbound import OrderMeshInboundOrderTrigger

        return OrderMeshInboundOrderTrigger(
            safe_ids=list(watch.safe_ids), **self._common_trigger_kwargs(end_time)
        )
