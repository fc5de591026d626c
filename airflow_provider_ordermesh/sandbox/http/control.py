"""The control API under ``/_sandbox/``: no auth, never counted, never faulted.

``POST reset`` (optional config overrides), ``GET``/``POST config``, ``POST clock/advance``,
``POST shipments/advance``, ``POST shipments/reject``, ``GET``/``POST``/``DELETE faults``,
``POST tokens/expire``, ``GET stats``, ``POST stats/reset``, ``GET facilities``, and the webhooks:
``POST webhooks`` (subscribe), ``GET webhooks`` (subscriptions and deliveries), ``DELETE webhooks``,
``POST webhooks/faults`` (duplicate, delayed, out-of-order deliveries).

The config is what the sandbox starts with and returns to on reset; rules set through ``faults``
last until the next reset (the config's ``faults``, e.g. from ``--fault``, come back then).
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Request
from pydantic import BaseModel, BeforeValidator, Field

from airflow_provider_ordermesh.models.statuses import DEFAULT_SHIPMENT_STATUSES
from airflow_provider_ordermesh.sandbox.backend.clock import iso
from airflow_provider_ordermesh.sandbox.backend.errors import ValidationFailed
from airflow_provider_ordermesh.sandbox.backend.facilities import FACILITIES
from airflow_provider_ordermesh.sandbox.backend.faults import FaultRule
from airflow_provider_ordermesh.sandbox.backend.state import ShipmentRecord, ShipmentStatus
from airflow_provider_ordermesh.sandbox.backend.validation import SandboxModel, parse, parse_json
from airflow_provider_ordermesh.sandbox.backend.webhooks import EVENT_TYPES, WebhookFaults
from airflow_provider_ordermesh.sandbox.http import views
from airflow_provider_ordermesh.sandbox.http.instance import SandboxInstance

JSON = dict[str, Any]
M = TypeVar("M", bound=BaseModel)

router = APIRouter(prefix="/_sandbox", tags=["sandbox control"])


class ClockAdvance(SandboxModel):
    seconds: float = Field(ge=0)


def _status_code(status: int | str | None) -> int | None:
    """A shipment status given by code or name, as its code."""
    return None if status is None else DEFAULT_SHIPMENT_STATUSES.code(status)


class ShipmentAdvance(SandboxModel):
    """Which shipments (all that can, when left out) and how far (one step, when left out)."""

    shipment_ids: list[str] | None = None
    to_status: Annotated[ShipmentStatus | None, BeforeValidator(_status_code)] = None


class ShipmentRejection(SandboxModel):
    shipment_ids: list[str] = Field(min_length=1)


class FaultRules(SandboxModel):
    faults: list[FaultRule]


@router.post("/reset")
async def reset(request: Request) -> JSON:
    """Fresh state, counts and fault counters; the body may override settings."""
    instance = _instance(request)
    instance.reset(await _settings(request))
    return _config(instance)


@router.get("/config")
async def get_config(request: Request) -> JSON:
    return _config(_instance(request))


@router.post("/config")
async def configure(request: Request) -> JSON:
    instance = _instance(request)
    instance.configure(await _settings(request))
    return _config(instance)


@router.post("/clock/advance")
async def advance_clock(request: Request) -> JSON:
    """Jump the virtual clock ahead and apply whatever fell due."""
    backend = _instance(request).backend
    backend.advance_clock((await _body(request, ClockAdvance)).seconds)
    return {"elapsedSeconds": backend.state.clock.elapsed(), "now": iso(backend.state.clock.now())}


@router.post("/shipments/advance")
async def advance_shipments(request: Request) -> JSON:
    advance = await _body(request, ShipmentAdvance)
    shipments = _instance(request).backend.shipments.force_advance(advance.shipment_ids, advance.to_status)
    return _shipments(shipments)


@router.post("/shipments/reject")
async def reject_shipments(request: Request) -> JSON:
    rejection = await _body(request, ShipmentRejection)
    return _shipments(_instance(request).backend.shipments.force_reject(rejection.shipment_ids))


@router.get("/faults")
async def get_faults(request: Request) -> JSON:
    return _faults(_instance(request))


@router.post("/faults")
async def set_faults(request: Request) -> JSON:
    """Replace every live fault rule; counts start afresh."""
    instance = _instance(request)
    instance.set_faults((await _body(request, FaultRules)).faults)
    return _faults(instance)


@router.delete("/faults")
async def clear_faults(request: Request) -> JSON:
    instance = _instance(request)
    instance.set_faults([])
    return _faults(instance)


@router.post("/tokens/expire")
async def expire_tokens(request: Request) -> JSON:
    return {"expired": _instance(request).tokens.expire_all()}


@router.get("/stats")
async def stats(request: Request) -> JSON:
    return _instance(request).stats_snapshot()


@router.post("/stats/reset")
async def reset_stats(request: Request) -> JSON:
    """Zero the request counts, keeping orders and shipments (e.g. after loading test data)."""
    instance = _instance(request)
    instance.reset_stats()
    return instance.stats_snapshot()


@router.get("/facilities")
async def facilities() -> JSON:
    return {"facilities": [facility.to_api() for facility in FACILITIES]}


class WebhookSubscription(SandboxModel):
    url: str = Field(pattern=r"^https?://")
    events: list[str] | None = None
    token: str | None = None
    signing_secret: str | None = Field(None, pattern=r"^whsec_[A-Za-z0-9+/=]{20,}$")


class WebhookFaultSettings(SandboxModel):
    duplicate_every: int = Field(0, ge=0)
    delay_seconds: float = Field(0.0, ge=0, le=300)
    reorder: bool = False


@router.post("/webhooks", status_code=201)
async def subscribe(request: Request) -> JSON:
    wanted = await _body(request, WebhookSubscription)
    unknown = set(wanted.events or ()) - set(EVENT_TYPES)
    if unknown:
        raise ValidationFailed(f"unknown event types {sorted(unknown)}; known: {list(EVENT_TYPES)}")
    hub = _instance(request).webhooks
    return hub.subscribe(
        wanted.url, events=wanted.events, token=wanted.token, signing_secret=wanted.signing_secret
    ).view()


@router.get("/webhooks")
async def webhooks(request: Request) -> JSON:
    return _instance(request).webhooks.view()


@router.delete("/webhooks")
async def unsubscribe(request: Request) -> JSON:
    _instance(request).webhooks.unsubscribe_all()
    return _instance(request).webhooks.view()


@router.post("/webhooks/faults")
async def webhook_faults(request: Request) -> JSON:
    settings = await _body(request, WebhookFaultSettings)
    hub = _instance(request).webhooks
    hub.faults = WebhookFaults(settings.duplicate_every, settings.delay_seconds, settings.reorder)
    return hub.view()["faults"]


def _instance(request: Request) -> SandboxInstance:
    instance: SandboxInstance = request.app.state.sandbox
    return instance


async def _body(request: Request, model: type[M]) -> M:
    return parse(model, parse_json(await request.body()))


async def _settings(request: Request) -> JSON:
    settings = parse_json(await request.body())
    if not isinstance(settings, dict):
        raise ValidationFailed('send the settings as a JSON object, e.g. {"speed": 10}')
    return settings


def _config(instance: SandboxInstance) -> JSON:
    return instance.config.model_dump(mode="json", by_alias=True)


def _faults(instance: SandboxInstance) -> JSON:
    return {"faults": [rule.model_dump(mode="json", by_alias=True) for rule in instance.faults.rules]}


def _shipments(shipments: list[ShipmentRecord]) -> JSON:
    return {"shipments": [views.shipment(shipment) for shipment in shipments]}
