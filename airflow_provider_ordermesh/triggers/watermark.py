"""What is new since the last poll: the order event trigger's watermark and its memory of what it reported.

Pure state, no I/O. The watermark is the newest ``updatedAt`` the API has shown us (the server's
clock, never ours, so clock skew cannot hide orders); the next poll asks for orders updated since
then. Each (order, status) pair is reported at most once: the state remembers, per order, every
status already reported (or already there when the watch began), so an order updated again with
a status it had (in OrderMesh every shipment step updates its order) fires nothing, also after a
restart, because all of it is what ``to_json`` persists.

Bounded: at most ``capacity`` orders are remembered (default ``MAX_REMEMBERED``, about 40 bytes
each in the persisted JSON, so about 40 KB, under the 64 KB Airflow advises for a state store
value). When full, the order seen least recently is forgotten first; such an order could be
reported again only if it changes after ``capacity`` other orders changed since it last did.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

MAX_REMEMBERED: Final = 1_000
"""Orders whose reported statuses are remembered, by default (the least recently seen go first)."""

STATE_VERSION: Final = 2
"""The layout of ``to_json``: 2 remembers every order's statuses; 1 kept only the boundary orders."""


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 timestamp as an aware UTC datetime (naive means UTC); None if absent or unreadable."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and value.strip():
        try:
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    else:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass
class OrderWatermark:
    """The newest update seen, and per order the statuses already reported, least recently seen first."""

    watermark: datetime | None = None
    known: OrderedDict[str, list[str]] = field(default_factory=OrderedDict)
    capacity: int = MAX_REMEMBERED

    def take(self, records: Iterable[Any], *, report: bool = True) -> dict[str, str]:
        """Record a poll's orders; return ``{id: status}`` of the (order, status) pairs not reported before.

        With ``report=False`` (the first poll, which sets the starting point) the orders found are
        remembered as they are and nothing is returned.
        """
        fresh: dict[str, str] = {}
        newest = self.watermark
        for order in records:
            status = order.status or "Unknown"
            statuses = self.known.pop(order.id, [])
            if status not in statuses:
                statuses.append(status)
                if report:
                    fresh[order.id] = status
            self.known[order.id] = statuses  # now the most recently seen
            updated = parse_time(order.updated_at)
            if updated is not None and (newest is None or updated > newest):
                newest = updated
        self.watermark = newest
        while len(self.known) > self.capacity:
            self.known.popitem(last=False)
        return fresh

    def absorb(self, other: OrderWatermark) -> None:
        """Take in what another instance of the same watcher saved: its watermark if newer, its statuses.

        For a watcher that Airflow runs on two triggerers at once: each (order, status) the other
        reported counts as reported here too.
        """
        for order_id, statuses in other.known.items():
            mine = self.known.pop(order_id, [])
            self.known[order_id] = mine + [status for status in statuses if status not in mine]
        if other.watermark is not None and (self.watermark is None or other.watermark > self.watermark):
            self.watermark = other.watermark
        while len(self.known) > self.capacity:
            self.known.popitem(last=False)

    def reported(self, order_id: str, status: str) -> bool:
        """Whether (order, status) is remembered as reported (or as there when the watch began)."""
        return status in self.known.get(order_id, ())

    def to_json(self) -> dict[str, Any]:
        """Everything a restarted trigger needs: the watermark and every remembered order's statuses."""
        return {
            "version": STATE_VERSION,
            "watermark": self.watermark.isoformat() if self.watermark else None,
            "orders": {order_id: list(statuses) for order_id, statuses in self.known.items()},
        }

    @classmethod
    def from_json(cls, data: Any, *, capacity: int = MAX_REMEMBERED) -> OrderWatermark | None:
        """The state ``to_json`` wrote (or version 1's ``boundary``); None when ``data`` is not a state."""
        if not isinstance(data, dict) or not (watermark := parse_time(data.get("watermark"))):
            return None
        orders = data.get("orders")
        if isinstance(orders, dict):
            known = OrderedDict(
                (str(i), [str(s) for s in statuses])
                for i, statuses in orders.items()
                if isinstance(statuses, list)
            )
        else:  # version 1: only the orders updated exactly at the watermark, with their last status
            boundary = data.get("boundary")
            known = OrderedDict(
                (str(i), [str(s)]) for i, s in (boundary.items() if isinstance(boundary, dict) else ())
            )
        state = cls(watermark=watermark, known=known, capacity=capacity)
        while len(state.known) > capacity:
            state.known.popitem(last=False)
        return state
