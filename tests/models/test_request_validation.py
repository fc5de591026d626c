"""Request models refuse unknown fields and bad values before any request, naming the field;
response models tolerate unknown and missing fields."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, cast

import pytest
from models.api_examples import load_example
from pydantic import BaseModel

from airflow_provider_ordermesh.client import InvalidRequestError
from airflow_provider_ordermesh.client.inputs import validated
from airflow_provider_ordermesh.models import (
    AddRefund,
    CancelOrder,
    CreateNote,
    CreateOrder,
    CreatePackages,
    Order,
    OrderItem,
    Reroute,
    Shipment,
    UpdateOrder,
    UpdateOrderItem,
)

Change = Callable[[dict[str, Any]], None]


def edit(path: str, value: Any) -> Change:
    """Set ``path`` (dotted, list indexes as numbers) of a request to ``value``."""

    def apply(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value

    return apply


def drop(path: str) -> Change:
    def apply(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        del target[last]

    return apply


ORDER, REFUND, REROUTE = "create_order", "refund_request", "reroute"
MODELS: dict[str, type[BaseModel]] = {ORDER: CreateOrder, REFUND: AddRefund, REROUTE: Reroute}

BAD_REQUESTS: list[tuple[str, str, Change, str]] = [
    ("bad country", ORDER, edit("shippingAddress.countryCode", "XX"), "shippingAddress.countryCode"),
    (
        "country name instead of code",
        ORDER,
        edit("billingAddress.countryCode", "United States"),
        "billingAddress.countryCode",
    ),
    ("bad currency", ORDER, edit("currencyCode", "DOLLARS"), "currencyCode"),
    (
        "bad transaction currency",
        ORDER,
        edit("customerPaymentMethods.0.customerTransactions.0.currencyCode", "XYZ"),
        "customerPaymentMethods.0.customerTransactions.0.currencyCode",
    ),
    ("zero quantity", ORDER, edit("items.0.quantity", 0), "items.0.quantity"),
    ("empty items", ORDER, edit("items", []), "items"),
    ("no items", ORDER, drop("items"), "items"),
    ("no shipping address", ORDER, drop("shippingAddress"), "shippingAddress"),
    ("negative total", ORDER, edit("customerTotal", -200.5), "customerTotal"),
    ("bad merchant id", ORDER, edit("merchantId", "merchant/1"), "merchantId"),
    (
        "bad card digits",
        ORDER,
        edit("customerPaymentMethods.0.cardLast4", "11a1"),
        "customerPaymentMethods.0.cardLast4",
    ),
    ("bad language", ORDER, edit("languageCode", "English"), "languageCode"),
    ("typo in a field name", ORDER, edit("shipingMethod", "Expedited"), "shipingMethod"),
    ("unknown nested field", ORDER, edit("items.0.colour", "red"), "items.0.colour"),
    ("address line too long", ORDER, edit("shippingAddress.line1", "x" * 256), "shippingAddress.line1"),
    ("bad order id", REFUND, edit("orderId", "O0479 0082"), "orderId"),
    ("negative amount", REFUND, edit("refunds.0.amount", -4), "refunds.0.amount"),
    ("zero amount", REFUND, edit("refunds.1.amount", 0), "refunds.1.amount"),
    ("amount as text", REFUND, edit("refunds.0.amount", "four"), "refunds.0.amount"),
    ("empty reason", REFUND, edit("refunds.0.reason", "   "), "refunds.0.reason"),
    ("bad shipment id", REROUTE, edit("shipmentId", "S12345\x0067890"), "shipmentId"),
    ("zero reroute quantity", REROUTE, edit("orderItems.0.quantity", 0), "orderItems.0.quantity"),
    ("no facility", REROUTE, drop("facilityId"), "facilityId"),
]


@pytest.mark.parametrize(
    ("request_name", "change", "field"),
    [case[1:] for case in BAD_REQUESTS],
    ids=[case[0] for case in BAD_REQUESTS],
)
def test_bad_request_names_the_field(request_name: str, change: Change, field: str) -> None:
    data = copy.deepcopy(load_example(request_name))
    change(data)

    with pytest.raises(InvalidRequestError) as caught:
        validated(MODELS[request_name], data, what=request_name)

    assert field in caught.value.field_errors, caught.value.field_errors
    assert field in str(caught.value)
    assert str(caught.value).startswith(f"invalid {request_name}: ")


@pytest.mark.parametrize(
    ("model", "data", "field"),
    [
        (CancelOrder, {"orderId": "65add270441de72442397b6e", "items": []}, "items"),
        (CreateNote, {"text": "hi", "resource": {"type": "Customer", "id": "c1"}}, "resource.type"),
        (CreateNote, {"text": "", "resource": {"type": "Order", "id": "65add270441de72442397b6e"}}, "text"),
        (CreatePackages, {"packages": []}, "packages"),
        (UpdateOrderItem, {"quantity": 0}, "quantity"),
    ],
    ids=[
        "cancel-with-no-items",
        "note-on-unknown-resource",
        "empty-note",
        "no-packages",
        "zero-item-quantity",
    ],
)
def test_other_requests_name_the_field(model: type[BaseModel], data: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        validated(model, data)
    assert field in caught.value.field_errors


@pytest.mark.parametrize("model", [UpdateOrder, UpdateOrderItem])
def test_an_empty_update_is_refused(model: type[BaseModel]) -> None:
    with pytest.raises(InvalidRequestError, match="at least one field"):
        validated(model, {})


def test_codes_are_normalised_on_the_way_out() -> None:
    data = copy.deepcopy(load_example(ORDER))
    data["shippingAddress"]["countryCode"] = "us"
    data["currencyCode"] = "eur"
    sent = validated(CreateOrder, data).to_api()
    assert (sent["shippingAddress"]["countryCode"], sent["currencyCode"]) == ("US", "EUR")


def test_python_names_are_accepted_and_the_wire_names_are_sent() -> None:
    refund = AddRefund(
        order_id="65add270441de72442397b6e",
        # a plain dict (pydantic validates it into a RefundItem), as a DAG passes it
        refunds=[cast(Any, {"item_id": "i-1", "is_shipping_refund": True, "amount": 2, "reason": "late"})],
    )
    assert refund.to_api() == {
        "orderId": "65add270441de72442397b6e",
        "refunds": [{"itemId": "i-1", "isShippingRefund": True, "amount": 2, "reason": "late"}],
    }


# --- response models --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "data"),
    [
        (
            Order,
            {
                "id": "65add270441de72442397b6e",
                "status": "Open",
                "brandNewField": {"x": 1},
                "items": [{"id": "i-1", "newItemFlag": True}],
            },
        ),
        (OrderItem, {"id": "i-1", "ourNewPrice": {"currency": "USD", "amount": 1, "discount": 0.5}}),
        (
            Shipment,
            {
                "id": "s-1",
                "shipmentStatus": 4,
                "merchantOrderId": None,
                "isRejectedByVendor": None,
                "packages": [{"id": "p-1", "newCarrierField": "x"}],
            },
        ),
    ],
    ids=["order", "order-item", "shipment-stg-fields"],
)
def test_unknown_response_fields_are_kept(model: type[BaseModel], data: dict[str, Any]) -> None:
    parsed = model.model_validate(data)
    wire_names = {field.alias or name for name, field in type(parsed).model_fields.items()}
    unknown = set(data) - wire_names
    assert unknown, "the case must hold at least one unknown field"
    assert unknown <= set(parsed.model_extra or {})


@pytest.mark.parametrize("model", [Order, OrderItem, Shipment])
def test_missing_optional_response_fields_are_fine(model: type[BaseModel]) -> None:
    assert model.model_validate({"id": "x-1"}).id == "x-1"  # type: ignore[attr-defined]


def test_to_api_json_encodes_exactly_what_to_api_returns():
    """Bulk bodies are joined from ``to_api_json`` bytes: they must carry what ``to_api`` describes."""
    import json

    from airflow_provider_ordermesh.models.orders import CreateOrder

    order = CreateOrder.model_validate(
        {
            "safeId": "s-1",
            "externalId": "Zoë",
            "shippingAddress": {
                "firstName": "Ann",
                "line1": "1 Main St",
                "city": "Town",
                "countryCode": "us",
            },
            "items": [
                {
                    "sku": "MUG",
                    "quantity": 2,
                    "customerPrice": 1e-7,
                    "customerShippingPrice": 3,
                    "meta": {"k": "v"},
                }
            ],
            "customerTotal": 123456789.125,
        }
    )

    assert json.loads(order.to_api_json()) == order.to_api()
