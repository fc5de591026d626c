"""One sandboxed OrderMesh merchant account: every API verb, grouped by resource (moto's backend).

Verbs take and return Python objects and raise the classes in ``errors.py``; they never see
HTTP. Reset means building a new backend, so a reset state and a new one cannot differ.
"""

from __future__ import annotations

from typing import Any

from airflow_provider_ordermesh.sandbox.backend.catalog import CatalogBackend
from airflow_provider_ordermesh.sandbox.backend.config import SandboxConfig
from airflow_provider_ordermesh.sandbox.backend.notes import NotesBackend
from airflow_provider_ordermesh.sandbox.backend.orders import OrdersBackend
from airflow_provider_ordermesh.sandbox.backend.shipments import ShipmentsBackend
from airflow_provider_ordermesh.sandbox.backend.state import SandboxState


class OrderMeshBackend:
    """``orders``, ``shipments``, ``notes`` and ``catalog`` verbs over one shared state."""

    def __init__(self, config: SandboxConfig) -> None:
        self.state = SandboxState(config)
        self.shipments = ShipmentsBackend(self.state)
        self.orders = OrdersBackend(self.state, self.shipments)
        self.notes = NotesBackend(self.state)
        self.catalog = CatalogBackend()

    def reconfigure(self, config: SandboxConfig) -> None:
        """Apply new settings from now on (a new seed waits for the next reset)."""
        self.state.settings = config
        self.state.clock.set_speed(config.speed)

    def catch_up(self) -> None:
        """Bring the state up to the virtual clock; the HTTP layer calls it before serving a request."""
        self.shipments.catch_up()

    def advance_clock(self, seconds: float) -> None:
        self.state.clock.advance(seconds)
        self.catch_up()

    def counts(self) -> dict[str, Any]:
        """What the state holds, for ``GET /_sandbox/stats``."""
        return {
            "orders": len(self.state.orders),
            "shipments": len(self.state.shipments),
            "shipmentsByStatus": {
                status.label: count
                for status, count in sorted(self.state.shipments_by_status.items())
                if count
            },
            "duplicateSafeIdAttempts": self.state.duplicate_safe_id_attempts,
        }
