"""Shared searches: id searches of many waits in one event loop go out together, and each wait
gets exactly its own records (or its own search's error)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any, cast

import pytest

from airflow_provider_ordermesh.limits import IDS_PER_SEARCH_MAX
from airflow_provider_ordermesh.waits.coalesce import MAX_LINGER, SharedSearches, linger_for


class FakeGroup:
    """A resource group whose searches answer one record per id asked (plus ``extra`` ones)."""

    def __init__(self, client: FakeClient) -> None:
        self.client = client

    def search(self, filters: dict[str, Any], *, page_size: int) -> AsyncIterator[Any]:
        self.client.calls.append((dict(filters), page_size))
        return self._answer(filters)

    async def _answer(self, filters: dict[str, Any]) -> AsyncIterator[Any]:
        await asyncio.sleep(0)
        ids = filters.get("ids") or []
        if self.client.fail_on in ids:
            raise RuntimeError(f"search with {self.client.fail_on} failed")
        for extra in self.client.extra:
            yield SimpleNamespace(id=extra, order_id=None)
        for i in reversed(ids):  # not in the order asked: each wait must get the API's order
            yield SimpleNamespace(id=i, order_id=None)
        for order_id in filters.get("orderIds") or []:
            yield SimpleNamespace(id=f"s-{order_id}-1", order_id=order_id)
            yield SimpleNamespace(id=f"s-{order_id}-2", order_id=order_id)


class FakeClient:
    """Stands in for ``AsyncOrderMeshClient``: records the searches it is asked to send."""

    def __init__(self, key: str = "one API", *, calls: list[Any] | None = None) -> None:
        self.key = key
        self.calls: list[Any] = [] if calls is None else calls
        self.fail_on: str | None = None
        self.extra: list[str] = []
        self.shipments = FakeGroup(self)

    def sharing_key(self) -> tuple[Any, ...]:
        return (self.key,)


def search(client: FakeClient, filters: dict[str, Any], *, page_size: int = 100, linger: float = 0.0) -> Any:
    return SharedSearches.for_running_loop().search(
        client, "shipments", filters, page_size=page_size, linger=linger
    )


def ids_of(records: list[Any]) -> list[str]:
    return [record.id for record in records]


async def test_id_searches_asked_together_go_out_as_one_and_each_wait_gets_its_own_records():
    client = FakeClient()
    client.extra = ["not-asked-for"]
    waits = [
        search(client, {"ids": ["a"]}),
        search(client, {"ids": ["b", "c"]}),
        search(client, {"ids": ["d"]}),
    ]

    results = await asyncio.gather(*waits)

    assert client.calls == [({"ids": ["a", "b", "c", "d"]}, 100)]
    assert [ids_of(r) for r in results] == [["a"], ["c", "b"], ["d"]], "own ids only, in the API's order"


async def test_more_ids_than_one_search_takes_go_out_in_searches_of_the_limit():
    client = FakeClient()
    count = 2 * IDS_PER_SEARCH_MAX + 50
    waits = [search(client, {"ids": [f"id-{n}"]}) for n in range(count)]
    twin = search(client, {"ids": ["id-0"]})  # a second wait on the same id

    results = await asyncio.gather(*waits, twin)

    assert [len(filters["ids"]) for filters, _ in client.calls] == [
        IDS_PER_SEARCH_MAX,
        IDS_PER_SEARCH_MAX,
        50,
    ]
    assert [ids_of(r) for r in results] == [[f"id-{n}"] for n in range(count)] + [["id-0"]]


async def test_shipments_of_orders_go_to_the_wait_that_asked_for_the_order():
    client = FakeClient()
    first, second = await asyncio.gather(
        search(client, {"orderIds": ["o1"], "status": [6]}),
        search(client, {"orderIds": ["o2"], "status": [6]}),
    )
    assert client.calls == [({"status": [6], "orderIds": ["o1", "o2"]}, 100)]
    assert ids_of(first) == ["s-o1-1", "s-o1-2"] and ids_of(second) == ["s-o2-1", "s-o2-2"]


async def test_searches_that_differ_in_anything_but_their_ids_go_out_apart():
    calls: list[Any] = []
    client, other_identity = FakeClient(calls=calls), FakeClient("another identity", calls=calls)
    await asyncio.gather(
        search(client, {"ids": ["a"]}),
        search(client, {"ids": ["b"], "status": [4]}),
        search(client, {"ids": ["c"]}, page_size=10),
        search(client, {"orderIds": ["o1"]}),
        search(other_identity, {"ids": ["d"]}),
        search(client, {"ids": ["e"]}),
    )
    assert sorted((sorted(f.items()), size) for f, size in calls) == sorted(
        [
            ([("ids", ["a", "e"])], 100),
            ([("ids", ["b"]), ("status", [4])], 100),
            ([("ids", ["c"])], 10),
            ([("orderIds", ["o1"])], 100),
            ([("ids", ["d"])], 100),
        ]
    )


async def test_a_search_without_an_id_filter_is_sent_as_it_is():
    client = FakeClient()
    assert await search(client, {"status": [4]}) == []
    assert await search(client, {"ids": ["a"], "orderIds": ["o1"]}) is not None
    assert client.calls == [({"status": [4]}, 100), ({"ids": ["a"], "orderIds": ["o1"]}, 100)]


async def test_a_failed_search_fails_only_the_waits_whose_ids_it_carried():
    client = FakeClient()
    client.fail_on = "id-150"  # in the second search of 100
    waits = [search(client, {"ids": [f"id-{n}"]}) for n in range(2 * IDS_PER_SEARCH_MAX + 1)]

    results = await asyncio.gather(*waits, return_exceptions=True)

    failed = [n for n, result in enumerate(results) if isinstance(result, Exception)]
    assert failed == list(range(IDS_PER_SEARCH_MAX, 2 * IDS_PER_SEARCH_MAX))
    assert all(str(results[n]) == "search with id-150 failed" for n in failed)
    first, last = cast(list[Any], results[0]), cast(list[Any], results[-1])  # neither failed (above)
    assert ids_of(first) == ["id-0"] and ids_of(last) == [f"id-{2 * IDS_PER_SEARCH_MAX}"]


async def test_a_wait_cancelled_before_its_answer_leaves_the_others_theirs():
    client = FakeClient()
    leaving, staying = search(client, {"ids": ["a"]}), search(client, {"ids": ["b"]})
    leaving.cancel()
    assert ids_of(await staying) == ["b"]
    assert client.calls == [({"ids": ["b"]}, 100)], "a cancelled wait's ids are not searched for"


async def test_a_wait_with_less_patience_brings_the_shared_search_forward():
    client = FakeClient()
    patient = search(client, {"ids": ["a"]}, linger=3600)
    hurried = search(client, {"ids": ["b"]}, linger=0)
    assert ids_of(await asyncio.wait_for(hurried, timeout=30)) == ["b"]
    assert ids_of(await asyncio.wait_for(patient, timeout=30)) == ["a"]
    assert client.calls == [({"ids": ["a", "b"]}, 100)]


@pytest.mark.parametrize(("poll_interval", "linger"), [(0, 0.0), (0.5, 0.005), (10, 0.1), (60, MAX_LINGER)])
def test_a_wait_lets_its_search_wait_a_hundredth_of_its_poll_interval_at_most(poll_interval, linger):
    assert linger_for(poll_interval) == pytest.approx(linger)


def test_a_closed_event_loop_is_not_kept_alive_by_its_shared_searches():
    import gc
    import weakref

    async def one_search() -> weakref.ref[asyncio.AbstractEventLoop]:
        await search(FakeClient(), {"ids": ["a"]})
        return weakref.ref(asyncio.get_running_loop())

    loop = asyncio.run(one_search())
    gc.collect()
    assert loop() is None


async def test_an_id_asked_twice_by_one_wait_comes_back_once_as_its_own_search_would():
    client = FakeClient()
    twice, other = await asyncio.gather(
        search(client, {"ids": ["a", "a"]}), search(client, {"ids": ["a", "b"]})
    )
    assert client.calls == [({"ids": ["a", "b"]}, 100)]
    assert (ids_of(twice), ids_of(other)) == (["a"], ["b", "a"])


async def test_an_empty_id_list_is_sent_as_it_is_never_answered_by_the_merge():
    client = FakeClient()
    await asyncio.gather(search(client, {"ids": []}), search(client, {"ids": ["a"]}))
    assert sorted(map(str, client.calls)) == sorted(map(str, [({"ids": []}, 100), ({"ids": ["a"]}, 100)]))
