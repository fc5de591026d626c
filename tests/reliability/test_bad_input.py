"""Bad input is refused before any request, with a message naming the field; see ``bad_inputs.py``.

Each case runs the task the way Airflow would: build the operator (a sensor checks what it can
at DAG parse time, in its constructor), render its templates with a task context, then execute.
Whichever step refuses, the sandbox must have received no request at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from operators.context import make_context
from support.provider import provider_operators, provider_sensors

from airflow_provider_ordermesh.compat import AirflowFailException, BaseSensorOperator
from reliability.bad_inputs import CASES, Case
from reliability.support import place_order, requests_to, reset_stats

pytestmark = pytest.mark.sandbox


def refusal(case: Case) -> tuple[str, BaseException]:
    """Where the task refused the input (``"parse"`` or ``"run"``), and the error it raised."""
    kwargs = {"hook_params": {"max_retries": 0}, **case.kwargs}
    try:
        task = case.operator(task_id="bad_input", **kwargs)
    except Exception as exc:  # a sensor refuses what it can already see at DAG parse time
        return "parse", exc
    context = {**make_context(task_id="bad_input"), **case.params}
    try:
        task.render_template_fields(context)
        task.execute(context)
    except Exception as exc:
        return "run", exc
    raise AssertionError(f"{case.operator.__name__} accepted {case.kwargs}")


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_bad_input_is_refused_before_any_request_naming_the_field(
    om: Any, case: Case, record_property: Callable[[str, object], None]
) -> None:
    reset_stats(om)

    stage, error = refusal(case)

    assert case.field in str(error), f"[{stage}] {type(error).__name__}: {error}"
    assert om.stats()["requestsTotal"] == 0
    if stage == "run" and not issubclass(case.operator, BaseSensorOperator):
        assert isinstance(error, AirflowFailException), "bad input must fail the task without retries"
    record_property("bad inputs refused, each naming the field", 1)
    record_property("requests sent for them", om.stats()["requestsTotal"])


def test_the_corpus_covers_at_least_50_inputs_and_every_operator_and_sensor_the_provider_registers(
    record_property: Callable[[str, object], None],
) -> None:
    registered = {*provider_operators(), *provider_sensors()}  # from get_provider_info(), not a list here
    missing = sorted(cls.__name__ for cls in registered - {case.operator for case in CASES.values()})

    assert len(CASES) >= 50
    assert not missing, f"add bad-input cases to tests/reliability/bad_inputs.py for: {', '.join(missing)}"
    record_property("operators and sensors covered (all the provider registers)", len(registered))


def test_a_refund_above_the_balance_is_refused_by_the_api_naming_the_field_and_nothing_is_applied(om):
    from operators.context import run_op

    from airflow_provider_ordermesh.operators.orders import OrderMeshRefundOperator

    placed = place_order(om)  # 2 x 20.00
    item = placed.items[0]
    lines = [
        {"itemId": item.id, "amount": 10.0, "reason": "late"},
        {"itemId": item.id, "isShippingRefund": True, "amount": 35.0, "reason": "and damaged"},
    ]  # 35 of 5
    reset_stats(om)

    with pytest.raises(AirflowFailException) as refused:
        run_op(
            OrderMeshRefundOperator(
                task_id="refund", order_id=placed.id, refunds=lines, hook_params={"max_retries": 0}
            )
        )

    message = str(refused.value)
    assert "OrderMesh answered 400 to POST /v1/orders/refund" in message
    assert "refunds.1.amount" in message and "remaining shipping balance 5" in message
    assert requests_to(om.stats(), "orders.refund") == {"400": 1}
    assert item.refunds == [] and item.refundable(shipping=False) == 40.0
