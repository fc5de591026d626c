"""Sends the sandbox's webhook deliveries over HTTP, as OrderMesh would: retried with backoff, maybe signed.

A delivery answered 2xx is done; any other answer, or none, is tried again after a backoff that
doubles from ``retry_base_seconds`` up to ``retry_cap_seconds``, until ``max_attempts`` (about four and a half
minutes of retries by default: enough to ride out an API-server restart). A
subscription with a token sends it in ``X-OrderMesh-Webhook-Token``; one with a signing secret
(``whsec_<base64>``) signs the Standard Webhooks way (``webhook-id``, ``webhook-timestamp``,
``webhook-signature``). The hub's faults make it send a delivery twice, late, or out of order.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import threading
import time

import httpx

from airflow_provider_ordermesh.sandbox.backend.webhooks import Delivery, WebhookHub

log = logging.getLogger(__name__)

TOKEN_HEADER = "X-OrderMesh-Webhook-Token"

REORDER_WAIT_SECONDS = 1.0
"""With the ``reorder`` fault, how long a due delivery waits for the next one to swap places with."""


class WebhookDispatcher:
    """A background thread that delivers what the hub queues; ``stop()`` ends it."""

    def __init__(
        self,
        hub: WebhookHub,
        *,
        retry_base_seconds: float = 0.25,
        retry_cap_seconds: float = 10.0,
        max_attempts: int = 30,
        timeout_seconds: float = 10.0,
    ) -> None:
        self._hub = hub
        self._base = retry_base_seconds
        self._cap = retry_cap_seconds
        self._max_attempts = max_attempts
        self._http = httpx.Client(timeout=timeout_seconds)
        self._stopping = threading.Event()
        self._sent = 0
        self._thread = threading.Thread(target=self._run, name="ordermesh-sandbox-webhooks", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=15)
        self._http.close()

    def _run(self) -> None:
        while not self._stopping.is_set():
            delivery = self._hub.next_due(timeout=0.2)
            if delivery is None:
                continue
            if self._hub.faults.reorder:
                later = self._hub.next_due(timeout=REORDER_WAIT_SECONDS)
                if later is not None:  # send the later one first, then this one
                    self._attempt(later)
            self._attempt(delivery)

    def _attempt(self, delivery: Delivery) -> None:
        delivery.attempts += 1
        self._sent += 1
        copies = (
            2
            if self._hub.faults.duplicate_every and self._sent % self._hub.faults.duplicate_every == 0
            else 1
        )
        statuses = [self._send(delivery) for _ in range(copies)]
        if any(status is not None and 200 <= status < 300 for status in statuses):
            self._hub.record(delivery, "delivered")
        elif delivery.attempts >= self._max_attempts:
            log.warning(
                "webhook %s to %s: gave up after %d attempts",
                delivery.event_type,
                delivery.subscription.url,
                delivery.attempts,
            )
            self._hub.record(delivery, "gave_up")
        else:
            self._hub.record(delivery, "retried")
            self._hub.retry_later(delivery, min(self._cap, self._base * 2 ** (delivery.attempts - 1)))

    def _send(self, delivery: Delivery) -> int | None:
        body = json.dumps(delivery.payload).encode()
        headers = {"Content-Type": "application/json", **signature_headers(delivery, body)}
        if delivery.subscription.token:
            headers[TOKEN_HEADER] = delivery.subscription.token
        try:
            return self._http.post(delivery.subscription.url, content=body, headers=headers).status_code
        except httpx.HTTPError as error:
            log.info(
                "webhook %s to %s: %s", delivery.event_type, delivery.subscription.url, type(error).__name__
            )
            return None


def signature_headers(delivery: Delivery, body: bytes) -> dict[str, str]:
    """Standard Webhooks headers when the subscription signs; none otherwise."""
    secret = delivery.subscription.signing_secret
    if not secret:
        return {}
    key = base64.b64decode(secret.removeprefix("whsec_"))
    timestamp = str(int(time.time()))
    signed = f"{delivery.delivery_id}.{timestamp}.".encode() + body
    signature = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return {
        "webhook-id": delivery.delivery_id,
        "webhook-timestamp": timestamp,
        "webhook-signature": f"v1,{signature}",
    }
