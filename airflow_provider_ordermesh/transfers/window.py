"""The export window: a half-open interval ``[since, before)`` of ``updatedAt``, and its partition name.

Half-open windows tile time: consecutive data intervals neither overlap nor leave a gap, so an
object lands in exactly one window for each change time it has.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any


class WindowError(ValueError):
    """A window that cannot be exported (missing, unparseable, or ending before it starts)."""


def as_utc(value: Any, field: str, *, naive_is_utc: bool = False) -> datetime:
    """``value`` (a datetime or ISO 8601 text) as an aware UTC datetime; the error names ``field``.

    A window end without a time zone is refused (``naive_is_utc`` is for the API's own
    timestamps): read as UTC, a local time would shift the window by the offset and silently
    export the wrong hours, so the author says which zone they meant.
    """
    given = value
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise WindowError(
                f"{field}={value!r} is not an ISO 8601 date-time such as 2026-11-26T00:00:00Z"
            ) from None
    if not isinstance(value, datetime):
        raise WindowError(f"{field} must be a datetime or ISO 8601 text, got {type(value).__name__}")
    if value.tzinfo is None:
        if not naive_is_utc:
            raise WindowError(
                f"{field}={given!s:.40} has no time zone; give it one (e.g. 2026-11-26T00:00:00Z, or "
                "datetime(..., tzinfo=timezone.utc)), or leave it at the default {{ data_interval_start }} "
                "/ {{ data_interval_end }}, which carry theirs"
            )
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


@dataclass(frozen=True)
class Window:
    """``[since, before)`` in UTC."""

    since: datetime
    before: datetime

    @classmethod
    def of(cls, since: Any, before: Any) -> Window:
        """A checked window: both ends given, and ``before`` not earlier than ``since``."""
        start, end = as_utc(since, "updated_since"), as_utc(before, "updated_before")
        if end == start:
            raise WindowError(
                f"updated_since and updated_before are both {start.isoformat()}: the window is empty, and "
                "exporting it would write an empty partition. A run started by hand may have a data interval "
                "of no length: give updated_since and updated_before explicitly, or trigger the run for a "
                "logical date whose data interval has a length"
            )
        if end < start:
            raise WindowError(
                f"updated_before ({end.isoformat()}) is earlier than updated_since ({start.isoformat()}); "
                "swap them, or give a later updated_before"
            )
        return cls(start, end)

    @property
    def empty(self) -> bool:
        return self.before <= self.since

    @property
    def whole_day(self) -> bool:
        """True for exactly one UTC calendar day (a daily data interval)."""
        midnight = self.since.replace(hour=0, minute=0, second=0, microsecond=0)
        return self.since == midnight and self.before == midnight + timedelta(days=1)

    def partition(self) -> str:
        """``date=2026-11-26`` for a whole day; otherwise the date plus the exact window, so
        two different windows of one day never share (and overwrite) a partition."""
        day = f"date={self.since:%Y-%m-%d}"
        if self.whole_day:
            return day
        return f"{day}/window={self.since:%Y%m%dT%H%M%SZ}_{self.before:%Y%m%dT%H%M%SZ}"

    def contains(self, moment: str | None) -> bool:
        """Whether an ISO 8601 timestamp from the API falls inside the window."""
        if not moment:
            return False
        return self.since <= as_utc(moment, "timestamp", naive_is_utc=True) < self.before

    def to_json(self) -> dict[str, str]:
        return {"since": self.since.isoformat(), "before": self.before.isoformat()}


def incremental_window(cursor: Any, *, first_since: Any, now: datetime, lag: timedelta) -> Window:
    """The next incremental window: from the stored cursor (or ``first_since`` on the first run)
    up to ``now - lag``, so that changes still settling (clock skew, late commits) wait for the
    next run instead of being missed. Never ends before it starts (an early run is empty).

    A first run (no cursor) whose window would be empty is refused: it would store ``now - lag``
    as the cursor, and nothing that changed before it would ever be exported. That happens when
    a run started by hand renders ``updated_since`` from a data interval that ends now.
    """
    since = as_utc(cursor if cursor else first_since, "cursor" if cursor else "updated_since")
    before = max(as_utc(now, "now") - lag, since)
    if not cursor and before <= since:
        raise WindowError(
            f"incremental=True has no cursor yet, and updated_since ({since.isoformat()}) leaves an empty first "
            f"window up to now minus lag ({before.isoformat()}); the cursor would start there and every earlier "
            "change would never be exported. Give updated_since the start of the history to export, e.g. "
            "updated_since='2026-01-01T00:00:00Z'"
        )
    return Window(since, before)
