"""The control API, the stats it keeps, the portal pages, and the threaded server itself."""

from __future__ import annotations

import base64
from typing import Any

import pytest
import requests

from airflow_provider_ordermesh import sandbox as sandbox_package
from airflow_provider_ordermesh.sandbox import SandboxServer
from airflow_provider_ordermesh.sandbox.backend.facilities import FACILITIES
from sandbox.wire import Api, order_body

pytestmark = pytest.mark.sandbox


def control(sandbox: Any, method: str, path: str, body: Any = None) -> requests.Response:
    return requests.request(method, f"{sandbox.url}/_sandbox{path}", json=body, timeout=10)


def test_stats_count_api_requests_by_endpoint_name_and_status(api: Api, sandbox: Any) -> None:
    order = api.create_order("TSHIRT-5000-M-BLACK", "MUG-11OZ-WHITE")
    api.call("orders.get", order_id="0" * 24)
    sandbox.advance_shipments(order["shipmentIds"][:1], to_status="Shipped")

    stats = sandbox.stats()

    assert stats["requests"] == {
        "auth.client_token": {"200": 1},
        "orders.create": {"201": 1},
        "orders.get": {"200": 1, "404": 1},
    }
    assert stats["attempts"] == {"auth.client_token": 1, "orders.create": 1, "orders.get": 2}
    assert (stats["requestsTotal"], stats["tokensIssued"], stats["droppedConnections"]) == (4, 1, 0)
    assert stats["connectionsOpened"] == 1  # one keep-alive connection
    assert (stats["orders"], stats["shipments"]) == (1, 2)
    assert stats["shipmentsByStatus"] == {"Assigned": 1, "Shipped": 1}
    assert stats["duplicateSafeIdAttempts"] == 0


def test_stats_reset_keeps_the_data(api: Api, sandbox: Any) -> None:
    api.create_order()

    control(sandbox, "POST", "/stats/reset")

    stats = sandbox.stats()
    assert (stats["requestsTotal"], stats["orders"]) == (0, 1)


def test_reset_forgets_orders_and_counts_and_applies_overrides(api: Api, sandbox: Any) -> None:
    api.create_order()

    config = sandbox.reset(speed=0, stepSeconds=60)

    assert (config["speed"], config["stepSeconds"], config["rejectRate"]) == (0, 60, 0)
    stats = sandbox.stats()
    assert (stats["orders"], stats["requestsTotal"]) == (0, 0)
    assert sandbox.backend.state.orders == {}


def test_config_changes_apply_from_now_on_without_losing_state(api: Api, sandbox: Any) -> None:
    before = api.create_order()

    sandbox.configure(step_seconds=10)
    after = api.create_order()
    sandbox.advance(30)

    assert control(sandbox, "GET", "/config").json()["stepSeconds"] == 10
    assert api.shipments_of(before["id"])[0]["shipmentStatus"] == 2  # its first step was already due at 30 s
    assert api.shipments_of(after["id"])[0]["shipmentStatus"] == 4  # three steps of 10 s


@pytest.mark.parametrize(
    "body, field",
    [
        ({"rejectRate": 2}, "rejectRate"),
        ({"speed": -1}, "speed"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_bad_setting_is_a_400_naming_it(sandbox: Any, body: dict[str, Any], field: str) -> None:
    response = control(sandbox, "POST", "/config", body)

    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_advancing_shipments_by_id_to_a_status_or_one_step(api: Api, sandbox: Any) -> None:
    first, second = api.create_order(), api.create_order()

    assert [s["shipmentStatus"] for s in sandbox.advance_shipments(first["shipmentIds"], to_status=4)] == [4]
    assert [s["shipmentStatus"] for s in sandbox.advance_shipments()] == [5, 2]
    response = control(
        sandbox, "POST", "/shipments/advance", {"shipmentIds": second["shipmentIds"], "toStatus": 1}
    )
    assert response.status_code == 400


@pytest.mark.parametrize("name", sandbox_package.__all__)
def test_each_public_name_of_the_package_resolves(name: str) -> None:
    assert getattr(sandbox_package, name).__name__ == name


def test_facilities_are_listed_and_documented(sandbox: Any) -> None:
    listed = control(sandbox, "GET", "/facilities").json()["facilities"]

    assert [f["id"] for f in listed] == [f.id for f in FACILITIES]
    assert {f["kind"] for f in listed} == {"apparel", "drinkware", "wall_art", "general"}
    assert all(f.id in (sandbox_package.__doc__ or "") for f in FACILITIES)


def test_control_routes_are_not_counted(sandbox: Any) -> None:
    control(sandbox, "GET", "/facilities")

    assert sandbox.stats()["requestsTotal"] == 0


def test_portal_pages_show_orders_shipments_and_packing_slips(api: Api, sandbox: Any) -> None:
    order = api.create_order()
    [shipment] = sandbox.advance_shipments(order["shipmentIds"], to_status="Shipped")
    slip = api.ok("packing_slips.generate", shipment_id=shipment["id"], json={"format": "pdf"})

    order_page = requests.get(f"{sandbox.url}/portal/orders/{order['id']}", timeout=10)
    shipment_page = requests.get(f"{sandbox.url}/portal/shipments/{shipment['id']}", timeout=10)
    document = requests.get(slip["url"], timeout=10)

    assert order_page.status_code == 200 and order["shortId"] in order_page.text
    assert shipment["packages"][0]["carrierTrackingNumber"] in shipment_page.text
    assert document.headers["Content-Type"] == "application/pdf"
    assert document.content == base64.b64decode(slip["document"])
    assert document.content.startswith(b"%PDF-1.4") and document.content.rstrip().endswith(b"%%EOF")


def test_two_servers_in_one_process_are_isolated() -> None:
    with SandboxServer(seed=1) as first, SandboxServer(seed=1) as second:
        token = requests.post(
            f"{first.url}/user/v1/clients/token",
            timeout=10,
            json={"clientId": "sandbox-client", "clientSecret": "sandbox-secret"},
        ).json()
        headers = {"Authorization": f"Bearer {token['accessToken']}"}
        created = requests.post(f"{first.url}/v1/orders", json=order_body(), headers=headers, timeout=10)

        assert created.status_code == 201
        assert (len(first.instance.backend.state.orders), len(second.instance.backend.state.orders)) == (1, 0)
    with pytest.raises(RuntimeError):
        first.url  # noqa: B018 - a stopped server has no URL
