"""Reading operator inputs: payloads as dicts, models or JSON text; bulk items from lists and files."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

import pytest

from airflow_provider_ordermesh.arguments.ids import checked_id
from airflow_provider_ordermesh.arguments.payloads import parse_json_text, validated_argument
from airflow_provider_ordermesh.client.bulk import BulkEntry, BulkFailure
from airflow_provider_ordermesh.compat import AirflowFailException
from airflow_provider_ordermesh.models.orders import AddRefund, CreateOrder
from airflow_provider_ordermesh.operators.bulk import iter_items
from airflow_provider_ordermesh.operators.orders import OrderMeshCreateOrdersOperator
from airflow_provider_ordermesh.operators.search import OrderMeshSearchOperator
from operators.context import make_context

if TYPE_CHECKING:
    from airflow_provider_ordermesh.compat import Context

ORDER: dict[str, Any] = {
    "shippingAddress": {"firstName": "Ada", "line1": "1 Main St", "city": "Austin", "countryCode": "US"},
    "items": [{"sku": "TS-1", "quantity": 1}],
}


def test_a_payload_may_be_a_dict_a_model_or_json_text():
    model = CreateOrder.model_validate(ORDER)

    assert validated_argument(CreateOrder, ORDER, param="payload") == model
    assert validated_argument(CreateOrder, model, param="payload") is model
    assert validated_argument(CreateOrder, json.dumps(ORDER), param="payload") == model


def test_text_that_is_not_json_fails_naming_the_parameter():
    with pytest.raises(AirflowFailException, match=r"^payload is a string but not valid JSON"):
        parse_json_text("{'single': 'quotes'}", param="payload")


def test_a_validation_failure_names_every_bad_field_in_api_spelling():
    bad = {
        **ORDER,
        "shippingAddress": {**ORDER["shippingAddress"], "countryCode": "XX"},
        "items": [{"sku": "TS-1", "quantity": 0}],
        "colour": "red",
    }

    with pytest.raises(AirflowFailException) as raised:
        validated_argument(CreateOrder, bad, param="payload")

    message = str(raised.value)
    assert message.startswith("invalid payload: ")
    for field in ("shippingAddress.countryCode", "items.0.quantity", "colour"):
        assert field in message


def test_refund_amounts_must_be_positive():
    request = {
        "orderId": "65add270441de72442397b6e",
        "refunds": [
            {"itemId": "i1", "amount": 0, "reason": "x"},
            {"itemId": "i2", "amount": -1, "reason": "y"},
        ],
    }

    with pytest.raises(AirflowFailException, match=r"refunds\.0\.amount.*refunds\.1\.amount"):
        validated_argument(AddRefund, request, param="refund request")


def test_ids_are_checked_by_the_client_check_naming_the_argument():
    assert checked_id(" 65add270441de72442397b6e ", param="order_id") == "65add270441de72442397b6e"
    assert checked_id("b234ee56-7890-4f12-a123-fake", param="order_id") == "b234ee56-7890-4f12-a123-fake"
    with pytest.raises(AirflowFailException, match=r"order_id.*must not be empty"):
        checked_id("", param="order_id")
    with pytest.raises(AirflowFailException, match=r"shipment_id.*'/'"):
        checked_id("../etc", param="shipment_id")


def test_bulk_items_come_from_a_list_a_json_array_or_files(tmp_path):
    items = [{"n": 1}, {"n": 2}]
    json_file = tmp_path / "orders.json"
    json_file.write_text(json.dumps(items))
    jsonl_file = tmp_path / "orders.jsonl"
    jsonl_file.write_text('{"n": 1}\n\n{"n": 2}\n')

    for source in (items, json.dumps(items), str(json_file), str(jsonl_file)):
        assert list(iter_items(source, param="orders")) == [(0, {"n": 1}), (1, {"n": 2})]


def test_bad_bulk_sources_fail_naming_the_parameter(tmp_path):
    with pytest.raises(AirflowFailException, match="orders: no such file"):
        list(iter_items(str(tmp_path / "missing.jsonl"), param="orders"))
    with pytest.raises(AirflowFailException, match="orders must be a list"):
        list(iter_items({"n": 1}, param="orders"))
    with pytest.raises(AirflowFailException, match="orders is a string but not valid JSON"):
        list(iter_items("orders.csv", param="orders"))


def test_a_bad_json_line_or_a_bad_order_becomes_a_failure_naming_its_line_or_field(tmp_path):
    path = tmp_path / "orders.jsonl"
    path.write_text(
        json.dumps(ORDER) + "\n{oops\n" + json.dumps({**ORDER, "items": [], "safeId": "s-2"}) + "\n"
    )
    op = OrderMeshCreateOrdersOperator(task_id="bulk", orders=str(path))
    op.__dict__["hook"] = SimpleNamespace(merchant_id=None)  # no connection needed to validate

    first, second, third = op._validated_entries(cast("Context", make_context()))

    assert isinstance(first, BulkEntry) and first.ref and first.ref.startswith("af-")
    assert first.item.safe_id == first.ref
    assert second == BulkFailure(
        1, None, "line 2 is not valid JSON (Expecting property name enclosed in double quotes)"
    )
    assert isinstance(third, BulkFailure) and third.ref == "s-2"
    assert third.message.startswith("invalid orders[2]: items:")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"on_partial_failure": "ignore"}, "on_partial_failure must be one of fail, warn, skip-failed"),
        ({"max_concurrency": 0}, "max_concurrency"),
        ({"batch_size": 500}, "batch_size must be a whole number from 1 to 100"),
    ],
)
def test_bulk_settings_are_checked_when_the_dag_is_parsed(kwargs, message):
    with pytest.raises(ValueError, match=message):
        OrderMeshCreateOrdersOperator(task_id="bulk", orders=[], **kwargs)


def test_search_page_size_is_checked_when_the_dag_is_parsed():
    with pytest.raises(ValueError, match="page_size"):
        OrderMeshSearchOperator(task_id="s", filters={"status": ["Open"]}, page_size=500)


def test_a_list_of_items_is_data_but_a_string_source_is_rendered():
    as_list = OrderMeshCreateOrdersOperator(task_id="bulk", orders=[{"externalId": "{{ ds }}"}])
    as_path = OrderMeshCreateOrdersOperator(task_id="bulk", orders="/data/orders-{{ ds }}.jsonl")
    for op in (as_list, as_path):
        op.render_template_fields(cast("Context", make_context()))

    assert as_list.orders == [{"externalId": "{{ ds }}"}]
    assert as_path.orders == "/data/orders-2026-11-26.jsonl"


def test_search_filters_may_be_a_model(monkeypatch):
    from airflow_provider_ordermesh.models.search import OrderSearch
    from airflow_provider_ordermesh.operators.orders import OrderMeshSearchOrdersOperator

    op = OrderMeshSearchOrdersOperator(task_id="s", filters=OrderSearch(status=["Open"]), fields=["id"])
    seen: list[Any] = []

    def iterate(self, filters, *, limit):
        seen.append(filters)
        return []

    monkeypatch.setattr(type(op), "iterate", iterate)

    assert op.execute(cast("Context", make_context())) == []
    assert seen == [OrderSearch(status=["Open"])]
