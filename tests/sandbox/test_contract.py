"""The sandbox's answers carry every key that the docs' JSON examples show for the same resource."""

from __future__ import annotations

from typing import Any

import pytest
from models.api_examples import load_example

from sandbox.wire import Api

pytestmark = pytest.mark.sandbox


def missing_keys(documented: dict[str, Any], answered: dict[str, Any]) -> set[str]:
    return set(documented) - set(answered)


@pytest.fixture
def shipped_order(api: Api, sandbox: Any) -> dict[str, Any]:
    """An order whose shipment has shipped, so it has a package and Fulfilled items."""
    order = api.create_order("TSHIRT-5000-M-BLACK")
    sandbox.advance_shipments(order["shipmentIds"], to_status="Shipped")
    return api.ok("orders.get", order_id=order["id"])["order"]


def test_order_by_safe_id_has_the_documented_keys(api: Api, shipped_order: dict[str, Any]) -> None:
    documented = load_example("order_by_safe_id")
    answered = api.ok("orders.get_by_safe_id", safe_id=shipped_order["safeId"])

    assert set(answered) == set(documented) == {"order"}
    assert not missing_keys(documented["order"], answered["order"])
    assert not missing_keys(documented["order"]["items"][0], answered["order"]["items"][0])
    assert not missing_keys(documented["order"]["shippingAddress"], answered["order"]["shippingAddress"])


def test_order_item_has_the_documented_keys(api: Api, shipped_order: dict[str, Any]) -> None:
    documented = load_example("order_item")
    answered = api.ok("orders.get_item", order_item_id=shipped_order["items"][0]["id"])

    assert set(answered) == set(documented) == {"orderItem"}
    assert not missing_keys(documented["orderItem"], answered["orderItem"])
    assert not missing_keys(documented["orderItem"]["refundData"], answered["orderItem"]["refundData"])


def test_shipment_has_the_documented_keys(api: Api, shipped_order: dict[str, Any]) -> None:
    documented = load_example("shipment")
    answered = api.ok("shipments.get", shipment_id=shipped_order["shipmentIds"][0])

    assert not missing_keys(documented, answered)
    assert not missing_keys(documented["packages"][0], answered["packages"][0])


def test_catalog_variant_has_the_documented_keys(api: Api) -> None:
    documented = load_example("catalog_variants")["variants"][0]
    answered = api.ok("catalog.list_variants")["variants"][0]

    assert not missing_keys(documented, answered)
    assert not missing_keys(documented["decorations"][0], answered["decorations"][0])
