"""The sandbox delivers webhooks as OrderMesh does: to subscribed URLs, for order and shipment creation
and updates and inbound outcomes, retried with backoff on non-2xx, signed when asked, and with faults
(duplicate, delayed, out of order) on request. A small HTTP server on a free port receives them."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests

from airflow_provider_ordermesh.receiver.authentication import StandardWebhooks
from airflow_provider_ordermesh.sandbox.run.pytest_plugin import SandboxHandle
from sandbox.wire import Api

KEY = b"sandbox-signing-key-0123456789"
SECRET = "whsec_" + base64.b64encode(KEY).decode()


class Inbox:
    """What the test's receiver got; it answers each request with the next scripted status (then 200)."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.script: list[int] = []
        self.changed = threading.Condition()

    def wait_for(self, count: int, timeout: float = 20) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        with self.changed:
            while len(self.received) < count:
                left = deadline - time.monotonic()
                assert left > 0, f"received {len(self.received)} of {count} deliveries: {self.received}"
                self.changed.wait(left)
            return list(self.received)


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, str]]:
    box = Inbox()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with box.changed:
                status = box.script.pop(0) if box.script else 200
                box.received.append({"headers": dict(self.headers.items()), "body": body, "status": status})
                box.changed.notify_all()
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield box, f"http://127.0.0.1:{server.server_address[1]}/hooks"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def control(sandbox: SandboxHandle) -> Iterator[Any]:
    def call(method: str, path: str, body: Any = None) -> Any:
        answer = requests.request(method, f"{sandbox.url}/_sandbox/webhooks{path}", json=body, timeout=10)
        assert answer.ok, answer.text
        return answer.json()

    yield call
    call("DELETE", "")
    call("POST", "/faults", {})


def events(deliveries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [json.loads(d["body"]) for d in deliveries]


def test_an_order_created_is_delivered_with_its_ids_and_token(inbox, control, api: Api) -> None:
    box, url = inbox
    control("POST", "", {"url": url, "events": ["OrderCreation"], "token": "tok-1"})

    order = api.create_order(safeId="safe-hook-1", externalId="ext-hook-1")

    (delivery,) = box.wait_for(1)
    (event,) = events([delivery])
    assert delivery["headers"]["X-OrderMesh-Webhook-Token"] == "tok-1"
    assert delivery["headers"]["Content-Type"] == "application/json"
    assert event["EventType"] == "OrderCreation"
    assert (event["OrderId"], event["SafeId"], event["ExternalOrderId"]) == (
        order["id"],
        "safe-hook-1",
        "ext-hook-1",
    )
    assert event["IsSuccessful"] is True and event["RequestId"]


def test_shipments_created_and_updates_are_delivered(
    inbox, control, api: Api, sandbox: SandboxHandle
) -> None:
    box, url = inbox
    control("POST", "", {"url": url, "events": ["ShipmentCreated", "ShipmentUpdated"]})
    order = api.create_order()
    created = [e for e in events(box.wait_for(1)) if e["EventType"] == "ShipmentCreated"]
    assert created and created[0]["OrderId"] == order["id"]

    sandbox.advance_shipments([created[0]["ShipmentId"]], "Shipped")

    updates = [e for e in events(box.wait_for(2)) if e["EventType"] == "ShipmentUpdated"]
    assert updates[0]["ShipmentId"] == created[0]["ShipmentId"]


def test_an_inbound_order_that_fails_is_delivered_as_a_failed_order_creation(
    inbox, control, api: Api
) -> None:
    box, url = inbox
    control("POST", "", {"url": url, "events": ["OrderCreation"]})

    api.ok(
        "orders.submit_inbound",
        json={
            "body": {"safeId": "safe-bad-1", "externalId": "ext-bad-1"},
            "merchantId": api_merchant(),
            "transformationId": "8e7c2a1b-0000-4000-8000-000000000001",
        },
    )

    (event,) = events(box.wait_for(1))
    assert event["IsSuccessful"] is False and event["ResponseCode"] == 400
    assert (event["SafeId"], event["ExternalOrderId"], event["OrderId"]) == ("safe-bad-1", "ext-bad-1", None)
    assert event["Description"] == "Order could not be created"


def test_a_non_2xx_answer_is_retried_with_backoff_until_accepted(inbox, control, api: Api) -> None:
    box, url = inbox
    box.script = [503, 500]
    control("POST", "", {"url": url, "events": ["OrderCreation"]})

    api.create_order()

    tries = box.wait_for(3)
    assert [t["status"] for t in tries] == [503, 500, 200]
    assert len({t["body"] for t in tries}) == 1  # the same delivery each time
    request_id = json.loads(tries[0]["body"])["RequestId"]

    def attempts() -> list[int]:
        return [d["attempts"] for d in control("GET", "")["delivered"] if d["RequestId"] == request_id]

    deadline = time.monotonic() + 10
    while not attempts() and time.monotonic() < deadline:
        time.sleep(0.05)  # the sandbox records the 200 just after our server sent it
    assert attempts() == [3]


def test_signed_deliveries_pass_the_receivers_check(inbox, control, api: Api) -> None:
    box, url = inbox
    control("POST", "", {"url": url, "events": ["OrderCreation"], "signingSecret": SECRET})
    api.create_order()
    (delivery,) = box.wait_for(1)
    headers = {k.lower(): v for k, v in delivery["headers"].items()}
    delivery_id = StandardWebhooks((KEY,), tolerance=300).verify(headers, delivery["body"], now=time.time())
    assert delivery_id == headers["webhook-id"]


def test_faults_send_duplicates_and_out_of_order(inbox, control, api: Api) -> None:
    box, url = inbox
    control("POST", "/faults", {"duplicateEvery": 1, "reorder": True, "delaySeconds": 0.1})
    control("POST", "", {"url": url, "events": ["OrderCreation"]})

    first, second = api.create_order(), api.create_order()

    got = events(box.wait_for(4))
    assert [e["OrderId"] for e in got] == [second["id"], second["id"], first["id"], first["id"]]
    assert got[0]["RequestId"] == got[1]["RequestId"]  # a duplicate is the same delivery again


def api_merchant() -> str:
    from support.connection import MERCHANT_ID

    return MERCHANT_ID


def test_the_command_line_subscribes_with_webhook(inbox, tmp_path) -> None:
    from sandbox.test_cli import CLIENT, start

    box, url = inbox
    running = start(tmp_path, "--webhook", url, "--webhook-token", "tok-cli")
    try:
        subscriptions = requests.get(f"{running.url}/_sandbox/webhooks", timeout=10).json()["subscriptions"]
        assert [(s["url"], s["token"]) for s in subscriptions] == [(url, True)]
        caller = Api(running.url)
        caller.authenticate(CLIENT["clientId"], CLIENT["clientSecret"])
        caller.create_order()
        delivery = box.wait_for(1)[0]
        assert delivery["headers"]["X-OrderMesh-Webhook-Token"] == "tok-cli"
    finally:
        import signal

        running.stop(signal.SIGTERM)
