"""Every operator survives DAG serialization (what the dag processor stores) with its links and templates."""

from __future__ import annotations

import datetime

from airflow_provider_ordermesh.compat import serialization_round_trip
from airflow_provider_ordermesh.operators import notes, orders, shipments

ORDER_ID = "65add270441de72442397b6e"
SHIPMENT_ID = "3ed09cf5-1d2c-4c1e-9b7e-8f6a2b1c0d9e"
ITEMS = [{"id": "i1", "quantity": 1}]

ONE_OF_EACH = [
    orders.OrderMeshCreateOrderOperator(task_id="create", payload={"items": []}),
    orders.OrderMeshCreateOrdersOperator(task_id="create_many", orders="{{ ti.xcom_pull('x') | tojson }}",
                                         on_partial_failure="warn", max_concurrency=2),
    orders.OrderMeshUpdateOrderOperator(task_id="update", order_id=ORDER_ID, payload={"externalId": "x"}),
    orders.OrderMeshUpdateOrdersOperator(task_id="update_many", updates="/data/{{ ds }}.jsonl"),
    orders.OrderMeshUpdateOrderItemOperator(task_id="update_item", order_id=ORDER_ID, order_item_id="i1",
                                            payload={"quantity": 2}),
    orders.OrderMeshCancelOrderOperator(task_id="cancel", order_id=ORDER_ID, items=[{"itemId": "i1"}]),
    orders.OrderMeshCustomerCareHoldOperator(task_id="hold", order_id=ORDER_ID, reason="r"),
    orders.OrderMeshRefundOperator(task_id="refund", order_id=ORDER_ID,
                                   refunds=[{"itemId": "i1", "amount": 1, "reason": "r"}]),
    orders.OrderMeshSearchOrdersOperator(task_id="search_orders", filters={"status": ["Open"]}, fields=["id"]),
    shipments.OrderMeshRerouteShipmentOperator(task_id="reroute", shipment_id=SHIPMENT_ID, facility_id="f",
                                               reason="r", order_items=ITEMS),
    shipments.OrderMeshBulkRerouteShipmentsOperator(task_id="reroute_many", reroutes=[]),
    shipments.OrderMeshRejectShipmentOperator(task_id="reject", shipment_id=SHIPMENT_ID, reason="r"),
    shipments.OrderMeshAssignShipmentOperator(task_id="assign", shipment_id=SHIPMENT_ID, facility_id="f"),
    shipments.OrderMeshUnassignItemsOperator(task_id="unassign", shipment_id=SHIPMENT_ID, order_items=ITEMS),
    shipments.OrderMeshCancelShipmentOperator(task_id="cancel_shipment", shipment_id=SHIPMENT_ID),
    shipments.OrderMeshCreateShipmentOperator(task_id="create_shipment", payload={"orderId": ORDER_ID}),
    shipments.OrderMeshCreatePackagesOperator(task_id="packages", shipment_id=SHIPMENT_ID,
                                              packages=[{"carrierName": "UPS"}]),
    shipments.OrderMeshResubmitShipmentOperator(task_id="resubmit", shipment_id=SHIPMENT_ID),
    shipments.OrderMeshGeneratePackingSlipOperator(task_id="slip", shipment_id=SHIPMENT_ID,
                                                   output_path="/tmp/{{ ds }}.pdf"),
    shipments.OrderMeshSearchShipmentsOperator(task_id="search_shipments", filters={"status": "Rejected"}),
    notes.OrderMeshCreateNoteOperator(task_id="note", resource_type="Order", resource_id=ORDER_ID, text="t"),
]


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


def test_the_list_above_holds_every_public_operator():
    public = {cls for module in (orders, shipments, notes) for name, cls in vars(module).items()
              if name.startswith("OrderMesh") and name.endswith("Operator") and cls.__module__ == module.__name__}
    assert {type(op) for op in ONE_OF_EACH} == public
