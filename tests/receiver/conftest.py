"""The receiver in-process: the provider's plugin app mounted in Airflow's own API app, a real DB.

Endpoints are configured the way users configure them, by connections (here from environment
variables): ``shop`` by a token, ``signed`` by two Standard Webhooks secrets (a rotation), ``both``
by a token and a secret, ``broken`` by a secret that is not one.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from airflow_provider_ordermesh.receiver.authentication import TOKEN_HEADER, sign

TOKEN = "tok_5f2c0b8e9a7d4c1e"
OLD_KEY = b"old-signing-key-0123456789abcdef"
NEW_KEY = b"new-signing-key-fedcba9876543210"
SECRETS = [f"whsec_{base64.b64encode(key).decode()}" for key in (OLD_KEY, NEW_KEY)]
API_URL = "https://api.ordermesh.io"
MARKER = "Customer-Jane-Doe-4711"
"""A value every test payload carries: it must never appear in a log line above DEBUG."""

CONNECTIONS = {
    "shop": {"conn_type": "generic", "password": TOKEN, "host": API_URL},
    "signed": {"conn_type": "generic", "host": API_URL, "extra": {"signing_secrets": SECRETS}},
    "both": {
        "conn_type": "generic",
        "password": TOKEN,
        "host": API_URL,
        "extra": {"signing_secrets": SECRETS[1:]},
    },
    "broken": {"conn_type": "generic", "extra": {"signing_secrets": ["whsec_not-base64!"]}},
}


@pytest.fixture(scope="session")
def _webhook_connections() -> Iterator[None]:
    import os

    names = {
        f"AIRFLOW_CONN_ORDERMESH_WEBHOOK_{name.upper()}": json.dumps(conn)
        for name, conn in CONNECTIONS.items()
    }
    os.environ.update(names)
    yield
    for name in names:
        os.environ.pop(name, None)


@pytest.fixture(scope="session")
def airflow_api(airflow_db: None, _webhook_connections: None) -> Any:
    """Airflow's API-server app, built as ``airflow api-server`` builds it (plugins from entry points)."""
    import os
    import secrets

    from airflow.api_fastapi.app import create_app

    os.environ.setdefault("AIRFLOW__API_AUTH__JWT_SECRET", secrets.token_urlsafe(16))

    return create_app()


@pytest.fixture
def client(airflow_api: Any) -> Iterator[TestClient]:
    """A client of the API server; each test gets a fresh receiver (its endpoint cache empty)."""
    from airflow_provider_ordermesh.receiver.app import Receiver, mounted_app

    mounted_app().state.receiver = Receiver()
    with TestClient(airflow_api, raise_server_exceptions=True) as test_client:
        yield test_client


def order_creation(**fields: Any) -> dict[str, Any]:
    """An ``OrderCreation`` payload as OrderMesh sends it (ids only), with a fresh ``RequestId``."""
    return {
        "EventType": "OrderCreation",
        "RequestId": str(uuid.uuid4()),
        "OrderId": "ord_" + uuid.uuid4().hex[:12],
        "ExternalOrderId": MARKER,
        "SafeId": "safe-" + uuid.uuid4().hex[:8],
        "IsSuccessful": True,
        "ResponseCode": 200,
        "Description": "Order created",
        **fields,
    }


def encode(payload: Any) -> bytes:
    return json.dumps(payload).encode()


def token_headers(token: str = TOKEN) -> dict[str, str]:
    return {TOKEN_HEADER: token, "Content-Type": "application/json"}


def signed_headers(
    body: bytes, *, key: bytes = NEW_KEY, delivery_id: str | None = None, timestamp: int | None = None
) -> dict[str, str]:
    """Standard Webhooks headers for ``body`` signed with ``key``."""
    delivery_id = delivery_id or f"msg_{uuid.uuid4().hex}"
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {
        "webhook-id": delivery_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(key, delivery_id, timestamp, body),
        "Content-Type": "application/json",
    }


def asset_events(uri_suffix: str = "") -> list[Any]:
    """Every asset event stored on an ``ordermesh://`` webhook asset (whose URI ends with the suffix)."""
    from sqlalchemy import select

    from airflow_provider_ordermesh import compat

    with compat.create_session() as session:
        rows = session.execute(
            select(compat.AssetEvent.id, compat.AssetEvent.extra, compat.AssetModel.uri).join(
                compat.AssetModel, compat.AssetModel.id == compat.AssetEvent.asset_id
            )
        ).all()
    return [row for row in rows if row.uri.startswith("ordermesh://") and row.uri.endswith(uri_suffix)]
