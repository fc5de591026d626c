"""Fixtures of the operator tests: fast client retries, fresh tokens, a connection to the sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from airflow_provider_ordermesh.client import OrderMeshClient, RetryPolicy, TokenCache

# Client retries in these tests: a few, without waiting (the sandbox's faults are immediate).
FAST_RETRIES = {"retry_policy": RetryPolicy(max_retries=2, backoff_base=0.0, jitter=lambda ceiling: 0.0)}
MERCHANT_ID = "3ed09cf5-1d2c-4c1e-9b7e-8f6a2b1c0d9e"
PORTAL_URL = "https://portal.test"


@pytest.fixture(autouse=True)
def _fresh_token_cache() -> Iterator[None]:
    """Tokens are cached per process; forget them so that each test's request counts are its own."""
    TokenCache.clear_all()
    yield
    TokenCache.clear_all()


@pytest.fixture
def om(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The sandbox, with ``ordermesh_default`` pointing at it (merchant id and portal URL set)."""
    monkeypatch.setenv("AIRFLOW_CONN_ORDERMESH_DEFAULT",
                       sandbox.connection_json(merchant_id=MERCHANT_ID, portal_url=PORTAL_URL))
    return sandbox


@pytest.fixture
def api(om: Any) -> Iterator[OrderMeshClient]:
    """A client of its own, to check the sandbox's state through the API."""
    from airflow_provider_ordermesh.hooks.ordermesh import OrderMeshHook

    with OrderMeshHook().client as client:
        yield client

