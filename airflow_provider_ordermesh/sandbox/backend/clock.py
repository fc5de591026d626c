"""Virtual time, and the heap of moments at which something is due.

Virtual time is real elapsed time times ``speed``, plus explicit advances, so a test can jump an
hour ahead instantly and a demo can run a day in minutes. Due work is applied lazily, before a
request is served, by popping the heap: nothing runs in the background.
"""

from __future__ import annotations

import heapq
import itertools
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta


class VirtualClock:
    """Seconds since the sandbox state was built, at ``speed`` virtual seconds per real one."""

    def __init__(self, speed: float, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._speed = speed
        self._anchor = monotonic()
        self._offset = 0.0
        self._started_at = datetime.now(UTC)

    def elapsed(self) -> float:
        """Virtual seconds since start."""
        return self._offset + (self._monotonic() - self._anchor) * self._speed

    def at(self, elapsed: float) -> datetime:
        """The virtual wall-clock time ``elapsed`` virtual seconds after start."""
        return self._started_at + timedelta(seconds=elapsed)

    def now(self) -> datetime:
        return self.at(self.elapsed())

    def advance(self, seconds: float) -> None:
        self._offset += seconds

    def set_speed(self, speed: float) -> None:
        """Change speed from now on, without moving the current time."""
        self._offset = self.elapsed()
        self._anchor = self._monotonic()
        self._speed = speed


class Schedule:
    """At most one due time per key; replacing or cancelling it leaves a stale heap entry that is skipped."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, str]] = []
        self._current: dict[str, int] = {}
        self._sequence = itertools.count()

    def set(self, key: str, due: float) -> None:
        sequence = next(self._sequence)
        self._current[key] = sequence
        heapq.heappush(self._heap, (due, sequence, key))

    def cancel(self, key: str) -> None:
        self._current.pop(key, None)

    def pop_due(self, now: float) -> Iterator[tuple[float, str]]:
        """``(due, key)`` for every entry due by ``now``, earliest first, including ones set meanwhile."""
        while self._heap and self._heap[0][0] <= now:
            due, sequence, key = heapq.heappop(self._heap)
            if self._current.get(key) == sequence:
                del self._current[key]
                yield due, key


def as_utc(moment: datetime) -> datetime:
    """``moment`` as an aware UTC time; a naive one is taken to be UTC already."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def iso(moment: datetime) -> str:
    """The wire form of a time: ISO 8601 with milliseconds and offset (``...T18:42:42.086+00:00``)."""
    return moment.isoformat(timespec="milliseconds")
