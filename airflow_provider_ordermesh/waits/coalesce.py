"""Id searches of many waits in one event loop, merged into shared searches.

A triggerer runs all its deferred waits in one event loop. A thousand shipment triggers, each
watching its own shipment, would send a thousand one-id searches per poll round, and the
client's CPU would go on request handling (httpx's connection pool rescans its connections for
every request that starts or ends). Triggers are independent objects (Airflow builds, runs and
cancels each on its own), so they are not merged; their searches are, below them:

- A search by ids (``ids``, ``orderIds`` for shipments, ``safeIds`` for orders) waits up to ``linger`` seconds for
  others of the same kind: the same resource group, other filters and page size, sent by an
  interchangeable client (``AsyncOrderMeshClient.sharing_key``). Then the union of their ids
  goes out as searches of up to ``IDS_PER_SEARCH_MAX`` ids, ``SEARCHES_IN_FLIGHT`` at a time.
- Each wait gets only the records of its own ids, in the order the API sent them, exactly what
  its own search would have returned. A search that fails fails the waits whose ids it carried,
  with its error; the others get their records.
- Waits polled together wake together (they get their answers at the same moment and sleep the
  same interval), so they keep sharing. Waits whose polls fall more than ``linger`` apart share
  nothing and send their own searches, as before.

Any other query is sent as it is.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from airflow_provider_ordermesh.limits import IDS_PER_SEARCH_MAX

MAX_LINGER: Final = 0.2
"""The longest a search waits for others to share it, in seconds."""

SEARCHES_IN_FLIGHT: Final = 4
"""Searches of one merged batch sent at a time (as many as the bulk engine keeps in flight)."""

ID_FIELDS: Final = {"ids": "id", "orderIds": "order_id", "safeIds": "safe_id"}
"""The id filters that can be merged, and the record attribute that each one matches."""


def linger_for(poll_interval: float) -> float:
    """How long a wait polling every ``poll_interval`` seconds lets its searches wait to be shared:
    a hundredth of the interval, at most ``MAX_LINGER`` (0 for a wait that polls without pause)."""
    return max(0.0, min(MAX_LINGER, poll_interval / 100))


@dataclass
class _Batch:
    """Searches of one kind waiting to go out together; ``members`` are (ids, future of records)."""

    client: Any
    group: str
    id_field: str
    filters: dict[str, Any]
    page_size: int
    flush_at: float
    members: list[tuple[tuple[str, ...], asyncio.Future[list[Any]]]] = field(default_factory=list)
    timer: asyncio.TimerHandle | None = None


class SharedSearches:
    """The merging point of one event loop; ``for_running_loop()`` finds or makes it."""

    _per_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, SharedSearches] = (
        weakref.WeakKeyDictionary()
    )

    def __init__(self) -> None:
        # No reference to the loop: it keys ``_per_loop`` weakly, and a value holding it would keep
        # every closed loop alive.
        self._open: dict[Hashable, _Batch] = {}
        self._running: set[asyncio.Task[None]] = set()  # strong references until each batch ends

    @classmethod
    def for_running_loop(cls) -> SharedSearches:
        """The instance of the running event loop, made on first use."""
        loop = asyncio.get_running_loop()
        shared = cls._per_loop.get(loop)
        if shared is None:
            shared = cls._per_loop[loop] = cls()
        return shared

    def search(
        self, client: Any, group: str, filters: dict[str, Any], *, page_size: int, linger: float
    ) -> asyncio.Future[list[Any]]:
        """A future of every record ``client.<group>.search(filters)`` matches.

        An id search is merged with the others of its kind arriving within ``linger`` seconds;
        any other search is sent at once. The future raises what the search raised.
        """
        mergeable = _mergeable(filters)
        if mergeable is None:
            return asyncio.ensure_future(_search_all(client, group, filters, page_size))
        id_field, ids, others, frozen_others = mergeable
        key = (client.sharing_key(), group, id_field, frozen_others, page_size)
        loop = asyncio.get_running_loop()
        future: asyncio.Future[list[Any]] = loop.create_future()
        due = loop.time() + linger
        batch = self._open.get(key)
        if batch is None:
            batch = self._open[key] = _Batch(client, group, id_field, others, page_size, flush_at=due)
            batch.timer = loop.call_at(due, self._flush, key)
        elif due < batch.flush_at:  # a member with less patience brings the batch forward
            assert batch.timer is not None
            batch.timer.cancel()
            batch.flush_at = due
            batch.timer = loop.call_at(due, self._flush, key)
        batch.members.append((ids, future))
        return future

    def _flush(self, key: Hashable) -> None:
        batch = self._open.pop(key)
        task = asyncio.get_running_loop().create_task(self._run(batch))
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    async def _run(self, batch: _Batch) -> None:
        members = [(ids, future) for ids, future in batch.members if not future.done()]  # not cancelled
        try:
            if members:
                await _answer(batch, members)
        finally:  # this task was cancelled (the loop is closing): so are the searches it serves
            for _, future in members:
                if not future.done():
                    future.cancel()


async def _answer(batch: _Batch, members: list[tuple[tuple[str, ...], asyncio.Future[list[Any]]]]) -> None:
    """Send the union of the members' ids and give each member its records or its search's error."""
    union = list(dict.fromkeys(i for ids, _ in members for i in ids))
    chunks = [union[start : start + IDS_PER_SEARCH_MAX] for start in range(0, len(union), IDS_PER_SEARCH_MAX)]
    slots = asyncio.Semaphore(SEARCHES_IN_FLIGHT)

    async def one(chunk: list[str]) -> list[Any]:
        async with slots:
            filters = {**batch.filters, batch.id_field: chunk}
            return await _search_all(batch.client, batch.group, filters, batch.page_size)

    answers = await asyncio.gather(*(one(chunk) for chunk in chunks), return_exceptions=True)
    errors = {n: answer for n, answer in enumerate(answers) if isinstance(answer, BaseException)}
    chunk_of = {i: n for n, chunk in enumerate(chunks) for i in chunk}
    attribute = ID_FIELDS[batch.id_field]
    wanted: dict[str, list[int]] = {}
    for index, (ids, _) in enumerate(members):
        for i in dict.fromkeys(ids):  # an id asked twice by one wait still gets its record once
            wanted.setdefault(i, []).append(index)
    records: list[list[Any]] = [[] for _ in members]
    for answer in answers:
        if isinstance(answer, BaseException):
            continue
        for record in answer:
            for index in wanted.get(getattr(record, attribute, None) or "", ()):
                records[index].append(record)
    for index, (ids, future) in enumerate(members):
        if future.done():  # cancelled meanwhile
            continue
        failed = sorted(n for n in {chunk_of[i] for i in ids} if n in errors)
        if failed:
            future.set_exception(errors[failed[0]])
        else:
            future.set_result(records[index])


async def _search_all(client: Any, group: str, filters: dict[str, Any], page_size: int) -> list[Any]:
    """Every record of one search, page by page."""
    return [record async for record in getattr(client, group).search(filters, page_size=page_size)]


def _mergeable(
    filters: dict[str, Any],
) -> tuple[str, tuple[str, ...], dict[str, Any], Hashable] | None:
    """``(id field, ids, the other filters, those frozen)`` for a search by exactly one id filter
    whose other filters are plain values, else None."""
    present = [name for name in ID_FIELDS if filters.get(name) is not None]
    if len(present) != 1:
        return None
    ids = filters[present[0]]
    if not isinstance(ids, Sequence) or isinstance(ids, str) or not all(isinstance(i, str) for i in ids):
        return None
    if not ids:  # what the API makes of an empty id list is its own answer, not the merge's
        return None
    others = {name: value for name, value in filters.items() if name != present[0]}
    frozen = _frozen(others)
    try:
        hash(frozen)
    except TypeError:
        return None
    return present[0], tuple(ids), others, frozen


def _frozen(value: Any) -> Hashable:
    """A hashable stand-in for a JSON-like filter value (lists become tuples, dicts sorted pairs)."""
    if isinstance(value, dict):
        return tuple(sorted((str(k), _frozen(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return frozenset(_frozen(v) for v in value)
    return value
