"""Importing the operators stays cheap: DAG parsing pays for every import, on every parse.

The operator and link modules import, at module level, only ``compat`` (Airflow itself), each
other, the import-free connection form constants, the endpoint table and default settings (standard
library only; a test below checks it) and the standard library; the hook, the client and the models are imported inside the
methods that run in a task. Read statically, so this costs no interpreter start.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import airflow_provider_ordermesh

ROOT = Path(airflow_provider_ordermesh.__file__).resolve().parent
CHEAP = ("airflow_provider_ordermesh.compat", "airflow_provider_ordermesh.links",
         "airflow_provider_ordermesh.operators",
         "airflow_provider_ordermesh.hooks.connection_form",  # constants only, no imports by design
         "airflow_provider_ordermesh.limits",  # the API's size limits: constants only, likewise
         "airflow_provider_ordermesh.client.defaults")  # default settings: no imports at all
MODULES = sorted([*ROOT.joinpath("operators").glob("*.py"), *ROOT.joinpath("links").glob("*.py")])


def module_level_imports(path: Path) -> set[str]:
    """Modules imported when ``path`` is imported: top-level statements, not ``if TYPE_CHECKING:``."""
    found: set[str] = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_operator_modules_import_only_cheap_modules_at_the_top(path: Path):
    heavy = {name for name in module_level_imports(path)
             if name.split(".")[0] not in sys.stdlib_module_names and name != "__future__"
             and not name.startswith(CHEAP)}
    assert not heavy, f"import {sorted(heavy)} inside the methods that need them"


@pytest.mark.parametrize("relative", ["client/defaults.py", "limits.py"])
def test_the_modules_operators_import_at_the_top_use_only_the_standard_library(relative):
    path = ROOT / relative
    outside = {m for m in module_level_imports(path) if m.split(".")[0] not in sys.stdlib_module_names
               and m != "__future__"}
    assert not outside


def test_the_scan_covers_the_operator_modules():
    assert {"orders.py", "shipments.py", "notes.py", "base.py", "bulk.py", "portal.py"} <= {p.name for p in MODULES}


PARSE_TIME_IMPORT = ", ".join(f"{ROOT.name}.{m}" for m in
                              ("operators.orders", "operators.shipments", "operators.notes", "sensors.status"))
RUN_TIME_ONLY = (
    "requests",  # the client's transport
    f"{ROOT.name}.hooks.ordermesh",  # the hook builds the client
    f"{ROOT.name}.client.client", f"{ROOT.name}.client.transport", f"{ROOT.name}.client.resources",
    f"{ROOT.name}.models.orders", f"{ROOT.name}.models.shipments", f"{ROOT.name}.models.common",
    f"{ROOT.name}.models.search", f"{ROOT.name}.models.notes",
)
"""What a task needs and DAG parsing must not pay for: the client with ``requests``, and the API models."""


def test_parsing_a_dag_loads_neither_the_client_nor_the_api_models():
    """In a fresh interpreter, as the DAG processor would: the operator and sensor modules build no
    pydantic model and load no HTTP client (the models alone took ~60% of the provider's import time)."""
    code = f"import sys, json; import {PARSE_TIME_IMPORT}; print(json.dumps(sorted(sys.modules)))"
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                       check=True).stdout)

    assert not [m for m in loaded if m.startswith(RUN_TIME_ONLY)]
    # the models package still answers every name, loading its module on first use
    from airflow_provider_ordermesh import models
    assert models.CreateOrder.__module__ == f"{ROOT.name}.models.orders"
