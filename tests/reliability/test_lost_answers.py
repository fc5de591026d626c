"""Refunds and cancellations whose answer is lost are applied once, through the operator's retries.

The sandbox's ``drop`` fault with ``when: after`` applies the request and then closes the
connection without a byte of answer, so the client cannot know whether it was applied. Refund
and cancel are not safe to repeat, so the client never re-sends them blindly: it raises
``OutcomeUnknownError`` and the operator decides from the order's state.

How the provider knows what an earlier attempt did:

* **Refund**: every refund line's ``reason`` carries a marker `` [om:<12 hex>]`` derived from
  the task instance (dag, task, run, map index) and the line. The API stores the reason with
  each refund record, so after a lost answer, and on every retried try, the operator reads the
  order's ``refundData.refunds`` and sends only the lines whose marker is not recorded.
* **Cancel**: a state check, and the same kind of marker. After a lost answer, and on every
  retried try, the operator reads the order: a whole-order cancel is done when the order is
  ``Cancelled``, a whole-item cancel when each named item is. A partial quantity leaves no such
  trace, so the cancel's ``reason`` also ends with a marker derived from the task instance and the
  request, which the order's audit log records; the operator looks for it there.
"""

from __future__ import annotations

from typing import Any

import pytest
from operators.context import run_op

from airflow_provider_ordermesh.client import OutcomeUnknownError, ServerError
from airflow_provider_ordermesh.compat import AirflowFailException
from airflow_provider_ordermesh.operators.orders import OrderMeshCancelOrderOperator, OrderMeshRefundOperator
from reliability.support import FAST, place_order, requests_to

pytestmark = pytest.mark.sandbox

LOSE_ANSWER = {"kind": "drop", "when": "after", "count": 1}


def _refunds(item: Any) -> list[tuple[bool, float]]:
    return [(bool(r.is_shipping_refund), r.amount) for r in item.refunds]


# --- refunds ---------------------------------------------------------------------------------


def _refund(order_id: str, item_id: str) -> OrderMeshRefundOperator:
    lines = [
        {"itemId": item_id, "amount": 15.0, "reason": "print faded"},
        {"itemId": item_id, "isShippingRefund": True, "amount": 5.0, "reason": "arrived late"},
    ]
    return OrderMeshRefundOperator(task_id="refund", order_id=order_id, refunds=lines, hook_params=FAST)


def test_a_refund_whose_answer_is_lost_is_recorded_once_and_the_retry_sends_nothing(om):
    placed = place_order(om)
    item = placed.items[0]
    om.set_faults([{"route": "orders.refund", **LOSE_ANSWER}])

    first, _ = run_op(_refund(placed.id, item.id), try_number=1)
    second, _ = run_op(_refund(placed.id, item.id), try_number=2)

    # Try 1 lost the answer, read the refund records, found both markers: applied, not re-sent.
    assert first == {"order_id": placed.id, "refunds_sent": 2, "refunds_already_recorded": 0}
    assert second == {"order_id": placed.id, "refunds_sent": 0, "refunds_already_recorded": 2}
    assert requests_to(om.stats(), "orders.refund") == {"dropped": 1}
    assert _refunds(item) == [(False, 15.0), (True, 5.0)]
    assert (item.refundable(shipping=False), item.refundable(shipping=True)) == (25.0, 0.0)


def test_a_refund_whose_answer_and_check_both_fail_is_left_to_the_retry_which_sends_nothing(om):
    placed = place_order(om)
    item = placed.items[0]
    # The answer is lost, then the read that would tell whether it was applied fails too (500; the
    # read before sending, which checks the amounts against the order's currency, is let through).
    om.set_faults(
        [
            {"route": "orders.refund", **LOSE_ANSWER},
            {"route": "orders.get", "kind": "status", "status": 500, "count": 1, "skip": 1},
        ]
    )

    with pytest.raises(ServerError) as failed:
        run_op(_refund(placed.id, item.id), try_number=1)
    assert isinstance(failed.value.__context__, OutcomeUnknownError)
    retried, _ = run_op(_refund(placed.id, item.id), try_number=2)

    assert retried["refunds_sent"] == 0 and retried["refunds_already_recorded"] == 2
    assert requests_to(om.stats(), "orders.refund") == {"dropped": 1}
    assert _refunds(item) == [(False, 15.0), (True, 5.0)]
    assert (item.refundable(shipping=False), item.refundable(shipping=True)) == (25.0, 0.0)


def test_a_retry_whose_refunds_changed_since_the_applied_try_is_refused_before_sending(om):
    placed = place_order(om)
    item = placed.items[0]
    lost_then_failed = [
        {"route": "orders.refund", **LOSE_ANSWER},
        {"route": "orders.get", "kind": "status", "status": 500, "count": 1, "skip": 1},
    ]
    om.set_faults(lost_then_failed)
    first_line = [{"itemId": item.id, "amount": 15.0, "reason": "print faded"}]
    with pytest.raises(ServerError):
        run_op(
            OrderMeshRefundOperator(
                task_id="refund", order_id=placed.id, refunds=first_line, hook_params=FAST
            )
        )
    om.clear_faults()

    # The task's refunds grew a line between tries (e.g. a re-rendered template): the task instance
    # is the key of one operation, which was applied with other content; nothing more is sent.
    with pytest.raises(AirflowFailException, match="already used for an operation with different content"):
        run_op(_refund(placed.id, item.id), try_number=2)

    assert requests_to(om.stats(), "orders.refund") == {"dropped": 1}
    assert _refunds(item) == [(False, 15.0)]


# --- cancellations ---------------------------------------------------------------------------

TWO_SKUS = ("TSHIRT-BLK-M", "MUG-WHT-11")
CANCELS = {  # what to cancel of an order of two items of two units -> units cancelled per item
    "whole order": (None, [2, 2]),
    "whole item": ([{"itemId": 0}], [2, 0]),
    "one unit of an item": ([{"itemId": 0, "quantity": 1}], [1, 0]),
}


def _cancel(order_id: str, items: list[dict[str, Any]] | None) -> OrderMeshCancelOrderOperator:
    """The cancel of ``items``; None leaves ``items`` out, which cancels the whole order."""
    chosen: dict[str, Any] = {} if items is None else {"items": items}
    return OrderMeshCancelOrderOperator(
        task_id="cancel", order_id=order_id, reason="customer changed their mind", hook_params=FAST, **chosen
    )


def _cancel_of(placed: Any, which: list[dict[str, Any]] | None) -> list[dict[str, Any]] | None:
    """The cancel's items with item positions replaced by the placed order's item ids."""
    if which is None:
        return None
    return [{**entry, "itemId": placed.items[entry["itemId"]].id} for entry in which]


@pytest.mark.parametrize(("which", "cancelled"), CANCELS.values(), ids=CANCELS.keys())
def test_a_cancel_whose_answer_is_lost_is_applied_once_and_not_resent_by_the_retry(om, which, cancelled):
    placed = place_order(om, *TWO_SKUS)
    items = _cancel_of(placed, which)
    om.set_faults([{"route": "orders.cancel", **LOSE_ANSWER}])

    first, _ = run_op(_cancel(placed.id, items), try_number=1)
    second, _ = run_op(_cancel(placed.id, items), try_number=2)

    assert first["order_id"] == second["order_id"] == placed.id
    assert requests_to(om.stats(), "orders.cancel") == {"dropped": 1}
    assert [item.cancelled_quantity for item in placed.items] == cancelled


@pytest.mark.parametrize(("which", "cancelled"), CANCELS.values(), ids=CANCELS.keys())
def test_a_cancel_whose_answer_and_check_both_fail_is_not_resent_by_the_retry(om, which, cancelled):
    placed = place_order(om, *TWO_SKUS)
    items = _cancel_of(placed, which)
    om.set_faults(
        [
            {"route": "orders.cancel", **LOSE_ANSWER},
            {"route": "orders.get", "kind": "status", "status": 500, "count": 1},
        ]
    )

    with pytest.raises(ServerError) as failed:
        run_op(_cancel(placed.id, items), try_number=1)
    assert isinstance(failed.value.__context__, OutcomeUnknownError)
    run_op(_cancel(placed.id, items), try_number=2)

    assert requests_to(om.stats(), "orders.cancel") == {"dropped": 1}
    assert [item.cancelled_quantity for item in placed.items] == cancelled
