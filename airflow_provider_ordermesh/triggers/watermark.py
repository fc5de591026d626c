"""What is new since the last poll: the order event trigger's watermark and de-duplication.

Pure state, no I/O. The watermark is the newest ``updatedAt`` the API has shown us (the server's
clock, never ours, so clock skew cannot hide orders); the next poll asks for orders updated since
then. An order is reported when it is new to us or its status differs from the one last
reported, so records the API returns again at the boundary, or after an update that left the
status alone, fire nothing.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Final

MAX_REMEMBERED: Final = 10_000
"""Orders whose last reported status is kept in memory (the oldest are forgotten first)."""


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
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


@dataclass
class OrderWatermark:
    """The newest update seen, and the last status reported per order."""

    watermark: datetime | None = None
    seen: OrderedDict[str, tuple[str, datetime | None]] = field(default_factory=OrderedDict)

    def take(self, records: Iterable[Any], *, report: bool = True) -> dict[str, str]:
        """Record a poll's orders; return ``{id: status}`` of those to report, in the API's order.

        With ``report=False`` (the first poll, which sets the starting point) nothing is returned.
        """
        fresh: dict[str, str] = {}
        newest = self.watermark
        for order in records:
            status = order.status or "Unknown"
            updated = parse_time(order.updated_at)
            previous = self.seen.pop(order.id, None)
            if report and (previous is None or previous[0] != status):
                fresh[order.id] = status
            self.seen[order.id] = (status, updated)
            if updated is not None and (newest is None or updated > newest):
                newest = updated
        self.watermark = newest
        while len(self.seen) > MAX_REMEMBERED:
            self.seen.popitem(last=False)
        return fresh

    def to_json(self) -> dict[str, Any]:
        """What survives a triggerer restart: the watermark and the orders updated exactly at it."""
        boundary = {order_id: status for order_id, (status, updated) in self.seen.items()
                    if updated is not None and self.watermark is not None and updated >= self.watermark}
        return {"watermark": self.watermark.isoformat() if self.watermark else None, "boundary": boundary}

    @classmethod
    def from_json(cls, data: Any) -> OrderWatermark | None:
        """The state ``to_json`` wrote, or None when ``data`` is not such a state."""
        if not isinstance(data, dict) or not (watermark := parse_time(data.get("watermark"))):
            return None
        boundary = data.get("boundary")
        pairs = boundary.items() if isinstance(boundary, dict) else ()
        seen: OrderedDict[str, tuple[str, datetime | None]] = OrderedDict(
            (str(i), (str(s), watermark)) for i, s in pairs
        )
        return cls(watermark=watermark, seen=seen)
