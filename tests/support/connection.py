"""Fixtures every test area shares: a fresh token cache, and ``ordermesh_default`` on the sandbox.

Registered from tests/conftest.py. An area that needs something else under the same name (a
mocked API as ``api``, say) defines its own fixture, which takes precedence there.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from airflow_provider_ordermesh.client import OrderMeshClient
from airflow_provider_ordermesh.client.auth import TokenCache

MERCHANT_ID = "3ed09cf5-1d2c-4c1e-9b7e-8f6a2b1c0d9e"
"""The merchant id of the test connection, the default ``merchantId`` of new orders."""

PORTAL_URL = "https://portal.test"
"""The portal URL of the test connection, which extra links point to."""


@pytest.fixture(autouse=True)
def _fresh_token_cache() -> Iterator[None]:
    """Tokens are cached per process: forget them, so that each test's requests are its own."""
    TokenCache.clear_all()
    yield
    TokenCache.clear_all()


@pytest.fixture
def om(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The sandbox, with ``ordermesh_default`` pointing at it (merchant id and portal URL set)."""
    monkeypatch.setenv(
        "AIRFLOW_CONN_ORDERMESH_DEFAULT",
        sandbox.connection_json(merchant_id=MERCHANT_ID, portal_url=PORTAL_URL),
    )
    return sandbox


@pytest.fixture
def api(om: Any) -> Iterator[OrderMeshClient]:
    """A client of the test's own, to set up and inspect the sandbox through the API."""
    from airflow_provider_ordermesh.hooks.ordermesh import OrderMeshHook

    with OrderMeshHook().client as client:
        yield client
