"""Approvals on the refund and cancel operators, against the sandbox over real HTTP.

The human-in-the-loop request goes through Airflow's own ``upsert_hitl_detail`` into a recorder in
place of the worker's supervisor channel (there is no supervisor in these tests); the answer comes
back as the event Airflow resumes a task with. ``tests/deployment/test_approvals.py`` runs the same
flow in a real deployment, answered through the REST API.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast
from uuid import uuid4

import pytest

from airflow_provider_ordermesh.compat import AirflowFailException
from airflow_provider_ordermesh.operators.approval.proposal import REJECT_ALL
from airflow_provider_ordermesh.operators.orders import (
    OrderMeshCancelOrderOperator,
    OrderMeshCreateOrderOperator,
    OrderMeshRefundOperator,
)
from operators.conftest import FAST_RETRIES
from operators.context import make_context, run_op
from operators.data import order

if TYPE_CHECKING:
    from airflow_provider_ordermesh.compat import Context

pytestmark = pytest.mark.sandbox

APPROVER = {"id": "finance-lead", "name": "Fran Lead"}


class SupervisorRecorder:
    """Stands where a worker's supervisor channel is: keeps each message the task sends."""

    def __init__(self) -> None:
        self.sent: list[Any] = []

    def send(self, msg: Any) -> None:
        self.sent.append(msg)

    @property
    def requests(self) -> list[Any]:
        """The human-in-the-loop requests among the messages (secrets to mask are sent this way too)."""
        return [msg for msg in self.sent if type(msg).__name__ == "CreateHITLDetailPayload"]


@pytest.fixture
def hitl(monkeypatch: pytest.MonkeyPatch) -> SupervisorRecorder:
    from airflow.sdk.execution_time import task_runner

    recorder = SupervisorRecorder()
    monkeypatch.setattr(task_runner, "SUPERVISOR_COMMS", recorder, raising=False)
    return recorder


def waits_for_a_person() -> tuple[type[BaseException], ...]:
    """What the task raises to wait: ``TaskAwaitingInput`` on 3.3+, ``TaskDeferred`` before."""
    from airflow.sdk import exceptions

    from airflow_provider_ordermesh import compat

    awaiting = getattr(exceptions, "TaskAwaitingInput", None)
    return (awaiting, compat.TaskDeferred) if awaiting else (compat.TaskDeferred,)


def create_order(api: Any, shop_id: str = "shop-1") -> tuple[str, str]:
    op = OrderMeshCreateOrderOperator(
        task_id="create", payload=order(external_id=shop_id, currencyCode="USD"), hook_params=FAST_RETRIES
    )
    order_id = run_op(op)[0]["order_id"]
    return order_id, api.orders.get(order_id).items[0].id


def refund_op(
    order_id: str, item_id: str, lines: list[dict[str, Any]] | None = None, **kwargs: Any
) -> OrderMeshRefundOperator:
    lines = lines or [
        {"itemId": item_id, "amount": 30, "reason": "arrived torn"},
        {"itemId": item_id, "isShippingRefund": True, "amount": 5, "reason": "shipping of the torn one"},
    ]
    settings = {"require_approval_above": {"USD": "25", "EUR": Decimal("20")}, "approvers": [APPROVER]}
    return OrderMeshRefundOperator(
        task_id="refund", order_id=order_id, refunds=lines, hook_params=FAST_RETRIES, **{**settings, **kwargs}
    )


def ask(op: Any, hitl: SupervisorRecorder, **ti: Any) -> tuple[dict[str, Any], Any, dict[str, Any]]:
    """Run ``op`` until it waits: ``(context, the HITL request stored, the resume kwargs)``."""
    context = make_context(task_id=op.task_id, **ti)
    context["ti"].id = uuid4()  # the task instance's id, which the request is stored under
    op.render_template_fields(context)
    with pytest.raises(waits_for_a_person()) as waiting:
        op.execute(context)
    return context, hitl.requests[-1], dict(cast(Any, waiting.value).kwargs)  # either exception has kwargs


def answer(
    op: Any,
    context: dict[str, Any],
    resume: dict[str, Any],
    chosen: list[str],
    params: dict[str, Any] | None = None,
    *,
    user: dict[str, str] | None = APPROVER,
) -> dict[str, Any]:
    """Resume ``op`` as Airflow does once a person answered (``user`` None: the timeout default)."""
    event = {
        "chosen_options": chosen,
        "params_input": params or {},
        "responded_at": datetime.now(UTC),
        "responded_by_user": user,
        "timedout": user is None,
    }
    return op.resume_after_approval(context, event=event, **resume)


def refunds_of(api: Any, item_id: str) -> list[tuple[float, bool]]:
    return [(r.amount, r.is_shipping_refund) for r in api.orders.get_item(item_id).refund_data.refunds]


def order_notes(api: Any, order_id: str) -> list[str]:
    return [n.text for n in api.notes.list({"resourceType": "Order", "resourceId": order_id})]


def refund_requests(om: Any) -> int:
    return sum(om.stats()["requests"].get("orders.refund", {}).values())


# --- below the threshold nothing changes --------------------------------------------------------


def test_refunds_at_or_below_the_threshold_are_sent_without_asking(om, api, hitl):
    order_id, item_id = create_order(api)

    result, _ = run_op(refund_op(order_id, item_id, require_approval_above={"USD": "35"}))

    assert result["refunds_sent"] == 2 and result["approval"] == {
        "required": False,
        "total": "35.00",
        "currency": "USD",
        "threshold": "35.00",
    }
    assert refunds_of(api, item_id) == [(30.0, False), (5.0, True)]
    assert hitl.requests == []


# --- above it: the request, and each kind of answer ---------------------------------------------


def test_above_the_threshold_the_task_waits_with_every_line_and_sends_nothing(om, api, hitl):
    order_id, item_id = create_order(api)
    short_id = api.orders.get(order_id).short_id

    _, request, resume = ask(refund_op(order_id, item_id), hitl)

    assert refund_requests(om) == 0
    assert request.options == [
        f"Line 1: price refund {api.orders.get_item(item_id).short_id} (TSHIRT-BLK-M), 30.00",
        f"Line 2: shipping refund {api.orders.get_item(item_id).short_id} (TSHIRT-BLK-M), 5.00",
        REJECT_ALL,
    ]
    assert request.defaults == [REJECT_ALL] and request.multiple is True
    assert [(u.id, u.name) for u in request.assigned_users] == [("finance-lead", "Fran Lead")]
    assert f"[{short_id}](https://portal.test/orders/{order_id})" in request.body
    assert "| 1 |" in request.body and "30.00 USD | arrived torn |" in request.body
    assert "already refunded on this order: **0.00 USD**" in request.body
    assert "[om:" not in request.body  # markers are the provider's business, not the approver's
    assert set(request.params) == {"line_1_amount", "line_2_amount"}
    assert resume["proposal"]["total" if False else "threshold"] == "25.00"


def test_amounts_the_currency_cannot_have_are_refused_before_a_person_is_asked(om, api, hitl):
    order_id, item_id = create_order(api)
    op = refund_op(order_id, item_id, [{"itemId": item_id, "amount": 30.005, "reason": "arrived torn"}])

    with pytest.raises(AirflowFailException, match=r"refunds.0.amount: 30.005 has more decimals than USD"):
        run_op(op)

    assert hitl.requests == [] and refund_requests(om) == 0


def test_approve_all_sends_every_line_once_and_notes_who_and_when(om, api, hitl):
    order_id, item_id = create_order(api)
    op = refund_op(order_id, item_id)
    context, request, resume = ask(op, hitl)

    result = answer(op, context, resume, request.options[:2])

    assert result["refunds_sent"] == 2
    assert refunds_of(api, item_id) == [(30.0, False), (5.0, True)]
    approval = result["approval"]
    assert approval["decided_by"] == APPROVER and approval["timed_out"] is False and approval["decided_at"]
    assert [(a["line"], a["approved"]) for a in approval["approved"]] == [(1, "30.00"), (2, "5.00")]
    assert approval["rejected"] == []
    (note,) = order_notes(api, order_id)
    assert "2 of 2 line(s) approved by Fran Lead (finance-lead)" in note
    assert approval["note_id"]


def test_a_subset_with_a_lowered_amount_sends_only_that_and_reports_the_rest_rejected(om, api, hitl):
    order_id, item_id = create_order(api)
    op = refund_op(order_id, item_id)
    context, request, resume = ask(op, hitl)

    result = answer(op, context, resume, [request.options[0]], {"line_1_amount": 12.5, "line_2_amount": 5})

    assert refunds_of(api, item_id) == [(12.5, False)]
    assert result["refunds_sent"] == 1
    assert [(a["line"], a["proposed"], a["approved"]) for a in result["approval"]["approved"]] == [
        (1, "30.00", "12.50")
    ]
    assert [(r["line"], r["kind"]) for r in result["approval"]["rejected"]] == [(2, "shipping")]
    (note,) = order_notes(api, order_id)
    assert "Approved: line 1, price refund" in note and "12.50 (of 30.00) USD" in note
    assert "Rejected: line 2, shipping refund" in note


def test_reject_all_sends_nothing_and_says_so(om, api, hitl):
    order_id, item_id = create_order(api)
    op = refund_op(order_id, item_id)
    context, _, resume = ask(op, hitl)

    result = answer(op, context, resume, [REJECT_ALL])

    assert refunds_of(api, item_id) == [] and refund_requests(om) == 0
    assert result["refunds_sent"] == 0 and len(result["approval"]["rejected"]) == 2
    assert "0 of 2 line(s) approved" in order_notes(api, order_id)[0]


@pytest.mark.parametrize(
    ("chosen", "params", "refused"),
    [
        ([0], {"line_1_amount": 30.01}, r"params_input\.line_1_amount: 30\.01 raises the proposed 30\.00"),
        ([0], {"line_9_amount": 1}, r"params_input: \['line_9_amount'\] name no proposed line"),
        ([0, REJECT_ALL], {}, r"chosen_options: 'Reject all' together with lines"),
        (["Line 3: price refund of something else"], {}, r"chosen_options: .* were not proposed"),
        ([0], {"line_1_amount": "lots"}, r"params_input\.line_1_amount must be a number"),
        ([0], {"line_1_amount": 0}, r"params_input\.line_1_amount must be above 0"),
    ],
    ids=["raised", "unknown-line", "contradictory", "unknown-option", "not-a-number", "zero"],
)
def test_an_answer_that_raises_or_names_what_was_not_proposed_is_refused_before_sending(
    om, api, hitl, chosen, params, refused
):
    order_id, item_id = create_order(api)
    op = refund_op(order_id, item_id)
    context, request, resume = ask(op, hitl)
    options = [request.options[c] if isinstance(c, int) else c for c in chosen]

    with pytest.raises(AirflowFailException, match=refused):
        answer(op, context, resume, options, params)

    assert refund_requests(om) == 0 and order_notes(api, order_id) == []


# --- silence, retries and clears ----------------------------------------------------------------


def test_no_answer_in_time_rejects_every_line_and_a_cleared_task_asks_again(om, api, hitl):
    order_id, item_id = create_order(api)
    op = refund_op(order_id, item_id)
    context, _, resume = ask(op, hitl)

    result = answer(op, context, resume, [REJECT_ALL], user=None)  # what Airflow resumes with on timeout

    assert result["approval"]["timed_out"] is True and result["approval"]["decided_by"] is None
    assert refunds_of(api, item_id) == [] and refund_requests(om) == 0
    assert "no answer by" in order_notes(api, order_id)[0]
    asked_before = len(hitl.requests)
    ask(refund_op(order_id, item_id), hitl, try_number=2)  # cleared after the timeout: asks again
    assert len(hitl.requests) == asked_before + 1


def test_a_task_retried_or_cleared_after_the_decision_neither_asks_nor_sends_again(om, api, hitl):
    order_id, item_id = create_order(api)
    op = refund_op(order_id, item_id)
    context, request, resume = ask(op, hitl)
    answer(op, context, resume, [request.options[0]], {"line_1_amount": 20})
    asked = len(hitl.requests)

    again, _ = run_op(refund_op(order_id, item_id), try_number=2)

    assert len(hitl.requests) == asked  # not asked again
    assert again["refunds_sent"] == 0 and again["refunds_already_recorded"] == 1
    assert [(a["line"], a["approved"]) for a in again["approval"]["approved"]] == [(1, "20.00")]
    assert refunds_of(api, item_id) == [(20.0, False)] and refund_requests(om) == 1
    assert len(order_notes(api, order_id)) == 1  # one note per decision, not per try


def test_a_task_cleared_before_the_answer_asks_again(om, api, hitl):
    order_id, item_id = create_order(api)
    ask(refund_op(order_id, item_id), hitl)

    ask(refund_op(order_id, item_id), hitl, try_number=2)

    assert len(hitl.requests) == 2 and refund_requests(om) == 0


def test_mapped_tasks_are_asked_and_decided_each_on_their_own(om, api, hitl):
    first, first_item = create_order(api, "shop-1")
    second, second_item = create_order(api, "shop-2")
    op1, op2 = refund_op(first, first_item), refund_op(second, second_item)
    c1, r1, k1 = ask(op1, hitl, map_index=0)
    c2, _, k2 = ask(op2, hitl, map_index=1)

    answer(op1, c1, k1, r1.options[:2])
    answer(op2, c2, k2, [REJECT_ALL])

    assert refunds_of(api, first_item) == [(30.0, False), (5.0, True)]
    assert refunds_of(api, second_item) == []


# --- bad settings, refused before anything is sent ----------------------------------------------


@pytest.mark.parametrize(
    ("settings", "refused"),
    [
        ({"require_approval_above": {"USD": "-1"}}, r"require_approval_above\['USD'\] must not be negative"),
        ({"require_approval_above": {"USD": "NaN"}}, r"require_approval_above\['USD'\] must be a finite"),
        ({"require_approval_above": {"USD": "fifty"}}, r"require_approval_above\['USD'\] must be a number"),
        ({"require_approval_above": Decimal("50")}, r"require_approval_above must map each currency"),
        ({"require_approval_above": {"usd": "5"}}, r"'usd' is not an ISO 4217 currency code"),
        ({"approvers": []}, r"approvers is empty"),
        ({"approvers": None}, r"require_approval_above is set without approvers"),
        ({"approval_timeout": 0}, r"approval_timeout must be positive"),
    ],
    ids=[
        "negative",
        "nan",
        "not-a-number",
        "bare-number",
        "currency",
        "no-approvers",
        "approvers-missing",
        "timeout",
    ],
)
def test_bad_literal_settings_are_refused_when_the_dag_is_parsed(settings, refused):
    with pytest.raises(ValueError, match=refused):
        refund_op("65add270441de72442397b6e", "65add270441de72442397b6f", **settings)
    with pytest.raises(ValueError, match=refused):
        OrderMeshRefundOperator.partial(
            task_id="mapped", **{"require_approval_above": {"USD": "1"}, "approvers": ["a"], **settings}
        )


@pytest.mark.parametrize(
    ("settings", "refused"),
    [
        ({"approvers": "{{ params.nobody }}"}, r"approvers is empty"),
        ({"approvers": "{{ params.nobody | tojson }}"}, r"approvers is empty"),
        (
            {"require_approval_above": "{{ params.limits | tojson }}"},
            r"require_approval_above\['USD'\] must not",
        ),
        ({"require_approval_above": {"EUR": "10"}}, r"no threshold in USD, the currency of order"),
    ],
    ids=["approvers-empty-text", "approvers-empty-list", "negative-after-templating", "other-currency"],
)
def test_bad_settings_after_templating_fail_the_task_before_anything_is_sent(
    om, api, hitl, settings, refused
):
    order_id, item_id = create_order(api)
    op = refund_op(order_id, item_id, **settings)
    context = make_context(task_id="refund")
    context["params"] = {"nobody": [], "limits": {"USD": -5}}
    op.render_template_fields(cast("Context", context))

    with pytest.raises(AirflowFailException, match=refused):
        op.execute(cast("Context", context))

    assert refund_requests(om) == 0 and hitl.requests == []


# --- cancels ------------------------------------------------------------------------------------


def test_a_cancel_above_the_threshold_waits_and_sends_the_approved_lower_quantity(om, api, hitl):
    om.configure(speed=0)
    order_id, item_id = create_order(api)  # two units at 20.00 each
    op = OrderMeshCancelOrderOperator(
        task_id="cancel",
        order_id=order_id,
        items=[{"itemId": item_id}],
        reason="customer asked",
        require_approval_above={"USD": "30"},
        approvers=["finance-lead"],
        hook_params=FAST_RETRIES,
    )
    context, request, resume = ask(op, hitl)
    assert request.options[0].startswith("Line 1: cancel 2 x ") and request.options[0].endswith(", 40.00")
    assert "line_1_quantity" in request.params

    result = answer(op, context, resume, [request.options[0]], {"line_1_quantity": 1})

    assert result["approval"]["approved"][0]["approved"] == "1"
    cancels = [e.description for e in api.orders.audit_logs(order_id) if "cancelled" in (e.description or "")]
    assert len(cancels) == 1 and cancels[0].startswith("1 units cancelled: customer asked [om:")
    retried, _ = run_op(
        OrderMeshCancelOrderOperator(
            task_id="cancel",
            order_id=order_id,
            items=[{"itemId": item_id}],
            reason="customer asked",
            require_approval_above={"USD": "30"},
            approvers=["finance-lead"],
            hook_params=FAST_RETRIES,
        ),
        try_number=2,
    )
    assert retried["approval"]["note_id"] == result["approval"]["note_id"]
    assert sum(om.stats()["requests"].get("orders.cancel", {}).values()) == 1


def test_an_answer_airflow_could_not_read_is_refused_not_taken_for_a_timeout(om, api, hitl):
    order_id, item_id = create_order(api)
    op = refund_op(order_id, item_id)
    context, _, resume = ask(op, hitl)
    event = {"error": "params_input does not match params", "error_type": "validation"}

    with pytest.raises(AirflowFailException, match=r"the answer could not be read \(validation\)"):
        op.resume_after_approval(cast("Context", context), event=event, **resume)

    assert refund_requests(om) == 0 and order_notes(api, order_id) == []


def test_on_an_airflow_without_human_in_the_loop_asking_for_approval_fails_at_parse_time(monkeypatch):
    from airflow_provider_ordermesh import compat

    monkeypatch.setattr(compat, "airflow_version", lambda: (3, 0))

    with pytest.raises(ValueError, match=r"needs Airflow's human-in-the-loop .* this is Airflow 3\.0"):
        refund_op("65add270441de72442397b6e", "65add270441de72442397b6f")
    with pytest.raises(ValueError, match=r"needs Airflow's human-in-the-loop"):
        OrderMeshCancelOrderOperator.partial(
            task_id="cancel", require_approval_above={"USD": "1"}, approvers=["a"]
        )
    # without approval settings nothing changes
    OrderMeshRefundOperator(task_id="plain", order_id="65add270441de72442397b6e", refunds=[])
