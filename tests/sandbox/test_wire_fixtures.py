"""The sandbox against the wire: it accepts the documented and hand-written requests, and its answers
carry every key of the hand-written answers.

Spoken over plain HTTP with ``requests``, so nothing of the client's models stands between the
fixtures and the sandbox; the model side of the same fixtures is ``tests/models/test_wire_fixtures.py``.
"""

from __future__ import annotations

from typing import Any

import pytest
from models.api_examples import load_example
from models.wire_fixtures import fill, keys_not_answered, load_wire

from airflow_provider_ordermesh.sandbox.backend.config import SandboxConfig
from sandbox.wire import Api

pytestmark = pytest.mark.sandbox

DEFAULTS = SandboxConfig()


@pytest.fixture
def ids(api: Api) -> dict[str, str]:
    """Ids of a fresh order created from the hand-written create request, for the ``$`` placeholders."""
    created = api.ok("orders.create", json=load_wire("orders.create")["request"])
    order = api.ok("orders.get", order_id=created["id"])["order"]
    [shipment] = api.shipments_of(order["id"])
    other = "apparel-east" if shipment["facilityId"] != "apparel-east" else "apparel-west"
    return {
        "$order": order["id"],
        "$item": order["items"][0]["id"],
        "$shipment": shipment["id"],
        "$facility": other,
    }


def test_client_token_answer_has_the_wire_keys(anonymous: Api, sandbox: Any) -> None:
    body = {"clientId": sandbox.client_id, "clientSecret": sandbox.client_secret}
    answered = anonymous.ok("auth.client_token", json=body)
    assert keys_not_answered(load_wire("auth.client_token")["answer"], answered) == []


def test_refresh_answer_has_the_wire_keys(anonymous: Api) -> None:
    login = anonymous.ok("auth.login", json={"username": DEFAULTS.username, "password": DEFAULTS.password})
    answered = anonymous.ok("auth.refresh", json={"refreshToken": login["refreshToken"]})
    assert keys_not_answered(load_wire("auth.refresh")["answer"], answered) == []


def test_create_answer_has_the_wire_keys(api: Api) -> None:
    fixture = load_wire("orders.create")
    response = api.call("orders.create", json=fixture["request"])
    assert response.status_code == 201, response.text
    assert keys_not_answered(fixture["answer"], response.json()) == []


@pytest.mark.parametrize(
    "operation, path",
    [
        ("orders.get", {"order_id": "$order"}),
        ("orders.get_item", {"order_item_id": "$item"}),
        ("shipments.get", {"shipment_id": "$shipment"}),
    ],
)
def test_read_answers_have_the_wire_keys(
    api: Api, ids: dict[str, str], operation: str, path: dict[str, str]
) -> None:
    answered = api.ok(operation, **fill(path, ids))
    assert keys_not_answered(load_wire(operation)["answer"], answered) == []


@pytest.mark.parametrize("operation", ["orders.cancel", "shipments.reroute", "notes.create"])
def test_written_requests_are_accepted_and_answered_with_the_wire_keys(
    api: Api, ids: dict[str, str], operation: str
) -> None:
    fixture = load_wire(operation, ids)
    response = api.call(operation, json=fixture["request"])
    assert response.status_code < 300, response.text
    assert keys_not_answered(fixture.get("answer", {}), response.json()) == []


def test_bulk_answer_has_the_wire_keys_for_a_success_and_a_failure(api: Api) -> None:
    good = load_wire("orders.create")["request"]
    bad = {**good, "items": [{**good["items"][0], "quantity": 0}]}
    answered = api.ok("orders.create_bulk", json={"bulk": [{**good, "externalId": "bulk-1"}, bad]})
    documented = load_wire("orders.create_bulk")["answer"]["results"]
    assert [r["isSuccessful"] for r in answered["results"]] == [True, False]
    for index in (0, 1):
        assert keys_not_answered(documented[index], answered["results"][index]) == [], index


# --- the docs' request examples ---------------------------------------------------------------


def test_the_documented_create_request_is_accepted(api: Api) -> None:
    response = api.call("orders.create", json=load_example("create_order"))
    assert response.status_code == 201, response.text


def test_the_documented_bulk_create_is_accepted(api: Api) -> None:
    """A fresh sandbox: its first order repeats the single create's ``safeId``, which would be a 409."""
    results = api.ok("orders.create_bulk", json=load_example("create_order_bulk"))["results"]
    assert [r["isSuccessful"] for r in results] == [True, True]


def test_the_documented_inbound_order_is_accepted(api: Api) -> None:
    response = api.call("orders.submit_inbound", json=load_example("inbound_order"))
    assert response.status_code < 300, response.text


def test_the_documented_refund_is_accepted_for_a_real_item(api: Api, ids: dict[str, str]) -> None:
    documented = load_example("refund_request")
    body = {
        **documented,
        "orderId": ids["$order"],
        "refunds": [{**line, "itemId": ids["$item"]} for line in documented["refunds"]],
    }
    response = api.call("orders.refund", json=body)
    assert response.status_code == 204, response.text


def test_the_documented_reroute_is_accepted_for_a_real_shipment(api: Api, ids: dict[str, str]) -> None:
    documented = load_example("reroute")
    body = {
        **documented,
        "shipmentId": ids["$shipment"],
        "facilityId": ids["$facility"],
        "orderItems": [{**line, "id": ids["$item"]} for line in documented["orderItems"]],
    }
    response = api.call("shipments.reroute", json=body)
    assert response.status_code < 300, response.text
