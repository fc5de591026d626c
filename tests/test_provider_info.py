"""What Airflow learns about the provider: ``get_provider_info()``, its entry point, and the CLI view."""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import subprocess
import sys
from importlib.metadata import distribution, entry_points
from pathlib import Path
from typing import Any

import pytest

import airflow_provider_ordermesh
from airflow_provider_ordermesh.get_provider_info import get_provider_info

DISTRIBUTION = "airflow-provider-ordermesh"
ENTRY_POINT_GROUP = "apache_airflow_provider"

INFO = get_provider_info()


def listed_modules() -> list[str]:
    """Every module path the provider info names (hooks, operators, sensors, triggers, link classes' modules)."""
    modules = [
        m
        for kind in ("hooks", "operators", "sensors", "triggers")
        for entry in INFO.get(kind, [])
        for m in entry["python-modules"]
    ]
    modules += [path.rsplit(".", 1)[0] for path in INFO.get("extra-links", [])]
    modules += [t["hook-class-name"].rsplit(".", 1)[0] for t in INFO["connection-types"]]
    return sorted(set(modules))


def exists(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def test_package_name_is_the_distribution_name() -> None:
    assert INFO["package-name"] == DISTRIBUTION == distribution(DISTRIBUTION).metadata["Name"]


def test_versions_is_the_package_version() -> None:
    assert INFO["versions"] == [airflow_provider_ordermesh.__version__]
    assert distribution(DISTRIBUTION).version == airflow_provider_ordermesh.__version__


def test_name_description_and_integration() -> None:
    assert INFO["name"] == "OrderMesh"
    assert INFO["description"]
    [integration] = INFO["integrations"]
    assert integration["integration-name"] == "OrderMesh"
    for kind in ("hooks", "operators", "sensors", "triggers"):
        assert {entry["integration-name"] for entry in INFO.get(kind, [])} <= {"OrderMesh"}, kind


def test_the_connection_type_is_declared() -> None:
    [connection_type] = INFO["connection-types"]
    assert connection_type["connection-type"] == "ordermesh"
    assert connection_type["hook-class-name"] == "airflow_provider_ordermesh.hooks.ordermesh.OrderMeshHook"
    assert connection_type["hook-name"] == "OrderMesh"
    assert set(connection_type["ui-field-behaviour"]) == {"hidden-fields", "relabeling", "placeholders"}
    assert {"auth_type", "merchant_id", "portal_url", "timeout", "max_retries"} <= set(
        connection_type["conn-fields"]
    )


def test_the_hook_is_listed() -> None:
    assert "airflow_provider_ordermesh.hooks.ordermesh" in listed_modules()
    assert exists("airflow_provider_ordermesh.hooks.ordermesh")


# Later issues build the operators, sensors, triggers and links; a stricter test (every listed
# module exists) comes with them. Until then, every listed module that exists must import.
@pytest.mark.parametrize("module", [m for m in listed_modules() if exists(m)])
def test_every_listed_module_that_exists_imports(module: str) -> None:
    importlib.import_module(module)


@pytest.mark.parametrize(
    "link", [link for link in INFO.get("extra-links", []) if exists(link.rsplit(".", 1)[0])]
)
def test_extra_links_name_classes_of_their_module(link: str) -> None:
    module, name = link.rsplit(".", 1)
    assert hasattr(importlib.import_module(module), name)


def test_the_provider_info_matches_airflows_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import airflow

    schema_file = Path(airflow.__file__).parent / "provider_info.schema.json"
    jsonschema.validate(INFO, json.loads(schema_file.read_text()))


def test_the_entry_point_finds_it() -> None:
    [entry] = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.dist and ep.dist.name == DISTRIBUTION]
    assert entry.value == "airflow_provider_ordermesh.get_provider_info:get_provider_info"
    assert entry.load()() == INFO


def test_importing_provider_info_loads_no_airflow() -> None:
    """Airflow calls it during provider discovery: it must stay cheap."""
    code = (
        "import sys; from airflow_provider_ordermesh.get_provider_info import get_provider_info; "
        "get_provider_info(); print(sorted(m for m in sys.modules if m.split('.')[0] in ('airflow', 'requests', "
        "'pydantic', 'httpx')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def _airflow_cli(*args: str, home: Path) -> subprocess.Popen[str]:
    airflow = Path(sys.executable).with_name("airflow")
    env = {**os.environ, "AIRFLOW_HOME": str(home), "AIRFLOW__CORE__LOAD_EXAMPLES": "False"}
    return subprocess.Popen(
        [str(airflow), *args, "--output", "json"],
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.mark.slow
def test_airflow_cli_lists_the_provider_and_its_hook(tmp_path: Path) -> None:
    """``airflow providers list`` / ``hooks`` in a fresh AIRFLOW_HOME, both run at once to halve the wait."""
    providers = _airflow_cli("providers", "list", home=tmp_path / "a")
    hooks = _airflow_cli("providers", "hooks", home=tmp_path / "b")
    outputs: dict[str, Any] = {}
    for name, process in (("providers", providers), ("hooks", hooks)):
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
        outputs[name] = json.loads(stdout)

    [provider] = [p for p in outputs["providers"] if p["package_name"] == DISTRIBUTION]
    assert provider["version"] == airflow_provider_ordermesh.__version__
    [hook] = [h for h in outputs["hooks"] if h["connection_type"] == "ordermesh"]
    assert hook == {
        "connection_type": "ordermesh",
        "class": "airflow_provider_ordermesh.hooks.ordermesh.OrderMeshHook",
        "conn_id_attribute_name": "ordermesh_conn_id",
        "package_name": DISTRIBUTION,
        "hook_name": "OrderMesh",
    }
