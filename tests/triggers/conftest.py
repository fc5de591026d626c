"""Fixtures of this area: fresh tokens per test, ``ordermesh_default`` pointing at the sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from airflow_provider_ordermesh.client import OrderMeshClient, TokenCache


@pytest.fixture(autouse=True)
def _fresh_token_cache() -> Iterator[None]:
    """Tokens are cached per process; forget them so that each test's request counts are its own."""
    TokenCache.clear_all()
    yield
    TokenCache.clear_all()


@pytest.fixture
def om(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The sandbox, with ``ordermesh_default`` pointing at it."""
    monkeypatch.setenv("AIRFLOW_CONN_ORDERMESH_DEFAULT", sandbox.connection_json())
    return sandbox


@pytest.fixture
def api(om: Any) -> Iterator[OrderMeshClient]:
    """A client of the test's own, to set up and inspect the sandbox through the API."""
    from airflow_provider_ordermesh.hooks.ordermesh import OrderMeshHook

    with OrderMeshHook().client as client:
        yield client
