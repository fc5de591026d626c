"""The code shown in the docs, run: each snippet builds its DAG here and the docs include it by marker.

A snippet that is only in a page can drift from the code without anyone noticing; one included from
here is parsed and built by the suite, so the parse-time checks the page promises run on it (the
literalinclude directives in ``docs/`` name the markers below, and ``make docs`` fails on a missing
one). No snippet sends a request: building a DAG makes none.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from airflow.sdk import DAG, dag, task

from airflow_provider_ordermesh.models.statuses import DEFAULT_SHIPMENT_STATUSES
from airflow_provider_ordermesh.operators.inbound import OrderMeshSubmitInboundOrderOperator
from airflow_provider_ordermesh.operators.orders import OrderMeshCreateOrdersOperator, OrderMeshRefundOperator
from airflow_provider_ordermesh.operators.shipments import OrderMeshGeneratePackingSlipOperator
from airflow_provider_ordermesh.sensors.inbound import OrderMeshInboundOrderSensor
from airflow_provider_ordermesh.sensors.status import OrderMeshShipmentStatusSensor

START = datetime(2026, 11, 1)


def tasks_of(built: DAG) -> dict[str, Any]:
    return {t.task_id: t for t in built.tasks}


def test_the_shipment_sensor_snippet_builds_with_the_defaults_it_names() -> None:
    with DAG("docs_sensors", schedule=None, start_date=START):
        # [START docs_sensor_shipment_status]
        wait_for_shipping = OrderMeshShipmentStatusSensor(
            task_id="wait_for_shipping",
            order_ids="{{ ti.xcom_pull(task_ids='find_orders') | tojson }}",
            target_statuses=["Shipped", "Delivered"],  # the default
            failure_statuses=["Rejected", "Cancelled"],  # the default
            unknown_id_grace=3,  # the default
            on_empty="skip",  # the upstream may find nothing today
            deferrable=True,
            poke_interval=300,
            timeout=6 * 3600,
        )
        # [END docs_sensor_shipment_status]
    defaults = OrderMeshShipmentStatusSensor(task_id="defaults", order_ids=["o-1"])
    # the statuses the comments call the default are the ones a sensor without them waits for
    shown, default = (sensor._statuses(DEFAULT_SHIPMENT_STATUSES) for sensor in (wait_for_shipping, defaults))
    assert [DEFAULT_SHIPMENT_STATUSES.codes(s) for s in shown] == [
        DEFAULT_SHIPMENT_STATUSES.codes(s) for s in default
    ]
    assert wait_for_shipping.unknown_id_grace == defaults.unknown_id_grace
    assert (wait_for_shipping.on_empty, wait_for_shipping.deferrable) == ("skip", True)


def test_the_approval_snippet_builds_a_mapped_refund_with_its_threshold() -> None:
    with DAG("docs_approvals", schedule=None, start_date=START) as built:

        @task
        def plans() -> list[dict[str, Any]]:
            return []

        refund_plans = plans()
        # [START docs_approval_threshold]
        refund_items = OrderMeshRefundOperator.partial(
            task_id="refund_items",
            require_approval_above={"USD": "100", "EUR": "90", "GBP": "80"},
            approvers=["finance-lead", {"id": "maria", "name": "Maria Okafor"}],
            approval_timeout=timedelta(hours=8),  # default: one day
        ).expand_kwargs(refund_plans)
        # [END docs_approval_threshold]
    assert refund_items is tasks_of(built)["refund_items"]
    assert refund_items.partial_kwargs["approval_timeout"] == timedelta(hours=8)


def test_the_object_storage_snippet_builds_both_file_arguments() -> None:
    with DAG("docs_files", schedule=None, start_date=START) as built:
        # [START docs_files_object_storage]
        OrderMeshCreateOrdersOperator(
            task_id="create_orders",
            orders="s3://shop-exports/{{ ds }}/orders.jsonl",
            storage_conn_id="aws_shop",  # the Airflow connection of the store
        )
        OrderMeshGeneratePackingSlipOperator(
            task_id="slip",
            shipment_id="{{ ti.xcom_pull('find_shipment') }}",
            output_path="s3://shop-slips/{{ ds }}/slip.pdf",
            storage_conn_id="aws_shop",
        )
        # [END docs_files_object_storage]
    built_tasks = tasks_of(built)
    assert {t.storage_conn_id for t in built_tasks.values()} == {"aws_shop"}


def test_the_production_pool_snippet_puts_every_task_in_the_pool() -> None:
    # [START docs_production_pool]
    @dag(
        schedule=None,
        start_date=datetime(2026, 11, 1),
        default_args={"pool": "ordermesh"},  # every task of the DAG takes a slot of the pool
    )
    def nightly_orders() -> None:
        OrderMeshCreateOrdersOperator(
            task_id="create_orders",
            orders="{{ params.orders_file }}",
            max_concurrency=2,  # at most 2 bulk requests in flight for this task: 4 x 2 = 8 in all
        )

    nightly_orders()
    # [END docs_production_pool]
    built = nightly_orders()
    create = tasks_of(built)["create_orders"]
    assert (create.pool, create.max_concurrency) == ("ordermesh", 2)


def test_the_inbound_snippet_maps_one_submission_per_shop_order() -> None:
    with DAG("docs_inbound", schedule=None, start_date=START) as built:
        shop_orders = [{"order": 1}, {"order": 2}]
        # [START docs_webhooks_submit_inbound]
        OrderMeshSubmitInboundOrderOperator.partial(
            task_id="submit_inbound", transformation_id="{{ var.value.ordermesh_transformation_id }}"
        ).expand(body=shop_orders)
        # [END docs_webhooks_submit_inbound]
    assert tasks_of(built)["submit_inbound"].expand_input.value == {"body": shop_orders}


def test_the_inbound_fallback_snippet_waits_for_every_mapped_submission() -> None:
    with DAG("docs_inbound_fallback", schedule=None, start_date=START) as built:
        shop_orders = [{"order": 1}, {"order": 2}]
        # [START docs_webhooks_inbound_fallback]
        submitted = OrderMeshSubmitInboundOrderOperator.partial(
            task_id="submit_inbound", transformation_id="{{ var.value.ordermesh_transformation_id }}"
        ).expand(body=shop_orders)
        OrderMeshInboundOrderSensor(
            task_id="wait_for_inbound_orders",
            safe_ids=submitted.output,  # every mapped result; each one's safe_id is looked up
            timeout=30 * 60,  # the deadline: a safeId not found by then fails the task as unknown
            poke_interval=60,
            deferrable=True,
        )
        # [END docs_webhooks_inbound_fallback]
    wait = tasks_of(built)["wait_for_inbound_orders"]
    assert wait.upstream_task_ids == {"submit_inbound"}
    assert (wait.timeout, wait.deferrable) == (1800, True)
