"""Webhook payloads (``OrderCreation``, ``ShipmentCreated``, ...): PascalCase, ids and outcome only.

OrderMesh webhooks carry identifiers, never the full order or shipment: fetch that from the API
afterwards. Unknown event types and fields are kept, since only two event types are documented.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ConfigDict
from pydantic.alias_generators import to_pascal

from airflow_provider_ordermesh.models._base import ApiModel


class WebhookEvent(ApiModel):
    """One webhook event; ``from_payload`` also accepts the tenant form ``{"Notification": {...}}``."""

    model_config = ConfigDict(alias_generator=to_pascal)

    event_type: str
    request_id: str | None = None
    subscriber_id: str | None = None
    child_subscriber_id: str | None = None
    is_successful: bool | None = None
    response_code: int | None = None
    description: str | None = None
    reprint: Any = None
    order_id: str | None = None
    external_order_id: str | None = None
    safe_id: str | None = None
    shipment_id: str | None = None

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> WebhookEvent:
        """Parse a delivered payload, unwrapping the ``Notification`` envelope some tenants use."""
        inner = payload.get("Notification")
        return cls.model_validate(inner if isinstance(inner, Mapping) else payload)
