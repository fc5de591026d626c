"""The probe's report holds no secret, token, id or personal data from the sandbox it read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from airflow_provider_ordermesh.client import ClientCredentials, OrderMeshClient, PasswordCredentials
from airflow_provider_ordermesh.models import Order
from airflow_provider_ordermesh.probe.cli import EXIT_MATCHES, main
from airflow_provider_ordermesh.probe.report import hashed_id
from airflow_provider_ordermesh.probe.shape import unknown_fields
from airflow_provider_ordermesh.sandbox.backend.config import SandboxConfig
from probe.conftest import NOTE_TEXT, PERSON, Seeded

pytestmark = pytest.mark.sandbox


def private_values(seeded: Seeded, client: OrderMeshClient) -> set[str]:
    """Every value that must not reach the report: credentials, the token, ids, names, addresses, note text."""
    order = client.orders.get(seeded.order_id)
    shipments = [client.shipments.get(sid) for sid in seeded.shipment_ids]
    config = SandboxConfig()  # the sandbox's own credentials (the test servers run with the defaults)
    token = client.tokens.current()
    assert token, "the probe's token is cached in this process and must be known to the test"
    values = {
        config.client_secret,
        config.password,
        token,
        NOTE_TEXT,
        seeded.note_id,
        order.id,
        order.short_id,
        order.safe_id,
        *(i.id for i in order.items),
        *(i.short_id for i in order.items),
    }
    values |= {v for s in shipments for v in (s.id, s.short_id, *(p.id for p in s.packages))}
    values |= {str(v) for v in PERSON.values() if v != "US"} | {PERSON["firstName"], PERSON["lastName"]}
    return {v for v in values if v}


@pytest.mark.parametrize("login", ["client_credentials", "password"])
def test_the_report_carries_no_secret_token_id_name_or_address(
    seeded: Seeded, tmp_path: Path, capsys: Any, login: str
) -> None:
    config = SandboxConfig()
    if login == "password":
        args = ["--host", seeded.url, "--username", config.username]
        credentials: Any = PasswordCredentials(config.username, SecretStr(config.password))
        env = {"ORDERMESH_PASSWORD": config.password}
    else:
        args = seeded.args()[:4]
        credentials = ClientCredentials(config.client_id, SecretStr(config.client_secret))
        env = {"ORDERMESH_CLIENT_SECRET": config.client_secret}
    report = tmp_path / "report.json"
    with pytest.MonkeyPatch.context() as mp:
        for key, value in env.items():
            mp.setenv(key, value)
        assert main([*args, "--report", str(report)]) == EXIT_MATCHES
    text = report.read_text()
    with OrderMeshClient(seeded.url, credentials) as client:  # shares the probe's cached token
        leaked = sorted(v for v in private_values(seeded, client) if v in text)
        token = client.tokens.current()
    assert not leaked
    out = capsys.readouterr()
    assert token not in out.out + out.err and config.client_secret not in out.out + out.err
    rows = json.loads(text)["checks"]
    assert hashed_id(seeded.order_id) in {value for row in rows for value in row["ids"].values()}


def test_keys_that_are_not_field_names_are_masked_in_unknown_fields() -> None:
    answer = {
        "id": "o1",
        "grace@example.com": 1,
        "items": [{"id": "i1", "Grace Hopperfield": {"x": 1}}],
        "trackingNo": "T1",
    }
    assert unknown_fields(answer, Order) == {"<key>", "items[].<key>", "trackingNo"}


def test_ids_are_hashed_stably_and_shortly() -> None:
    assert hashed_id("65add270441de72442397b6e") == hashed_id("65add270441de72442397b6e")
    assert hashed_id("a") != hashed_id("b")
    assert len(hashed_id("65add270441de72442397b6e")) == len("sha256:") + 12
