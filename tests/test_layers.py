"""The layers of docs/design.md hold: arrows point down only, Airflow enters through compat.py, and
every API path is written once, in client/endpoints.py.

Static checks read every module of the package with ``ast`` (imports inside functions count too);
one check also imports the client and models in a fresh interpreter and looks at ``sys.modules``.
"""

from __future__ import annotations

import ast
import itertools
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

import airflow_provider_ordermesh

PACKAGE = "airflow_provider_ordermesh"
ROOT = Path(airflow_provider_ordermesh.__file__).resolve().parent


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


@cache
def tree(module: str) -> ast.Module:
    return ast.parse(MODULES[module].read_text(), filename=str(MODULES[module]))


def imports(module: str) -> set[str]:
    """Every module name this module imports, anywhere in it, relative imports resolved."""
    found: set[str] = set()
    package = module if MODULES[module].name == "__init__.py" else module.rsplit(".", 1)[0]
    for node in ast.walk(tree(module)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            # ``from package import module`` imports that module; ``from module import name`` does not
            found.update(f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in MODULES)
    return found


def is_airflow(name: str) -> bool:
    return name == "airflow" or name.startswith("airflow.")


def in_layer(module: str, layer: str) -> bool:
    prefix = f"{PACKAGE}.{layer}"
    return module == prefix or module.startswith(f"{prefix}.")


def modules_of(layer: str) -> list[str]:
    return [m for m in MODULES if in_layer(m, layer)]


def test_the_scan_sees_the_package() -> None:
    assert {
        f"{PACKAGE}.client.client",
        f"{PACKAGE}.models.orders",
        f"{PACKAGE}.compat",
        f"{PACKAGE}.hooks.ordermesh",
    } <= set(MODULES)
    assert f"{PACKAGE}.compat" in {m for m in MODULES if any(is_airflow(i) for i in imports(m))}


@pytest.mark.parametrize("module", modules_of("client") + modules_of("models"))
def test_client_and_models_import_nothing_from_airflow(module: str) -> None:
    assert not {i for i in imports(module) if is_airflow(i)}


def test_client_and_models_load_no_airflow_at_run_time() -> None:
    code = (
        f"import {PACKAGE}.client, {PACKAGE}.models; import sys; "
        "leaked = sorted(m for m in sys.modules if m == 'airflow' or m.startswith('airflow.')); "
        "assert not leaked, leaked"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("module", [m for m in MODULES if m != f"{PACKAGE}.compat"])
def test_only_compat_imports_airflow(module: str) -> None:
    airflow_imports = {i for i in imports(module) if is_airflow(i)}
    assert not airflow_imports, f"import these through {PACKAGE}.compat instead"


# Which parts of the package each layer may import (its own modules always may). "" is the package
# root, which holds only ``__version__`` (the client's User-Agent, the sandbox's OpenAPI version);
# ``_lazy`` is the Airflow-free helper behind the lazy names of ``models``, ``client`` and ``compat``.
# ``limits`` holds the API's size limits, import-free, at the bottom: every layer may read them.
ALLOWED = {
    "limits": set(),
    "wording": set(),  # counts in words ("1 order", "2 orders"), standard library only like limits
    "models": {"limits", "_lazy"},
    "client": {"models", "", "_lazy", "limits", "wording"},
    # the sandbox shares vocabulary only (see SANDBOX_SHARED): it reads requests and writes answers itself
    "sandbox": {"models.statuses", "models.codes", "client.endpoints", "", "limits"},
    # every check of a task argument or a client setting: below operators, sensors, transfers and hooks
    "arguments": {"client", "models", "compat", "limits"},
    "hooks": {"client", "models", "compat", "arguments"},
    # what a status wait decides sits below sensors and triggers, beside hooks: no Airflow, no hook
    "waits": {"client", "models", "limits", "wording"},
    # the read-only probe: a command beside the provider; hooks (and through them Airflow) only lazily,
    # inside the connection-reading path, so that ``--host`` runs without Airflow configured
    "probe": {"client", "models", "hooks", "compat", ""},
    # the webhook receiver mounted in the API server by the provider's plugin: reads endpoint settings
    # through hooks, parses with models, names assets through assets; nothing imports it
    "receiver": {"hooks", "models", "client", "assets", "compat"},
}

LAZY_ONLY = {"probe": {"hooks", "compat"}}
"""Parts a layer may import only inside a function, never at module level."""


def internal_imports(module: str) -> set[str]:
    """This module's imports from the package, as paths below it (``client.errors``; ``""`` is the root)."""
    names = {i for i in imports(module) if i == PACKAGE or i.startswith(f"{PACKAGE}.")}
    return {name.removeprefix(PACKAGE).removeprefix(".") for name in names}


def allowed(imported: str, layer: str) -> bool:
    own_or_allowed = ALLOWED[layer] | {layer}
    return any(imported == part or imported.startswith(f"{part}.") for part in own_or_allowed if part) or (
        imported == "" and "" in own_or_allowed
    )


@pytest.mark.parametrize(
    "module", [m for layer in ALLOWED for m in modules_of(layer)], ids=lambda m: m.removeprefix(f"{PACKAGE}.")
)
def test_layers_import_only_downwards(module: str) -> None:
    layer = module.removeprefix(f"{PACKAGE}.").split(".")[0]
    names = internal_imports(module)
    # ``from airflow_provider_ordermesh.client import endpoints`` names "client" and "client.endpoints":
    # only the module actually imported counts
    imported = {n for n in names if not any(other.startswith(f"{n}.") for other in names)}
    forbidden = sorted(n or PACKAGE for n in imported if not allowed(n, layer))
    assert not forbidden, f"{layer}/ may only import {sorted(ALLOWED[layer]) or 'itself'}"


@pytest.mark.parametrize("module", [m for m in MODULES if not in_layer(m, "sandbox")])
def test_nothing_imports_the_sandbox(module: str) -> None:
    assert not {i for i in internal_imports(module) if i == "sandbox" or i.startswith("sandbox.")}


@pytest.mark.parametrize("module", [m for m in MODULES if not in_layer(m, "probe")])
def test_nothing_imports_the_probe(module: str) -> None:
    assert not {i for i in internal_imports(module) if i == "probe" or i.startswith("probe.")}


@pytest.mark.parametrize("module", [m for m in MODULES if not in_layer(m, "receiver")])
def test_nothing_imports_the_receiver(module: str) -> None:
    assert not {i for i in internal_imports(module) if i == "receiver" or i.startswith("receiver.")}


def top_level_imports(module: str) -> set[str]:
    """The package parts a module imports at module level (not inside functions), as below-package paths."""
    found: set[str] = set()
    for node in tree(module).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PACKAGE):
            found.add(node.module.removeprefix(PACKAGE).removeprefix("."))
        elif isinstance(node, ast.Import):
            found.update(
                a.name.removeprefix(PACKAGE).removeprefix(".")
                for a in node.names
                if a.name.startswith(PACKAGE)
            )
    return found


@pytest.mark.parametrize(
    "module",
    [m for layer in LAZY_ONLY for m in modules_of(layer)],
    ids=lambda m: m.removeprefix(f"{PACKAGE}."),
)
def test_lazy_only_imports_stay_inside_functions(module: str) -> None:
    layer = module.removeprefix(f"{PACKAGE}.").split(".")[0]
    eager = {
        n
        for n in top_level_imports(module)
        for part in LAZY_ONLY[layer]
        if n == part or n.startswith(f"{part}.")
    }
    assert not eager, (
        f"{layer}/ may import {sorted(LAZY_ONLY[layer])} only inside the function that needs them"
    )


def test_the_probe_loads_no_airflow_for_host_use() -> None:
    code = (
        f"import {PACKAGE}.probe.cli, sys; "
        "leaked = sorted(m for m in sys.modules if m == 'airflow' or m.startswith('airflow.')); "
        "assert not leaked, leaked"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


API_PATH = re.compile(
    r"(?<![\w.-])/(?:shipment/|user/|catalog/)?v1(?:/|\b)|https?://[^/\s]+/(?:shipment/|user/|catalog/)?v1(?:/|\b)"
)
"""Something that looks like an OrderMesh API path: ``/v1/...``, ``/shipment/v1...``, ``/user/v1...``."""


def code_strings(module: str) -> list[tuple[int, str]]:
    """The string constants of a module that are not docstrings (f-string parts included)."""
    docstrings: set[int] = set()
    for node in ast.walk(tree(module)):
        body = getattr(node, "body", None)
        if not isinstance(body, list):
            continue
        if (
            isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
        ):
            docstrings.add(id(body[0].value))
        # an attribute docstring: a bare string right after an assignment
        for child, following in itertools.pairwise(body):
            if isinstance(child, ast.Assign | ast.AnnAssign) and isinstance(following, ast.Expr):
                docstrings.add(id(following.value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree(module))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_the_path_pattern_finds_paths() -> None:
    for text in (
        "/v1/orders",
        "/shipment/v1/{shipment_id}",
        "https://api.ordermesh.io/v1/inbound/orders",
        "/user/v1/clients/token",
        "/catalog/v1/merchantCatalog",
    ):
        assert API_PATH.search(text), text
    for text in ("/_sandbox/v1x", "api/v10", "ordermesh_v1", "/sandbox/faults"):
        assert not API_PATH.search(text), text
    assert any(API_PATH.search(s) for _, s in code_strings(f"{PACKAGE}.client.endpoints"))


@pytest.mark.parametrize("module", [m for m in MODULES if m != f"{PACKAGE}.client.endpoints"])
def test_api_paths_are_written_only_in_the_endpoint_table(module: str) -> None:
    found = [(line, text) for line, text in code_strings(module) if API_PATH.search(text)]
    assert not found, f"read the path from client.endpoints.ENDPOINTS instead: {found}"


# The sandbox's three rooms (moto's split): the backend knows no HTTP, the HTTP layer no server.
SANDBOX_ROOMS = {"backend": set(), "http": {"backend"}, "run": {"backend", "http"}}


@pytest.mark.parametrize(
    "module",
    [m for room in SANDBOX_ROOMS for m in modules_of(f"sandbox.{room}")],
    ids=lambda m: m.removeprefix(f"{PACKAGE}."),
)
def test_sandbox_rooms_import_only_downwards(module: str) -> None:
    room = module.removeprefix(f"{PACKAGE}.sandbox.").split(".")[0]
    rooms = {n.split(".")[1] for n in internal_imports(module) if n.startswith("sandbox.")}
    forbidden = sorted(rooms - SANDBOX_ROOMS[room] - {room})
    assert not forbidden, f"sandbox/{room}/ may only import {sorted(SANDBOX_ROOMS[room]) or 'itself'}"


def test_limits_import_only_the_standard_library() -> None:
    """Operators read the limits when a DAG is parsed, so the module must stay free of imports that cost."""
    found = imports(f"{PACKAGE}.limits")
    assert found and all(name.split(".")[0] in sys.stdlib_module_names for name in found), found


ABOVE_ARGUMENTS = ("operators", "sensors", "transfers", "triggers", "hooks")
"""The Airflow-facing parts that check their arguments through ``arguments/``."""


BASE_OPERATOR = "operators.base"
"""The provider's base operator: the transfer is an OrderMesh operator too (hook, ``hook_params``,
fail-fast errors), so it may build on it; nothing else of operators/ is theirs to import."""


@pytest.mark.parametrize("layer", ["sensors", "transfers", "triggers", "hooks"])
def test_only_operators_import_operators(layer: str) -> None:
    """Argument checks live in arguments/, so nothing beside the operators needs to reach into them."""
    allowed = {BASE_OPERATOR} if layer == "transfers" else set()
    crossing = {
        (module, n)
        for module in modules_of(layer)
        for n in internal_imports(module)
        if (n == "operators" or n.startswith("operators.")) and n not in allowed
    }
    assert modules_of(layer) and not crossing, f"import checks from arguments/, not operators/: {crossing}"


def test_argument_checks_have_one_home() -> None:
    """The checks the operators, sensors and hooks call are defined in arguments/ only."""
    checks = {
        "refuse_blank",
        "is_blank",
        "checked_int",
        "checked_seconds",
        "parse_json_text",
        "validated_argument",
        "max_retries",
        "as_bool",
        "client_options",
        "whole_number",
        "seconds_value",
    }
    homes = {
        (module, node.name)
        for layer in ABOVE_ARGUMENTS
        for module in modules_of(layer)
        for node in tree(module).body
        if isinstance(node, ast.FunctionDef) and node.name in checks
    }
    assert not homes, f"define argument checks in arguments/: {homes}"


def test_triggers_know_nothing_of_sensors() -> None:
    """Sensors defer to triggers (they name the trigger class); the decision both make lives in waits/."""
    for module in modules_of("triggers"):
        crossing = {n for n in internal_imports(module) if n == "sensors" or n.startswith("sensors.")}
        assert not crossing, f"{module} imports {crossing}: shared wait logic belongs in waits/"


SANDBOX_SHARED = {
    "models.statuses": "the status names and codes the provider reconstructs; client and sandbox must agree",
    "models.codes": "the ISO 3166 country and ISO 4217 currency lists",
    "client.endpoints": "the one endpoint table: paths, methods, response keys",
    "limits": "the API's size limits",
}
"""What the sandbox may take from the rest of the package: vocabulary, never the client's request or
response models (through them a misspelt alias would reach both sides and no test would see it)."""


def test_the_sandbox_takes_only_the_shared_vocabulary() -> None:
    assert set(SANDBOX_SHARED) | {""} == ALLOWED["sandbox"]
    taken = {n for m in modules_of("sandbox") for n in internal_imports(m) if not n.startswith("sandbox")}
    assert taken <= ALLOWED["sandbox"], taken - ALLOWED["sandbox"]


def test_a_running_sandbox_loads_only_the_shared_vocabulary() -> None:
    """At run time too: the package roots and the shared modules, none of the client's models."""
    code = (
        f"import sys, {PACKAGE}.sandbox.run.server, {PACKAGE}.sandbox.http.app; "
        f"print(sorted(m for m in sys.modules if m.startswith('{PACKAGE}.') "
        f"and not m.startswith('{PACKAGE}.sandbox')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    loaded = {m.removeprefix(f"{PACKAGE}.") for m in ast.literal_eval(result.stdout.strip())}
    package_roots = {"_lazy", "client", "models"}  # the lazy __init__ modules that the shared ones sit in
    assert loaded - package_roots <= set(SANDBOX_SHARED), loaded - package_roots - set(SANDBOX_SHARED)


@pytest.mark.parametrize("shared", sorted(SANDBOX_SHARED))
def test_the_shared_vocabulary_imports_nothing_else(shared: str) -> None:
    """A shared module that imported models or the client would hand them to the sandbox after all."""
    found = imports(f"{PACKAGE}.{shared}")
    outside = {
        n for n in found if n.split(".")[0] not in sys.stdlib_module_names and n != f"{PACKAGE}.limits"
    }
    assert not outside, outside
