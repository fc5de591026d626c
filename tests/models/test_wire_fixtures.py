"""The models against the wire: the docs' examples and hand-written wire fixtures, neither derived from them.

Requests: each model reads a fixture's body and writes back exactly that body. Responses: each
model reads the fixture's answer, and every field a model declares is set by at least one
documented or hand-written answer. The last tests misspell one alias on purpose and show that
these checks catch it, so a wrong alias in ``models/`` cannot pass both client and sandbox.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from models.api_examples import load_example
from models.wire_fixtures import (
    fields_never_set,
    load_wire,
    models_in,
    round_trip_differences,
    wire_operations,
)
from pydantic import BaseModel, ValidationError

from airflow_provider_ordermesh.models import (
    AddRefund,
    BulkResponse,
    CancelOrder,
    CreateNote,
    CreateOrder,
    CreateOrderResponse,
    InboundOrder,
    Note,
    Order,
    OrderItem,
    RefundItem,
    Reroute,
    RerouteResponse,
    Shipment,
    TokenResponse,
)
from airflow_provider_ordermesh.models.auth import ClientTokenRequest
from airflow_provider_ordermesh.models.orders import OrderItemInput

# operation -> (request model, response model, key the answer wraps the record in)
OPERATIONS: dict[str, tuple[type[BaseModel] | None, type[BaseModel] | None, str | None]] = {
    "auth.client_token": (ClientTokenRequest, TokenResponse, None),
    "auth.refresh": (None, TokenResponse, None),
    "orders.create": (CreateOrder, CreateOrderResponse, None),
    "orders.get": (None, Order, "order"),
    "orders.get_item": (None, OrderItem, "orderItem"),
    "orders.cancel": (CancelOrder, None, None),
    "orders.create_bulk": (None, BulkResponse, None),
    "shipments.get": (None, Shipment, None),
    "shipments.reroute": (Reroute, RerouteResponse, None),
    "notes.create": (CreateNote, Note, "note"),
}

# the docs' examples of the same records: (file, key of the record or None, model)
DOCUMENTED_ANSWERS: list[tuple[str, str | None, type[BaseModel]]] = [
    ("order_by_safe_id", "order", Order),
    ("order_item", "orderItem", OrderItem),
    ("shipment", None, Shipment),
    ("token_legacy_login", None, TokenResponse),
]
DOCUMENTED_REQUESTS: list[tuple[str, type[BaseModel]]] = [
    ("create_order", CreateOrder),
    ("refund_request", AddRefund),
    ("reroute", Reroute),
    ("inbound_order", InboundOrder),
]

CLIENT_SIDE = {"CreateOrderResponse": {"already_existed"}}
"""Fields the client sets itself and the API never sends (a create that found its ``safeId`` taken)."""


def test_every_wire_fixture_is_checked_here() -> None:
    assert set(wire_operations()) == set(OPERATIONS)


def answer_record(operation: str) -> Any:
    answer = load_wire(operation)["answer"]
    key = OPERATIONS[operation][2]
    return answer[key] if key else answer


def parsed_answers(models: dict[str, type[BaseModel]] | None = None) -> list[BaseModel]:
    """Every documented and hand-written answer, parsed (``models`` swaps a model by class name)."""
    swap = models or {}

    def model_for(model: type[BaseModel]) -> type[BaseModel]:
        return swap.get(model.__name__, model)

    parsed = [
        model_for(model).model_validate(load_example(name)[key] if key else load_example(name))
        for name, key, model in DOCUMENTED_ANSWERS
    ]
    for operation, (_, response, _) in OPERATIONS.items():
        if response is not None:
            parsed.append(model_for(response).model_validate(answer_record(operation)))
    return parsed


def parsed_requests() -> list[BaseModel]:
    parsed = [model.model_validate(load_example(name)) for name, model in DOCUMENTED_REQUESTS]
    for operation, (request, _, _) in OPERATIONS.items():
        if request is not None:
            parsed.append(request.model_validate(load_wire(operation)["request"]))
    return parsed


@pytest.mark.parametrize("operation", [op for op, (request, _, _) in OPERATIONS.items() if request])
def test_request_model_writes_back_the_wire_body(operation: str) -> None:
    request_model = OPERATIONS[operation][0]
    assert request_model is not None
    assert round_trip_differences(request_model, load_wire(operation)["request"]) == []


@pytest.mark.parametrize("operation", [op for op, (_, response, _) in OPERATIONS.items() if response])
def test_response_model_keeps_every_wire_key_as_a_field(operation: str) -> None:
    """A hand-written answer holds only fields the model declares: nothing lands in the extras."""
    response_model = OPERATIONS[operation][1]
    assert response_model is not None
    parsed = response_model.model_validate(answer_record(operation))
    extras = {type(m).__name__: sorted(m.model_extra or {}) for m in models_in(parsed) if m.model_extra}
    assert extras == {}


def test_every_declared_response_field_is_set_from_the_wire() -> None:
    assert fields_never_set(parsed_answers(), client_side=CLIENT_SIDE) == {}


def test_every_declared_request_field_is_set_from_the_wire() -> None:
    never = fields_never_set(parsed_requests(), client_side={})
    assert never == {}, "add the fields to a request in tests/fixtures/wire (or a docs example)"


# --- the checks catch a misspelt alias --------------------------------------------------------


@contextmanager
def misspelt(model: type[BaseModel], field: str, alias: str) -> Iterator[None]:
    """``model.field`` spelt ``alias`` on the wire, for the duration: every model is rebuilt around it."""
    info = model.model_fields[field]
    spelling = (info.alias, info.validation_alias, info.serialization_alias)
    info.alias = info.validation_alias = info.serialization_alias = alias
    try:
        _rebuild_every_model()
        yield
    finally:
        info.alias, info.validation_alias, info.serialization_alias = spelling
        _rebuild_every_model()


def _rebuild_every_model() -> None:
    """Rebuild the models twice, so that a model nesting another one picks up its new schema too."""
    every = [
        value
        for module in list(sys.modules.values())
        if getattr(module, "__name__", "").startswith("airflow_provider_ordermesh.models.")
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == module.__name__
    ]
    for _ in range(2):
        for model in every:
            model.model_rebuild(force=True)


def test_a_misspelt_response_alias_is_caught() -> None:
    """``originalSKU`` misspelt as ``originalSku``: no documented or hand-written answer sets the field."""
    assert fields_never_set(parsed_answers(), client_side=CLIENT_SIDE) == {}
    with misspelt(OrderItem, "original_sku", "originalSku"):
        assert fields_never_set(parsed_answers(), client_side=CLIENT_SIDE) == {"OrderItem": {"original_sku"}}
    assert fields_never_set(parsed_answers(), client_side=CLIENT_SIDE) == {}


def test_a_misspelt_request_alias_is_caught() -> None:
    """``isShippingRefund`` misspelt as ``isShipping``: the documented refund body is refused."""
    with (
        misspelt(RefundItem, "is_shipping_refund", "isShipping"),
        pytest.raises(ValidationError, match="isShippingRefund"),
    ):
        round_trip_differences(AddRefund, load_example("refund_request"))
    assert round_trip_differences(AddRefund, load_example("refund_request")) == []


def test_a_misspelt_alias_of_a_nested_request_field_is_caught() -> None:
    """An alias deep in a create-order body (an item's ``customerTaxes``) is held to the wire as well."""
    body = load_wire("orders.create")["request"]
    with (
        misspelt(OrderItemInput, "customer_taxes", "customerTax"),
        pytest.raises(ValidationError, match="customerTaxes"),
    ):
        round_trip_differences(CreateOrder, body)
    assert round_trip_differences(CreateOrder, body) == []
