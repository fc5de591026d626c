"""Webhooks under a real Airflow deployment: the sandbox delivers to the api-server's receiver.

Proves, through the REST API and the sandbox's delivery log only: every delivery becomes exactly one
asset event and the example DAG ``ordermesh_inbound_outcomes`` runs (a refused inbound order fails
its ``report_failures`` task); a duplicate delivery and a redelivery after a 503 store nothing twice;
an api-server killed mid-stream loses nothing the sandbox redelivers; a wrong token gets 401 and no event.
"""

from __future__ import annotations

import json
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from airflow_deployment import Deployment, wait_for
from support.connection import MERCHANT_ID
from support.orders import create_orders

from airflow_provider_ordermesh.assets import host_of
from airflow_provider_ordermesh.client import OrderMeshClient
from airflow_provider_ordermesh.sandbox.run.pytest_plugin import SandboxHandle

pytestmark = [pytest.mark.deployment, pytest.mark.slow]

DAG_ID = "ordermesh_inbound_outcomes"
ASSET_NAME = "ordermesh_order_creation"
TOKEN = "tok_" + uuid.uuid4().hex
TRANSFORMATION_ID = "8e7c2a1b-0000-4000-8000-000000000001"


@pytest.fixture(scope="module")
def webhook_deployment(deployed_sandbox: SandboxHandle) -> Iterator[Deployment]:
    """A deployment whose api-server receives at ``/ordermesh/webhooks/shop`` (token from a connection)."""
    shop = {"conn_type": "generic", "password": TOKEN, "host": deployed_sandbox.url}
    with tempfile.TemporaryDirectory(prefix="ordermesh-webhooks-") as home:
        airflow = Deployment(
            home=Path(home),
            extra_env={
                "AIRFLOW_CONN_ORDERMESH_DEFAULT": deployed_sandbox.connection_json(),
                "AIRFLOW_CONN_ORDERMESH_WEBHOOK_SHOP": json.dumps(shop),
                "ORDERMESH_WEBHOOK_HOST": host_of(deployed_sandbox.url),
                "ORDERMESH_EXAMPLE_POLL_SECONDS": "1",
            },
        )
        try:
            airflow.start_all()
            airflow.unpause(DAG_ID)
            yield airflow
        finally:
            airflow.stop()


class Hooks:
    """The sandbox's webhook control API."""

    def __init__(self, sandbox: SandboxHandle) -> None:
        self.url = f"{sandbox.url}/_sandbox/webhooks"

    def call(self, method: str, path: str = "", body: Any = None) -> Any:
        answer = requests.request(method, self.url + path, json=body, timeout=10)
        answer.raise_for_status()
        return answer.json()

    def subscribe(self, url: str, **settings: Any) -> None:
        self.call("POST", "", {"url": url, "events": ["OrderCreation"], **settings})

    def wait_delivered(self, count: int, timeout: float = 120) -> list[dict[str, Any]]:
        return wait_for(
            f"the sandbox to have delivered {count} webhooks",
            lambda: d if len(d := self.call("GET")["delivered"]) >= count else None,
            timeout,
        )


@pytest.fixture
def hooks(deployed_sandbox: SandboxHandle) -> Iterator[Hooks]:
    control = Hooks(deployed_sandbox)
    control.call("DELETE")
    yield control
    control.call("DELETE")
    control.call("POST", "/faults", {})


def submit_refused_inbound(api: OrderMeshClient) -> str:
    """An inbound order the sandbox's transformation cannot create: its outcome is a failure webhook."""
    safe_id = f"refused-{uuid.uuid4().hex[:8]}"
    api.orders.submit_inbound(
        {
            "body": {"safeId": safe_id, "externalId": f"ext-{safe_id}"},
            "merchantId": MERCHANT_ID,
            "transformationId": TRANSFORMATION_ID,
        }
    )
    return safe_id


def events_of(airflow: Deployment) -> list[dict[str, Any]]:
    asset_id = wait_for(f"asset {ASSET_NAME}", lambda: airflow.asset_id(ASSET_NAME), 60)
    return airflow.asset_events(asset_id)


def test_deliveries_become_one_asset_event_each_and_the_dag_runs(webhook_deployment, hooks, deployed_api):
    airflow = webhook_deployment
    before = len(events_of(airflow))
    hooks.subscribe(f"{airflow.base_url}/ordermesh/webhooks/shop", token=TOKEN)

    refused = submit_refused_inbound(deployed_api)
    create_orders(deployed_api, 1)
    delivered = hooks.wait_delivered(2)

    events = events_of(airflow)[before:]
    assert sorted(e["extra"]["delivery_id"] for e in events) == sorted(d["RequestId"] for d in delivered)
    assert any(e["extra"].get("safe_id") == refused and e["extra"]["is_successful"] is False for e in events)

    def a_failed_report() -> str | None:
        for run in airflow.runs(DAG_ID):
            if airflow.task_states(DAG_ID, run["dag_run_id"]).get("report_failures") == "failed":
                return str(run["dag_run_id"])
        return None

    try:
        run_id = wait_for("a run whose report_failures failed on the refused order", a_failed_report, 180)
    except AssertionError as error:
        runs = [
            (r["dag_run_id"], r["state"], airflow.explain(DAG_ID, r["dag_run_id"]))
            for r in airflow.runs(DAG_ID)
        ]
        raise AssertionError(f"{error}; runs: {runs}") from None
    log = " ".join(
        str(line) for line in airflow.task_log(DAG_ID, run_id, "report_failures")
    )  # error_detail too
    assert f"ext-{refused}" in log and "Order could not be created" in log


def test_a_duplicate_delivery_stores_one_event(webhook_deployment, hooks, deployed_api):
    airflow = webhook_deployment
    hooks.call("POST", "/faults", {"duplicateEvery": 1})
    hooks.subscribe(f"{airflow.base_url}/ordermesh/webhooks/shop", token=TOKEN)
    before = len(events_of(airflow))

    submit_refused_inbound(deployed_api)
    (delivered,) = hooks.wait_delivered(1)

    events = events_of(airflow)[before:]
    assert [e["extra"]["delivery_id"] for e in events] == [delivered["RequestId"]]


def test_a_redelivery_after_a_503_stores_one_event(webhook_deployment, hooks, deployed_api, deployed_sandbox):
    """An endpoint whose connection cannot work answers 503; once fixed, the redelivery is stored once."""
    airflow = webhook_deployment
    airflow.call(
        "POST",
        "/connections",
        json={
            "connection_id": "ordermesh_webhook_late",
            "conn_type": "generic",
            "password": TOKEN,
            "host": deployed_sandbox.url,
            "extra": json.dumps({"signing_secrets": ["whsec_not-a-secret"]}),
        },
    )
    hooks.subscribe(f"{airflow.base_url}/ordermesh/webhooks/late", token=TOKEN)
    before = len(events_of(airflow))

    submit_refused_inbound(deployed_api)
    wait_for("a 503 and a retry", lambda: hooks.call("GET")["outcomes"].get("retried"), 60)
    assert len(events_of(airflow)) == before
    airflow.call(
        "PATCH",
        "/connections/ordermesh_webhook_late",
        json={
            "connection_id": "ordermesh_webhook_late",
            "conn_type": "generic",
            "password": TOKEN,
            "host": deployed_sandbox.url,
            "extra": "{}",
        },
    )
    (delivered,) = hooks.wait_delivered(1)

    assert delivered["attempts"] >= 2
    assert [e["extra"]["delivery_id"] for e in events_of(airflow)[before:]] == [delivered["RequestId"]]


def test_an_api_server_killed_mid_stream_loses_nothing_redelivered(webhook_deployment, hooks, deployed_api):
    airflow = webhook_deployment
    hooks.subscribe(f"{airflow.base_url}/ordermesh/webhooks/shop", token=TOKEN)
    before = len(events_of(airflow))

    submit_refused_inbound(deployed_api)
    hooks.wait_delivered(1)
    airflow.kill("api-server")
    sent_while_down = [submit_refused_inbound(deployed_api) for _ in range(3)]
    wait_for(
        "the sandbox to retry against the dead api-server",
        lambda: hooks.call("GET")["outcomes"].get("retried"),
        60,
    )
    airflow.start("api-server")
    wait_for("the api-server to answer again", airflow._healthy, 180)
    delivered = hooks.wait_delivered(4, timeout=180)

    events = events_of(airflow)[before:]
    assert sorted(e["extra"]["delivery_id"] for e in events) == sorted(d["RequestId"] for d in delivered)
    assert {e["extra"]["safe_id"] for e in events} >= set(sent_while_down)


def test_a_wrong_token_gets_401_and_no_event(webhook_deployment):
    airflow = webhook_deployment
    before = len(events_of(airflow))
    body = {"EventType": "OrderCreation", "RequestId": str(uuid.uuid4()), "OrderId": "o-1"}

    answer = requests.post(
        f"{airflow.base_url}/ordermesh/webhooks/shop",
        json=body,
        headers={"X-OrderMesh-Webhook-Token": TOKEN[:-1] + "x"},
        timeout=30,
    )

    assert answer.status_code == 401
    assert len(events_of(airflow)) == before
