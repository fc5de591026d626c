"""Retry sequences end to end: what is retried, how long the client waits, what is never re-sent.

Sleeps are recorded instead of slept (``sleep=``), and the backoff has no randomness
(``NO_JITTER``: 0.5 s, 1 s, 2 s, ...), so every wait is asserted exactly.
"""

from __future__ import annotations

import time
from email.utils import formatdate
from typing import Any

import pytest
import requests
from client.api_mock import (
    ITEM_ID,
    NO_JITTER,
    ORDER_ID,
    Sleeps,
    api_calls,
    body_of,
    calls,
    make_client,
    register,
)

from airflow_provider_ordermesh.client import (
    ApiError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    OrderMeshClient,
    OutcomeUnknownError,
    RateLimitError,
    RetryPolicy,
    ServerError,
    TransportError,
)

ORDER = {"order": {"id": ORDER_ID, "status": "Open"}}
REFUND = {"orderId": ORDER_ID, "refunds": [{"itemId": ITEM_ID, "amount": 4, "reason": "Never arrived"}]}
NEW_ORDER = {
    "shippingAddress": {"firstName": "Ann", "line1": "1 Main St", "city": "Town", "countryCode": "US"},
    "items": [{"sku": "MUG-11", "quantity": 1}],
}


@pytest.fixture
def client(sleeps: Sleeps) -> OrderMeshClient:
    return make_client(sleep=sleeps, retry_policy=NO_JITTER)


def error(status: int, **headers: str) -> dict[str, Any]:
    return {
        "status_code": status,
        "json": {"statusCode": status, "message": f"answer {status}"},
        "headers": headers,
    }


OK = {"status_code": 200, "json": ORDER}


def test_503_503_200_succeeds_on_the_third_attempt(api: Any, client: OrderMeshClient, sleeps: Sleeps) -> None:
    register(
        api, "orders.get", path_params={"order_id": ORDER_ID}, response_list=[error(503), error(503), OK]
    )

    assert client.orders.get(ORDER_ID).id == ORDER_ID

    assert len(calls(api, "orders.get", order_id=ORDER_ID)) == 3
    assert sleeps == [0.5, 1.0]


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_every_retryable_status_is_retried(
    api: Any, client: OrderMeshClient, sleeps: Sleeps, status: int
) -> None:
    register(api, "orders.get", path_params={"order_id": ORDER_ID}, response_list=[error(status), OK])
    client.orders.get(ORDER_ID)
    assert len(api_calls(api)) == 2
    assert sleeps == [0.5]


def test_429_with_retry_after_waits_that_long(api: Any, sleeps: Sleeps) -> None:
    client = make_client(sleep=sleeps, retry_policy=RetryPolicy(jitter=lambda ceiling: 0.0))
    register(
        api,
        "orders.get",
        path_params={"order_id": ORDER_ID},
        response_list=[error(429, **{"Retry-After": "2"}), OK],
    )

    client.orders.get(ORDER_ID)

    assert sleeps == [2.0]
    assert len(api_calls(api)) == 2


def test_retry_after_is_a_floor_not_a_ceiling(api: Any, client: OrderMeshClient, sleeps: Sleeps) -> None:
    """The backoff still grows when the server asks for less than the backoff."""
    register(
        api,
        "orders.get",
        path_params={"order_id": ORDER_ID},
        response_list=[error(503, **{"Retry-After": "0"}), error(503, **{"Retry-After": "0"}), OK],
    )
    client.orders.get(ORDER_ID)
    assert sleeps == [0.5, 1.0]


def test_retry_after_as_an_http_date(api: Any, client: OrderMeshClient, sleeps: Sleeps) -> None:
    when = formatdate(time.time() + 30, usegmt=True)
    register(
        api,
        "orders.get",
        path_params={"order_id": ORDER_ID},
        response_list=[error(503, **{"Retry-After": when}), OK],
    )

    client.orders.get(ORDER_ID)

    [waited] = sleeps
    assert 27 <= waited <= 30


def test_a_date_in_the_past_means_no_extra_wait(api: Any, client: OrderMeshClient, sleeps: Sleeps) -> None:
    register(
        api,
        "orders.get",
        path_params={"order_id": ORDER_ID},
        response_list=[error(429, **{"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}), OK],
    )
    client.orders.get(ORDER_ID)
    assert sleeps == [0.5]


def test_retry_after_is_capped(api: Any, sleeps: Sleeps) -> None:
    client = make_client(
        sleep=sleeps, retry_policy=RetryPolicy(jitter=lambda ceiling: ceiling, retry_after_cap=10)
    )
    register(
        api,
        "orders.get",
        path_params={"order_id": ORDER_ID},
        response_list=[error(429, **{"Retry-After": "86400"}), OK],
    )
    client.orders.get(ORDER_ID)
    assert sleeps == [10]


def test_the_default_cap_holds_too(api: Any, client: OrderMeshClient, sleeps: Sleeps) -> None:
    register(
        api,
        "orders.get",
        path_params={"order_id": ORDER_ID},
        response_list=[error(503, **{"Retry-After": "999999"}), OK],
    )
    client.orders.get(ORDER_ID)
    assert sleeps == [RetryPolicy().retry_after_cap]


def test_an_unreadable_retry_after_falls_back_to_backoff(
    api: Any, client: OrderMeshClient, sleeps: Sleeps
) -> None:
    register(
        api,
        "orders.get",
        path_params={"order_id": ORDER_ID},
        response_list=[error(503, **{"Retry-After": "soon"}), OK],
    )
    client.orders.get(ORDER_ID)
    assert sleeps == [0.5]


def test_backoff_is_exponential_and_capped() -> None:
    policy = RetryPolicy(jitter=lambda ceiling: ceiling, backoff_base=0.5, backoff_cap=4)
    assert [policy.delay(attempt) for attempt in range(6)] == [0.5, 1, 2, 4, 4, 4]


def test_jitter_stays_within_the_backoff() -> None:
    policy = RetryPolicy()
    for attempt in range(8):
        ceiling = min(policy.backoff_cap, policy.backoff_base * 2**attempt)
        assert all(0 <= policy.delay(attempt) <= ceiling for _ in range(50))


@pytest.mark.parametrize(("status", "raised"), [(503, ServerError), (429, RateLimitError)])
def test_max_retries_exhausted_raises_the_typed_error(
    api: Any, sleeps: Sleeps, status: int, raised: type[ApiError]
) -> None:
    client = make_client(
        sleep=sleeps, retry_policy=RetryPolicy(max_retries=2, jitter=lambda ceiling: ceiling)
    )
    register(api, "orders.get", path_params={"order_id": ORDER_ID}, **error(status, **{"Retry-After": "1"}))

    with pytest.raises(raised) as caught:
        client.orders.get(ORDER_ID)

    assert caught.value.status == status
    assert caught.value.retry_after == 1
    assert len(api_calls(api)) == 3
    assert sleeps == [1, 1]


def test_max_retries_zero_tries_once(api: Any, sleeps: Sleeps) -> None:
    client = make_client(sleep=sleeps, max_retries=0)
    register(api, "orders.get", path_params={"order_id": ORDER_ID}, **error(503))
    with pytest.raises(ServerError):
        client.orders.get(ORDER_ID)
    assert len(api_calls(api)) == 1
    assert sleeps == []


@pytest.mark.parametrize(
    ("status", "raised"),
    [
        (400, BadRequestError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, BadRequestError),
        (500, ServerError),
    ],
)
def test_no_retry_on_client_errors_and_500(
    api: Any, client: OrderMeshClient, sleeps: Sleeps, status: int, raised: type[ApiError]
) -> None:
    register(api, "orders.update", path_params={"order_id": ORDER_ID}, response_list=[error(status), OK])

    with pytest.raises(raised) as caught:
        client.orders.update(ORDER_ID, {"externalId": "EXT-2"})

    assert caught.value.status == status
    assert caught.value.api_message == f"answer {status}"
    assert len(api_calls(api)) == 1
    assert sleeps == []


def test_field_errors_of_a_400_are_kept(api: Any, client: OrderMeshClient) -> None:
    register(
        api,
        "orders.update",
        path_params={"order_id": ORDER_ID},
        status_code=400,
        json={
            "statusCode": 400,
            "message": "Validation failed",
            "errors": [{"field": "shippingAddress.zip", "message": "required"}],
        },
    )
    with pytest.raises(BadRequestError) as caught:
        client.orders.update(ORDER_ID, {"externalId": "EXT-2"})
    assert caught.value.field_errors == {"shippingAddress.zip": "required"}
    assert "shippingAddress.zip: required" in str(caught.value)


@pytest.mark.parametrize(
    "failure",
    [
        requests.exceptions.ConnectionError,
        requests.exceptions.ConnectTimeout,
        requests.exceptions.ReadTimeout,
        requests.exceptions.ChunkedEncodingError,
    ],
)
def test_connection_failures_of_a_safe_operation_are_retried(
    api: Any, client: OrderMeshClient, sleeps: Sleeps, failure: type[Exception]
) -> None:
    register(api, "orders.get", path_params={"order_id": ORDER_ID}, response_list=[{"exc": failure}, OK])

    assert client.orders.get(ORDER_ID).id == ORDER_ID
    assert len(api_calls(api)) == 2
    assert sleeps == [0.5]


def test_connection_failures_exhaust_into_a_transport_error(api: Any, sleeps: Sleeps) -> None:
    client = make_client(
        sleep=sleeps, retry_policy=RetryPolicy(max_retries=3, jitter=lambda ceiling: ceiling)
    )
    register(api, "orders.get", path_params={"order_id": ORDER_ID}, exc=requests.exceptions.ConnectTimeout)

    with pytest.raises(TransportError) as caught:
        client.orders.get(ORDER_ID)

    assert caught.value.retryable
    assert (caught.value.method, caught.value.path) == ("GET", f"/v1/orders/{ORDER_ID}")
    assert len(api_calls(api)) == 4
    assert sleeps == [0.5, 1, 2]


def test_a_tls_error_is_not_retried(api: Any, client: OrderMeshClient, sleeps: Sleeps) -> None:
    register(api, "orders.get", path_params={"order_id": ORDER_ID}, exc=requests.exceptions.SSLError)
    with pytest.raises(TransportError) as caught:
        client.orders.get(ORDER_ID)
    assert not caught.value.retryable
    assert len(api_calls(api)) == 1


@pytest.mark.parametrize(
    "dropped",
    [
        requests.exceptions.ConnectionError,
        requests.exceptions.ReadTimeout,
        requests.exceptions.ChunkedEncodingError,
    ],
)
def test_a_dropped_refund_is_not_resent(
    api: Any, client: OrderMeshClient, sleeps: Sleeps, dropped: type[Exception]
) -> None:
    """The refund may have been applied: sending it again could refund twice."""
    register(api, "orders.refund", response_list=[{"exc": dropped}, {"status_code": 204}])

    with pytest.raises(OutcomeUnknownError) as caught:
        client.orders.refund(REFUND)

    assert caught.value.maybe_applied
    assert (caught.value.method, caught.value.path) == ("POST", "/v1/orders/refund")
    assert len(calls(api, "orders.refund")) == 1
    assert sleeps == []


def test_a_refund_that_never_left_is_retried(api: Any, client: OrderMeshClient, sleeps: Sleeps) -> None:
    """A connect timeout means the request was never sent, so sending it now is safe."""
    register(
        api,
        "orders.refund",
        response_list=[{"exc": requests.exceptions.ConnectTimeout}, {"status_code": 204}],
    )
    assert client.orders.refund(REFUND) is None
    assert len(calls(api, "orders.refund")) == 2


def test_a_retried_create_that_meets_409_returns_the_existing_order(
    api: Any, client: OrderMeshClient, sleeps: Sleeps
) -> None:
    """503, then 409 (the first attempt was applied after all): the order exists, fetch it by safeId."""
    register(api, "orders.create", response_list=[error(503), error(409)])
    register(
        api,
        "orders.get_by_safe_id",
        path_params={"safe_id": "SAFE-77"},
        json={"order": {"id": ORDER_ID, "shortId": "O04790082", "safeId": "SAFE-77", "shipmentIds": ["s-1"]}},
    )

    created = client.orders.create({**NEW_ORDER, "safeId": "SAFE-77"})

    assert created.already_existed
    assert (created.id, created.short_id, created.safe_id, created.shipment_ids) == (
        ORDER_ID,
        "O04790082",
        "SAFE-77",
        ["s-1"],
    )
    posts = calls(api, "orders.create")
    assert len(posts) == 2
    assert {body_of(p)["safeId"] for p in posts} == {"SAFE-77"}
    assert len(calls(api, "orders.get_by_safe_id", safe_id="SAFE-77")) == 1
    assert sleeps == [0.5]


def test_a_create_without_safe_id_gets_one_that_every_attempt_repeats(
    api: Any, client: OrderMeshClient
) -> None:
    register(
        api,
        "orders.create",
        response_list=[
            {"exc": requests.exceptions.ConnectionError},
            error(502),
            {"status_code": 201, "json": {"id": ORDER_ID}},
        ],
    )

    created = client.orders.create(NEW_ORDER)

    safe_ids = [body_of(p)["safeId"] for p in calls(api, "orders.create")]
    assert len(safe_ids) == 3
    assert len(set(safe_ids)) == 1 and safe_ids[0]
    assert created.id == ORDER_ID and not created.already_existed


def test_two_creates_without_safe_id_get_different_ones(api: Any, client: OrderMeshClient) -> None:
    register(api, "orders.create", status_code=201, json={"id": ORDER_ID})
    client.orders.create(NEW_ORDER)
    client.orders.create(NEW_ORDER)
    first, second = (body_of(p)["safeId"] for p in calls(api, "orders.create"))
    assert first != second


def test_a_409_on_a_plain_create_is_already_done(api: Any, client: OrderMeshClient, sleeps: Sleeps) -> None:
    register(api, "orders.create", **error(409))
    register(
        api,
        "orders.get_by_safe_id",
        path_params={"safe_id": "SAFE-1"},
        json={"order": {"id": ORDER_ID, "safeId": "SAFE-1"}},
    )
    assert client.orders.create({**NEW_ORDER, "safeId": "SAFE-1"}).already_existed
    assert len(calls(api, "orders.create")) == 1
    assert sleeps == []
