"""Where a run's client CPU goes: ``cProfile`` in every thread, then shares by what the code does.

``profile(action)`` runs ``action`` with one profiler per thread (the calling thread and every
thread started meanwhile, such as the bulk engine's pool), each timing CPU time of its own thread
(``time.thread_time``), so that time a thread spends waiting for an answer or for the GIL counts
for nothing. ``shares`` then adds up named parts of the merged profile, as fractions of all the
CPU time profiled.

cProfile's own cost falls on every Python call, so parts made of many small Python calls look
bigger than they are unprofiled: the shares say where the time goes, not how long it takes.
"""

from __future__ import annotations

import cProfile
import pstats
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

FunctionKey = tuple[str, int, str]  # (file name, line number, function name), as pstats keys them


@dataclass(frozen=True)
class Part:
    """Calls to ``function`` (a name, in a file whose path ends with ``file``), with what they call.

    With ``caller``, only the calls made from a function of that name count: e.g. the
    ``model_validate`` calls of the operator's validation pass, not those reading answers.
    """

    file: str
    function: str
    caller: str | None = None

    def matches(self, key: FunctionKey) -> bool:
        return key[2] == self.function and key[0].endswith(self.file)

    def seconds(self, stats: dict[FunctionKey, Any]) -> float:
        total = 0.0
        for key, (_calls, _primitive, _own, cumulative, callers) in stats.items():
            if not self.matches(key):
                continue
            if self.caller is None:
                total += cumulative
            else:
                total += sum(edge[3] for who, edge in callers.items() if who[2] == self.caller)
        return total


def profile(action: Callable[[], object]) -> pstats.Stats:
    """Run ``action`` profiled in this thread and in every thread it starts; the merged profile."""
    profilers: list[cProfile.Profile] = []
    lock = threading.Lock()

    def start_in_new_thread(*_: Any) -> None:
        # The first event of a new thread: replace this hook with a profiler of the thread's own.
        profiler = cProfile.Profile(time.thread_time)
        with lock:
            profilers.append(profiler)
        profiler.enable()

    main = cProfile.Profile(time.thread_time)
    threading.setprofile(start_in_new_thread)
    try:
        main.runcall(action)
    finally:
        threading.setprofile(None)  # removes the hook
    stats = pstats.Stats(main)
    for profiler in profilers:  # threads that ended keep what their profiler recorded
        profiler.create_stats()
        stats.add(profiler)
    return stats


def shares(stats: pstats.Stats, parts: Mapping[str, Iterable[Part]]) -> tuple[float, dict[str, float]]:
    """All the CPU seconds profiled, and each named part's fraction of them."""
    table: dict[FunctionKey, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in table.values())  # own time of every function, every thread
    if total <= 0:
        return 0.0, {name: 0.0 for name in parts}
    return total, {name: sum(part.seconds(table) for part in group) / total for name, group in parts.items()}
