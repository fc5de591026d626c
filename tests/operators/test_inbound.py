"""Inbound orders against the sandbox over real HTTP: submitted once per safeId, even when retried."""

from __future__ import annotations

import pytest

from airflow_provider_ordermesh.compat import AirflowFailException
from airflow_provider_ordermesh.operators.inbound import OrderMeshSubmitInboundOrderOperator
from operators.conftest import FAST_RETRIES
from operators.context import run_op
from operators.data import order

pytestmark = pytest.mark.sandbox

TRANSFORMATION_ID = "8e7c2a1b-0000-4000-8000-000000000001"


def submit(body, **ti):
    op = OrderMeshSubmitInboundOrderOperator(
        task_id="submit_inbound", body=body, transformation_id=TRANSFORMATION_ID, hook_params=FAST_RETRIES
    )
    return run_op(op, **ti)[0]


def requests_to(om, endpoint: str) -> int:
    return sum(om.stats()["requests"].get(endpoint, {}).values())


def test_an_order_is_submitted_with_a_derived_safe_id_that_the_created_order_carries(om, api):
    body = order()
    body.pop("safeId", None)
    body.pop("merchantId", None)

    result = submit(body)

    assert result["submitted"] is True and result["safe_id"].startswith("af-")
    assert api.orders.get_by_safe_id(result["safe_id"]).id  # the sandbox's transformation created it


def test_a_retried_task_does_not_submit_an_order_already_created(om, api):
    body = order()
    body.pop("safeId", None)
    first = submit(body, try_number=1)
    again = submit(body, try_number=2)

    assert again == {
        "safe_id": first["safe_id"],
        "submitted": False,
        "order_id": api.orders.get_by_safe_id(first["safe_id"]).id,
        "request_id": None,
    }
    assert requests_to(om, "orders.submit_inbound") == 1


def test_the_bodys_own_safe_id_is_kept(om, api):
    body = {**order(), "safeId": "shop-order-4711"}
    assert submit(body)["safe_id"] == "shop-order-4711"
    assert api.orders.get_by_safe_id("shop-order-4711").id


@pytest.mark.parametrize("body", [[], "not json", {}, "[1, 2]"])
def test_a_body_that_is_not_an_order_fails_naming_it_and_sends_nothing(om, body):
    with pytest.raises(AirflowFailException, match="body"):  # fails without retries
        submit(body)
    assert requests_to(om, "orders.submit_inbound") == 0
