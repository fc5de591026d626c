"""The refund operation exactly as the public docs show it.

``POST /v1/orders/refund`` with ``{orderId, refunds: [{itemId, isShippingRefund, amount, reason}]}``,
answered ``204 No Content`` on success and ``401``/``403``/``500`` otherwise (the only four
responses the docs list; the 401 example body is ``{"statusCode": 0}``).
"""

from __future__ import annotations

from typing import Any

import pytest
from client.api_mock import ITEM_ID, ORDER_ID, body_of, calls, path_of, register

from airflow_provider_ordermesh.client import (
    ApiError,
    AuthenticationError,
    InvalidRequestError,
    OrderMeshClient,
    PermissionDeniedError,
    ServerError,
)
from airflow_provider_ordermesh.client.endpoints import ENDPOINTS
from airflow_provider_ordermesh.models import AddRefund

REFUND = ENDPOINTS["orders.refund"]

REQUEST = {
    "orderId": ORDER_ID,
    "refunds": [
        {"itemId": ITEM_ID, "isShippingRefund": True, "amount": 4, "reason": "Never arrived"},
        {"itemId": ITEM_ID, "isShippingRefund": False, "amount": 10.5, "reason": "Poor quality."},
    ],
}


def test_the_endpoint_is_the_documented_one() -> None:
    assert (REFUND.method, REFUND.path, REFUND.confirmed) == ("POST", "/v1/orders/refund", True)
    assert not REFUND.retry_safe, "a refund moves money: it must never be re-sent blindly"


def test_204_is_success_and_the_body_is_the_documented_one(api: Any, client: OrderMeshClient) -> None:
    register(api, "orders.refund", status_code=204)

    assert client.orders.refund(REQUEST) is None

    [sent] = calls(api, "orders.refund")
    assert path_of(sent) == "/v1/orders/refund"
    assert body_of(sent) == REQUEST
    assert sent.headers["Content-Type"] == "application/json"


def test_a_model_instance_is_sent_the_same_way(api: Any, client: OrderMeshClient) -> None:
    register(api, "orders.refund", status_code=204)
    client.orders.refund(AddRefund.model_validate(REQUEST))
    assert body_of(calls(api, "orders.refund")[0]) == REQUEST


def test_is_shipping_refund_defaults_to_a_price_refund(api: Any, client: OrderMeshClient) -> None:
    register(api, "orders.refund", status_code=204)
    client.orders.refund(
        {"orderId": ORDER_ID, "refunds": [{"itemId": ITEM_ID, "amount": 3, "reason": "late"}]}
    )
    assert body_of(calls(api, "orders.refund")[0])["refunds"] == [
        {"itemId": ITEM_ID, "isShippingRefund": False, "amount": 3, "reason": "late"}
    ]


@pytest.mark.parametrize(
    ("status", "body", "error", "message"),
    [
        (401, {"statusCode": 401, "message": "Token is expired"}, AuthenticationError, "Token is expired"),
        (401, {"statusCode": 0}, AuthenticationError, None),  # the docs' own 401 example
        (
            403,
            {"statusCode": 403, "message": "Order belongs to another merchant"},
            PermissionDeniedError,
            "Order belongs to another merchant",
        ),
        (500, {"statusCode": 500, "message": "Unhandled error"}, ServerError, "Unhandled error"),
    ],
    ids=["401", "401-docs-example", "403", "500"],
)
def test_documented_errors_are_typed(
    api: Any,
    client: OrderMeshClient,
    status: int,
    body: dict[str, Any],
    error: type[ApiError],
    message: str | None,
) -> None:
    register(api, "orders.refund", status_code=status, json=body, headers={"X-Request-Id": "req-77"})

    with pytest.raises(error) as caught:
        client.orders.refund(REQUEST)

    raised = caught.value
    assert (raised.status, raised.method, raised.path) == (status, "POST", "/v1/orders/refund")
    assert raised.api_message == message
    assert raised.request_id == "req-77"
    assert f"{status} to POST /v1/orders/refund" in str(raised)
    if message:
        assert message in str(raised)
    # A 401 is answered by one token refresh and one retry; 403 and 500 are never repeated.
    assert len(calls(api, "orders.refund")) == (2 if status == 401 else 1)


@pytest.mark.parametrize("amount", [0, -1, -0.01, float("nan"), float("inf")])
def test_a_non_positive_amount_is_refused_before_sending(
    api: Any, client: OrderMeshClient, amount: float
) -> None:
    bad = {
        "orderId": ORDER_ID,
        "refunds": [{"itemId": ITEM_ID, "isShippingRefund": False, "amount": amount, "reason": "r"}],
    }
    with pytest.raises(InvalidRequestError) as caught:
        client.orders.refund(bad)

    assert list(caught.value.field_errors) == ["refunds.0.amount"]
    assert "refunds.0.amount" in str(caught.value)
    assert api.request_history == [], "nothing may be sent, not even a token request"


def test_each_bad_field_is_named_with_its_index(api: Any, client: OrderMeshClient) -> None:
    bad = {
        "orderId": "../not-an-order-id",
        "refunds": [
            {"itemId": ITEM_ID, "amount": 1, "reason": "ok"},
            {"itemId": ITEM_ID, "amount": -5, "reason": ""},
        ],
    }
    with pytest.raises(InvalidRequestError) as caught:
        client.orders.refund(bad)

    assert set(caught.value.field_errors) == {"orderId", "refunds.1.amount", "refunds.1.reason"}
    assert api.request_history == []


@pytest.mark.parametrize(
    ("request_body", "field"),
    [
        ({"orderId": ORDER_ID, "refunds": []}, "refunds"),
        ({"orderId": ORDER_ID}, "refunds"),
        ({"refunds": [{"itemId": ITEM_ID, "amount": 1, "reason": "r"}]}, "orderId"),
        (
            {
                "orderId": ORDER_ID,
                "refunds": [{"itemId": ITEM_ID, "amount": 1, "reason": "r", "currency": "USD"}],
            },
            "refunds.0.currency",
        ),
    ],
    ids=["empty-refunds", "no-refunds", "no-order-id", "unknown-field"],
)
def test_incomplete_requests_are_refused(
    api: Any, client: OrderMeshClient, request_body: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        client.orders.refund(request_body)
    assert field in caught.value.field_errors
    assert api.request_history == []
