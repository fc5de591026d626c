"""The id rule and the text rule over real HTTP (issue 22, 21.6): what a template renders from a missing
value (``None``, ``null``, blank), an API path word or a path separator is refused before any request,
by every operator, the sensors, the client and the probe, naming the argument."""

from __future__ import annotations

from typing import Any

import pytest
from reliability.support import place_order, reset_stats
from sandbox.wire import Api

from airflow_provider_ordermesh.client.errors import InvalidRequestError
from airflow_provider_ordermesh.client.inputs import PATH_WORDS
from airflow_provider_ordermesh.compat import AirflowFailException
from airflow_provider_ordermesh.operators.notes import OrderMeshCreateNoteOperator
from airflow_provider_ordermesh.operators.orders import (
    OrderMeshCancelOrderOperator,
    OrderMeshCreateOrderOperator,
    OrderMeshCustomerCareHoldOperator,
    OrderMeshUpdateOrderOperator,
)
from airflow_provider_ordermesh.operators.shipments import OrderMeshRejectShipmentOperator
from airflow_provider_ordermesh.probe.cli import EXIT_USAGE, main
from airflow_provider_ordermesh.sensors.status import OrderMeshOrderStatusSensor
from operators.conftest import FAST_RETRIES
from operators.context import run_op
from operators.data import order

pytestmark = pytest.mark.sandbox

SHIPMENT = "2575fc98-0000-4000-8000-000000000001"


def requests_total(om: Any) -> int:
    return int(om.stats()["requestsTotal"])


def test_path_words_come_from_the_endpoint_table() -> None:
    assert {"bulk", "search", "cancel", "refund", "reroute", "auditlogs"} <= PATH_WORDS
    assert not {"v1"} - PATH_WORDS and all(w == w.lower() and "{" not in w for w in PATH_WORDS)


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (
            lambda: OrderMeshCancelOrderOperator(task_id="t", order_id="null"),
            "'null', what a template renders",
        ),
        (
            lambda: OrderMeshCancelOrderOperator(task_id="t", order_id="{{ params.missing }}"),
            "must not be empty",
        ),
        (
            lambda: OrderMeshUpdateOrderOperator(task_id="t", order_id="bulk", payload={"isTest": True}),
            "'bulk' is a word of the API's paths",
        ),
        (lambda: OrderMeshCustomerCareHoldOperator(task_id="t", order_id="Search"), "'Search' is a word"),
        (
            lambda: OrderMeshRejectShipmentOperator(task_id="t", shipment_id="a?b", reason="damaged"),
            "contains '?'",
        ),
        (
            lambda: OrderMeshRejectShipmentOperator(task_id="t", shipment_id="a#b", reason="damaged"),
            "contains '#'",
        ),
        (
            lambda: OrderMeshRejectShipmentOperator(task_id="t", shipment_id="None", reason="damaged"),
            "'None', what a template renders",
        ),
    ],
)
def test_an_id_that_is_nothing_a_path_word_or_a_separator_is_refused_before_any_request(om, make, problem):
    reset_stats(om)
    operator = make()
    operator.hook_params = FAST_RETRIES

    with pytest.raises(AirflowFailException, match=r"_id: ") as refused:
        run_op(operator)

    assert problem in str(refused.value)
    assert requests_total(om) == 0


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (
            lambda oid: OrderMeshCreateNoteOperator(
                task_id="t", resource_type="Order", resource_id=oid, text="None"
            ),
            "text",
        ),
        (lambda oid: OrderMeshCustomerCareHoldOperator(task_id="t", order_id=oid, reason="None"), "reason"),
        (lambda oid: OrderMeshCancelOrderOperator(task_id="t", order_id=oid, reason="null"), "reason"),
        (lambda oid: OrderMeshCancelOrderOperator(task_id="t", order_id=oid, reason=" NONE "), "reason"),
        (
            lambda _: OrderMeshRejectShipmentOperator(task_id="t", shipment_id=SHIPMENT, reason="None"),
            "reason",
        ),
    ],
)
def test_a_text_argument_that_renders_from_a_missing_value_is_refused_before_any_request(om, make, field):
    placed = place_order(om)
    reset_stats(om)
    operator = make(placed.id)
    operator.hook_params = FAST_RETRIES

    with pytest.raises(
        AirflowFailException, match=rf"{field}: is '.*', what a template renders from a missing"
    ):
        run_op(operator)

    assert requests_total(om) == 0
    assert om.backend.state.orders[placed.id].status != "Cancelled"


def test_an_order_sensor_whose_ids_render_none_fails_at_once(om):
    reset_stats(om)
    # the XCom of a misspelt task id is None, which Jinja renders "None"
    sensor = OrderMeshOrderStatusSensor(
        task_id="wait",
        order_ids="{{ ti.xcom_pull(task_ids='misspelt') }}",
        poke_interval=0.05,
        timeout=10,
        mode="poke",
    )

    with pytest.raises(AirflowFailException, match=r"order_ids\[0\]: is 'None', what a template renders"):
        run_op(sensor)
    # written into the DAG file, the same value fails when the DAG is parsed
    with pytest.raises(ValueError, match=r"order_ids\[0\]: is 'None'"):
        OrderMeshOrderStatusSensor(task_id="wait", order_ids="None")

    assert requests_total(om) == 0


def test_the_client_refuses_the_same_ids(om, api):
    reset_stats(om)
    for bad in ("null", "bulk", "a/b", "x?y", ".."):
        with pytest.raises(InvalidRequestError, match="orderId"):
            api.orders.get(bad)
    assert requests_total(om) == 0


def test_a_merchant_id_that_is_not_a_uuid_is_refused_by_the_operator_and_the_sandbox(om):
    reset_stats(om)
    create = OrderMeshCreateOrderOperator(
        task_id="create", payload=order(merchantId="merchant-42"), hook_params=FAST_RETRIES
    )

    with pytest.raises(AirflowFailException, match=r"merchantId: 'merchant-42' is not a UUID"):
        run_op(create)
    assert requests_total(om) == 0

    # the sandbox refuses it too, as the real service would: a test against it cannot hide the gap
    wire = Api(om.url)
    wire.authenticate(om.client_id, om.client_secret)
    answer = wire.call("orders.create", json=order(merchantId="merchant-42"))
    assert answer.status_code == 400 and "merchantId" in answer.text
    assert wire.call("orders.create", json=order(merchantId="3ed09cf5-1d2c-4c1e-9b7e-8f6a2b1c0d9e")).ok


@pytest.mark.parametrize("bad", ["O1/../x", "null", "bulk", "a?b"])
def test_the_probe_refuses_an_id_option_by_the_same_rule(sandbox, capsys, bad):
    before = requests_total(sandbox)
    with pytest.raises(SystemExit) as stop:
        main(["--host", sandbox.url, "--client-id", "c", "--client-secret", "s", "--order-id", bad])
    assert stop.value.code == EXIT_USAGE
    assert "argument --order-id: the id" in capsys.readouterr().err
    assert requests_total(sandbox) == before
