"""The receiver's FastAPI app: ``POST /ordermesh/webhooks/{endpoint}``, one delivery in, one asset event out.

Checks run cheapest and least trusting first, and nothing is parsed before the sender is known:
admission (a bound on concurrent work) → no query string → the endpoint's connection → the token
header → content type and size → the body, read with a limit → the signature over the raw body →
strict JSON → an OrderMesh event → stored once per delivery id. Only then does it answer 2xx, so a
failure anywhere is a non-2xx that OrderMesh's own redelivery repairs. Logs above DEBUG name the
endpoint and the outcome, never a value from the body.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import anyio
import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from airflow_provider_ordermesh.assets import event_uri, host_of
from airflow_provider_ordermesh.client import ConfigurationError
from airflow_provider_ordermesh.hooks.webhook_endpoint import WebhookEndpoint, conn_id_for, load_endpoint
from airflow_provider_ordermesh.models.webhooks import WebhookEvent
from airflow_provider_ordermesh.receiver.authentication import (
    DELIVERY_ID,
    StandardWebhooks,
    Unauthenticated,
    check_token,
)
from airflow_provider_ordermesh.receiver.body import (
    BadBody,
    check_content_type,
    check_declared_length,
    parse_object,
    read_limited,
)
from airflow_provider_ordermesh.receiver.deliveries import DeliveryStore

log = logging.getLogger(__name__)

URL_PREFIX = "/ordermesh/webhooks"
"""Where the plugin mounts the app in the API server (outside Airflow's reserved prefixes)."""

EVENT_TYPE = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,99}")
"""An event type we name an asset after: a word such as ``OrderCreation``, never a path."""

MAX_WORKERS = 4
"""Deliveries stored at the same time by one API-server process (each holds a DB connection)."""

MAX_IN_FLIGHT = 32
"""Deliveries one process holds at once, stored or waiting; more are answered 503 at once, so a flood
costs the API server a refusal each and never a thread of its own routes."""

BODY_TIMEOUT_SECONDS = 10.0
"""A body that takes longer to arrive is refused (408): a slow sender may not hold a place."""

ENDPOINT_CACHE_SECONDS = 30.0
"""How long an endpoint's connection is reused before it is read again (secret rotation takes effect)."""


class Refusal(Exception):
    """A delivery refused with ``status``; ``reason`` quotes nothing from the request."""

    def __init__(self, status: int, reason: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.headers = headers


@dataclass
class Receiver:
    """The receiver's state in one process: its store, its admission count and its endpoint cache."""

    store: DeliveryStore = field(default_factory=DeliveryStore)
    load: Callable[[str], WebhookEndpoint | None] = load_endpoint
    clock: Callable[[], float] = time.time
    max_in_flight: int = MAX_IN_FLIGHT
    workers: anyio.CapacityLimiter = field(default_factory=lambda: anyio.CapacityLimiter(MAX_WORKERS))
    in_flight: int = 0
    _endpoints: dict[str, tuple[float, WebhookEndpoint]] = field(default_factory=dict)

    async def receive(self, endpoint: str, request: Request) -> dict[str, Any]:
        """Authenticate, check and store one delivery; raise ``Refusal`` for anything else."""
        if request.url.query:
            raise Refusal(400, "the receiver takes no query string: send the token in a header")
        settings = await self._endpoint(endpoint)
        headers = request.headers
        if settings.tokens:
            check_token(headers, settings.tokens)
        check_content_type(headers.get("content-type"))
        check_declared_length(headers.get("content-length"))
        try:
            body = await asyncio.wait_for(read_limited(request.stream()), BODY_TIMEOUT_SECONDS)
        except TimeoutError:
            raise Refusal(408, f"the body took longer than {BODY_TIMEOUT_SECONDS:.0f} s to arrive") from None
        signed_id = None
        if settings.signing_keys:
            scheme = StandardWebhooks(settings.signing_keys, tolerance=settings.tolerance_seconds)
            signed_id = scheme.verify(headers, body, now=self.clock())
        event = _event(parse_object(body))
        delivery_id = signed_id or _payload_delivery_id(event, body)
        uri = event_uri(event.event_type, host=host_of(settings.api_url))
        extra = {
            "endpoint": endpoint,
            "delivery_id": delivery_id,
            **event.model_dump(mode="json", exclude_none=True),
        }
        try:
            stored = await anyio.to_thread.run_sync(
                lambda: self.store.store(
                    endpoint=endpoint, delivery_id=delivery_id, asset_uri=uri, extra=extra
                ),
                limiter=self.workers,
            )
        except Exception as error:
            # the message of a DB error may quote the statement's parameters (the payload): type only
            log.error(
                "could not store a delivery to endpoint %s (%s); answered 503", endpoint, type(error).__name__
            )
            log.debug("storing the delivery failed", exc_info=True)
            raise Refusal(
                503, "the delivery could not be stored; deliver it again", {"Retry-After": "5"}
            ) from None
        if stored.duplicate:
            log.info("endpoint %s: a delivery seen before was acknowledged and dropped", endpoint)
            return {"status": "duplicate"}
        log.info("endpoint %s: stored asset event %s on %s", endpoint, stored.asset_event_id, uri)
        return {"status": "stored", "asset_event_id": stored.asset_event_id}

    async def _endpoint(self, name: str) -> WebhookEndpoint:
        cached = self._endpoints.get(name)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        try:
            settings = await anyio.to_thread.run_sync(self.load, name, limiter=self.workers)
        except ConfigurationError as error:
            log.error("webhook endpoint misconfigured: %s", error)
            raise Refusal(503, "this endpoint is misconfigured; its owner is told in the logs") from None
        if settings is None:
            raise Refusal(404, "no such webhook endpoint")
        self._endpoints[name] = (time.monotonic() + ENDPOINT_CACHE_SECONDS, settings)
        return settings


def _event(payload: dict[str, Any]) -> WebhookEvent:
    """The payload as an OrderMesh event with an event type fit to name an asset, or a 422."""
    try:
        event = WebhookEvent.from_payload(payload)
    except ValidationError:
        raise Refusal(
            422, "not an OrderMesh webhook: EventType is missing or a field has the wrong type"
        ) from None
    if not EVENT_TYPE.fullmatch(event.event_type):
        raise Refusal(422, "EventType is not a single word of letters, digits, '_', '.' or '-'")
    return event


def _payload_delivery_id(event: WebhookEvent, body: bytes) -> str:
    """``RequestId`` when the payload has one, else the body's SHA-256 (a redelivery repeats the body)."""
    if event.request_id is None:
        return "sha256:" + hashlib.sha256(body).hexdigest()
    if not DELIVERY_ID.fullmatch(event.request_id):
        raise Refusal(422, "RequestId is not 1 to 128 printable ASCII characters")
    return event.request_id


def create_app(receiver: Receiver | None = None) -> FastAPI:
    """The app the plugin mounts at ``URL_PREFIX``: one route, no docs pages, every refusal in JSON.

    Its ``Receiver`` is ``app.state.receiver`` (a test may replace it with a fresh one).
    """
    app = FastAPI(title="OrderMesh webhook receiver", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.receiver = receiver or Receiver()

    @app.post("/{endpoint}")
    async def receive(endpoint: str, request: Request) -> JSONResponse:
        """Take one OrderMesh delivery (see docs/webhooks.md for what is checked and answered)."""
        state: Receiver = app.state.receiver
        if state.in_flight >= state.max_in_flight:
            log.warning("webhook receiver busy (%d deliveries in flight): answered 503", state.in_flight)
            return _refusal(endpoint, Refusal(503, "busy; deliver again shortly", {"Retry-After": "1"}))
        state.in_flight += 1
        try:
            return JSONResponse(await state.receive(endpoint, request))
        except Refusal as refusal:
            return _refusal(endpoint, refusal)
        except (Unauthenticated, BadBody) as error:
            status = error.status if isinstance(error, BadBody) else 401
            return _refusal(endpoint, Refusal(status, str(error)))
        finally:
            state.in_flight -= 1

    return app


def _refusal(endpoint: str, refusal: Refusal) -> JSONResponse:
    shown = endpoint if refusal.status != 404 else "(unknown)"  # an unknown name is the sender's text
    log.info("endpoint %s: refused a delivery with %d: %s", shown, refusal.status, refusal.reason)
    return JSONResponse({"detail": refusal.reason}, status_code=refusal.status, headers=refusal.headers)


@cache
def mounted_app() -> FastAPI:
    """The one app of this process (the plugin mounts it once per API server)."""
    return create_app()


__all__ = ["URL_PREFIX", "Receiver", "conn_id_for", "create_app", "mounted_app"]
