"""The inbound-order fallback against the sandbox over real HTTP: found by safeId, or unknown at the deadline.

The sandbox's Transformation is the identity: a body that is a valid order becomes one, anything
else fails, which OrderMesh (and the sandbox) reports only by webhook. So a search finds the first
kind and never the second, and the sensor must call the second's outcome unknown, never a success.
"""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest
from operators.conftest import FAST_RETRIES
from operators.context import run_op
from operators.data import order
from support.orders import search_requests

from airflow_provider_ordermesh.compat import (
    AirflowFailException,
    AirflowRescheduleException,
    PokeReturnValue,
    TaskDeferred,
    import_string,  # the triggerer's loader
)
from airflow_provider_ordermesh.operators.inbound import OrderMeshSubmitInboundOrderOperator
from airflow_provider_ordermesh.sensors.base import OrderMeshWaitError
from airflow_provider_ordermesh.sensors.inbound import OrderMeshInboundOrderSensor
from airflow_provider_ordermesh.triggers.inbound import OrderMeshInboundOrderTrigger

pytestmark = pytest.mark.sandbox

TRANSFORMATION_ID = "8e7c2a1b-0000-4000-8000-000000000001"


def submit(body: dict[str, Any]) -> dict[str, Any]:
    """Submit one inbound order through the operator; its result (the sensor's input)."""
    op = OrderMeshSubmitInboundOrderOperator(
        task_id="submit_inbound", body=body, transformation_id=TRANSFORMATION_ID, hook_params=FAST_RETRIES
    )
    result: dict[str, Any] = run_op(op)[0]
    return result


def failing_body(safe_id: str) -> dict[str, Any]:
    """An inbound order the sandbox's Transformation cannot turn into an order (no items)."""
    return {"safeId": safe_id, "externalId": safe_id, "shippingAddress": order()["shippingAddress"]}


def sensor(**kwargs: Any) -> OrderMeshInboundOrderSensor:
    return OrderMeshInboundOrderSensor(**{"task_id": "wait", "poke_interval": 0.05, "timeout": 10, **kwargs})


def test_succeeds_with_the_order_id_of_every_safe_id_once_all_appear(om, api):
    first = submit({**order(), "safeId": "shop-1"})
    late = {**order(), "safeId": "shop-2"}

    def submit_after_a_few_polls() -> None:
        deadline = time.monotonic() + 10
        while search_requests(om.stats(), "orders.search") < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        submit(late)

    helper = threading.Thread(target=submit_after_a_few_polls)
    helper.start()
    try:
        # the submit operator's result and a bare safeId, as the argument takes both
        result = sensor(safe_ids=[first, "shop-2"]).execute({})
    finally:
        helper.join()

    assert result == {
        "shop-1": api.orders.get_by_safe_id("shop-1").id,
        "shop-2": api.orders.get_by_safe_id("shop-2").id,
    }
    assert search_requests(om.stats(), "orders.search") >= 4  # it waited for shop-2


def test_safe_ids_are_searched_100_per_request(om, api):
    safe_ids = [f"never-{n}" for n in range(150)]
    wait = sensor(safe_ids=safe_ids)
    assert wait.poke({}) is False
    assert search_requests(om.stats(), "orders.search") == 2


@pytest.mark.parametrize("soft_fail", [False, True])
def test_an_inbound_order_not_created_is_unknown_at_the_deadline_never_a_success(om, api, soft_fail):
    good = submit({**order(), "safeId": "shop-good"})
    bad = submit(failing_body("shop-bad"))
    assert bad["submitted"] is True  # queued: its failure is only in the webhook
    started = time.monotonic()

    with pytest.raises(OrderMeshWaitError) as failed:
        sensor(safe_ids=[good, bad], timeout=0.5, soft_fail=soft_fail).execute({})

    assert time.monotonic() - started >= 0.4, "it waited to the deadline (less the final poke's slack)"
    message = str(failed.value)
    assert message.startswith("outcome unknown at 20")
    assert "1 inbound order not found by safeId: shop-bad." in message
    assert "only by its OrderCreation webhook" in message and "not a success" in message
    assert "docs/webhooks.md" in message
    assert f"Found: shop-good (order {api.orders.get_by_safe_id('shop-good').id})" in message


class RescheduledTaskInstance:
    """What a reschedule-mode sensor asks of its task instance: when the wait's first poke ran."""

    def __init__(self, first_poke: datetime | None) -> None:
        self.first_poke = first_poke

    def get_first_reschedule_date(self, context: Any) -> datetime | None:
        return self.first_poke


@pytest.mark.parametrize("soft_fail", [False, True])
def test_in_reschedule_mode_the_deadline_counts_from_the_first_poke_and_is_still_unknown(om, api, soft_fail):
    # Each poke is a new task run: the deadline is the first poke's time plus timeout, and the
    # run past it reports the unknown outcome itself, before Airflow's timeout (a skip with soft_fail).
    good = submit({**order(), "safeId": "shop-good"})
    bad = submit(failing_body("shop-bad"))

    def run(first_poke: datetime | None) -> Any:
        wait = sensor(
            safe_ids=[good, bad], mode="reschedule", poke_interval=60, timeout=600, soft_fail=soft_fail
        )
        return wait.execute(cast("Any", {"ti": RescheduledTaskInstance(first_poke)}))

    with pytest.raises(AirflowRescheduleException):
        run(None)
    with pytest.raises(AirflowRescheduleException):
        run(datetime.now(UTC) - timedelta(seconds=500))
    with pytest.raises(OrderMeshWaitError, match=r"outcome unknown at .*not found by safeId: shop-bad"):
        run(datetime.now(UTC) - timedelta(seconds=601))


def test_an_answer_no_retry_can_change_is_an_error_at_once_not_a_safe_id_not_found(om, api):
    om.set_faults([{"route": "orders.search", "kind": "status", "status": 403}])
    with pytest.raises(Exception, match="403") as failed:
        sensor(safe_ids=["shop-1"], hook_params={"max_retries": 0}).execute({})
    assert not isinstance(failed.value, OrderMeshWaitError) or "unknown" not in str(failed.value)
    assert search_requests(om.stats(), "orders.search") == 1


def test_deferrable_mode_defers_a_trigger_that_round_trips_and_ends_the_same_way(om, api):
    good = submit({**order(), "safeId": "shop-good"})
    bad = submit(failing_body("shop-bad"))
    wait = sensor(safe_ids=[good, bad], deferrable=True, timeout=0.4, poke_interval=0.05)

    with pytest.raises(TaskDeferred) as deferred:
        wait.execute({})

    trigger = deferred.value.trigger
    assert isinstance(trigger, OrderMeshInboundOrderTrigger)
    classpath, kwargs = trigger.serialize()
    assert classpath == "airflow_provider_ordermesh.triggers.inbound.OrderMeshInboundOrderTrigger"
    assert kwargs["safe_ids"] == ["shop-good", "shop-bad"]
    rebuilt = import_string(classpath)(**kwargs)  # as the triggerer rebuilds it
    assert rebuilt.serialize() == (classpath, kwargs)

    event = asyncio.run(only_event(rebuilt))
    assert event["status"] == "failure"
    assert event["pending"] == ["shop-bad"]
    assert event["statuses"] == {"shop-good": api.orders.get_by_safe_id("shop-good").id}
    with pytest.raises(OrderMeshWaitError, match=r"outcome unknown at .* shop-bad"):
        wait.execute_complete({}, event)


def test_deferrable_mode_succeeds_through_the_trigger_when_every_order_appears(om, api):
    wait = sensor(safe_ids=["shop-1"], deferrable=True, timeout=30, poke_interval=0.05)
    with pytest.raises(TaskDeferred) as deferred:
        wait.execute({})
    submit({**order(), "safeId": "shop-1"})

    event = asyncio.run(only_event(deferred.value.trigger))

    assert event["status"] == "success"
    assert wait.execute_complete({}, event) == {"shop-1": api.orders.get_by_safe_id("shop-1").id}


def test_deferrable_mode_never_defers_a_wait_that_is_already_over(om, api):
    created = submit({**order(), "safeId": "shop-1"})
    assert sensor(safe_ids=created, deferrable=True).execute({}) == {"shop-1": created_id(api, "shop-1")}


def test_a_poke_without_execute_has_no_deadline_and_reports_what_it_found(om, api):
    submit({**order(), "safeId": "shop-1"})
    done = sensor(safe_ids="shop-1").poke({})
    assert isinstance(done, PokeReturnValue)
    assert done.xcom_value == {"shop-1": created_id(api, "shop-1")}


def created_id(api: Any, safe_id: str) -> str:
    found: str = api.orders.get_by_safe_id(safe_id).id
    return found


async def only_event(trigger: Any, timeout: float = 10) -> dict[str, Any]:
    """The trigger's one event (the generator ends after it), as plain JSON."""
    events = []
    agen = trigger.run()
    while True:
        try:
            events.append((await asyncio.wait_for(anext(agen), timeout)).payload)
        except StopAsyncIteration:
            break
    assert len(events) == 1, events
    return events[0]


# --- arguments: refused before any request, naming safe_ids and the fix -------------------------------


BAD: list[Any] = [
    None,
    "",
    " ",
    "null",
    "None",
    "[]",
    [],
    (),
    {},
    3,
    True,
    {"shop-1", "shop-2"},
    ["shop-1", "shop-1"],
    [{"safe_id": "shop-1"}, "shop-1"],
    [""],
    ["  "],
    [None],
    [["shop-1"]],
    [{"order_id": "65add270441de72442397b6e"}],
    [{"safe_id": None}],
    ["a/b"],
    ["\x80"],  # no visible content: the id rule lets it through, the order search does not
    "shop-1,shop-2",
    "[not json",
]


@pytest.mark.parametrize("value", BAD, ids=repr)
def test_a_bad_value_is_refused_when_the_dag_is_parsed(value):
    with pytest.raises(ValueError, match="safe_ids"):
        OrderMeshInboundOrderSensor(task_id="wait", safe_ids=value)


@pytest.mark.parametrize("value", BAD, ids=repr)
def test_a_bad_rendered_value_fails_without_retry_and_sends_nothing(om, value):
    wait = OrderMeshInboundOrderSensor(task_id="wait", safe_ids="{{ params.v }}")
    wait.safe_ids = value  # as rendered
    with pytest.raises(AirflowFailException, match="safe_ids") as refused:
        wait.execute({})
    assert "give" in str(refused.value) or "tojson" in str(refused.value)  # says the fix
    assert om.stats()["requestsTotal"] == 0


def test_the_submit_operators_results_are_taken_as_rendered_text_too():
    results = [{"safe_id": "shop-1", "submitted": True, "order_id": None, "request_id": "r"}]
    for rendered in (str(results), '[{"safe_id": "shop-1"}]', "shop-1"):
        wait = OrderMeshInboundOrderSensor(task_id="wait", safe_ids="{{ params.v }}")
        wait.safe_ids = rendered
        assert wait.build_watch(at_runtime=True).safe_ids == ("shop-1",)


def test_the_defaults_are_an_hours_deadline_and_no_status_arguments():
    wait = OrderMeshInboundOrderSensor(task_id="wait", safe_ids=["shop-1"])
    assert wait.timeout == 3600
    assert wait.template_fields == ("ordermesh_conn_id", "safe_ids")
    assert wait.lineage_reads == ("orders",)
    with pytest.raises(TypeError):
        OrderMeshInboundOrderSensor(task_id="typo", safe_ids=["shop-1"], target_statuses=["Open"])


@pytest.mark.parametrize("safe_id", ["shop-1", "\x80", "\u200b", "x" * 256, "é" * 3, "None"])
def test_a_safe_id_the_order_search_refuses_is_refused_by_the_argument_check_first(safe_id):
    from airflow_provider_ordermesh.client.errors import InvalidRequestError
    from airflow_provider_ordermesh.client.inputs import validated
    from airflow_provider_ordermesh.models.search import OrderSearch

    try:
        validated(OrderSearch, {"safeIds": [safe_id]})
    except InvalidRequestError:
        with pytest.raises(ValueError, match=r"safe_ids\[0\]"):
            OrderMeshInboundOrderSensor(task_id="wait", safe_ids=[safe_id])
    else:
        OrderMeshInboundOrderSensor(task_id="wait", safe_ids=[safe_id])
