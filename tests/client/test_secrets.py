"""Secrets never leak: not in log lines (at DEBUG), reprs, error messages or their causes.

Each scenario drives the client through a success or failure path with distinctive secret
values (``S3CR3T-...``: client secret, password, access and refresh tokens), keeps every error
it raises, and the test then searches everything a user could see for those values.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
from client.api_mock import (
    CLIENT_SECRET,
    ITEM_ID,
    ORDER_ID,
    PASSWORD,
    REFRESH_TOKEN,
    TOKEN,
    TOKEN_2,
    Sleeps,
    client_credentials,
    contains_secret,
    make_client,
    password_credentials,
    register,
    register_token,
    token_answer,
)

from airflow_provider_ordermesh.client import OrderMeshClient, OrderMeshError
from airflow_provider_ordermesh.client.auth import Credentials

ORDER = {"order": {"id": ORDER_ID}}
REFUND: dict[str, Any] = {
    "orderId": ORDER_ID,
    "refunds": [{"itemId": ITEM_ID, "amount": 4, "reason": "late"}],
}
NEW_ORDER: dict[str, Any] = {
    "safeId": "SAFE-1",
    "shippingAddress": {"firstName": "A", "line1": "1 St", "city": "C", "countryCode": "US"},
    "items": [{"sku": "MUG", "quantity": 1}],
}

Scenario = Callable[[Any, OrderMeshClient], None]


def _get(api: Any, client: OrderMeshClient, **answer: Any) -> None:
    register(api, "orders.get", path_params={"order_id": ORDER_ID}, **answer)
    client.orders.get(ORDER_ID)


def success(api: Any, client: OrderMeshClient) -> None:
    _get(api, client, json=ORDER)


def unauthorized_twice(api: Any, client: OrderMeshClient) -> None:
    register_token(api, TOKEN, TOKEN_2)
    _get(api, client, status_code=401, json={"statusCode": 401, "message": "token rejected"})


def forbidden(api: Any, client: OrderMeshClient) -> None:
    _get(api, client, status_code=403, json={"statusCode": 403, "message": "not your order"})


def server_error(api: Any, client: OrderMeshClient) -> None:
    _get(api, client, status_code=500, json={"statusCode": 500, "message": "Unhandled"})


def rate_limited(api: Any, client: OrderMeshClient) -> None:
    _get(api, client, status_code=429, headers={"Retry-After": "1"}, json={"statusCode": 429})


def bad_request(api: Any, client: OrderMeshClient) -> None:
    register(
        api,
        "orders.update",
        path_params={"order_id": ORDER_ID},
        status_code=400,
        json={
            "statusCode": 400,
            "message": "Validation failed",
            "errors": [{"field": "externalId", "message": "too long"}],
        },
    )
    client.orders.update(ORDER_ID, {"externalId": "EXT-1"})


def not_found(api: Any, client: OrderMeshClient) -> None:
    _get(api, client, status_code=404, json={"statusCode": 404, "message": "Order not found"})


def conflict(api: Any, client: OrderMeshClient) -> None:
    register(
        api,
        "orders.update",
        path_params={"order_id": ORDER_ID},
        status_code=409,
        json={"statusCode": 409, "message": "Order is cancelled"},
    )
    client.orders.update(ORDER_ID, {"externalId": "EXT-1"})


def secret_in_the_base_url(url: str, name: str) -> Scenario:
    """Credentials pasted into the base URL are refused without repeating the URL."""

    def scenario(api: Any, client: OrderMeshClient) -> None:
        make_client(base_url=url)

    scenario.__name__ = name
    return scenario


SECRET_URLS = [
    secret_in_the_base_url(f"https://svc:{CLIENT_SECRET}@api.ordermesh.test", "secret_in_an_https_url"),
    secret_in_the_base_url(f"ftp://svc:{CLIENT_SECRET}@api.ordermesh.test", "secret_in_a_non_http_url"),
    secret_in_the_base_url(f"http://svc:{PASSWORD}@ordermesh.internal", "secret_in_a_plain_http_url"),
]


def token_refused(api: Any, client: OrderMeshClient) -> None:
    register(api, "auth.client_token", status_code=401, json={"statusCode": 401, "message": "invalid client"})
    _get(api, client, json=ORDER)


def invalid_refund(api: Any, client: OrderMeshClient) -> None:
    client.orders.refund({**REFUND, "refunds": [{"itemId": ITEM_ID, "amount": -1, "reason": ""}]})


def invalid_order(api: Any, client: OrderMeshClient) -> None:
    client.orders.create(
        {**NEW_ORDER, "shippingAddress": {**NEW_ORDER["shippingAddress"], "countryCode": "XX"}}
    )


def transport_error_with_a_chatty_message(api: Any, client: OrderMeshClient) -> None:
    """A library error whose own text carries the token must not pass that text on."""
    chatty = requests.exceptions.ConnectionError(f"reset while sending Authorization: Bearer {TOKEN}")
    _get(api, client, exc=chatty)


def dropped_refund(api: Any, client: OrderMeshClient) -> None:
    register(api, "orders.refund", exc=requests.exceptions.ReadTimeout(f"read timed out; token {TOKEN}"))
    client.orders.refund(REFUND)


def conflict_then_existing(api: Any, client: OrderMeshClient) -> None:
    register(api, "orders.create", status_code=409, json={"statusCode": 409, "message": "duplicate safeId"})
    register(api, "orders.get_by_safe_id", path_params={"safe_id": "SAFE-1"}, json=ORDER)
    client.orders.create(NEW_ORDER)


def password_login_refresh_and_relogin(api: Any, client: OrderMeshClient) -> None:
    password_client = make_client(credentials=password_credentials())
    register(api, "auth.login", json=token_answer(TOKEN, expires_in=1, refresh_token=REFRESH_TOKEN))
    register(api, "auth.refresh", status_code=401, json={"statusCode": 401, "message": "refresh refused"})
    register(
        api,
        "orders.get",
        path_params={"order_id": ORDER_ID},
        response_list=[{"status_code": 401, "json": {"statusCode": 401}}, {"json": ORDER}],
    )
    password_client.orders.get(ORDER_ID)


SUCCEEDING = {success, conflict_then_existing, password_login_refresh_and_relogin}
"""Scenarios that end well; every other one must raise, so that its error is searched too."""

SCENARIOS: list[Scenario] = [
    success,
    unauthorized_twice,
    forbidden,
    server_error,
    rate_limited,
    bad_request,
    not_found,
    conflict,
    *SECRET_URLS,
    token_refused,
    invalid_refund,
    invalid_order,
    transport_error_with_a_chatty_message,
    dropped_refund,
    conflict_then_existing,
    password_login_refresh_and_relogin,
]


def _error_texts(error: BaseException) -> Iterator[str]:
    """The message and repr of an error and of everything chained to it."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield str(current)
        yield repr(current)
        yield from (str(arg) for arg in current.args)
        # What a traceback shows: the cause, or the context unless ``raise ... from None`` hid it.
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.__name__ for s in SCENARIOS])
def test_no_secret_in_logs_or_errors(scenario: Scenario, api: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    client = make_client(sleep=Sleeps(), max_retries=1)
    errors: list[BaseException] = []

    try:
        scenario(api, client)
    except OrderMeshError as exc:
        errors.append(exc)

    assert bool(errors) == (scenario not in SUCCEEDING)
    texts = [caplog.text, *(str(r.args) for r in caplog.records), repr(client), str(client)]
    for error in errors:
        texts.extend(_error_texts(error))
    assert contains_secret(texts) == []


def test_reprs_hold_no_secret(api: Any) -> None:
    client = make_client()
    register(api, "orders.get", path_params={"order_id": ORDER_ID}, json=ORDER)
    client.orders.get(ORDER_ID)  # so that a token is cached
    credentials: list[Credentials] = [client_credentials(), password_credentials()]
    token_operations = [c.token_operation() for c in credentials]
    wire_requests = [client._request(op, TOKEN) for op in token_operations]

    texts = [
        repr(client),
        repr(client.tokens.credentials),
        repr(client.tokens),
        repr(vars(client.tokens)),
        repr(vars(client.tokens.cache)),
        *map(repr, credentials),
        *map(str, credentials),
        *map(repr, token_operations),
        *map(repr, wire_requests),
    ]
    assert contains_secret(texts) == []


def test_secret_values_are_still_sent_where_they_belong(api: Any) -> None:
    """The other side of the coin: hiding secrets must not stop them reaching the token endpoint."""
    register(api, "orders.get", path_params={"order_id": ORDER_ID}, json=ORDER)
    make_client().orders.get(ORDER_ID)
    token_request, order_request = api.request_history
    assert CLIENT_SECRET in token_request.text
    assert order_request.headers["Authorization"] == f"Bearer {TOKEN}"
