"""Event-driven scheduling: run a DAG when orders appear in OrderMesh or change status.

``OrderMeshOrderEventTrigger`` is a ``BaseEventTrigger`` for an ``AssetWatcher``. The triggerer
runs it for as long as the watching DAG exists; each poll asks for the orders updated since the
watermark and fires one asset event per batch of orders that are new, or whose status differs
from the one last reported. Its payload is small JSON, read by the DAG from
``triggering_asset_events``::

    {"orders": {"<order id>": "<status>", ...}, "count": 2, "watermark": "2026-01-01T12:00:00+00:00"}

What it guarantees: each (order, status) pair is reported at most once, across any number of
triggerer restarts, and no order updated after the start is lost. The watermark follows the
API's ``updatedAt`` (inclusive), and the state (watermark plus every remembered order's reported
statuses, see ``triggers.watermark`` for its bound) is saved in the asset's state store on
Airflow 3.3+ after every poll that changed it, and before the poll's events are handed to the
triggerer. A triggerer killed in the instant between that save and the triggerer writing the
events to the database drops those events rather than repeating them (at most once wins). On
Airflow versions without an asset state store the state lives in memory only: a restart starts
again from "now".

Two instances at once (Airflow can run one watcher's trigger on two triggerers for a while, e.g.
a triggerer that stalled past its health check and came back): before saving, each re-reads the
stored state and drops the pairs the other saved as reported, then saves both instances' memory.
The asset state store has no compare-and-set, so a pair is reported twice only if both
instances found it in polls whose re-read and save interleave (a window of two state-store
calls, milliseconds, per poll interval).

Where it starts: from ``start_watermark`` if given, else from what exists when it first runs
(those orders are not reported). API errors never end it (a watcher that stopped would need a
redeploy): it logs them and backs off.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import AsyncIterator, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from airflow_provider_ordermesh.client.inputs import validated
from airflow_provider_ordermesh.client.pagination import aiter_pages
from airflow_provider_ordermesh.compat import BaseEventTrigger, TriggerEvent
from airflow_provider_ordermesh.hooks.connection_form import DEFAULT_CONN_ID
from airflow_provider_ordermesh.models.search import OrderSearch
from airflow_provider_ordermesh.models.statuses import DEFAULT_ORDER_STATUSES
from airflow_provider_ordermesh.triggers.watermark import MAX_REMEMBERED, OrderWatermark, parse_time
from airflow_provider_ordermesh.waits.watch import check_page_size
from airflow_provider_ordermesh.wording import counted

BASELINE_LOOKBACK: Final = timedelta(hours=1)
"""How far back the first poll looks to learn what already exists (covers clock skew with the API)."""

MAX_BACKOFF_SECONDS: Final = 900.0

_MANAGED_FILTERS: Final = frozenset({"ids", "safeIds", "safe_ids", "updatedSince", "updated_since", "status"})


class OrderMeshOrderEventTrigger(BaseEventTrigger):
    """Fire when orders matching a filter appear or change status (for ``AssetWatcher``).

    :param statuses: Only orders with one of these statuses (names, e.g. ``["Open"]``); default any.
    :param filters: Other order search filters in API names, e.g. ``{"isTest": false}``.
    :param start_watermark: ISO 8601 time to report updates from; default: from when it first runs.
        Keep it a constant: the trigger's arguments identify the watcher.
    :param ordermesh_conn_id: The OrderMesh connection.
    :param poll_interval: Seconds between polls.
    :param max_orders_per_event: Orders per event; more are split into several events.
    :param max_consecutive_errors: Failed polls in a row after which errors are logged as errors
        and polls back off (up to 15 minutes apart); polling goes on regardless.
    :param page_size: Records per search page (1-100).
    :param hook_params: JSON client options for ``OrderMeshHook``.
    :param max_remembered_orders: Orders whose reported statuses are remembered (and persisted);
        the least recently seen are forgotten first. About 40 bytes each in the state store.
    """

    def __init__(
        self,
        *,
        statuses: Iterable[str] | None = None,
        filters: Mapping[str, Any] | None = None,
        start_watermark: str | None = None,
        ordermesh_conn_id: str = DEFAULT_CONN_ID,
        poll_interval: float = 60.0,
        max_orders_per_event: int = 100,
        max_consecutive_errors: int = 5,
        page_size: int = 100,
        hook_params: dict[str, Any] | None = None,
        max_remembered_orders: int = MAX_REMEMBERED,
    ) -> None:
        super().__init__()
        self.statuses = sorted(DEFAULT_ORDER_STATUSES.normalise_all(statuses)) if statuses else None
        self.filters = dict(filters or {})
        if managed := sorted(_MANAGED_FILTERS & set(self.filters)):
            raise ValueError(f"filters: {', '.join(managed)} are set by the trigger itself (use statuses)")
        validated(OrderSearch, self._query(None), what="order event filters")
        if start_watermark is not None and parse_time(start_watermark) is None:
            raise ValueError(f"start_watermark: {start_watermark!r} is not an ISO 8601 time")
        self.start_watermark = start_watermark
        self.ordermesh_conn_id = ordermesh_conn_id
        self.poll_interval = float(poll_interval)
        if self.poll_interval <= 0:
            raise ValueError("poll_interval: must be more than 0 seconds")
        if not isinstance(max_orders_per_event, int) or max_orders_per_event < 1:
            raise ValueError("max_orders_per_event: must be an integer of at least 1")
        self.max_orders_per_event = max_orders_per_event
        if not isinstance(max_consecutive_errors, int) or max_consecutive_errors < 1:
            raise ValueError("max_consecutive_errors: must be an integer of at least 1")
        self.max_consecutive_errors = max_consecutive_errors
        self.page_size = check_page_size(page_size)
        self.hook_params = dict(hook_params or {})
        if not isinstance(max_remembered_orders, int) or max_remembered_orders < 1:
            raise ValueError("max_remembered_orders: must be an integer of at least 1")
        self.max_remembered_orders = max_remembered_orders

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return f"{type(self).__module__}.{type(self).__qualname__}", {
            "statuses": self.statuses,
            "filters": self.filters,
            "start_watermark": self.start_watermark,
            "ordermesh_conn_id": self.ordermesh_conn_id,
            "poll_interval": self.poll_interval,
            "max_orders_per_event": self.max_orders_per_event,
            "max_consecutive_errors": self.max_consecutive_errors,
            "page_size": self.page_size,
            "hook_params": self.hook_params,
            "max_remembered_orders": self.max_remembered_orders,
        }

    @property
    def state_key(self) -> str:
        """The asset state store key of this watcher's watermark: the filters, not the timings."""
        what = json.dumps(
            [self.ordermesh_conn_id, self.statuses, self.filters, self.start_watermark],
            sort_keys=True,
            default=str,
        )
        return "ordermesh_order_events_" + hashlib.sha256(what.encode()).hexdigest()[:16]

    def _query(self, since: datetime | None) -> dict[str, Any]:
        query: dict[str, Any] = dict(self.filters)
        if self.statuses:
            query["status"] = self.statuses
        if since is not None:
            query["updatedSince"] = since
        return query

    async def run(self) -> AsyncIterator[TriggerEvent]:
        """Poll forever; yield one event per batch of new or changed orders."""
        state = await self._load_state()
        saved = state.to_json()
        client: Any = None
        failures = 0
        while True:
            try:
                if client is None:
                    from airflow_provider_ordermesh.hooks.ordermesh import (
                        OrderMeshHook,  # only in the triggerer
                    )

                    client = await OrderMeshHook(
                        self.ordermesh_conn_id, **self.hook_params
                    ).get_async_client()
                fresh = await self._poll(client, state)
            except Exception as exc:
                failures += 1
                delay = self._log_failure(exc, failures)
                await asyncio.sleep(delay)
                continue
            failures = 0
            if (current := state.to_json()) != saved:
                # Another instance of this watcher may have saved since (Airflow can run one
                # trigger on two triggerers for a while): what it reported is not reported again.
                fresh = await self._without_reported_elsewhere(state, fresh, saved)
                current = state.to_json()
                # Saved before the events are handed over: a crash in between drops them rather
                # than reporting them twice (at most once), and a restart resumes from here.
                await self._save_state(current)
                saved = current
            ids = list(fresh)
            for start in range(0, len(ids), self.max_orders_per_event):
                batch = {
                    order_id: fresh[order_id] for order_id in ids[start : start + self.max_orders_per_event]
                }
                yield TriggerEvent(
                    {
                        "orders": batch,
                        "count": len(batch),
                        "watermark": state.watermark.isoformat() if state.watermark else None,
                    }
                )
            await asyncio.sleep(self.poll_interval)

    async def _poll(self, client: Any, state: OrderWatermark) -> dict[str, str]:
        """One poll: ``{id: status}`` of the orders to report. The first one only sets the start."""
        baseline = state.watermark is None
        since = state.watermark or datetime.fromtimestamp(time.time(), UTC) - BASELINE_LOOKBACK
        query = validated(OrderSearch, self._query(since), what="order event filters")
        records = [
            order
            async for order in aiter_pages(
                lambda page: client.orders.search_page(query, page=page, page_size=self.page_size)
            )
        ]
        state.watermark = since  # set only once the poll succeeded, so a failed first poll stays a baseline
        fresh = state.take(records, report=not baseline)
        if baseline:
            self.log.info(
                "Watching OrderMesh orders updated after %s (%d found already there, not reported)",
                state.watermark.isoformat() if state.watermark else "-",
                len(records),
            )
        return fresh

    def _log_failure(self, exc: Exception, failures: int) -> float:
        """Log a failed poll; the seconds to wait before the next one."""
        if failures < self.max_consecutive_errors:
            self.log.warning(
                "OrderMesh order poll failed (%d in a row): %s: %s", failures, type(exc).__name__, exc
            )
            return self.poll_interval
        delay = min(
            self.poll_interval * 2 ** (failures - self.max_consecutive_errors + 1), MAX_BACKOFF_SECONDS
        )
        self.log.error(
            "OrderMesh order poll failed %d times in a row, next try in %.0f s: %s: %s",
            failures,
            delay,
            type(exc).__name__,
            exc,
        )
        return delay

    # --- watermark persistence (Airflow 3.3+ asset state store) ----------------------------------

    async def _load_state(self) -> OrderWatermark:
        stored = await self._store_call("aget", self.state_key, None)
        if state := OrderWatermark.from_json(stored, capacity=self.max_remembered_orders):
            self.log.info(
                "Resuming from the stored watermark %s (%s remembered)",
                state.watermark,
                counted(len(state.known), "order"),
            )
            return state
        return OrderWatermark(watermark=parse_time(self.start_watermark), capacity=self.max_remembered_orders)

    async def _without_reported_elsewhere(
        self, state: OrderWatermark, fresh: dict[str, str], saved: dict[str, Any]
    ) -> dict[str, str]:
        """``fresh`` minus what another instance saved as reported since this one last saved.

        Re-reads the store just before saving: if its value is not the one this instance last
        saved or loaded, another instance wrote it; its watermark and statuses are taken in.
        """
        stored = await self._store_call("aget", self.state_key, None)
        if stored is None or stored == saved:
            return fresh
        other = OrderWatermark.from_json(stored, capacity=self.max_remembered_orders)
        if other is None:
            return fresh
        kept = {
            order_id: status for order_id, status in fresh.items() if not other.reported(order_id, status)
        }
        if len(kept) < len(fresh):
            self.log.warning(
                "Another instance of this watcher (on another triggerer) already reported %d of these "
                "orders; reporting the other %d only",
                len(fresh) - len(kept),
                len(kept),
            )
        state.absorb(other)
        return kept

    async def _save_state(self, state: dict[str, Any]) -> None:
        await self._store_call("aset", self.state_key, state)

    async def _store_call(self, method: str, *args: Any) -> Any:
        """Call the asset state store if the triggerer gave us one; failures only cost durability."""
        store = getattr(self, "asset_state_store", None)
        if store is None:
            return None
        try:
            return await getattr(store, method)(*args)
        except Exception as exc:
            self.log.warning(
                "Asset state store %s failed (%s: %s); the watermark is kept in memory only",
                method,
                type(exc).__name__,
                exc,
            )
            self.asset_state_store = None
            return None
