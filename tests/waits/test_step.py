"""The wait's decision as a pure step: budget, its reset, unknown-id grace and outcome, without I/O."""

from __future__ import annotations

import pytest

from airflow_provider_ordermesh.client.errors import AuthenticationError, ServerError
from airflow_provider_ordermesh.models.orders import Order
from airflow_provider_ordermesh.models.shipments import Shipment
from airflow_provider_ordermesh.models.statuses import DEFAULT_SHIPMENT_STATUSES
from airflow_provider_ordermesh.waits.step import WaitStep, polls_before
from airflow_provider_ordermesh.waits.watch import OrderWatch, Query, ShipmentWatch, check_on_empty

SHIPMENT = "0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b01"
ORDER = "65add270441de72442397b6e"
NEW_ORDER = "65add270441de72442397b6f"


def shipment_step(grace: int = 2, errors: int = 2, earlier_polls: int = 0, **ids: list[str]) -> WaitStep:
    watch = ShipmentWatch.build(
        shipment_ids=ids.get("shipment_ids", []),
        order_ids=ids.get("order_ids", []),
        targets=[4, 5],
        failures=[6, 7],
        vocabulary=DEFAULT_SHIPMENT_STATUSES,
    )
    return WaitStep(watch, max_consecutive_errors=errors, unknown_id_grace=grace, earlier_polls=earlier_polls)


def server_error() -> ServerError:
    return ServerError(status=503, method="POST", path="/v1/shipments/search")


def test_waiting_success_and_failure_come_from_the_polls_answers():
    step = shipment_step(shipment_ids=[SHIPMENT])
    waiting = step.after_poll({"shipments": [Shipment(id=SHIPMENT, shipment_status=1, order_id=ORDER)]})
    assert waiting.status == "waiting" and not waiting.over
    assert waiting.message == f"0 reached a target status; still waiting: shipment {SHIPMENT} is Assigned"
    done = step.after_poll({"shipments": [Shipment(id=SHIPMENT, shipment_status=4, order_id=ORDER)]})
    assert done.status == "success" and done.event()["statuses"] == {SHIPMENT: "Shipped"}
    failed = step.after_poll({"shipments": [Shipment(id=SHIPMENT, shipment_status=6, order_id=ORDER)]})
    assert failed.status == "failure" and f"shipment {SHIPMENT} is Rejected" in failed.message


def test_the_error_budget_retries_resets_on_an_answer_and_ends_in_an_error():
    step = shipment_step(shipment_ids=[SHIPMENT], errors=2)
    assert step.after_error(server_error()).status == "retrying"
    assert step.after_poll({"shipments": []}).status == "waiting"  # an answer resets the budget
    assert step.after_error(server_error()).status == "retrying"
    ended = step.after_error(server_error())
    assert ended.status == "error" and ended.transient
    assert (
        ended.event()["error_type"] == "ServerError"
        and "gave up after 2 consecutive failed polls" in ended.message
    )
    assert ended.event()["pending"] == [SHIPMENT], "the last answer's progress goes with the error"


def test_an_answer_no_retry_can_fix_ends_the_wait_at_once():
    verdict = shipment_step(shipment_ids=[SHIPMENT]).after_error(
        AuthenticationError(status=401, method="POST", path="/v1/shipments/search")
    )
    assert (
        verdict.status == "error"
        and not verdict.transient
        and verdict.message.startswith("polling OrderMesh failed")
    )


def test_unknown_shipments_and_orders_fail_after_the_grace_but_a_known_order_without_shipments_waits():
    step = shipment_step(grace=2, shipment_ids=[SHIPMENT], order_ids=[ORDER, NEW_ORDER])
    found = {"shipments": [], "orders": [Order(id=NEW_ORDER, status="Open")]}
    assert step.watch.follow_up({"shipments": []}) == [Query("orders", {"ids": [ORDER, NEW_ORDER]})]
    assert step.after_poll(found).status == "waiting"
    verdict = step.after_poll(found)
    assert verdict.status == "failure"
    assert verdict.message.startswith(
        f"OrderMesh does not know shipment {SHIPMENT}; order {ORDER}: not found in 2"
    )
    assert NEW_ORDER not in verdict.message


def test_an_order_with_shipments_is_not_looked_up():
    step = shipment_step(order_ids=[ORDER])
    assert (
        step.watch.follow_up({"shipments": [Shipment(id=SHIPMENT, shipment_status=1, order_id=ORDER)]}) == []
    )


def test_earlier_polls_count_towards_the_grace_of_an_id_still_unknown():
    assert shipment_step(grace=3, earlier_polls=2, shipment_ids=[SHIPMENT]).after_poll({}).status == "failure"
    assert shipment_step(grace=3, earlier_polls=1, shipment_ids=[SHIPMENT]).after_poll({}).status == "waiting"
    assert polls_before(125, 60) == 2 and polls_before(-5, 60) == 0 and polls_before(10, 0) == 0


def test_the_timeout_message_names_what_is_pending_and_the_last_error():
    step = shipment_step(order_ids=[ORDER])
    step.after_poll({"shipments": [Shipment(id=SHIPMENT, shipment_status=2, order_id=ORDER)]})
    step.after_error(server_error())
    message = step.timeout_message("2026-12-07T03:00:00+00:00")
    assert message.startswith(
        f"timed out at 2026-12-07T03:00:00+00:00 while waiting: shipment {SHIPMENT} is Accepted"
    )
    assert "(the last poll failed: ServerError" in message


def test_a_verdict_that_goes_on_has_no_event():
    with pytest.raises(ValueError, match="does not end the wait"):
        shipment_step(shipment_ids=[SHIPMENT]).after_poll({}).event()


def test_statuses_missed_lists_end_statuses_neither_target_nor_failure():
    assert shipment_step(shipment_ids=[SHIPMENT]).watch.statuses_missed() == []
    watch = ShipmentWatch.build(
        shipment_ids=[SHIPMENT],
        order_ids=[],
        targets=["Shipped"],
        failures=[],
        vocabulary=DEFAULT_SHIPMENT_STATUSES,
    )
    assert watch.statuses_missed() == ["Cancelled", "Delivered", "Rejected"]
    orders = OrderWatch.build(
        order_ids=[ORDER], order_item_ids=[], targets=["InProduction"], failures=["Cancelled"]
    )
    assert orders.statuses_missed() == ["Fulfilled"]


def test_on_empty_choices():
    assert [check_on_empty(v) for v in ("fail", "skip", "succeed")] == ["fail", "skip", "succeed"]
    with pytest.raises(ValueError, match="on_empty: must be one of"):
        check_on_empty("Skip")
