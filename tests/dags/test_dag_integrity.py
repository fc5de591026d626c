"""Every file in ``dags/`` parses cleanly, offline, into the example DAGs the README promises."""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import pytest

DAGS_DIR = Path(__file__).resolve().parents[2] / "dags"
EXAMPLE_DAG_IDS = frozenset(
    {
        "ordermesh_order_fulfillment",
        "ordermesh_shipment_exceptions",
        "ordermesh_nightly_export",
        "ordermesh_load_orders_export",
        "ordermesh_returns_and_refunds",
        "ordermesh_new_orders_watcher",
        "ordermesh_inbound_outcomes",
    }
)
DAG_FILES = sorted(DAGS_DIR.glob("*.py"))
_MARKER = re.compile(r"^\s*# \[(START|END) ([a-z0-9_]+)\]\s*$")


def test_the_dag_folder_imports_without_errors(dag_bag):
    assert dag_bag.import_errors == {}


def test_parsing_makes_no_network_call(parsed_dags):
    _, attempts = parsed_dags
    assert attempts == []


def test_the_guard_really_refuses_connections(no_network):
    """The no-network guard is what the parse test relies on: check that it bites."""
    import socket

    with no_network() as attempts, pytest.raises(AssertionError, match="network access"):
        socket.create_connection(("127.0.0.1", 9))
    assert attempts == [("127.0.0.1", 9)]


def test_the_example_dags_are_all_there(dag_bag):
    assert set(dag_bag.dag_ids) == EXAMPLE_DAG_IDS


def test_no_dag_id_is_defined_twice():
    """DagBag keeps the last of two same-id DAGs in one file, so count the ids in the sources."""
    ids: Counter[object] = Counter()  # a dag_id constant's value, whatever its type
    for path in DAG_FILES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.keyword)
                and node.arg == "dag_id"
                and isinstance(node.value, ast.Constant)
            ):
                ids[node.value.value] += 1
    assert set(ids) == EXAMPLE_DAG_IDS
    assert [dag_id for dag_id, n in ids.items() if n > 1] == []


@pytest.mark.parametrize("dag_id", sorted(EXAMPLE_DAG_IDS))
def test_each_dag_is_acyclic_documented_and_uses_the_default_connection(dag_bag, dag_id):
    dag = dag_bag.dags[dag_id]
    dag.check_cycle()
    assert dag.doc_md and len(dag.doc_md.strip().splitlines()) >= 3, f"{dag_id} needs a docstring to follow"
    assert "ordermesh" in dag.tags
    conn_ids = {t.ordermesh_conn_id for t in dag.tasks if hasattr(t, "ordermesh_conn_id")}
    assert conn_ids <= {"ordermesh_default"}


@pytest.mark.parametrize("path", DAG_FILES, ids=lambda p: p.name)
def test_start_and_end_markers_are_balanced(path: Path):
    """Each ``# [START name]`` is closed by ``# [END name]`` later in the file, once, not nested in itself."""
    open_names: list[str] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _MARKER.match(line)
        if not match:
            assert "# [START" not in line and "# [END" not in line, f"{path.name}:{number}: malformed marker"
            continue
        kind, name = match.groups()
        if kind == "START":
            assert name not in seen, f"{path.name}:{number}: snippet {name!r} defined twice"
            assert name.startswith("howto_"), f"{path.name}:{number}: snippet names start with 'howto_'"
            seen.add(name)
            open_names.append(name)
        else:
            assert open_names and open_names[-1] == name, (
                f"{path.name}:{number}: END {name!r} does not close the last START"
            )
            open_names.pop()
    assert open_names == [], f"{path.name}: unclosed snippets {open_names}"
    assert seen, f"{path.name} has no snippet for the README"
