"""Every operator and sensor survives DAG serialization (what the dag processor stores) with its links and templates."""

from __future__ import annotations

import datetime

from support.provider import provider_operators, provider_sensors

from airflow_provider_ordermesh.compat import serialization_round_trip

ORDER_ID = "65add270441de72442397b6e"
SHIPMENT_ID = "3ed09cf5-1d2c-4c1e-9b7e-8f6a2b1c0d9e"
ITEMS = [{"id": "i1", "quantity": 1}]

ARGUMENTS: dict[str, dict] = {  # by class name: each registered operator and sensor with working arguments
    "OrderMeshCreateOrderOperator": dict(task_id="create", payload={"items": []}),
    "OrderMeshCreateOrdersOperator": dict(
        task_id="create_many",
        orders="{{ ti.xcom_pull('x') | tojson }}",
        on_partial_failure="warn",
        max_concurrency=2,
    ),
    "OrderMeshUpdateOrderOperator": dict(task_id="update", order_id=ORDER_ID, payload={"externalId": "x"}),
    "OrderMeshUpdateOrdersOperator": dict(task_id="update_many", updates="/data/{{ ds }}.jsonl"),
    "OrderMeshUpdateOrderItemOperator": dict(
        task_id="update_item", order_id=ORDER_ID, order_item_id="i1", payload={"quantity": 2}
    ),
    "OrderMeshCancelOrderOperator": dict(task_id="cancel", order_id=ORDER_ID, items=[{"itemId": "i1"}]),
    "OrderMeshCustomerCareHoldOperator": dict(task_id="hold", order_id=ORDER_ID, reason="r"),
    "OrderMeshRefundOperator": dict(
        task_id="refund", order_id=ORDER_ID, refunds=[{"itemId": "i1", "amount": 1, "reason": "r"}]
    ),
    "OrderMeshSearchOrdersOperator": dict(
        task_id="search_orders", filters={"status": ["Open"]}, fields=["id"]
    ),
    "OrderMeshRerouteShipmentOperator": dict(
        task_id="reroute", shipment_id=SHIPMENT_ID, facility_id="f", reason="r", order_items=ITEMS
    ),
    "OrderMeshBulkRerouteShipmentsOperator": dict(task_id="reroute_many", reroutes=[]),
    "OrderMeshRejectShipmentOperator": dict(task_id="reject", shipment_id=SHIPMENT_ID, reason="r"),
    "OrderMeshAssignShipmentOperator": dict(task_id="assign", shipment_id=SHIPMENT_ID, facility_id="f"),
    "OrderMeshUnassignItemsOperator": dict(task_id="unassign", shipment_id=SHIPMENT_ID, order_items=ITEMS),
    "OrderMeshCancelShipmentOperator": dict(task_id="cancel_shipment", shipment_id=SHIPMENT_ID),
    "OrderMeshCreateShipmentOperator": dict(task_id="create_shipment", payload={"orderId": ORDER_ID}),
    "OrderMeshCreatePackagesOperator": dict(
        task_id="packages", shipment_id=SHIPMENT_ID, packages=[{"carrierName": "UPS"}]
    ),
    "OrderMeshResubmitShipmentOperator": dict(task_id="resubmit", shipment_id=SHIPMENT_ID),
    "OrderMeshGeneratePackingSlipOperator": dict(
        task_id="slip", shipment_id=SHIPMENT_ID, output_path="/tmp/{{ ds }}.pdf"
    ),
    "OrderMeshSearchShipmentsOperator": dict(task_id="search_shipments", filters={"status": "Rejected"}),
    "OrderMeshCreateNoteOperator": dict(
        task_id="note", resource_type="Order", resource_id=ORDER_ID, text="t"
    ),
    "OrderMeshSubmitInboundOrderOperator": dict(
        task_id="inbound", body={"orderNumber": "{{ ds }}"}, transformation_id="t"
    ),
    "OrderMeshShipmentStatusSensor": dict(task_id="wait_shipments", shipment_ids=[SHIPMENT_ID]),
    "OrderMeshOrderStatusSensor": dict(task_id="wait_orders", order_ids=[ORDER_ID]),
    "OrderMeshInboundOrderSensor": dict(
        task_id="wait_inbound", safe_ids="{{ ti.xcom_pull('inbound') | tojson }}", timeout=1800
    ),
}
REGISTERED = [*provider_operators(), *provider_sensors()]
"""From ``get_provider_info()``: an operator or sensor added later is covered, or the test below asks for it."""
ONE_OF_EACH = [cls(**ARGUMENTS[cls.__name__]) for cls in REGISTERED if cls.__name__ in ARGUMENTS]


def test_a_dag_with_every_operator_round_trips_through_serialization():
    from airflow.sdk import DAG

    with DAG(dag_id="every_operator", schedule=None, start_date=datetime.datetime(2026, 1, 1)) as dag:
        for op in ONE_OF_EACH:
            dag.add_task(op)

    restored = serialization_round_trip(dag)

    assert len(restored.task_dict) == len(ONE_OF_EACH)
    for op in ONE_OF_EACH:
        task = restored.task_dict[op.task_id]
        assert set(task.template_fields) == set(op.template_fields), op.task_id
        assert {link.name for link in op.operator_extra_links} <= set(task.extra_links), op.task_id
    assert set(restored.task_dict["create_shipment"].extra_links) == {"OrderMesh order", "OrderMesh shipment"}


def test_every_registered_operator_and_sensor_is_in_the_round_trip():
    missing = sorted(cls.__name__ for cls in REGISTERED if cls.__name__ not in ARGUMENTS)
    assert not missing, f"add working arguments to ARGUMENTS above for: {', '.join(missing)}"
    assert len(ONE_OF_EACH) == len(REGISTERED) >= 23
