"""Importing the operators stays cheap: DAG parsing pays for every import, on every parse.

The operator and link modules import, at module level, only ``compat`` (Airflow itself), each
other, the standard library, pydantic (Airflow has loaded it already), modules that use only the
standard library (a test below checks them), ``client.inputs`` (the one id and model check), the
argument checks of ``arguments/`` (scanned here too) and the
``models`` package, whose names load on first use, in a task. The hook (the client, ``requests``) is
imported inside the method that builds it. The static checks cost no interpreter start; the last
test imports the modules in a fresh interpreter, as the DAG processor does.
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
PACKAGE = ROOT.name
CHEAP_PARTS = (f"{PACKAGE}.compat", f"{PACKAGE}.links", f"{PACKAGE}.operators")
STANDARD_LIBRARY_ONLY = (
    "hooks/connection_form.py",  # the connection form's constants
    "limits.py",  # the API's size limits
    "wording.py",  # counts in words
    "client/defaults.py",  # default settings
    "client/errors.py",  # the error classes
    "models/statuses.py",  # the status vocabulary
    "models/codes.py",  # country and currency codes, and each currency's decimals
    "assets.py",  # ordermesh:// names of resources (OpenLineage is imported inside its converter)
    "lineage.py",  # the lineage mixin (OpenLineage is imported inside its methods)
)
"""Modules that import only the standard library and each other."""
STANDARD_LIBRARY_MODULES = {
    f"{PACKAGE}.{path.removesuffix('.py').replace('/', '.')}" for path in STANDARD_LIBRARY_ONLY
}
CHEAP = {
    *STANDARD_LIBRARY_MODULES,
    f"{PACKAGE}.models",  # the package only: each model loads on first use
    f"{PACKAGE}.client.inputs",  # pydantic and models._base: no model of the API
    f"{PACKAGE}.models._base",  # the field types and the id rule: pydantic, no model of the API
    "pydantic",  # Airflow has loaded it already
}
ARGUMENT_CHECKS = ("__init__.py", "narrowing.py", "numbers.py", "ids.py", "payloads.py")
"""The argument checks operators and sensors call when a DAG is parsed (not ``settings``: the hook's)."""
CHEAP |= {f"{PACKAGE}.arguments.{name.removesuffix('.py')}" for name in ARGUMENT_CHECKS} | {
    f"{PACKAGE}.arguments"
}
MODULES = sorted(
    [
        *ROOT.joinpath("operators").glob("*.py"),
        *ROOT.joinpath("links").glob("*.py"),
        *(ROOT / "arguments" / name for name in ARGUMENT_CHECKS),
    ]
)


def module_level_imports(path: Path) -> set[str]:
    """Modules imported when ``path`` is imported: top-level statements, not ``if TYPE_CHECKING:``.

    ``from package import module`` counts as ``package.module``.
    """
    found: set[str] = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = ROOT.parent.joinpath(*node.module.split("."))
            submodules = [
                a.name
                for a in node.names
                if base.joinpath(a.name).is_dir() or base.joinpath(f"{a.name}.py").is_file()
            ]
            found.update(f"{node.module}.{name}" for name in submodules)
            if len(submodules) < len(node.names):
                found.add(node.module)
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_operator_modules_import_only_cheap_modules_at_the_top(path: Path):
    heavy = {
        name
        for name in module_level_imports(path)
        if name.split(".")[0] not in sys.stdlib_module_names
        and name != "__future__"
        and name not in CHEAP
        and not name.startswith(CHEAP_PARTS)
    }
    assert not heavy, f"import {sorted(heavy)} inside the methods that need them"


@pytest.mark.parametrize("relative", STANDARD_LIBRARY_ONLY)
def test_the_modules_operators_import_at_the_top_use_only_the_standard_library(relative):
    path = ROOT / relative
    outside = {
        m
        for m in module_level_imports(path)
        if m.split(".")[0] not in sys.stdlib_module_names
        and m != "__future__"
        and m not in STANDARD_LIBRARY_MODULES
    }
    assert not outside


def test_the_scan_covers_the_operator_modules():
    assert {"orders.py", "shipments.py", "notes.py", "base.py", "bulk.py", "portal.py"} <= {
        p.name for p in MODULES
    }


PARSE_TIME_IMPORT = ", ".join(
    f"{ROOT.name}.{m}"
    for m in ("operators.orders", "operators.shipments", "operators.notes", "sensors.status")
)
RUN_TIME_ONLY = (
    "requests",  # the client's transport
    f"{ROOT.name}.hooks.ordermesh",  # the hook builds the client
    f"{ROOT.name}.client.client",
    f"{ROOT.name}.client.transport",
    f"{ROOT.name}.client.resources",
    f"{ROOT.name}.models.orders",
    f"{ROOT.name}.models.shipments",
    f"{ROOT.name}.models.common",
    f"{ROOT.name}.models.search",
    f"{ROOT.name}.models.notes",
    f"{ROOT.name}.triggers",
    "airflow.triggers",  # a sensor loads its trigger when it defers
)
"""What a task needs and DAG parsing must not pay for: the client with ``requests``, the API models,
the triggers with Airflow's ``airflow.triggers``."""


def test_parsing_a_dag_loads_neither_the_client_nor_the_api_models():
    """In a fresh interpreter, as the DAG processor would: the operator and sensor modules build no
    pydantic model, load no HTTP client and no trigger (the models took three quarters of the
    provider's import time)."""
    code = (
        "import sys, json; from airflow.sdk import BaseOperator, BaseSensorOperator; "
        f"before = set(sys.modules); import {PARSE_TIME_IMPORT}; "
        "print(json.dumps(sorted(set(sys.modules) - before)))"
    )
    added = json.loads(
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    )

    # only what the provider adds: on Airflow 3.1, BaseSensorOperator itself loads airflow.triggers
    assert [m for m in added if m.startswith(f"{ROOT.name}.operators")], added  # the import did happen
    assert not [m for m in added if m.startswith(RUN_TIME_ONLY)]
    # the models package still answers every name, loading its module on first use
    from airflow_provider_ordermesh import models

    assert models.CreateOrder.__module__ == f"{ROOT.name}.models.orders"
