"""Comparing answers with the models: unknown fields (nested, aliased, listed) and wrong shapes."""

from __future__ import annotations

from typing import Any

import pytest

from airflow_provider_ordermesh.client.endpoints import ENDPOINTS
from airflow_provider_ordermesh.models import Order, Shipment
from airflow_provider_ordermesh.probe.plan import EXPECTED, reads
from airflow_provider_ordermesh.probe.shape import Expected, check_shape, known_keys, unknown_fields

ORDER = {"id": "65add270441de72442397b6e", "items": [{"id": "i1", "sku": "TSHIRT-1"}]}


def test_every_read_endpoint_has_a_response_model() -> None:
    """A new GET in the endpoint table must name its model here, or the probe could only say ``not tried``."""
    assert [read.endpoint.name for read in reads() if read.expected is None] == []
    assert set(EXPECTED) == {name for name, e in ENDPOINTS.items() if e.method == "GET"}


def test_known_keys_are_field_names_and_aliases() -> None:
    keys = known_keys(Shipment)
    assert {"shipmentStatus", "shipment_status", "orderItemIDs", "order_item_ids"} <= set(keys)


@pytest.mark.parametrize(
    ("answer", "unknown"),
    [
        (ORDER, set()),
        ({**ORDER, "shipping_address": {"firstName": "A"}}, set()),  # the Python name is accepted too
        ({**ORDER, "fulfilmentCentre": "x"}, {"fulfilmentCentre"}),
        ({**ORDER, "shippingAddress": {"line1": "x", "geo": {}}}, {"shippingAddress.geo"}),
        (
            {**ORDER, "items": [{"id": "i1", "printFile": "x"}, {"id": "i2", "printFile": "y"}]},
            {"items[].printFile"},
        ),
        (
            {**ORDER, "items": [{"id": "i1", "refundData": {"refunds": [{"amount": 1, "currencyX": 1}]}}]},
            {"items[].refundData.refunds[].currencyX"},
        ),
        ({**ORDER, "meta": {"anything": "goes"}}, set()),  # a free-form dict declares no keys
        ({**ORDER, "shipmentIds": [{"unexpected": "object"}]}, set()),  # values of plain types are not walked
    ],
)
def test_unknown_fields_walk_nested_models(answer: dict[str, Any], unknown: set[str]) -> None:
    assert unknown_fields(answer, Order) == unknown


def test_a_paged_answer_knows_its_paging_keys_and_names_others() -> None:
    endpoint = ENDPOINTS["orders.search"]
    answer = {"orders": [ORDER], "page": 1, "pageSize": 10, "totalCount": 1, "hasMore": False}
    check = check_shape(endpoint, Expected(Order), answer)
    assert check.parsed and check.unknown == ("hasMore",) and len(check.records) == 1


@pytest.mark.parametrize(
    ("name", "answer", "problem"),
    [
        ("orders.search", [ORDER], "expected an object with key 'orders', got a list of 1"),
        (
            "orders.get",
            {"data": ORDER},
            "expected an object with key 'order', got an object with keys ['data']",
        ),
        ("orders.get", None, "expected an object with key 'order', got null"),
        ("orders.search", {"orders": ORDER}, "expected a list of Order, got an object with keys"),
        ("shipments.get", [{"id": "s1"}], "expected one Shipment object, got a list of 1"),
        ("shipments.get", {"shipmentUuid": "s1"}, "Shipment did not parse: id"),
    ],
)
def test_a_wrong_shape_is_described_without_its_content(name: str, answer: Any, problem: str) -> None:
    check = check_shape(ENDPOINTS[name], EXPECTED[name], answer)
    assert not check.parsed and check.problem is not None and check.problem.startswith(problem)
    assert "65add270441de72442397b6e" not in check.problem


def test_a_record_that_fails_to_parse_still_lists_its_unknown_fields() -> None:
    check = check_shape(ENDPOINTS["shipments.get"], EXPECTED["shipments.get"], {"shipmentUuid": "s1"})
    assert check.unknown == ("shipmentUuid",)
