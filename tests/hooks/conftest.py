"""Fixtures of the hook tests: ``ordermesh`` connections from ``AIRFLOW_CONN_*`` variables, a mocked API."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests_mock
from client.api_mock import BASE_URL, CLIENT_ID, CLIENT_SECRET, register_token

ConnectionSetter = Callable[..., None]


@pytest.fixture
def set_connection(monkeypatch: pytest.MonkeyPatch) -> ConnectionSetter:
    """Define a connection through its environment variable, as JSON (a dict) or as a URI (a str)."""

    def setter(value: dict[str, Any] | str, conn_id: str = "ordermesh_default") -> None:
        text = value if isinstance(value, str) else json.dumps(value)
        monkeypatch.setenv(f"AIRFLOW_CONN_{conn_id.upper()}", text)

    return setter


@pytest.fixture
def default_connection(set_connection: ConnectionSetter) -> dict[str, Any]:
    """``ordermesh_default``: client credentials against the mocked API's host."""
    conn = {"conn_type": "ordermesh", "host": BASE_URL, "login": CLIENT_ID, "password": CLIENT_SECRET}
    set_connection(conn)
    return conn


@pytest.fixture
def api() -> Iterator[requests_mock.Mocker]:
    with requests_mock.Mocker(case_sensitive=True) as mock:
        register_token(mock)
        yield mock
