"""Tokens: issued for the configured credentials, required everywhere else, and they expire."""

from __future__ import annotations

import time
from typing import Any

import pytest

from sandbox.wire import Api

pytestmark = pytest.mark.sandbox

USER = {"username": "sandbox-user", "password": "sandbox-password"}


def test_a_request_without_a_token_is_a_401_in_the_error_shape(anonymous: Api) -> None:
    response = anonymous.call("orders.list")

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    body = response.json()
    assert (body["statusCode"], body["requestId"]) == (401, response.headers["X-Request-Id"])


def test_client_credentials_get_a_bearer_token_that_opens_the_api(anonymous: Api, sandbox: Any) -> None:
    token = anonymous.ok(
        "auth.client_token", json={"clientId": "sandbox-client", "clientSecret": "sandbox-secret"}
    )

    assert set(token) == {"accessToken", "expiresIn", "tokenType"}
    assert (token["tokenType"], token["expiresIn"]) == ("Bearer", 86_400)
    assert isinstance(token["expiresIn"], int)
    anonymous.session.headers["Authorization"] = f"Bearer {token['accessToken']}"
    assert anonymous.call("orders.list").status_code == 200


@pytest.mark.parametrize(
    "name, body",
    [
        ("auth.client_token", {"clientId": "sandbox-client", "clientSecret": "wrong"}),
        ("auth.client_token", {"clientId": "someone-else", "clientSecret": "sandbox-secret"}),
        ("auth.login", {"username": "sandbox-user", "password": "wrong"}),
        ("auth.refresh", {"refreshToken": "never-issued"}),
    ],
)
def test_bad_credentials_are_a_401(anonymous: Api, name: str, body: dict[str, str]) -> None:
    assert anonymous.call(name, json=body).status_code == 401


def test_missing_credentials_are_a_400_naming_the_field(anonymous: Api) -> None:
    response = anonymous.call("auth.client_token", json={"clientId": "sandbox-client"})

    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["clientSecret"]


def test_a_password_login_refreshes_once_per_refresh_token(anonymous: Api) -> None:
    login = anonymous.ok("auth.login", json=USER)

    refreshed = anonymous.ok("auth.refresh", json={"refreshToken": login["refreshToken"]})
    reused = anonymous.call("auth.refresh", json={"refreshToken": login["refreshToken"]})

    assert {"accessToken", "refreshToken", "expiresIn", "tokenType"} <= set(refreshed)
    assert refreshed["accessToken"] != login["accessToken"]
    assert reused.status_code == 401


def test_a_token_expires_after_its_lifetime(anonymous: Api, sandbox: Any) -> None:
    sandbox.configure(token_lifetime_seconds=0.2)
    anonymous.authenticate(sandbox.client_id, sandbox.client_secret)
    assert anonymous.call("orders.list").status_code == 200

    time.sleep(0.25)

    assert anonymous.call("orders.list").status_code == 401


def test_expiring_all_tokens_forces_a_new_one(api: Api, sandbox: Any) -> None:
    assert sandbox.expire_tokens() >= 1

    assert api.call("orders.list").status_code == 401
    api.authenticate(sandbox.client_id, sandbox.client_secret)
    assert api.call("orders.list").status_code == 200


def test_tokens_outlive_a_reset(api: Api, sandbox: Any) -> None:
    sandbox.reset()

    assert api.call("orders.list").status_code == 200
