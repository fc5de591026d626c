"""The public docs' facts, matched (issue 13, findings 1 to 7), on both clients.

Each test names its finding. Answers in a shape the client does not know raise
``UnexpectedAnswerError`` naming the operation, the expected shape and what arrived; never an
empty or partial result.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from client.api_mock import ORDER_ID, SHIPMENT_ID
from client.wire import AsyncWire, SyncWire
from models.api_examples import load_example

from airflow_provider_ordermesh.client import BadRequestError, InvalidRequestError, UnexpectedAnswerError
from airflow_provider_ordermesh.client.endpoints import ENDPOINTS
from airflow_provider_ordermesh.hooks.connection_form import PLACEHOLDERS
from airflow_provider_ordermesh.models import Shipment
from airflow_provider_ordermesh.models._base import ID_MAX_LENGTH

Wire = SyncWire | AsyncWire
ROOT = Path(__file__).resolve().parents[2]
SHIPMENT = {"id": SHIPMENT_ID, "orderId": ORDER_ID, "shipmentStatus": 4}


@pytest.fixture(params=["sync", "async"])
def wire(request: pytest.FixtureRequest, api: Any) -> Wire:
    return SyncWire(api) if request.param == "sync" else AsyncWire()


# --- 1. shipments of an order: every plausible shape read, anything else refused loudly ----------


@pytest.mark.parametrize(
    "answer",
    [load_example("shipment"), [load_example("shipment")], {"shipments": [load_example("shipment")]}],
    ids=["docs example: one ShipmentDTO", "a bare list", "wrapped list"],
)
def test_list_for_order_reads_the_docs_example_and_the_plausible_shapes(answer: Any, wire: Wire) -> None:
    wire.answer("shipments.list_for_order", path_params={"order_id": ORDER_ID}, json_body=answer)

    shipments = wire.run(lambda c: c.shipments.list_for_order(ORDER_ID))

    assert [s.id for s in shipments] == [load_example("shipment")["id"]]


@pytest.mark.parametrize(
    ("answer", "arrived"),
    [
        ({"items": []}, "an object with keys [items]"),
        ({}, "an empty object"),
        ([1, 2], "a list of 2 items (the first is a JSON int)"),
        ("ok", "a JSON str"),
        (None, "no body"),
    ],
)
def test_list_for_order_refuses_an_unknown_shape_instead_of_returning_nothing(
    answer: Any, arrived: str, wire: Wire
) -> None:
    wire.answer(
        "shipments.list_for_order",
        path_params={"order_id": ORDER_ID},
        json_body=answer,
        content=b"" if answer is None else None,
    )

    with pytest.raises(UnexpectedAnswerError) as caught:
        wire.run(lambda c: c.shipments.list_for_order(ORDER_ID))

    error = caught.value
    assert error.operation == "shipments.list_for_order"
    assert error.arrived == arrived
    assert '{"shipments": [Shipment, ...]}, a list of Shipment or a single Shipment' in str(error)
    assert f"GET {ENDPOINTS['shipments.list_for_order'].format_path(order_id=ORDER_ID)}" in str(error)


@pytest.mark.parametrize(
    ("name", "call", "path_params", "answer", "expected"),
    [
        (
            "orders.get",
            lambda c: c.orders.get(ORDER_ID),
            {"order_id": ORDER_ID},
            {"id": ORDER_ID},
            '{"order": Order}',
        ),
        (
            "orders.search",
            lambda c: c.orders.search_page(),
            {},
            {"results": [], "page": 1},
            '{"orders": [Order, ...], "page", "pageSize", "totalCount"}',
        ),
        (
            "orders.retrieve_bulk",
            lambda c: c.orders.retrieve_bulk([ORDER_ID]),
            {},
            [{"id": ORDER_ID}],
            '{"orders": [Order, ...]}',
        ),
        (
            "shipments.get",
            lambda c: c.shipments.get(SHIPMENT_ID),
            {"shipment_id": SHIPMENT_ID},
            [SHIPMENT],
            "a Shipment object",
        ),
        ("catalog.replace", lambda c: c.catalog.replace({"name": "x"}), {}, ["ok"], "a JSON object"),
    ],
    ids=lambda value: value if isinstance(value, str) and "." in value and " " not in value else "",
)
def test_an_unexpected_answer_shape_anywhere_names_operation_expectation_and_arrival(
    name: str, call: Any, path_params: dict[str, str], answer: Any, expected: str, wire: Wire
) -> None:
    wire.answer(name, path_params=path_params, json_body=answer)

    with pytest.raises(UnexpectedAnswerError) as caught:
        wire.run(call)

    assert (caught.value.operation, caught.value.expected) == (name, expected)
    assert caught.value.arrived in str(caught.value)


def test_a_record_that_does_not_fit_its_model_names_the_fields_but_not_the_values(wire: Wire) -> None:
    wire.answer(
        "orders.get",
        path_params={"order_id": ORDER_ID},
        json_body={"order": {"shortId": "O04790082", "shippingAddress": "Jane Doe, 1 Main St"}},
    )

    with pytest.raises(UnexpectedAnswerError) as caught:
        wire.run(lambda c: c.orders.get(ORDER_ID))

    message = str(caught.value)
    assert (
        "a valid Order" in message and "id (missing)" in message and "shippingAddress (model_type)" in message
    )
    assert "Jane Doe" not in message


def test_a_success_answer_that_is_not_json_is_refused(wire: Wire) -> None:
    wire.answer("orders.get", path_params={"order_id": ORDER_ID}, content=b"<html>maintenance</html>")
    with pytest.raises(UnexpectedAnswerError, match="expected a JSON body, got 24 bytes that are not JSON"):
        wire.run(lambda c: c.orders.get(ORDER_ID))


# --- 2. the public error-item shape reaches the user in the API's words ---------------------------


def test_an_error_with_the_public_error_items_carries_the_apis_words(wire: Wire) -> None:
    errors = load_example("add_variants_answer")["errors"]
    wire.answer("catalog.add_variants", status=400, json_body={"errors": errors})

    with pytest.raises(BadRequestError) as caught:
        wire.run(lambda c: c.catalog.add_variants(load_example("add_variants_request")))

    error = caught.value
    assert (
        error.api_message
        == "Variants[2].Sku: Variant with SKU 'MUG-11OZ-WHITE' already exists in the catalog."
    )
    assert error.field_errors == {
        "Variants[2].Sku": "Variant with SKU 'MUG-11OZ-WHITE' already exists in the catalog."
    }


# --- 3 and 4. catalog patch with the QA fields; adding variants ----------------------------------


def test_catalog_patch_sends_the_qa_docs_fields_and_is_confirmed_on_qa(wire: Wire) -> None:
    body = load_example("catalog_patch_request")
    wire.answer("catalog.patch", json_body={"id": body["id"]})

    assert wire.run(lambda c: c.catalog.patch(body)) == {"id": body["id"]}

    assert wire.sent()[0].body == body
    patch = ENDPOINTS["catalog.patch"]
    assert (patch.method, patch.path, patch.confirmed, patch.confirmed_in) == (
        "PATCH",
        "/catalog/v1/merchantCatalog",
        True,
        "QA",
    )


def test_add_variants_is_a_post_to_merchant_variants_and_reports_refused_variants(wire: Wire) -> None:
    wire.answer("catalog.add_variants", json_body=load_example("add_variants_answer"))

    result = wire.run(lambda c: c.catalog.add_variants(load_example("add_variants_request")))

    [sent] = wire.sent()
    assert (sent.method, sent.path, sent.body) == (
        "POST",
        "/catalog/v1/merchantVariants",
        load_example("add_variants_request"),
    )
    assert result.variants_added == 2
    assert [e.where for e in result.errors] == ["Variants[2].Sku"]
    assert not ENDPOINTS["catalog.add_variants"].retry_safe


def test_add_variants_without_a_catalog_id_is_refused_before_sending(wire: Wire) -> None:
    with pytest.raises(InvalidRequestError, match="merchantCatalogId"):
        wire.run(lambda c: c.catalog.add_variants({"variants": [{"sku": "CAP-1"}]}))
    assert wire.sent() == []


# --- 5. the QA environment is documented where the environments are listed ------------------------


def test_the_qa_environment_is_listed_with_prod_and_dev() -> None:
    readme_host_row = next(
        line
        for line in (ROOT / "docs" / "connection.md").read_text().splitlines()
        if line.startswith("| Host |")
    )
    for env in ("https://api.ordermesh.io", "https://api.dev.ordermesh.io", "https://api.qa.ordermesh.io"):
        assert env in readme_host_row
    # the form's placeholder is only the default, so that it fits its box; the connection page lists the rest
    assert PLACEHOLDERS["host"] == "https://api.ordermesh.io"


# --- 6. ids: guard the request, not the forms the docs use ----------------------------------------


def test_the_docs_refund_example_is_accepted_and_sent_as_written(wire: Wire) -> None:
    example = load_example("refund_request_seed")
    wire.answer("orders.refund", status=204)

    assert wire.run(lambda c: c.orders.refund(example)) is None

    assert wire.sent()[0].body == example


@pytest.mark.parametrize(
    ("bad_id", "problem"),
    [
        ("", "must not be empty"),
        ("   ", "must not be empty"),
        ("65add270 441de7", "whitespace"),
        ("../admin", "'/'"),
        ("abc\x00def", "control characters"),
        ("x" * (ID_MAX_LENGTH + 1), f"at most {ID_MAX_LENGTH}"),
        (12345, "must be a string id"),
    ],
    ids=["empty", "blank", "inner space", "slash", "control", "too long", "not a string"],
)
def test_ids_that_would_break_the_request_are_refused_before_sending(
    bad_id: Any, problem: str, wire: Wire
) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        wire.run(lambda c: c.orders.get(bad_id))
    assert problem in caught.value.field_errors["orderId"]
    assert wire.sent() == []


@pytest.mark.parametrize("doc_form", ["O04790082", "S1234567890", "b234ee56-7890-fake", "order:42"])
def test_other_id_forms_go_through_unchanged(doc_form: str, wire: Wire) -> None:
    wire.answer("shipments.get", path_params={"shipment_id": doc_form}, json_body=SHIPMENT)
    wire.run(lambda c: c.shipments.get(doc_form))
    assert wire.sent()[0].path == ENDPOINTS["shipments.get"].format_path(shipment_id=doc_form)


def test_one_id_check_everywhere() -> None:
    """The client, the waits and the operators all call ``client.inputs.checked_id``; no id forms elsewhere.

    The one form enforced is the merchant id's (``models._base.MerchantId``, the sandbox's ``MerchantUuid``):
    the docs give every ``merchantId`` as a UUID and the service refuses others (issue 22)."""
    package = ROOT / "airflow_provider_ordermesh"
    defined = [
        p.relative_to(package).as_posix()
        for p in package.rglob("*.py")
        if re.search(r"^def checked_id\(", p.read_text(), re.MULTILINE)
    ]
    assert "MerchantId = Annotated[" in (package / "models/_base.py").read_text()
    assert sorted(defined) == ["arguments/ids.py", "client/inputs.py"]  # the argument one only re-raises
    assert "client.inputs import checked_id" in (package / "arguments/ids.py").read_text()
    assert "client.inputs import checked_id" in (package / "waits/watch.py").read_text()
    forms = [
        p.name
        for p in package.rglob("*.py")
        if re.search(r"\b(OrderId|OpaqueId|Uuid|ShipmentId)\b", p.read_text())
    ]
    assert forms == []


# --- 7. status names where codes are accepted, and next to codes ---------------------------------


def test_shipment_search_takes_names_and_sends_codes(wire: Wire) -> None:
    wire.answer("shipments.search", json_body={"shipments": [SHIPMENT], "page": 1, "pageSize": 100})

    [shipment] = wire.run(lambda c: c.shipments.search({"status": ["Shipped", "delivered", 6]}))

    assert wire.sent()[0].query["status"] == ["4", "5", "6"]
    assert (shipment.shipment_status, shipment.shipment_status_name) == (4, "Shipped")


def test_an_unknown_status_name_is_refused_naming_the_field_and_the_choices(wire: Wire) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        wire.run(lambda c: c.shipments.search_page({"status": ["Shiped"]}))
    assert "Shipped (4)" in caught.value.field_errors["status"]
    assert wire.sent() == []


def test_the_status_name_comes_from_the_one_vocabulary() -> None:
    assert Shipment.model_validate({"id": "s", "shipmentStatus": 1}).shipment_status_name == "Assigned"
    assert Shipment.model_validate({"id": "s"}).shipment_status_name == "Unknown"
    assert Shipment.model_validate({"id": "s", "shipmentStatus": 42}).shipment_status_name == "Unknown(42)"
