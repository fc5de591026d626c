"""The probe against the sandbox, whose answers are our reconstruction: every read matches."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from airflow_provider_ordermesh.client.endpoints import ENDPOINTS
from airflow_provider_ordermesh.probe.cli import EXIT_DIFFERS, EXIT_MATCHES, EXIT_USAGE, main
from probe.altered import AlteredApi
from probe.conftest import RENAMED, Seeded

pytestmark = pytest.mark.sandbox

READS = sorted(name for name, e in ENDPOINTS.items() if e.method == "GET")


def run(args: list[str], tmp_path: Path) -> tuple[int, dict[str, Any]]:
    """Run the probe in-process; its exit status and its report's rows by operation."""
    report = tmp_path / "report.json"
    code = main([*args, "--report", str(report)])
    return code, {row["operation"]: row for row in json.loads(report.read_text())["checks"]}


def test_every_read_of_a_seeded_sandbox_is_tried_and_matches(seeded: Seeded, tmp_path: Path, capsys) -> None:
    code, rows = run(seeded.args(), tmp_path)
    assert sorted(rows) == READS
    assert {name: row["verdict"] for name, row in rows.items()} == dict.fromkeys(READS, "matches")
    assert all(row["status"] == 200 and row["parsed"] for row in rows.values())
    assert code == EXIT_MATCHES
    out = capsys.readouterr().out
    assert "operation" in out.splitlines()[1] and f"{len(READS)} matches" in out


def test_an_empty_sandbox_leaves_by_id_reads_not_tried_and_says_which_option_helps(
    sandbox: Any, tmp_path: Path
) -> None:
    client_id, client_secret = sandbox.client_id, sandbox.client_secret
    code, rows = run(
        ["--host", sandbox.url, "--client-id", client_id, "--client-secret", client_secret], tmp_path
    )
    by_id = {name for name in READS if ENDPOINTS[name].path_params or name == "orders.retrieve_bulk"}
    assert {name for name, row in rows.items() if row["verdict"] == "not tried"} == by_id
    assert "give --order-id and --vendor-id" in rows["shipments.get_for_order_and_vendor"]["why"]
    assert {rows[name]["verdict"] for name in set(READS) - by_id} == {"matches"}
    assert code == EXIT_MATCHES


def test_ids_from_the_command_line_reach_the_by_id_reads(seeded: Seeded, tmp_path: Path) -> None:
    code, rows = run([*seeded.args(), "--shipment-id", seeded.shipment_ids[0]], tmp_path)
    assert rows["shipments.get"]["verdict"] == "matches"
    from airflow_provider_ordermesh.probe.report import hashed_id

    assert rows["shipments.get"]["ids"] == {"shipment_id": hashed_id(seeded.shipment_ids[0])}
    assert code == EXIT_MATCHES


def test_an_unknown_id_from_the_command_line_is_reported_not_hidden(seeded: Seeded, tmp_path: Path) -> None:
    missing = "00000000-0000-4000-8000-000000000000"
    code, rows = run([*seeded.args(), "--shipment-id", missing], tmp_path)
    assert rows["shipments.get"]["verdict"] == "path missing" and rows["shipments.get"]["status"] == 404
    assert code == EXIT_DIFFERS


def test_the_probe_reads_an_airflow_connection(om: Any, tmp_path: Path) -> None:
    """``ordermesh_default`` (set by ``om``) is read through OrderMeshHook when no --host is given."""
    code, rows = run([], tmp_path)
    assert rows["orders.list"]["verdict"] == "matches"
    assert code == EXIT_MATCHES


def test_a_missing_airflow_connection_is_a_usage_error(capsys) -> None:
    assert main(["--conn-id", "no_such_ordermesh_conn"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "no_such_ordermesh_conn" in err and "give --host" in err


def test_a_changed_path_and_a_changed_field_are_both_named(
    altered: tuple[Seeded, AlteredApi], tmp_path: Path, capsys
) -> None:
    seeded, _ = altered
    code, rows = run(seeded.args(), tmp_path)
    search, get = rows["shipments.search"], rows["shipments.get"]
    assert (search["verdict"], search["status"]) == ("path missing", 404)
    assert (get["verdict"], get["status"], get["parsed"]) == ("shape differs", 200, False)
    assert RENAMED.new in get["unknownFields"] and f"did not parse: {RENAMED.old}" in get["why"]
    others = {
        name: row["verdict"]
        for name, row in rows.items()
        if name not in ("shipments.search", "shipments.get")
    }
    assert set(others.values()) == {"matches"}, others  # shipment ids still came from the order's reads
    assert code == EXIT_DIFFERS
    out = capsys.readouterr().out
    table = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    assert "path missing: HTTP 404" in table["shipments.search"]
    assert "shape differs: Shipment did not parse: id" in table["shipments.get"]
    below = out.split("fields the models do not know in shipments.get:\n", 1)[1]
    assert RENAMED.new in below
