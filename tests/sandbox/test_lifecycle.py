"""Orders get shipments; shipments move on the virtual clock; actions change state as OrderMesh would."""

from __future__ import annotations

import time
from typing import Any

import pytest

from airflow_provider_ordermesh.models.statuses import DEFAULT_SHIPMENT_STATUSES
from sandbox.wire import Api

pytestmark = pytest.mark.sandbox

STATUS = DEFAULT_SHIPMENT_STATUSES
ASSIGNED, ACCEPTED, IN_PRODUCTION, SHIPPED, DELIVERED, REJECTED, CANCELLED = (
    STATUS.code(name)
    for name in ("Assigned", "Accepted", "InProduction", "Shipped", "Delivered", "Rejected", "Cancelled")
)
STEP = 30  # the default step_seconds


def statuses(api: Api, order_id: str) -> list[int]:
    return [shipment["shipmentStatus"] for shipment in api.shipments_of(order_id)]


def order_status(api: Api, order_id: str) -> str:
    return str(api.ok("orders.get", order_id=order_id)["order"]["status"])


def test_an_order_gets_one_assigned_shipment_per_facility_kind(api: Api) -> None:
    order = api.create_order(
        "TSHIRT-5000-M-BLACK",
        "hoodie-18500-M-NAVY",
        "MUG-11OZ-WHITE",
        "POSTER-18X24-MATTE",
        "STICKER-3X3-KISSCUT",
    )

    shipments = api.shipments_of(order["id"])

    assert [s["facilityId"] for s in shipments] == [
        "apparel-east",
        "drinkware-north",
        "wallart-east",
        "general-central",
    ]
    assert [len(s["orderItemIDs"]) for s in shipments] == [2, 1, 1, 1]
    assert {s["shipmentStatus"] for s in shipments} == {ASSIGNED}
    assert order["shipmentIds"] == [s["id"] for s in shipments]
    assert order["status"] == "Open"


def test_each_step_takes_step_seconds_of_virtual_time(api: Api, sandbox: Any) -> None:
    order = api.create_order()

    seen = []
    for _ in range(4):
        sandbox.advance(STEP)
        seen.append((statuses(api, order["id"]), order_status(api, order["id"])))

    assert seen == [
        ([ACCEPTED], "Open"),
        ([IN_PRODUCTION], "InProduction"),
        ([SHIPPED], "Fulfilled"),
        ([DELIVERED], "Fulfilled"),
    ]


def test_a_shipped_shipment_has_a_tracked_package_and_fulfilled_items(api: Api, sandbox: Any) -> None:
    order = api.create_order("TSHIRT-5000-M-BLACK", "MUG-11OZ-WHITE")

    sandbox.advance(3 * STEP)

    for shipment in api.shipments_of(order["id"]):
        [package] = shipment["packages"]
        assert shipment["shipmentStatus"] == SHIPPED
        assert package["carrierName"] and package["carrierTrackingNumber"]
        assert package["carrierLink"].endswith(package["carrierTrackingNumber"])
        assert package["orderItemIDs"] == shipment["orderItemIDs"]
    order = api.ok("orders.get", order_id=order["id"])["order"]
    assert order["status"] == "Fulfilled"
    assert {item["status"] for item in order["items"]} == {"Fulfilled"}


def test_an_order_is_partially_fulfilled_while_some_shipments_have_not_shipped(
    api: Api, sandbox: Any
) -> None:
    order = api.create_order("TSHIRT-5000-M-BLACK", "MUG-11OZ-WHITE")

    sandbox.advance_shipments(order["shipmentIds"][:1], to_status="Shipped")

    assert order_status(api, order["id"]) == "PartiallyFulfilled"


def test_speed_runs_virtual_time_faster_than_real_time(api: Api, sandbox: Any) -> None:
    sandbox.configure(speed=2000)
    order = api.create_order()

    time.sleep(0.1)  # 200 virtual seconds

    assert statuses(api, order["id"]) == [DELIVERED]


def test_facilities_reject_shipments_at_the_reject_rate_and_rejected_ones_stop(
    api: Api, sandbox: Any
) -> None:
    sandbox.configure(reject_rate=1.0)
    order = api.create_order()

    sandbox.advance(10 * STEP)

    [shipment] = api.shipments_of(order["id"])
    assert (shipment["shipmentStatus"], shipment["isRejectedByVendor"]) == (REJECTED, True)
    assert order_status(api, order["id"]) == "Open"


def test_rejections_follow_the_seed(api: Api, sandbox: Any) -> None:
    def rejected_shipments() -> list[bool]:
        orders = [api.create_order() for _ in range(20)]
        sandbox.advance(STEP)
        return [statuses(api, order["id"]) == [REJECTED] for order in orders]

    sandbox.reset(reject_rate=0.5, seed=7)
    first = rejected_shipments()
    sandbox.reset(reject_rate=0.5, seed=7)

    assert rejected_shipments() == first
    assert 0 < sum(first) < len(first)


def test_a_rejected_shipment_rerouted_whole_goes_back_to_assigned_and_then_ships(
    api: Api, sandbox: Any
) -> None:
    sandbox.configure(reject_rate=1.0)
    order = api.create_order()
    sandbox.advance(STEP)
    [rejected] = api.shipments_of(order["id"])

    answer = api.ok(
        "shipments.reroute",
        json={
            "shipmentId": rejected["id"],
            "facilityId": "apparel-west",
            "reason": "rejected at apparel-east",
        },
    )

    assert answer == {"shipmentId": rejected["id"], "facilityId": "apparel-west", "newShipmentIds": []}
    [rerouted] = api.shipments_of(order["id"])
    assert (rerouted["shipmentStatus"], rerouted["facilityId"], rerouted["isRejectedByVendor"]) == (
        ASSIGNED,
        "apparel-west",
        False,
    )
    sandbox.advance(3 * STEP)
    assert statuses(api, order["id"]) == [SHIPPED]


def test_rerouting_some_quantities_splits_them_into_a_new_shipment(api: Api) -> None:
    order = api.create_order("TSHIRT-5000-M-BLACK", "HOODIE-18500-M-NAVY", quantity=3)
    [shipment] = api.shipments_of(order["id"])
    tshirt = order["items"][0]["id"]

    answer = api.ok(
        "shipments.reroute",
        json={
            "shipmentId": shipment["id"],
            "facilityId": "apparel-west",
            "reason": "split",
            "orderItems": [{"id": tshirt, "quantity": 2}],
        },
    )

    original, split = api.shipments_of(order["id"])
    assert answer["newShipmentIds"] == [split["id"]]
    assert {i["id"]: i["quantity"] for i in original["orderItems"]} == {tshirt: 1, order["items"][1]["id"]: 3}
    assert ({i["id"]: i["quantity"] for i in split["orderItems"]}, split["facilityId"]) == (
        {tshirt: 2},
        "apparel-west",
    )


def test_rerouting_more_than_a_shipment_carries_names_the_field(api: Api) -> None:
    order = api.create_order()
    [shipment] = api.shipments_of(order["id"])

    response = api.call(
        "shipments.reroute",
        json={
            "shipmentId": shipment["id"],
            "facilityId": "apparel-west",
            "reason": "split",
            "orderItems": [{"id": order["items"][0]["id"], "quantity": 5}],
        },
    )

    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["orderItems.0.quantity"]


def test_a_cancelled_order_stops_and_cannot_be_cancelled_again(api: Api, sandbox: Any) -> None:
    order = api.create_order("TSHIRT-5000-M-BLACK", "MUG-11OZ-WHITE")

    cancelled = api.ok("orders.cancel", json={"orderId": order["id"], "reason": "customer changed mind"})[
        "order"
    ]
    sandbox.advance(10 * STEP)

    assert cancelled["status"] == "Cancelled"
    assert {item["status"] for item in cancelled["items"]} == {"Cancelled"}
    assert statuses(api, order["id"]) == [CANCELLED, CANCELLED]
    again = api.call("orders.cancel", json={"orderId": order["id"]})
    assert again.status_code == 409
    assert order["id"] in again.json()["message"]


def test_cancelling_some_quantity_keeps_the_rest_going(api: Api, sandbox: Any) -> None:
    order = api.create_order("TSHIRT-5000-M-BLACK", "MUG-11OZ-WHITE", quantity=3)
    tshirt, mug = (item["id"] for item in order["items"])

    api.ok(
        "orders.cancel",
        json={"orderId": order["id"], "items": [{"itemId": tshirt, "quantity": 1}, {"itemId": mug}]},
    )
    sandbox.advance(3 * STEP)

    apparel, drinkware = api.shipments_of(order["id"])
    assert (apparel["shipmentStatus"], apparel["orderItems"][0]["quantity"]) == (SHIPPED, 2)
    assert drinkware["shipmentStatus"] == CANCELLED
    order = api.ok("orders.get", order_id=order["id"])["order"]
    assert [item["status"] for item in order["items"]] == ["Fulfilled", "Cancelled"]
    assert order["status"] == "Fulfilled"


def test_cancelling_what_has_shipped_is_a_conflict(api: Api, sandbox: Any) -> None:
    order = api.create_order()
    sandbox.advance(3 * STEP)

    response = api.call("orders.cancel", json={"orderId": order["id"]})

    assert response.status_code == 409


def test_a_customer_care_hold_pauses_the_shipments(api: Api, sandbox: Any) -> None:
    order = api.create_order()
    sandbox.advance(STEP)

    held = api.ok("orders.customer_care_hold", order_id=order["id"], json={"reason": "address check"})[
        "order"
    ]
    sandbox.advance(10 * STEP)

    assert held["status"] == "CustomerCareHold"
    assert statuses(api, order["id"]) == [ACCEPTED]
    assert order_status(api, order["id"]) == "CustomerCareHold"


@pytest.mark.parametrize(
    "action, body",
    [
        ("shipments.reroute", {"facilityId": "apparel-west", "reason": "too late"}),
        ("shipments.reject", {"reason": "too late"}),
        ("shipments.cancel", {}),
        ("shipments.assign", {"facilityId": "apparel-west"}),
    ],
)
def test_an_action_a_status_does_not_allow_is_a_conflict(
    api: Api, sandbox: Any, action: str, body: dict[str, Any]
) -> None:
    order = api.create_order()
    [shipment_id] = order["shipmentIds"]
    sandbox.advance_shipments([shipment_id], to_status="Shipped")

    if action == "shipments.reroute":
        response = api.call(action, json={"shipmentId": shipment_id, **body})
    else:
        response = api.call(action, shipment_id=shipment_id, json=body)

    assert response.status_code == 409
    assert "Shipped" in response.json()["message"]


def test_unassign_assign_and_resubmit(api: Api, sandbox: Any) -> None:
    order = api.create_order()
    [shipment_id] = order["shipmentIds"]

    unassigned = api.ok(
        "shipments.unassign_items",
        shipment_id=shipment_id,
        json={"orderItems": [{"id": order["items"][0]["id"], "quantity": 2}]},
    )
    assigned = api.ok("shipments.assign", shipment_id=shipment_id, json={"facilityId": "apparel-west"})
    sandbox.reject_shipments([shipment_id])
    resubmitted = api.ok("shipments.resubmit", shipment_id=shipment_id)

    assert (unassigned["shipmentStatus"], unassigned["facilityId"]) == (STATUS.code("Unassigned"), None)
    assert (assigned["shipmentStatus"], assigned["facilityId"]) == (ASSIGNED, "apparel-west")
    assert (resubmitted["shipmentStatus"], resubmitted["isRejectedByVendor"]) == (ASSIGNED, False)


def test_a_vendor_that_creates_packages_ships_the_shipment(api: Api) -> None:
    order = api.create_order()
    [shipment_id] = order["shipmentIds"]

    created = api.ok(
        "shipments.create_packages",
        shipment_id=shipment_id,
        json={"packages": [{"carrierName": "DHL", "carrierTrackingNumber": "JD0123"}]},
    )["packages"]
    slip = api.ok("packing_slips.generate", shipment_id=shipment_id, json={"format": "html"})

    shipment = api.ok("shipments.get", shipment_id=shipment_id)
    assert shipment["shipmentStatus"] == SHIPPED
    assert [p["carrierTrackingNumber"] for p in shipment["packages"]] == ["JD0123"]
    assert created[0]["orderItemIDs"] == shipment["orderItemIDs"]
    assert shipment["packages"][0]["packingSlipId"] == slip["packingSlipId"]
    assert slip["contentType"].startswith("text/html")


def test_every_change_is_audited(api: Api, sandbox: Any) -> None:
    order = api.create_order()
    [shipment_id] = order["shipmentIds"]
    sandbox.advance(3 * STEP)

    order_actions = [e["action"] for e in api.ok("orders.audit_logs", order_id=order["id"])["auditLogs"]]
    shipment_log = api.ok("shipments.audit_logs", shipment_id=shipment_id)["auditLogs"]

    assert order_actions[0] == "Created"
    assert [(e["oldValue"], e["newValue"]) for e in shipment_log if e["action"] == "StatusChanged"] == [
        ("Unassigned", "Assigned"),
        ("Assigned", "Accepted"),
        ("Accepted", "InProduction"),
        ("InProduction", "Shipped"),
    ]
    assert shipment_log[-1]["user"]["id"] == "vendor-threadline"
