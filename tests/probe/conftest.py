"""Fixtures of the probe tests: a sandbox with records to read, and altered sandboxes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

import pytest
from pydantic import SecretStr
from support.orders import order_payload

from airflow_provider_ordermesh.client import ClientCredentials, OrderMeshClient
from airflow_provider_ordermesh.client.endpoints import ENDPOINTS
from airflow_provider_ordermesh.sandbox.run.pytest_plugin import SandboxHandle
from airflow_provider_ordermesh.sandbox.run.server import SandboxServer
from probe.altered import AlteredApi, MovedPath, RenamedField

PERSON = {
    "firstName": "Grace",
    "lastName": "Hopperfield",
    "line1": "42 Quietwater Lane",
    "line2": "Flat 7b",
    "city": "Arlington",
    "state": "VA",
    "zip": "22201",
    "countryCode": "US",
    "phone": "+1 555 0100 4242",
    "email": "grace.hopperfield@example.com",
}
"""The buyer of the seeded order: none of it may reach the probe's report."""

NOTE_TEXT = "Grace Hopperfield asked for gift wrap"


@dataclass(frozen=True)
class Seeded:
    """What a seeded sandbox holds: one shipped order with a note, and the values that must stay private."""

    handle: SandboxHandle
    order_id: str
    shipment_ids: list[str]
    note_id: str

    @property
    def url(self) -> str:
        return self.handle.url

    def args(self) -> list[str]:
        """Command-line settings that point the probe at this sandbox."""
        client_id, client_secret = self.handle.client_id, self.handle.client_secret
        return ["--host", self.url, "--client-id", client_id, "--client-secret", client_secret]


def seed(handle: SandboxHandle) -> Seeded:
    """Create an order for ``PERSON``, ship it (so it has packages), and attach a note."""
    client_id, client_secret = handle.client_id, handle.client_secret
    with OrderMeshClient(handle.url, ClientCredentials(client_id, SecretStr(client_secret))) as client:
        order = client.orders.create(order_payload(shippingAddress=PERSON, billingAddress=PERSON))
        handle.advance_shipments(order.shipment_ids, to_status="Shipped")
        note = client.notes.create({"text": NOTE_TEXT, "resource": {"type": "Order", "id": order.id}})
    return Seeded(handle, order.id, list(order.shipment_ids), note.id)


@pytest.fixture
def seeded(sandbox: SandboxHandle) -> Seeded:
    """The session sandbox, reset, with one shipped order and a note in it."""
    return seed(sandbox)


MOVED = MovedPath(ENDPOINTS["shipments.search"], "/shipment/v2/search")
RENAMED = RenamedField(ENDPOINTS["shipments.get"], old="id", new="shipmentUuid")


def _served(app_wrapper: Any) -> Iterator[tuple[Seeded, AlteredApi]]:
    server = SandboxServer()
    server.app = app_wrapper(server.app)
    with server:
        handle = SandboxHandle(server)
        try:
            yield seed(handle), cast(AlteredApi, server.app)  # the wrapper set above
        finally:
            handle.close()


@pytest.fixture
def altered() -> Iterator[tuple[Seeded, AlteredApi]]:
    """A seeded sandbox of its own where ``shipments.search`` moved and ``shipments.get`` renamed ``id``."""
    yield from _served(lambda app: AlteredApi(app, moved=MOVED, renamed=RENAMED))


@pytest.fixture
def recorded() -> Iterator[tuple[Seeded, AlteredApi]]:
    """A seeded sandbox of its own, unaltered, that logs the method and path of every request."""
    yield from _served(AlteredApi)
