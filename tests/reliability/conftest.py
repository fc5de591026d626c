"""Fixtures of the reliability tests: the sandbox behind ``ordermesh_default``, fast client retries.

Most tests here talk to the session's sandbox over real HTTP, with client backoff shrunk
(``support.FAST``) and long waits recorded rather than slept, so that hundreds of injected faults
cost seconds, not minutes; the faults themselves come from the sandbox's seeded RNG or counts.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from airflow_provider_ordermesh.client import TokenCache

MERCHANT_ID = "3ed09cf5-1d2c-4c1e-9b7e-8f6a2b1c0d9e"


@pytest.fixture(autouse=True)
def _fresh_token_cache() -> Iterator[None]:
    """Tokens are cached per process; forget them so that each test's request counts are its own."""
    TokenCache.clear_all()
    yield
    TokenCache.clear_all()


@pytest.fixture
def om(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The sandbox, with ``ordermesh_default`` pointing at it (and a merchant id for new orders)."""
    monkeypatch.setenv("AIRFLOW_CONN_ORDERMESH_DEFAULT", sandbox.connection_json(merchant_id=MERCHANT_ID))
    return sandbox
