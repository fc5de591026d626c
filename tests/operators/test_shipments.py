"""Shipment operators against the sandbox over real HTTP: each asserts the change in the sandbox."""

from __future__ import annotations

import pytest
from support.connection import PORTAL_URL

from airflow_provider_ordermesh.compat import AirflowFailException
from airflow_provider_ordermesh.operators.orders import OrderMeshCreateOrderOperator
from airflow_provider_ordermesh.operators.shipments import (
    OrderMeshAssignShipmentOperator,
    OrderMeshBulkRerouteShipmentsOperator,
    OrderMeshCancelShipmentOperator,
    OrderMeshCreatePackagesOperator,
    OrderMeshCreateShipmentOperator,
    OrderMeshGeneratePackingSlipOperator,
    OrderMeshRejectShipmentOperator,
    OrderMeshRerouteShipmentOperator,
    OrderMeshResubmitShipmentOperator,
    OrderMeshSearchShipmentsOperator,
    OrderMeshUnassignItemsOperator,
)
from operators.conftest import FAST_RETRIES
from operators.context import run_op
from operators.data import order

pytestmark = pytest.mark.sandbox

LINK = "_link_OrderMeshShipmentLink"


def requests_to(om, endpoint: str) -> int:
    return sum(om.stats()["requests"].get(endpoint, {}).values())


def new_order(api, *skus, map_index=-1):
    """An order through the operator; its shipments, one per facility, by facility id."""
    created, _ = run_op(
        OrderMeshCreateOrderOperator(task_id="create", payload=order(*skus), hook_params=FAST_RETRIES),
        map_index=map_index,
    )
    return created["order_id"], {s.facility_id: s for s in api.shipments.list_for_order(created["order_id"])}


def run(operator_class, **kwargs):
    return run_op(operator_class(task_id="act", hook_params=FAST_RETRIES, **kwargs))


def test_reroute_a_whole_shipment(om, api):
    _, shipments = new_order(api)
    shipment = shipments["apparel-east"]

    result, context = run(
        OrderMeshRerouteShipmentOperator,
        shipment_id=shipment.id,
        facility_id="apparel-west",
        reason="east is backed up",
    )

    assert result == {"shipment_id": shipment.id, "facility_id": "apparel-west", "new_shipment_ids": []}
    assert api.shipments.get(shipment.id).facility_id == "apparel-west"
    assert context["ti"].xcoms[LINK] == f"{PORTAL_URL}/shipments/{shipment.id}"


def test_reroute_some_items_splits_them_off_to_a_new_shipment(om, api):
    _, shipments = new_order(api)
    shipment = shipments["apparel-east"]
    item_id = shipment.order_item_ids[0]

    result, _ = run(
        OrderMeshRerouteShipmentOperator,
        shipment_id=shipment.id,
        facility_id="apparel-west",
        reason="split",
        order_items=f'[{{"id": "{item_id}", "quantity": 1}}]',
    )

    (new_id,) = result["new_shipment_ids"]
    moved = api.shipments.get(new_id)
    assert moved.facility_id == "apparel-west" and moved.order_items[0].quantity == 1
    assert api.shipments.get(shipment.id).order_items[0].quantity == 1


def test_a_retried_whole_reroute_already_applied_is_not_sent_again(om, api):
    _, shipments = new_order(api)
    kwargs = {
        "task_id": "act",
        "shipment_id": shipments["apparel-east"].id,
        "facility_id": "apparel-west",
        "reason": "r",
        "hook_params": FAST_RETRIES,
    }
    run_op(OrderMeshRerouteShipmentOperator(**kwargs))

    result, _ = run_op(OrderMeshRerouteShipmentOperator(**kwargs), try_number=2)

    assert result["facility_id"] == "apparel-west"
    assert requests_to(om, "shipments.reroute") == 1


def test_reroute_arguments_are_checked_before_any_request(om):
    with pytest.raises(AirflowFailException, match=r"shipment_id.*whitespace"):
        run(OrderMeshRerouteShipmentOperator, shipment_id="S1234 567890", facility_id="f", reason="r")
    with pytest.raises(AirflowFailException, match=r"invalid reroute: reason: .*at least 1 character"):
        run(
            OrderMeshRerouteShipmentOperator,
            shipment_id="3ed09cf5-1d2c-4c1e-9b7e-8f6a2b1c0d9e",
            facility_id="f",
            reason="",
        )
    assert om.stats()["requestsTotal"] == 0


def test_bulk_reroute_reports_refused_shipments_and_a_retry_skips_what_was_rerouted(om, api):
    shipment_ids = [new_order(api, map_index=i)[1]["apparel-east"].id for i in range(4)]
    om.advance_shipments(ids=[shipment_ids[2]], to_status=3)  # in production: too late to reroute
    reroutes = [
        {"shipmentId": sid, "facilityId": "apparel-west", "reason": "rebalance"} for sid in shipment_ids[:3]
    ]
    reroutes.append({"shipmentId": shipment_ids[3], "facilityId": "nowhere", "reason": "typo"})

    result, _ = run(OrderMeshBulkRerouteShipmentsOperator, reroutes=reroutes, on_partial_failure="warn")

    assert (result["rerouted"], result["already_rerouted"]) == (2, 0)
    assert result["shipment_ids"] == shipment_ids[:2]
    assert [(f["index"], f["shipment_id"]) for f in result["failures"]] == [
        (2, shipment_ids[2]),
        (3, shipment_ids[3]),
    ]
    assert (
        "(HTTP 409)" in result["failures"][0]["message"] and "(HTTP 404)" in result["failures"][1]["message"]
    )
    assert [api.shipments.get(sid).facility_id for sid in shipment_ids] == [
        "apparel-west",
        "apparel-west",
        "apparel-east",
        "apparel-east",
    ]

    retried, _ = run_op(
        OrderMeshBulkRerouteShipmentsOperator(task_id="act", reroutes=reroutes[:2], hook_params=FAST_RETRIES),
        try_number=2,
    )
    assert (retried["rerouted"], retried["already_rerouted"]) == (0, 2)
    assert requests_to(om, "shipments.reroute_bulk") == 1


def test_reject_then_resubmit(om, api):
    _, shipments = new_order(api)
    shipment_id = shipments["apparel-east"].id

    rejected, _ = run(OrderMeshRejectShipmentOperator, shipment_id=shipment_id, reason="printer down")
    assert rejected == {"shipment_id": shipment_id, "status": "Rejected", "status_code": 6}
    assert api.shipments.get(shipment_id).shipment_status == 6

    resubmitted, _ = run(OrderMeshResubmitShipmentOperator, shipment_id=shipment_id)
    assert resubmitted["status"] == "Assigned"
    assert api.shipments.get(shipment_id).shipment_status == 1


def test_unassign_every_item_then_assign_to_another_facility(om, api):
    _, shipments = new_order(api)
    shipment = shipments["apparel-east"]
    items = [{"id": i.id, "quantity": i.quantity} for i in shipment.order_items]

    unassigned, _ = run(
        OrderMeshUnassignItemsOperator, shipment_id=shipment.id, order_items=items, reason="recheck"
    )
    assert unassigned["status"] == "Unassigned" and api.shipments.get(shipment.id).facility_id is None

    assigned, _ = run(OrderMeshAssignShipmentOperator, shipment_id=shipment.id, facility_id="apparel-west")
    assert assigned["status"] == "Assigned"
    assert api.shipments.get(shipment.id).facility_id == "apparel-west"


def test_cancel_shipment(om, api):
    _, shipments = new_order(api, "TSHIRT-BLK-M", "MUG-11OZ")
    mug = shipments["drinkware-north"]

    result, _ = run(OrderMeshCancelShipmentOperator, shipment_id=mug.id, reason="not needed")

    assert result["status"] == "Cancelled" and api.shipments.get(mug.id).shipment_status == 7
    assert api.shipments.get(shipments["apparel-east"].id).shipment_status == 1


def test_create_shipment_for_items_no_shipment_carries(om, api):
    order_id, shipments = new_order(api)
    old = shipments["apparel-east"]
    api.shipments.delete(old.id)
    payload = {
        "orderId": order_id,
        "facilityId": "apparel-west",
        "orderItems": [{"id": i.id, "quantity": i.quantity} for i in old.order_items],
    }

    result, context = run(OrderMeshCreateShipmentOperator, payload=payload)

    created = api.shipments.get(result["shipment_id"])
    assert created.order_id == order_id and created.facility_id == "apparel-west"
    assert result == {"shipment_id": created.id, "order_id": order_id, "status": "Assigned", "status_code": 1}
    assert context["ti"].xcoms["_link_OrderMeshOrderLink"] == f"{PORTAL_URL}/orders/{order_id}"
    assert context["ti"].xcoms[LINK] == f"{PORTAL_URL}/shipments/{created.id}"


def test_create_packages_ships_the_shipment(om, api):
    _, shipments = new_order(api)
    shipment_id = shipments["apparel-east"].id
    packages = [{"carrierName": "UPS", "carrierTrackingNumber": "1Z999"}]

    result, _ = run(OrderMeshCreatePackagesOperator, shipment_id=shipment_id, packages=packages)

    stored = api.shipments.get(shipment_id)
    assert result == {"shipment_id": shipment_id, "package_ids": [p.id for p in stored.packages]}
    assert stored.tracking_numbers == ["1Z999"] and stored.shipment_status == 4


def test_generate_packing_slip_writes_the_document(om, api, tmp_path):
    _, shipments = new_order(api)
    shipment_id = shipments["apparel-east"].id

    result, _ = run(
        OrderMeshGeneratePackingSlipOperator,
        shipment_id=shipment_id,
        format="html",
        output_path=str(tmp_path / "{{ ds }}" / "slip.html"),
    )

    path = tmp_path / "2026-11-26" / "slip.html"
    assert result["path"] == str(path) and result["packing_slip_id"]
    assert path.read_bytes().strip().lower().startswith(b"<!doctype html") or b"<html" in path.read_bytes()


def test_search_shipments_by_status_name_returns_ids_or_records(om, api):
    _, shipments = new_order(api, "TSHIRT-BLK-M", "MUG-11OZ")
    run(OrderMeshRejectShipmentOperator, shipment_id=shipments["drinkware-north"].id, reason="x")

    rejected, _ = run(OrderMeshSearchShipmentsOperator, filters={"status": ["Rejected"]})
    records, _ = run(
        OrderMeshSearchShipmentsOperator,
        filters={"status": "assigned"},
        fields=["id", "facilityId", "status"],
    )

    assert rejected == [shipments["drinkware-north"].id]
    assert records == [
        {"id": shipments["apparel-east"].id, "facilityId": "apparel-east", "status": "Assigned"}
    ]


def test_search_shipments_refuses_an_unknown_status_before_any_request(om):
    with pytest.raises(AirflowFailException, match="invalid filters: status: unknown shipment status 'Lost'"):
        run(OrderMeshSearchShipmentsOperator, filters={"status": ["Lost"]})
    assert om.stats()["requestsTotal"] == 0
