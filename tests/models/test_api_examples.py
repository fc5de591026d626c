"""The docs' JSON examples parse with the response models, and the request models accept them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from models.api_examples import EXAMPLES
from pydantic import BaseModel, ValidationError

from airflow_provider_ordermesh.client.answers import page_of
from airflow_provider_ordermesh.models import (
    AddRefund,
    AddVariants,
    AddVariantsResult,
    CreateOrder,
    ErrorBody,
    InboundOrder,
    MerchantCatalogPatch,
    Order,
    OrderItem,
    Reroute,
    Shipment,
    TokenResponse,
    Variant,
    WebhookEvent,
)
from airflow_provider_ordermesh.models._base import ApiModel, RequestModel

Example = Callable[[str], Any]


def test_every_example_file_is_used_here() -> None:
    """A new example file needs a test below; a stale name here fails too."""
    used = {
        *RESPONSES,
        *REQUESTS,
        *SCHEMA_SAMPLES,
        *WEBHOOKS,
        "create_order_bulk",
        "reroute_bulk",
        "reroute_bulk.schema_sample",
        "catalog_variants",
        "error_401",
        "token_legacy_login",
        "catalog_patch_request",
    }
    assert {path.stem for path in EXAMPLES.glob("*.json")} == used


# --- responses --------------------------------------------------------------------------------

RESPONSES: dict[str, tuple[str | None, type[ApiModel]]] = {
    "order_by_safe_id": ("order", Order),
    "order_item": ("orderItem", OrderItem),
    "shipment": (None, Shipment),
    "add_variants_answer": (None, AddVariantsResult),
}


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_response_example_parses(name: str, example: Example) -> None:
    key, model = RESPONSES[name]
    data = example(name)
    parsed = model.model_validate(data[key] if key else data)
    assert parsed.to_api()  # and it serialises back


def test_the_public_error_item_shape_keeps_the_apis_words(example: Example) -> None:
    """``{errorMessage, propertyName, attemptedValue}`` (prod docs) is read, its message and field summarised."""
    answer = AddVariantsResult.model_validate(example("add_variants_answer"))
    assert answer.variants_added == 2
    [item] = answer.errors
    assert (item.where, item.attempted_value) == ("Variants[2].Sku", ["MUG-11OZ-WHITE"])
    body = ErrorBody.model_validate({"errors": example("add_variants_answer")["errors"]})
    assert (
        body.describe() == "Variants[2].Sku: Variant with SKU 'MUG-11OZ-WHITE' already exists in the catalog."
    )
    assert body.field_errors() == {
        "Variants[2].Sku": "Variant with SKU 'MUG-11OZ-WHITE' already exists in the catalog."
    }


def test_order_by_safe_id_fields(example: Example) -> None:
    order = Order.model_validate(example("order_by_safe_id")["order"])
    assert (order.id, order.short_id) == ("65add270441de72442397b6e", "O04790082")
    assert order.shipment_ids == ["SHIP123456", "SHIP789012"]
    assert order.facility_names == ["Facility 1", "Facility 2"]
    assert order.items[0].original_sku == "TSHIRT-5000-M-BLACK"
    assert order.items[0].status == "Fulfilled"
    assert order.items[0].customer_price is not None and order.items[0].customer_price.amount == 10
    assert order.shipping_address is not None and order.shipping_address.country_code == "US"
    assert order.reprint is not None and order.reprint["originalOrderId"] == "65add270441de72442397b6e"
    assert order.model_extra is not None and "merchantTaxTotal" in order.model_extra  # kept, not dropped


def test_order_item_fields(example: Example) -> None:
    item = OrderItem.model_validate(example("order_item")["orderItem"])
    assert (item.short_id, item.status, item.quantity) == ("I05790100", "Open", 2)
    assert item.options is not None and [(o.name, o.value) for o in item.options] == [
        ("Size", "Medium"),
        ("Color", "Black"),
    ]
    assert item.refund_data is not None
    assert [(r.is_shipping_refund, r.amount) for r in item.refund_data.refunds] == [(True, 4), (False, 10)]
    assert (item.refund_data.remaining_shipping_balance, item.refund_data.remaining_price_balance) == (3, 20)
    assert item.images is not None and item.images[0].print_method == "DirectToGarment"
    assert item.client_attributes == {"DesignId": "D1001", "ProductionBatch": "B2002"}


def test_shipment_fields(example: Example) -> None:
    shipment = Shipment.model_validate(example("shipment"))
    assert shipment.shipment_status == 1
    assert shipment.short_id == "S1234567890"
    assert shipment.tracking_numbers == ["12321"]
    assert shipment.packages[0].order_item_ids == ["a1f0a9cc-0000-4000-8000-000000000003"]
    assert (
        shipment.order_items[0].merchant_price is not None and shipment.order_items[0].merchant_price.tax == 5
    )
    assert shipment.order_item_ids == ["a1f0a9cc-0000-4000-8000-000000000003"]


def test_catalog_variants_page_parses(example: Example) -> None:
    page = page_of("variants", Variant, 1, 50)(example("catalog_variants"))
    [variant] = page.items
    assert variant.sku == "Accent_Mug-11oz-Blue"
    assert variant.decorations[0].dpi == 300 and variant.decorations[0].method == "DTG"
    assert variant.merchant_price is not None and variant.merchant_price.currency == "USD"
    assert {a["name"] for a in variant.attributes} == {"TemplateURL ", "FileType"}


def test_the_documented_401_body_parses(example: Example) -> None:
    body = ErrorBody.model_validate(example("error_401"))
    assert body.status_code == 0
    assert body.describe() is None


def test_the_legacy_login_answer_parses(example: Example) -> None:
    token = TokenResponse.model_validate(example("token_legacy_login"))
    assert token.expires_in == 900
    assert token.refresh_token is not None
    assert token.access_token.get_secret_value().startswith("eyJ")


WEBHOOKS = {
    "webhook_order_creation": ("OrderCreation", True, "670e58fe7741035996cf7d20"),
    "webhook_order_creation_failed": ("OrderCreation", False, None),
    "webhook_order_creation_tenant": ("OrderCreation", True, "670e58fe7741035996cf7d20"),
    "webhook_shipment_created": ("ShipmentCreated", None, "670e58fe7741035996cf7d20"),
}


@pytest.mark.parametrize("name", sorted(WEBHOOKS))
def test_webhook_payload_parses(name: str, example: Example) -> None:
    event = WebhookEvent.from_payload(example(name))
    assert (event.event_type, event.is_successful, event.order_id) == WEBHOOKS[name]
    assert event.request_id and event.safe_id


def test_webhook_failure_and_shipment_details(example: Example) -> None:
    failed = WebhookEvent.from_payload(example("webhook_order_creation_failed"))
    assert (failed.response_code, failed.description) == (400, "Order could not be created")
    shipped = WebhookEvent.from_payload(example("webhook_shipment_created"))
    assert shipped.shipment_id == "3ed09cf5-1d2c-4c1e-9b7e-8f6a2b1c0d9e"


# --- requests ---------------------------------------------------------------------------------

REQUESTS: dict[str, type[RequestModel]] = {
    "create_order": CreateOrder,
    "refund_request": AddRefund,
    "reroute": Reroute,
    "inbound_order": InboundOrder,
    "refund_request_seed": AddRefund,
    "add_variants_request": AddVariants,
}


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_request_example_is_accepted_and_sent_back_unchanged(name: str, example: Example) -> None:
    """What the request model sends equals the documented example (nulls left out)."""
    data = example(name)
    sent = REQUESTS[name].model_validate(data).to_api()
    assert sent == _without_nulls(data)


def test_catalog_patch_example_is_sent_exactly_as_written(example: Example) -> None:
    """The QA docs' fields are accepted (not forbidden), and the variants go out as given, nulls included."""
    data = example("catalog_patch_request")
    assert MerchantCatalogPatch.model_validate(data).to_api() == data


def test_bulk_create_example(example: Example) -> None:
    orders = [CreateOrder.model_validate(o) for o in example("create_order_bulk")["bulk"]]
    assert [o.safe_id for o in orders] == ["UniqueSafeID12345", "UniqueSafeID12346"]


def test_bulk_reroute_example(example: Example) -> None:
    reroutes = [Reroute.model_validate(r) for r in example("reroute_bulk")["bulk"]]
    assert reroutes[0].order_items is not None and reroutes[0].order_items[0].quantity == 2
    assert reroutes[1].order_items is None


def test_create_order_example_details(example: Example) -> None:
    order = CreateOrder.model_validate(example("create_order"))
    assert order.language_code == "EN"
    payment = (order.customer_payment_methods or [])[0]
    assert (payment.card_first4, payment.card_last4) == ("4111", "1111")
    assert payment.billing_info is not None and payment.billing_info.address is not None
    assert payment.billing_info.address.location is not None
    assert (payment.customer_transactions or [])[0].total == 200.5


SCHEMA_SAMPLES: dict[str, tuple[type[BaseModel], set[str]]] = {
    "refund_request.schema_sample": (AddRefund, {"refunds.0.amount"}),
    "reroute.schema_sample": (Reroute, {"orderItems.0.quantity"}),
}


@pytest.mark.parametrize("name", sorted(SCHEMA_SAMPLES))
def test_schema_sample_has_the_example_keys_and_its_placeholders_are_refused(
    name: str, example: Example
) -> None:
    """The docs' schema samples hold placeholders ("string", 0): amounts and quantities of 0 are refused.

    A placeholder id such as ``"string"`` passes: ids are checked only for what would break a
    request, since the docs' own examples use ids of other forms (see ``refund_request_seed``).
    """
    model, bad_fields = SCHEMA_SAMPLES[name]
    sample = example(name)
    assert _keys(sample) == _keys(example(name.removesuffix(".schema_sample")))
    with pytest.raises(ValidationError) as caught:
        model.model_validate(sample)
    assert {".".join(map(str, e["loc"])) for e in caught.value.errors()} == bad_fields


def test_bulk_reroute_schema_sample_has_the_documented_wrapper(example: Example) -> None:
    sample = example("reroute_bulk.schema_sample")
    assert list(sample) == ["bulk"]
    assert _keys(sample["bulk"][0]) == _keys(example("reroute"))


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def _keys(value: Any, prefix: str = "") -> set[str]:
    """Every key path of a JSON value, list positions left out."""
    if isinstance(value, dict):
        return set().union(*({f"{prefix}{k}", *_keys(v, f"{prefix}{k}.")} for k, v in value.items()))
    if isinstance(value, list):
        return set().union(set(), *(_keys(v, prefix) for v in value))
    return set()
