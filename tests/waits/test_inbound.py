"""Inbound orders as a wait, without I/O: safeId queries, what a poll found, and the deadline's verdict."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest

from airflow_provider_ordermesh.client.errors import ServerError
from airflow_provider_ordermesh.models.orders import Order
from airflow_provider_ordermesh.models.statuses import DEFAULT_SHIPMENT_STATUSES
from airflow_provider_ordermesh.waits.coalesce import SharedSearches
from airflow_provider_ordermesh.waits.progress import InboundProgress
from airflow_provider_ordermesh.waits.step import WaitStep
from airflow_provider_ordermesh.waits.watch import EmptyWait, InboundWatch, Query, ShipmentWatch

ORDER = "65add270441de72442397b6e"


def step(*safe_ids: str) -> WaitStep:
    return WaitStep(InboundWatch.build(safe_ids=safe_ids), max_consecutive_errors=2, unknown_id_grace=1)


def created(safe_id: str, order_id: str = ORDER) -> Order:
    return Order(id=order_id, safe_id=safe_id)


def test_safe_ids_are_searched_100_per_query():
    watch = InboundWatch.build(safe_ids=[f"s{n}" for n in range(150)])
    assert [len(q.filters["safeIds"]) for q in watch.queries()] == [100, 50]
    assert {q.group for q in watch.queries()} == {"orders"}
    assert watch.follow_up({}) == [] and watch.statuses_missed() == []
    with pytest.raises(EmptyWait, match="safe_ids"):
        InboundWatch.build(safe_ids=[])


def test_a_safe_id_not_found_is_waited_for_even_past_the_unknown_id_grace():
    wait = step("a", "b")
    for _ in range(3):  # the grace is 1 poll: an unknown id would have failed at the first
        verdict = wait.after_poll({"orders": [created("a")]})
        assert verdict.status == "waiting"
    assert verdict.message == "1 inbound order of 2 found by safeId; not found yet: b"


def test_success_maps_every_safe_id_to_its_order_and_ignores_orders_not_asked_for():
    wait = step("a")
    done = wait.after_poll({"orders": [created("other", "65add270441de72442397b00"), created("a")]})
    assert done.status == "success"
    assert done.event()["statuses"] == {"a": ORDER}
    assert done.message == f"1 inbound order created: safeId a is order {ORDER}"


def test_at_the_deadline_the_missing_safe_ids_are_an_unknown_outcome_a_failure():
    wait = step("a", "b")
    wait.after_poll({"orders": [created("a")]})
    wait.after_error(ServerError(status=503, method="GET", path="/v1/orders/search"))

    verdict = wait.at_deadline("2026-12-07T12:00:00+00:00")

    assert verdict.status == "failure" and isinstance(verdict.progress, InboundProgress)
    assert verdict.message.startswith(
        "outcome unknown at 2026-12-07T12:00:00+00:00: 1 inbound order not found by safeId: b. "
        "OrderMesh reports an inbound order that could not be created only by its OrderCreation webhook"
    )
    assert f"Found: a (order {ORDER})" in verdict.message
    assert "(the last poll failed: ServerError" in verdict.message
    assert verdict.event()["pending"] == ["b"] and verdict.event()["statuses"] == {"a": ORDER}


def test_a_deadline_before_any_answer_calls_every_safe_id_unknown():
    verdict = step("a", "b").at_deadline("then")
    assert verdict.status == "failure"
    assert "2 inbound orders not found by safeId: a; b." in verdict.message
    assert "Found" not in verdict.message


def test_a_status_wait_still_times_out_at_the_deadline():
    watch = ShipmentWatch.build(
        shipment_ids=["s-1"], order_ids=[], targets=[4], failures=[6], vocabulary=DEFAULT_SHIPMENT_STATUSES
    )
    verdict = WaitStep(watch, max_consecutive_errors=2, unknown_id_grace=3).at_deadline("then")
    assert (verdict.status, verdict.message) == ("timeout", "timed out at then while waiting")


def test_triggers_share_their_safe_id_searches():
    calls: list[Query] = []

    class Orders:
        def search(self, filters: dict[str, Any], *, page_size: int) -> Any:
            calls.append(Query("orders", dict(filters)))

            async def answer() -> Any:
                for safe_id in filters["safeIds"]:
                    yield SimpleNamespace(id=f"o-{safe_id}", safe_id=safe_id)

            return answer()

    client = SimpleNamespace(orders=Orders(), sharing_key=lambda: ("one API",))

    async def both() -> tuple[list[Any], list[Any]]:
        shared = SharedSearches.for_running_loop()
        return await asyncio.gather(
            shared.search(client, "orders", {"safeIds": ["a"]}, page_size=100, linger=0.01),
            shared.search(client, "orders", {"safeIds": ["b"]}, page_size=100, linger=0.01),
        )

    first, second = asyncio.run(both())
    assert calls == [Query("orders", {"safeIds": ["a", "b"]})]
    assert [r.id for r in first] == ["o-a"] and [r.id for r in second] == ["o-b"]
