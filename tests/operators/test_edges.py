"""Trust at the edges (issue 11) through real HTTP: what a blank must not widen, what a key
protects across runs, which answers fail without retries, and what connection errors say."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import pytest
from pydantic import SecretStr
from reliability.support import place_order, reset_stats

from airflow_provider_ordermesh.client import ClientCredentials, OrderMeshClient, TransportError
from airflow_provider_ordermesh.compat import AirflowFailException
from airflow_provider_ordermesh.operators import MATCH_ALL
from airflow_provider_ordermesh.operators.orders import (
    OrderMeshCancelOrderOperator,
    OrderMeshCreateOrderOperator,
    OrderMeshCreateOrdersOperator,
    OrderMeshRefundOperator,
    OrderMeshSearchOrdersOperator,
)
from airflow_provider_ordermesh.operators.shipments import OrderMeshRerouteShipmentOperator
from airflow_provider_ordermesh.sensors.status import OrderMeshShipmentStatusSensor, OrderMeshWaitError
from operators.conftest import FAST_RETRIES
from operators.context import run_op
from operators.data import order, orders

if TYPE_CHECKING:
    from airflow_provider_ordermesh.compat import Context

pytestmark = pytest.mark.sandbox


def test_a_cancel_whose_items_render_null_cancels_nothing(om):
    placed = place_order(om, "TSHIRT-BLK-M", "MUG-WHT-11")
    reset_stats(om)
    cancel = OrderMeshCancelOrderOperator(
        task_id="cancel",
        order_id=placed.id,
        hook_params=FAST_RETRIES,
        items="{{ ti.xcom_pull(task_ids='plan_cancelation') | tojson }}",
    )

    with pytest.raises(AirflowFailException, match="items is 'null' after rendering"):
        run_op(cancel)

    assert om.stats()["requestsTotal"] == 0
    assert all(item.status != "Cancelled" for item in om.backend.state.orders[placed.id].items)


def test_leaving_items_out_still_cancels_the_whole_order(om, api):
    placed = place_order(om, "TSHIRT-BLK-M", "MUG-WHT-11")

    result, _ = run_op(
        OrderMeshCancelOrderOperator(task_id="cancel", order_id=placed.id, hook_params=FAST_RETRIES)
    )

    assert result["status"] == "Cancelled" and api.orders.get(placed.id).status == "Cancelled"


def test_match_all_is_the_one_way_to_search_every_order(om):
    for _i in range(3):
        place_order(om)

    everything, _ = run_op(
        OrderMeshSearchOrdersOperator(task_id="s", filters=MATCH_ALL, hook_params=FAST_RETRIES)
    )
    with pytest.raises(AirflowFailException, match="filters=MATCH_ALL"):
        run_op(
            OrderMeshSearchOrdersOperator(
                task_id="s", filters="{{ ti.xcom_pull(task_ids='build_filterz') | tojson }}"
            )
        )

    assert len(everything) == 3


def test_the_same_idempotency_key_creates_one_order_across_runs(om):
    first, _ = run_op(_keyed_create(), run_id="scheduled__1")
    second, _ = run_op(_keyed_create(), run_id="manual__rerun")
    other_run, _ = run_op(
        OrderMeshCreateOrderOperator(task_id="create", payload=order(), hook_params=FAST_RETRIES),
        run_id="manual__rerun",
    )

    assert second == {**first, "already_existed": True}
    assert other_run["order_id"] != first["order_id"], "another order (another externalId, no key)"
    assert om.stats()["orders"] == 2


KEYED_ORDER = order(external_id="shop-order-7")
"""One business order: the same content in every run of the keyed create."""


def _keyed_create() -> OrderMeshCreateOrderOperator:
    return OrderMeshCreateOrderOperator(
        task_id="create", payload=KEYED_ORDER, idempotency_key="shop-order-{{ ds }}", hook_params=FAST_RETRIES
    )


def test_the_same_idempotency_key_refunds_once_across_runs(om):
    placed = place_order(om)
    lines = [{"itemId": placed.items[0].id, "amount": 5.0, "reason": "late"}]

    def refund(run_id: str) -> dict:
        op = OrderMeshRefundOperator(
            task_id="refund",
            order_id=placed.id,
            refunds=lines,
            idempotency_key="return-77",
            hook_params=FAST_RETRIES,
        )
        return run_op(op, run_id=run_id)[0]  # each the first try of its run

    assert refund("first")["refunds_sent"] == 1
    assert refund("rerun") == {"order_id": placed.id, "refunds_sent": 0, "refunds_already_recorded": 1}
    assert [r.amount for r in placed.items[0].refunds] == [5.0]


def test_an_empty_bulk_input_is_reported_with_a_warning(om, monkeypatch):
    op = OrderMeshCreateOrdersOperator(task_id="bulk", orders="[]", hook_params=FAST_RETRIES)
    warnings: list[str] = []
    monkeypatch.setattr(
        type(op),
        "log",
        type(
            "Log",
            (),
            {"warning": lambda self, msg, *args: warnings.append(msg % args), "info": lambda self, *a: None},
        )(),
    )

    result, _ = run_op(op)

    assert result == {"order_ids": [], "created": 0, "already_existed": 0, "failures": []}
    assert any("orders holds no items" in w for w in warnings) and om.stats()["requestsTotal"] == 0


def test_two_orders_with_one_safe_id_are_refused_naming_both_positions(om):
    source = orders(3)
    source[0]["safeId"] = source[2]["safeId"] = "shop-order-7"

    with pytest.raises(AirflowFailException, match="index 0 and index 2 share safeId shop-order-7"):
        run_op(OrderMeshCreateOrdersOperator(task_id="bulk", orders=source, hook_params=FAST_RETRIES))

    assert om.stats()["requestsTotal"] == 0 and om.stats()["orders"] == 0


def test_a_409_fails_the_task_without_retries_with_the_apis_message_and_the_id(om, api):
    created, _ = run_op(
        OrderMeshCreateOrderOperator(task_id="create", payload=order(), hook_params=FAST_RETRIES)
    )
    shipment = api.shipments.list_for_order(created["order_id"])[0]
    om.advance_shipments(ids=[shipment.id], to_status=3)  # too late to reroute

    with pytest.raises(AirflowFailException) as refused:
        run_op(
            OrderMeshRerouteShipmentOperator(
                task_id="reroute",
                shipment_id=shipment.id,
                facility_id="apparel-west",
                reason="down",
                hook_params=FAST_RETRIES,
            )
        )

    assert "OrderMesh answered 409" in str(refused.value) and shipment.id in str(refused.value)


def test_a_shipment_id_the_api_does_not_know_fails_the_poke_wait_after_the_grace(om):
    unknown = "0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b99"
    sensor = OrderMeshShipmentStatusSensor(
        task_id="wait",
        shipment_ids=[unknown],
        poke_interval=0.01,
        timeout=3600,
        unknown_id_grace=2,
        mode="poke",
    )

    with pytest.raises(OrderMeshWaitError, match=f"does not know shipment {unknown}: not found in 2 polls"):
        sensor.execute(cast("Context", {"ti": None}))

    assert sum(om.stats()["requests"]["shipments.search"].values()) == 2


def test_a_connection_error_names_the_host_and_port():
    client = OrderMeshClient("http://127.0.0.1:9", ClientCredentials("id", SecretStr("s")), max_retries=0)

    with pytest.raises(TransportError, match=r"connection failed talking to 127\.0\.0\.1:9"):
        client.orders.list_page(page=1, page_size=1)


def test_a_tls_error_on_the_plain_http_sandbox_suggests_http(om):
    port = om.url.rsplit(":", 1)[1]
    login, secret = om.client_id, om.client_secret
    client = OrderMeshClient(f"127.0.0.1:{port}", ClientCredentials(login, SecretStr(secret)), max_retries=0)

    with pytest.raises(TransportError) as failed:
        client.orders.list_page(page=1, page_size=1)

    assert f"TLS error talking to 127.0.0.1:{port}" in str(failed.value)
    assert f"http://127.0.0.1:{port}" in str(failed.value)
