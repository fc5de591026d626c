"""Tokens: how they are requested, shared, renewed before expiry, and replaced after a 401."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from client.api_mock import (
    BASE_URL,
    CLIENT_ID,
    CLIENT_SECRET,
    ORDER_ID,
    PASSWORD,
    REFRESH_TOKEN,
    REFRESH_TOKEN_2,
    TOKEN,
    TOKEN_2,
    USERNAME,
    api_calls,
    bearer,
    body_of,
    calls,
    client_credentials,
    make_client,
    password_credentials,
    register,
    register_token,
    token_answer,
)

from airflow_provider_ordermesh.client import AuthenticationError, ConfigurationError, OrderMeshClient
from airflow_provider_ordermesh.client.endpoints import ENDPOINTS

ORDER = {"order": {"id": ORDER_ID}}


class Clock:
    """A settable stand-in for ``time.time`` so that token expiry needs no waiting."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def order(api: Any) -> Any:
    return register(api, "orders.get", path_params={"order_id": ORDER_ID}, json=ORDER)


def test_client_credentials_token_request(api: Any, client: OrderMeshClient, order: Any) -> None:
    client.orders.get(ORDER_ID)

    [token_request] = calls(api, "auth.client_token")
    assert ENDPOINTS["auth.client_token"].path == "/user/v1/clients/token"
    assert body_of(token_request) == {"clientId": CLIENT_ID, "clientSecret": CLIENT_SECRET}
    assert "Authorization" not in token_request.headers
    assert bearer(api_calls(api)[0]) == TOKEN


def test_one_token_request_for_many_calls(api: Any, client: OrderMeshClient, order: Any) -> None:
    for _ in range(25):
        client.orders.get(ORDER_ID)
    assert len(calls(api, "auth.client_token")) == 1
    assert len(api_calls(api)) == 25


def test_clients_of_one_identity_share_the_token(api: Any, order: Any) -> None:
    make_client().orders.get(ORDER_ID)
    make_client().orders.get(ORDER_ID)
    assert len(calls(api, "auth.client_token")) == 1


def test_other_identities_and_hosts_get_their_own_token(api: Any, order: Any) -> None:
    from pydantic import SecretStr

    from airflow_provider_ordermesh.client import ClientCredentials

    other = "https://api.other.test"
    register_token(api, TOKEN_2, base_url=other)
    register(api, "orders.get", base_url=other, path_params={"order_id": ORDER_ID}, json=ORDER)

    make_client().orders.get(ORDER_ID)
    make_client(credentials=ClientCredentials("another-client", SecretStr("x-secret"))).orders.get(ORDER_ID)
    make_client(base_url=other).orders.get(ORDER_ID)

    assert len(calls(api, "auth.client_token")) == 3


def test_one_token_request_for_200_calls_from_8_threads(api: Any, order: Any) -> None:
    started = threading.Event()

    def slow_token(request: Any, context: Any) -> dict[str, Any]:
        started.set()
        time.sleep(0.05)  # keep the other threads waiting on the lock, where a race would show
        return token_answer(TOKEN)

    register(api, "auth.client_token", json=slow_token)
    client = make_client()

    with ThreadPoolExecutor(max_workers=8) as pool:
        orders = list(pool.map(lambda _: client.orders.get(ORDER_ID).id, range(200)))

    assert orders == [ORDER_ID] * 200
    assert len(calls(api, "auth.client_token")) == 1
    assert {bearer(r) for r in api_calls(api)} == {TOKEN}


def test_401_refreshes_the_token_once_and_retries(api: Any, client: OrderMeshClient) -> None:
    register_token(api, TOKEN, TOKEN_2)
    register(
        api,
        "orders.get",
        path_params={"order_id": ORDER_ID},
        response_list=[{"status_code": 401, "json": {"statusCode": 401}}, {"json": ORDER}],
    )

    assert client.orders.get(ORDER_ID).id == ORDER_ID

    assert [bearer(r) for r in api_calls(api)] == [TOKEN, TOKEN_2]
    assert len(calls(api, "auth.client_token")) == 2


def test_401_twice_raises_without_looping(api: Any, client: OrderMeshClient) -> None:
    register_token(api, TOKEN, TOKEN_2)
    register(
        api,
        "orders.get",
        path_params={"order_id": ORDER_ID},
        status_code=401,
        json={"statusCode": 401, "message": "Unauthorized"},
    )

    with pytest.raises(AuthenticationError) as caught:
        client.orders.get(ORDER_ID)

    assert caught.value.status == 401
    assert len(api_calls(api)) == 2
    assert len(calls(api, "auth.client_token")) == 2


def test_refused_client_credentials_raise_authentication_error(
    api: Any, client: OrderMeshClient, order: Any
) -> None:
    register(api, "auth.client_token", status_code=401, json={"statusCode": 401, "message": "invalid client"})

    with pytest.raises(AuthenticationError) as caught:
        client.orders.get(ORDER_ID)

    assert caught.value.path == "/user/v1/clients/token"
    assert api_calls(api) == []
    assert len(calls(api, "auth.client_token")) == 1


def test_token_is_renewed_shortly_before_it_expires(api: Any, order: Any) -> None:
    register_token(api, TOKEN, TOKEN_2, expires_in=3600)
    client = make_client()
    clock = Clock()
    client.tokens.clock = clock
    margin = client.tokens.refresh_margin

    client.orders.get(ORDER_ID)
    clock.now += 3600 - margin - 1
    client.orders.get(ORDER_ID)
    assert len(calls(api, "auth.client_token")) == 1, "still well inside its lifetime"

    clock.now += 2  # inside the renewal margin, before the real expiry
    client.orders.get(ORDER_ID)

    assert len(calls(api, "auth.client_token")) == 2
    assert [bearer(r) for r in api_calls(api)] == [TOKEN, TOKEN, TOKEN_2]


def test_token_lifetime_comes_from_the_answer(api: Any, order: Any) -> None:
    register_token(api, TOKEN, TOKEN_2, expires_in=900)
    client = make_client()
    clock = Clock()
    client.tokens.clock = clock

    client.orders.get(ORDER_ID)
    clock.now += 900 - client.tokens.refresh_margin + 1
    client.orders.get(ORDER_ID)

    assert [bearer(r) for r in api_calls(api)] == [TOKEN, TOKEN_2]


# --- password login and refresh ---------------------------------------------------------------


@pytest.fixture
def password_client(api: Any, order: Any) -> tuple[OrderMeshClient, Clock]:
    client = make_client(credentials=password_credentials())
    clock = Clock()
    client.tokens.clock = clock
    return client, clock


def test_password_login_request(api: Any, password_client: tuple[OrderMeshClient, Clock]) -> None:
    register(api, "auth.login", json=token_answer(TOKEN, expires_in=900, refresh_token=REFRESH_TOKEN))
    client, _ = password_client

    client.orders.get(ORDER_ID)

    [login] = calls(api, "auth.login")
    assert ENDPOINTS["auth.login"].path == "/user/v1/login"
    assert body_of(login) == {"username": USERNAME, "password": PASSWORD}
    assert calls(api, "auth.client_token") == []
    assert bearer(api_calls(api)[0]) == TOKEN


def test_an_expired_password_token_is_refreshed_not_relogged(
    api: Any, password_client: tuple[OrderMeshClient, Clock]
) -> None:
    register(api, "auth.login", json=token_answer(TOKEN, expires_in=900, refresh_token=REFRESH_TOKEN))
    register(api, "auth.refresh", json=token_answer(TOKEN_2, expires_in=900, refresh_token=REFRESH_TOKEN_2))
    client, clock = password_client

    client.orders.get(ORDER_ID)
    clock.now += 1000
    client.orders.get(ORDER_ID)

    assert len(calls(api, "auth.login")) == 1
    [refresh] = calls(api, "auth.refresh")
    assert body_of(refresh) == {"refreshToken": REFRESH_TOKEN}
    assert "Authorization" not in refresh.headers
    assert [bearer(r) for r in api_calls(api)] == [TOKEN, TOKEN_2]

    clock.now += 1000  # the next refresh uses the refresh token the last answer carried
    client.orders.get(ORDER_ID)
    assert body_of(calls(api, "auth.refresh")[-1]) == {"refreshToken": REFRESH_TOKEN_2}


def test_a_refused_refresh_falls_back_to_a_full_login(
    api: Any, password_client: tuple[OrderMeshClient, Clock]
) -> None:
    register(
        api,
        "auth.login",
        response_list=[
            {"json": token_answer(TOKEN, expires_in=900, refresh_token=REFRESH_TOKEN)},
            {"json": token_answer(TOKEN_2, expires_in=900, refresh_token=REFRESH_TOKEN_2)},
        ],
    )
    register(
        api, "auth.refresh", status_code=401, json={"statusCode": 401, "message": "refresh token expired"}
    )
    client, clock = password_client

    client.orders.get(ORDER_ID)
    clock.now += 1000
    client.orders.get(ORDER_ID)

    assert len(calls(api, "auth.refresh")) == 1
    assert len(calls(api, "auth.login")) == 2
    assert [bearer(r) for r in api_calls(api)] == [TOKEN, TOKEN_2]


def test_401_with_a_password_token_uses_the_refresh_token(
    api: Any, password_client: tuple[OrderMeshClient, Clock]
) -> None:
    register(api, "auth.login", json=token_answer(TOKEN, expires_in=900, refresh_token=REFRESH_TOKEN))
    register(api, "auth.refresh", json=token_answer(TOKEN_2, expires_in=900, refresh_token=REFRESH_TOKEN_2))
    register(
        api,
        "orders.get",
        path_params={"order_id": ORDER_ID},
        response_list=[{"status_code": 401, "json": {"statusCode": 401}}, {"json": ORDER}],
    )
    client, _ = password_client

    client.orders.get(ORDER_ID)

    assert len(calls(api, "auth.login")) == 1
    assert len(calls(api, "auth.refresh")) == 1
    assert [bearer(r) for r in api_calls(api)] == [TOKEN, TOKEN_2]


@pytest.mark.parametrize(
    "build",
    [
        lambda: client_credentials().__class__("", client_credentials().client_secret),
        lambda: client_credentials().__class__(CLIENT_ID, __import__("pydantic").SecretStr("")),
        lambda: password_credentials().__class__("", password_credentials().password),
        lambda: OrderMeshClient(BASE_URL, None),
    ],
    ids=["no-client-id", "no-secret", "no-username", "no-credentials"],
)
def test_missing_credentials_are_a_configuration_error(build: Any) -> None:
    with pytest.raises(ConfigurationError):
        build()
