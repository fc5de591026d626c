"""The probe sends no write, whatever the flags: proven against the sandbox's request counts and a request log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from airflow_provider_ordermesh.client import ClientCredentials, OrderMeshClient
from airflow_provider_ordermesh.client.endpoints import ENDPOINTS
from airflow_provider_ordermesh.probe.cli import main
from airflow_provider_ordermesh.probe.plan import id_names, reads
from airflow_provider_ordermesh.probe.reader import Reader, ReadOnlySession, WriteRefusedError
from probe.altered import AlteredApi
from probe.conftest import Seeded

pytestmark = pytest.mark.sandbox

TOKEN_PATHS = {e.path for e in ENDPOINTS.values() if not e.authenticated}
WRITES = [e for e in ENDPOINTS.values() if e.method != "GET" and e.authenticated]


def every_id_flag(seeded: Seeded) -> list[str]:
    """Each id option, given a real id where the seed has one: the widest the probe can reach."""
    ids = {"order_id": seeded.order_id, "shipment_id": seeded.shipment_ids[0], "note_id": seeded.note_id}
    return [arg for name in id_names() for arg in ("--" + name.replace("_", "-"), ids.get(name, "x-1"))]


def test_the_plan_holds_only_reads() -> None:
    assert reads() and {read.endpoint.method for read in reads()} == {"GET"}


def test_with_every_flag_only_gets_and_the_token_request_reach_the_sandbox(
    recorded: tuple[Seeded, AlteredApi], tmp_path: Path
) -> None:
    seeded, app = recorded
    app.requests.clear()
    before = seeded.handle.stats()["requests"]
    main([*seeded.args(), *every_id_flag(seeded), "--report", str(tmp_path / "r.json")])
    after = seeded.handle.stats()["requests"]
    counted = {name for name in after if after[name] != before.get(name)}
    assert {name for name in counted if ENDPOINTS[name].authenticated} == {
        read.endpoint.name for read in reads()
    }
    logged = set(app.requests)
    assert {method for method, path in logged if path not in TOKEN_PATHS} == {"GET"}
    assert {path for method, path in logged if method != "GET"} <= TOKEN_PATHS


@pytest.mark.parametrize("write", WRITES, ids=lambda e: e.name)
def test_the_reader_refuses_every_write_endpoint_before_sending(
    write: Any, recorded: tuple[Seeded, AlteredApi]
) -> None:
    seeded, app = recorded
    session = ReadOnlySession()
    client_id, secret = seeded.handle.client_id, seeded.handle.client_secret
    with OrderMeshClient(
        seeded.url, ClientCredentials(client_id, SecretStr(secret)), session=session
    ) as client:
        app.requests.clear()
        with pytest.raises(WriteRefusedError, match=f"refused {write.method}"):
            Reader(client, session).read(write, dict.fromkeys(write.path_params, "x-1"))
    assert app.requests == []


def test_the_session_refuses_a_write_on_the_wire_even_from_the_client(
    recorded: tuple[Seeded, AlteredApi],
) -> None:
    """Below the probe's own check: a client method that writes cannot get out through the probe's session."""
    seeded, app = recorded
    client_id, secret = seeded.handle.client_id, seeded.handle.client_secret
    with OrderMeshClient(
        seeded.url, ClientCredentials(client_id, SecretStr(secret)), session=ReadOnlySession()
    ) as client:
        app.requests.clear()
        with pytest.raises(WriteRefusedError):
            client.notes.delete(seeded.note_id)
        with pytest.raises(WriteRefusedError):
            client.orders.cancel({"orderId": seeded.order_id})
    # only the token request left (POST to the token path), nothing else
    assert {(method, path) for method, path in app.requests} <= {("POST", p) for p in TOKEN_PATHS}
    counts = seeded.handle.stats()["requests"]
    assert "notes.delete" not in counts and "orders.cancel" not in counts
