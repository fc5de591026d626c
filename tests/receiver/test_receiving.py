"""Accepted deliveries: each becomes exactly one asset event, with its ids in ``extra``, on the asset of
its event type, and schedules the DAGs that wait on it; a delivery id seen before is acknowledged and
dropped, also when another process stored it or many copies arrive at once."""

from __future__ import annotations

import asyncio
import datetime
import logging
import subprocess
import sys
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any, cast

import httpx
import pytest
from sqlalchemy.exc import OperationalError

from airflow_provider_ordermesh import assets, compat
from airflow_provider_ordermesh.receiver.app import Receiver, mounted_app
from airflow_provider_ordermesh.receiver.deliveries import DeliveryStore, Stored

from .conftest import (
    MARKER,
    OLD_KEY,
    TOKEN,
    asset_events,
    encode,
    order_creation,
    signed_headers,
    token_headers,
)

pytestmark = pytest.mark.airflow_db

SHOP = "/ordermesh/webhooks/shop"
ORDER_CREATION = assets.event_uri("OrderCreation")


def test_the_plugin_is_registered_through_the_airflow_plugins_entry_point() -> None:
    from importlib.metadata import entry_points

    found = {ep.name: ep.value for ep in entry_points(group="airflow.plugins")}
    assert found["ordermesh_webhooks"] == "airflow_provider_ordermesh.receiver.plugin:OrderMeshWebhooksPlugin"


def test_a_delivery_becomes_one_asset_event_with_its_ids(client: Any) -> None:
    payload = order_creation()
    before = len(asset_events())

    answer = client.post(SHOP, content=encode(payload), headers=token_headers())

    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "stored"
    events = asset_events()
    assert len(events) == before + 1
    stored = events[-1]
    assert stored.uri == ORDER_CREATION
    assert stored.id == answer.json()["asset_event_id"]
    assert stored.extra["delivery_id"] == payload["RequestId"]
    assert stored.extra["endpoint"] == "shop"
    assert {k: stored.extra[k] for k in ("order_id", "external_order_id", "safe_id", "is_successful")} == {
        "order_id": payload["OrderId"],
        "external_order_id": payload["ExternalOrderId"],
        "safe_id": payload["SafeId"],
        "is_successful": True,
    }


def test_a_dag_scheduled_on_the_event_asset_is_queued(client: Any) -> None:
    from airflow.models.asset import AssetDagRunQueue
    from airflow.models.dag import DagModel
    from airflow.sdk import DAG, task
    from sqlalchemy import select, update

    with DAG(
        dag_id="on_shipment_created",
        schedule=[compat.Asset(assets.event_uri("ShipmentCreated"))],
        start_date=datetime.datetime(2026, 1, 1),
    ) as dag:
        # a callable with arguments, which Airflow takes but its stub does not declare
        cast(Any, task)(lambda: None, task_id="react")()
    compat.register_dag(dag)
    with compat.create_session() as session:  # new DAGs start paused; a paused DAG is not queued
        session.execute(update(DagModel).where(DagModel.dag_id == dag.dag_id).values(is_paused=False))

    answer = client.post(
        SHOP,
        content=encode(
            {"EventType": "ShipmentCreated", "RequestId": str(uuid.uuid4()), "ShipmentId": "shp_1"}
        ),
        headers=token_headers(),
    )

    assert answer.json()["status"] == "stored"
    with compat.create_session() as session:
        queued = session.scalars(select(AssetDagRunQueue.target_dag_id)).all()
    assert "on_shipment_created" in queued


def test_the_notification_envelope_some_tenants_use_is_unwrapped(client: Any) -> None:
    payload = order_creation(IsSuccessful=False, ResponseCode=400, Description="Order could not be created")
    answer = client.post(SHOP, content=encode({"Notification": payload}), headers=token_headers())
    assert answer.json()["status"] == "stored"
    stored = asset_events("/events/OrderCreation")[-1]
    assert stored.extra["is_successful"] is False
    assert stored.extra["description"] == "Order could not be created"


def test_an_unknown_event_type_is_stored_on_its_own_asset(client: Any) -> None:
    answer = client.post(
        SHOP,
        content=encode({"EventType": "OrderRerouted", "RequestId": "r-1", "OrderId": "o-1", "NewField": 3}),
        headers=token_headers(),
    )
    assert answer.json()["status"] == "stored"
    (stored,) = asset_events("/events/OrderRerouted")
    assert stored.uri == "ordermesh://api.ordermesh.io/events/OrderRerouted"
    assert stored.extra["order_id"] == "o-1"
    assert stored.extra["NewField"] == 3  # unknown fields kept, under OrderMesh's own name


def test_a_redelivery_is_acknowledged_and_dropped(client: Any) -> None:
    body = encode(order_creation())
    before = len(asset_events())
    first = client.post(SHOP, content=body, headers=token_headers())
    again = client.post(SHOP, content=body, headers=token_headers())
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == {"status": "duplicate"}
    assert len(asset_events()) == before + 1


def test_without_a_request_id_the_same_body_is_the_same_delivery(client: Any) -> None:
    body = encode({k: v for k, v in order_creation().items() if k != "RequestId"})
    before = len(asset_events())
    assert client.post(SHOP, content=body, headers=token_headers()).json()["status"] == "stored"
    assert client.post(SHOP, content=body, headers=token_headers()).json()["status"] == "duplicate"
    (stored,) = asset_events()[before:]
    assert stored.extra["delivery_id"].startswith("sha256:")


def test_signed_deliveries_pass_with_either_key_and_a_replayed_id_is_dropped(client: Any) -> None:
    before = len(asset_events())
    body = encode(order_creation())
    with_old_key = client.post(
        "/ordermesh/webhooks/signed",
        content=body,
        headers=signed_headers(body, key=OLD_KEY, delivery_id="msg_rotation_1"),
    )
    other = encode(order_creation())
    with_new_key = client.post(
        "/ordermesh/webhooks/signed",
        content=other,
        headers=signed_headers(other, delivery_id="msg_rotation_2"),
    )
    # the same webhook-id, re-signed over a new body and timestamp: a replay, acknowledged, not stored
    replay = client.post(
        "/ordermesh/webhooks/signed",
        content=other,
        headers=signed_headers(other, delivery_id="msg_rotation_1"),
    )
    assert [a.json()["status"] for a in (with_old_key, with_new_key, replay)] == [
        "stored",
        "stored",
        "duplicate",
    ]
    assert [e.extra["delivery_id"] for e in asset_events()[before:]] == ["msg_rotation_1", "msg_rotation_2"]


def test_an_endpoint_with_token_and_signature_needs_both(client: Any) -> None:
    body = encode(order_creation())
    headers = {**signed_headers(body), "x-ordermesh-webhook-token": TOKEN}
    assert client.post("/ordermesh/webhooks/both", content=body, headers=headers).json()["status"] == "stored"


def test_an_id_stored_by_another_process_is_a_duplicate_here(client: Any) -> None:
    """Two API-server processes share only the metadata DB: what one stored, the other drops."""
    payload = order_creation()
    code = (
        "from airflow_provider_ordermesh.receiver.deliveries import DeliveryStore; "
        f"print(DeliveryStore().store(endpoint='shop', delivery_id={payload['RequestId']!r}, "
        f"asset_uri={ORDER_CREATION!r}, extra={{'from': 'other process'}}))"
    )
    before = len(asset_events())
    other = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert "duplicate=False" in other.stdout, other.stderr[-3000:]

    answer = client.post(SHOP, content=encode(payload), headers=token_headers())

    assert answer.json() == {"status": "duplicate"}
    assert [e.extra for e in asset_events()[before:]] == [{"from": "other process"}]


def test_many_copies_at_once_store_one_event(airflow_db: None) -> None:
    """Concurrent stores of one id (as from two processes' threads): the DB's unique check picks one."""
    stores = [DeliveryStore(), DeliveryStore()]
    delivery_id = f"race-{uuid.uuid4()}"
    before = len(asset_events())

    def store(n: int) -> Stored:
        return stores[n % 2].store(
            endpoint="shop", delivery_id=delivery_id, asset_uri=ORDER_CREATION, extra={}
        )

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(store, range(12)))

    assert sum(not r.duplicate for r in results) == 1
    assert len(asset_events()) == before + 1


def test_a_store_that_fails_answers_503_without_the_payload_and_a_redelivery_stores(
    client: Any, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.DEBUG)
    real_store = DeliveryStore.store

    def failing(self: DeliveryStore, **kwargs: Any) -> Stored:
        # what SQLAlchemy puts in its message: the statement's parameters, i.e. the payload
        raise OperationalError(
            "INSERT INTO asset_event ...", {"extra": MARKER}, Exception("database is locked")
        )

    monkeypatch.setattr(DeliveryStore, "store", failing)
    body = encode(order_creation())
    before = len(asset_events())

    failed = client.post(SHOP, content=body, headers=token_headers())

    assert failed.status_code == 503
    assert failed.headers["Retry-After"]
    assert len(asset_events()) == before
    assert not [r for r in caplog.records if r.levelno > logging.DEBUG and MARKER in r.getMessage()]
    monkeypatch.setattr(DeliveryStore, "store", real_store)
    assert client.post(SHOP, content=body, headers=token_headers()).json()["status"] == "stored"


async def test_a_flood_is_refused_at_once_while_airflow_routes_keep_answering(
    airflow_api: Any, client: Any
) -> None:
    """With every place taken (the stores held), the next delivery gets 503 and Airflow still answers."""
    release = threading.Event()
    entered = threading.Semaphore(0)

    class HeldStore(DeliveryStore):
        def store(self, **kwargs: Any) -> Stored:
            entered.release()
            release.wait(timeout=30)
            return super().store(**kwargs)

    mounted_app().state.receiver = Receiver(store=HeldStore(), max_in_flight=2)
    transport = httpx.ASGITransport(app=airflow_api)
    async with httpx.AsyncClient(transport=transport, base_url="http://airflow") as http:
        held = [
            asyncio.create_task(http.post(SHOP, content=encode(order_creation()), headers=token_headers()))
            for _ in range(2)
        ]
        for _ in range(2):  # both deliveries are inside the store now
            await asyncio.to_thread(entered.acquire, True, 30)
        flood = await http.post(SHOP, content=encode(order_creation()), headers=token_headers())
        health = await http.get("/api/v2/monitor/health")
        release.set()
        answers = await asyncio.gather(*held)

    assert flood.status_code == 503
    assert flood.headers["Retry-After"] == "1"
    assert health.status_code == 200
    assert [a.json()["status"] for a in answers] == ["stored", "stored"]


def test_ids_older_than_the_retention_are_forgotten_as_new_ones_arrive(airflow_db: None) -> None:
    from datetime import UTC, datetime

    from sqlalchemy import insert

    from airflow_provider_ordermesh.receiver.deliveries import DELIVERIES, RETENTION

    store = DeliveryStore()
    store.seen(endpoint="shop", delivery_id="-")  # creates the table
    with compat.create_session() as session:
        session.execute(
            insert(DELIVERIES).values(
                endpoint="shop",
                delivery_id="ancient",
                received_at=datetime.now(UTC) - RETENTION - RETENTION / 7,
            )
        )
    assert store.seen(endpoint="shop", delivery_id="ancient")

    store.store(endpoint="shop", delivery_id=f"new-{uuid.uuid4()}", asset_uri=ORDER_CREATION, extra={})

    assert not store.seen(endpoint="shop", delivery_id="ancient")


def test_loading_the_plugin_does_not_load_the_receiver() -> None:
    """Schedulers and workers load plugins too: only the API server, reading fastapi_apps, pays for it."""
    code = (
        "import sys; from airflow_provider_ordermesh.receiver.plugin import OrderMeshWebhooksPlugin as P; "
        "assert 'airflow_provider_ordermesh.receiver.app' not in sys.modules; "
        "(app,) = P.fastapi_apps; assert app['url_prefix'] == '/ordermesh/webhooks', app; "
        "assert P.fastapi_apps[0]['app'] is app['app']"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
