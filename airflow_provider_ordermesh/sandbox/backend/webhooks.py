"""What the sandbox tells subscribers: OrderMesh's webhook payloads, queued for delivery (no HTTP here).

Every change is audited (``state.AuditLog``), so the webhooks follow the audit log: an order created
is an ``OrderCreation`` (successful), an inbound order that could not be created is an
``OrderCreation`` with ``IsSuccessful: false``, ``ResponseCode: 400`` and OrderMesh's description (the
failure event fires only for ``POST /v1/inbound/orders``, as OrderMesh documents), a shipment created
is a ``ShipmentCreated``; later changes are ``OrderUpdated`` and ``ShipmentUpdated`` (event names
OrderMesh has not published; reconstructed). Payloads carry ids only, in PascalCase, as OrderMesh's do.

``WebhookHub`` keeps the subscriptions and the queue of deliveries; ``run/webhooks.py`` sends them.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic.alias_generators import to_pascal

from airflow_provider_ordermesh.sandbox.backend.state import AuditRecord, SandboxState

JSON = dict[str, Any]

ORDER_CREATION = "OrderCreation"
SHIPMENT_CREATED = "ShipmentCreated"
ORDER_UPDATED = "OrderUpdated"
SHIPMENT_UPDATED = "ShipmentUpdated"
EVENT_TYPES = (ORDER_CREATION, SHIPMENT_CREATED, ORDER_UPDATED, SHIPMENT_UPDATED)

INBOUND_FAILED = "InboundFailed"
"""The audit action of an inbound order that could not be created."""


@dataclass(frozen=True)
class Subscription:
    """Where to deliver which events, and how to prove it is us (a header token, a signing secret)."""

    id: str
    url: str
    events: frozenset[str] | None = None
    token: str | None = field(default=None, repr=False)
    signing_secret: str | None = field(default=None, repr=False)

    def wants(self, event_type: str) -> bool:
        return self.events is None or event_type in self.events

    def view(self) -> JSON:
        """The subscription for ``GET /_sandbox/webhooks``: secrets shown only as set or not."""
        return {
            "id": self.id,
            "url": self.url,
            "events": sorted(self.events) if self.events else None,
            "token": self.token is not None,
            "signed": self.signing_secret is not None,
        }


@dataclass(frozen=True)
class WebhookFaults:
    """Misbehaviour on purpose: every n-th delivery sent twice, each held back, pairs sent swapped."""

    duplicate_every: int = 0
    delay_seconds: float = 0.0
    reorder: bool = False


@dataclass(order=True)
class Delivery:
    """One payload for one subscription; ``attempts`` grows with each try, ``due`` is the next one."""

    due: float
    sequence: int
    subscription: Subscription = field(compare=False)
    payload: JSON = field(compare=False)
    delivery_id: str = field(compare=False, default="")
    attempts: int = field(compare=False, default=0)

    @property
    def event_type(self) -> str:
        return str(self.payload["EventType"])


class WebhookHub:
    """Subscriptions, the queue of due deliveries and what happened to them; safe across threads."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Condition()
        self._queue: list[Delivery] = []
        self._sequence = itertools.count()
        self.subscriptions: list[Subscription] = []
        self.faults = WebhookFaults()
        self.outcomes: Counter[str] = Counter()
        self.delivered: list[JSON] = []

    def subscribe(
        self,
        url: str,
        *,
        events: list[str] | None = None,
        token: str | None = None,
        signing_secret: str | None = None,
    ) -> Subscription:
        subscription = Subscription(
            id=f"sub_{uuid.uuid4().hex[:12]}",
            url=url,
            events=frozenset(events) if events else None,
            token=token,
            signing_secret=signing_secret,
        )
        with self._lock:
            self.subscriptions.append(subscription)
        return subscription

    def unsubscribe_all(self) -> None:
        """Forget every subscription, pending delivery and outcome."""
        with self._lock:
            self.subscriptions.clear()
            self._queue.clear()
            self.outcomes.clear()
            self.delivered.clear()

    def observe(self, state: SandboxState) -> Callable[[AuditRecord], None]:
        """The audit-log listener that turns ``state``'s changes into deliveries."""
        return lambda record: self.publish(payload_for(record, state))

    def publish(self, payload: JSON | None) -> None:
        """Queue ``payload`` for every subscription that wants its event type."""
        if payload is None:
            return
        with self._lock:
            for subscription in self.subscriptions:
                if subscription.wants(payload["EventType"]):
                    self._push(
                        Delivery(
                            self._clock() + self.faults.delay_seconds,
                            next(self._sequence),
                            subscription,
                            payload,
                            delivery_id=f"msg_{uuid.uuid4().hex}",
                        )
                    )
                    self.outcomes["queued"] += 1
            self._lock.notify_all()

    def next_due(self, timeout: float) -> Delivery | None:
        """The next delivery whose time has come, waiting at most ``timeout`` seconds for one."""
        deadline = self._clock() + timeout
        with self._lock:
            while True:
                now = self._clock()
                if self._queue and self._queue[0].due <= now:
                    return heapq.heappop(self._queue)
                wait = deadline - now
                if self._queue:
                    wait = min(wait, self._queue[0].due - now)
                if wait <= 0:
                    return None
                self._lock.wait(wait)

    def retry_later(self, delivery: Delivery, delay: float) -> None:
        with self._lock:
            if delivery.subscription not in self.subscriptions:
                return  # unsubscribed while it was being sent
            delivery.due = self._clock() + delay
            self._push(delivery)
            self._lock.notify_all()

    def record(self, delivery: Delivery, outcome: str) -> None:
        """Count an attempt's outcome (``delivered``, ``retried``, ``gave_up``) and keep what got through."""
        with self._lock:
            if delivery.subscription not in self.subscriptions:
                return  # unsubscribed while it was being sent: forgotten, as DELETE promises
            self.outcomes[outcome] += 1
            if outcome == "delivered":
                self.delivered.append(
                    {"deliveryId": delivery.delivery_id, "attempts": delivery.attempts, **delivery.payload}
                )

    def pending(self) -> int:
        with self._lock:
            return len(self._queue)

    def view(self) -> JSON:
        with self._lock:
            return {
                "subscriptions": [s.view() for s in self.subscriptions],
                "pending": len(self._queue),
                "outcomes": dict(self.outcomes),
                "delivered": list(self.delivered),
                "faults": {
                    "duplicateEvery": self.faults.duplicate_every,
                    "delaySeconds": self.faults.delay_seconds,
                    "reorder": self.faults.reorder,
                },
            }

    def _push(self, delivery: Delivery) -> None:
        heapq.heappush(self._queue, delivery)


def payload_for(record: AuditRecord, state: SandboxState) -> JSON | None:
    """The webhook payload of one audited change, or ``None`` for changes OrderMesh does not announce."""
    fields = _fields_for(record, state)
    if fields is None:
        return None
    return {to_pascal(name): value for name, value in fields.items()}  # OrderMesh spells them PascalCase


def _fields_for(record: AuditRecord, state: SandboxState) -> JSON | None:
    common: JSON = {"request_id": str(uuid.uuid4()), "subscriber_id": "sandbox", "child_subscriber_id": None}
    if record.resource_type == "Order":
        order = state.orders.get(record.resource_id)
        if order is None:
            return None
        ids = {
            "order_id": order.id,
            "external_order_id": order.submitted.external_id,
            "safe_id": order.safe_id,
        }
        if record.action == "Created":
            return {
                "event_type": ORDER_CREATION,
                **common,
                **ids,
                "is_successful": True,
                "response_code": 200,
                "description": "Order created",
                "reprint": None,
            }
        return {"event_type": ORDER_UPDATED, **common, **ids, "description": record.action}
    if record.resource_type == "Shipment":
        shipment = state.shipments.get(record.resource_id)
        if shipment is None:
            return None
        ids = {
            "shipment_id": shipment.id,
            "order_id": shipment.order.id,
            "external_order_id": shipment.order.submitted.external_id,
        }
        event_type = SHIPMENT_CREATED if record.action == "Created" else SHIPMENT_UPDATED
        return {"event_type": event_type, **common, **ids, "description": record.action}
    if record.resource_type == "InboundOrder" and record.action == INBOUND_FAILED:
        inbound = next((i for i in state.inbound if i.request_id == record.resource_id), None)
        body = inbound.submitted.body if inbound is not None else {}
        return {
            "event_type": ORDER_CREATION,
            **common,
            "request_id": record.resource_id,
            "order_id": None,
            "external_order_id": body.get("externalId"),
            "safe_id": body.get("safeId"),
            "is_successful": False,
            "response_code": 400,
            "description": "Order could not be created",
            "reprint": None,
        }
    return None
