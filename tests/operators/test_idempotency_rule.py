"""The one idempotency rule: every operator declares its class, the docs' table says the same, and an
unguardable action whose answer was lost fails without Airflow retries, naming what to check."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from reliability.support import FAST, place_order
from support.provider import provider_operators, state_changing_operators

from airflow_provider_ordermesh.compat import AirflowFailException
from airflow_provider_ordermesh.operators.idempotency import Idempotency, Rule, unguardable
from airflow_provider_ordermesh.operators.orders import OrderMeshRefundOperator
from operators.context import run_op

DOCS = Path(__file__).resolve().parents[2] / "docs" / "idempotency.md"


def test_every_registered_operator_declares_its_class_under_the_rule():
    declared = {cls: getattr(cls, "idempotency", None) for cls in provider_operators()}
    undeclared = [cls.__name__ for cls, rule in declared.items() if not isinstance(rule, Rule)]

    assert not undeclared, (
        f"declare `idempotency = natural/guarded/unguardable/read_only(...)` on {undeclared}"
    )
    assert all(cls.idempotency.why.strip() for cls in provider_operators())
    assert len(state_changing_operators()) >= 19


def test_the_docs_table_lists_every_state_changing_operator_with_its_declared_class():
    text = DOCS.read_text(encoding="utf-8")
    table = text.split("<!-- idempotency-table:start -->")[1].split("<!-- idempotency-table:end -->")[0]
    rows = dict(re.findall(r"^\| `(\w+)` \| ([a-z -]+) \|", table, flags=re.M))

    assert rows == {cls.__name__: cls.idempotency.kind.value for cls in state_changing_operators()}


class _UnguardableRefund(OrderMeshRefundOperator):
    """A refund declared unguardable, to drive the base operator's handling of a lost answer."""

    idempotency = unguardable("test double", check_by_hand="the refunds of order {order_id}")


@pytest.mark.sandbox
def test_an_unguardable_action_whose_answer_is_lost_fails_without_retries_naming_what_to_check(om):
    placed = place_order(om)
    om.set_faults([{"route": "orders.refund", "kind": "drop", "when": "before", "count": 1}])
    refund = _UnguardableRefund(
        task_id="refund",
        order_id=placed.id,
        hook_params=FAST,
        refunds=[{"itemId": placed.items[0].id, "amount": 5.0, "reason": "late"}],
    )

    with pytest.raises(AirflowFailException) as failed:
        run_op(refund)

    assert _UnguardableRefund.idempotency.kind is Idempotency.UNGUARDABLE
    assert f"check by hand the refunds of order {placed.id}" in str(failed.value)
    assert "not sent again (no Airflow retry)" in str(failed.value)
