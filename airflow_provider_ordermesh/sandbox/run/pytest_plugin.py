"""pytest fixtures: one sandbox server per test session, reset before each test that uses it.

Enable with ``pytest_plugins = ["airflow_provider_ordermesh.sandbox.run.pytest_plugin"]``, then::

    def test_order_ships(sandbox):
        hook = ...  # point it at sandbox.url with sandbox.client_id and sandbox.client_secret
        sandbox.advance(120)  # four lifecycle steps of 30 virtual seconds
        assert sandbox.stats()["shipmentsByStatus"] == {"Shipped": 1}
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import pytest
import requests
from pydantic import BaseModel

if TYPE_CHECKING:
    from airflow_provider_ordermesh.sandbox.backend.backend import OrderMeshBackend
    from airflow_provider_ordermesh.sandbox.run.server import SandboxServer


__all__ = ["SandboxHandle", "ordermesh_sandbox_server", "sandbox"]


class SandboxHandle:
    """A test's view of the session's sandbox: its URL and credentials, and the control API."""

    def __init__(self, server: SandboxServer) -> None:
        self._server = server
        self._control = requests.Session()

    @property
    def url(self) -> str:
        return self._server.url

    @property
    def client_id(self) -> str:
        """The sandbox account's client id (the connection's login)."""
        return self._server.config.client_id

    @property
    def client_secret(self) -> str:
        """The sandbox account's client secret (the connection's password); build the client's
        ``ClientCredentials`` from these two."""
        return self._server.config.client_secret

    @property
    def backend(self) -> OrderMeshBackend:
        """The live backend, for assertions between requests (reset replaces it, so read it afresh)."""
        return self._server.instance.backend

    def connection_json(self, **extra: Any) -> str:
        """The ``AIRFLOW_CONN_ORDERMESH_DEFAULT`` value for this sandbox."""
        return self._server.connection_json(**extra)

    def reset(self, **overrides: Any) -> dict[str, Any]:
        """Fresh state under the session server's starting config, with ``overrides`` applied."""
        return self._call("POST", "/reset", {**self._server.config.model_dump(mode="json"), **overrides})

    def configure(self, **settings: Any) -> dict[str, Any]:
        """Change settings such as ``speed``, ``step_seconds`` or ``reject_rate`` without losing state."""
        return self._call("POST", "/config", settings)

    def stats(self) -> dict[str, Any]:
        return self._call("GET", "/stats")

    def set_faults(self, rules: Iterable[Mapping[str, Any] | BaseModel]) -> list[dict[str, Any]]:
        """Replace the fault rules (dicts or ``FaultRule``, see ``faults.py``); their counts start afresh."""
        faults = [
            rule.model_dump(mode="json") if isinstance(rule, BaseModel) else dict(rule) for rule in rules
        ]
        return self._call("POST", "/faults", {"faults": faults})["faults"]

    def clear_faults(self) -> None:
        self._call("DELETE", "/faults")

    def advance(self, seconds: float) -> None:
        """Move the virtual clock ahead; due lifecycle steps happen at once."""
        self._call("POST", "/clock/advance", {"seconds": seconds})

    def advance_shipments(
        self, ids: Iterable[str] | None = None, to_status: int | str | None = None
    ) -> list[dict[str, Any]]:
        """Make facilities report progress now (one step, or up to ``to_status``); the shipments after it."""
        body = {"shipmentIds": list(ids) if ids is not None else None, "toStatus": to_status}
        return self._call("POST", "/shipments/advance", body)["shipments"]

    def reject_shipments(self, ids: Iterable[str]) -> list[dict[str, Any]]:
        return self._call("POST", "/shipments/reject", {"shipmentIds": list(ids)})["shipments"]

    def expire_tokens(self) -> int:
        """Invalidate every access token now; returns how many there were."""
        return int(self._call("POST", "/tokens/expire")["expired"])

    def close(self) -> None:
        self._control.close()

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        response = self._control.request(method, f"{self.url}/_sandbox{path}", json=body, timeout=10)
        response.raise_for_status()
        return response.json()


@pytest.fixture(scope="session")
def ordermesh_sandbox_server() -> Iterator[SandboxServer]:
    """The sandbox on a free loopback port, for the whole test session."""
    from airflow_provider_ordermesh.sandbox.run.server import SandboxServer

    with SandboxServer() as server:
        yield server


@pytest.fixture
def sandbox(ordermesh_sandbox_server: SandboxServer) -> Iterator[SandboxHandle]:
    """The session's sandbox, reset to its starting config (no faults, no rejections, speed 1)."""
    handle = SandboxHandle(ordermesh_sandbox_server)
    handle.reset()
    yield handle
    handle.close()
