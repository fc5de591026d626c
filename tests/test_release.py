"""The wheel is what a release would publish: the package, its license and typing marker, the entry
points Airflow discovers it by, and nothing else (no tests, example DAGs, docs or virtual envs)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from configparser import ConfigParser
from pathlib import Path

import pytest

import airflow_provider_ordermesh

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "airflow_provider_ordermesh"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    """The wheel built from this checkout, the way ``pip install .`` builds it (isolated build)."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("*.whl")
    return zipfile.ZipFile(built)


def dist_info(wheel: zipfile.ZipFile, name: str) -> str:
    (path,) = [n for n in wheel.namelist() if n.split("/")[0].endswith(".dist-info") and n.endswith(name)]
    return wheel.read(path).decode()


def test_the_wheel_holds_the_package_and_nothing_else(wheel: zipfile.ZipFile) -> None:
    tops = {name.split("/")[0] for name in wheel.namelist()}
    assert tops == {PACKAGE, f"{PACKAGE}-{airflow_provider_ordermesh.__version__}.dist-info"}
    strays = [
        name
        for name in wheel.namelist()
        if any(
            part in {"tests", "dags", "docs", "benchmarks", "scripts", "__pycache__"}
            or part.startswith(".venv")
            for part in name.split("/")
        )
    ]
    assert not strays


def test_typed_and_licensed(wheel: zipfile.ZipFile) -> None:
    assert f"{PACKAGE}/py.typed" in wheel.namelist()
    assert "Apache License" in dist_info(wheel, "licenses/LICENSE")
    assert "Apache License, Version 2.0" in dist_info(wheel, "licenses/NOTICE")
    metadata = dist_info(wheel, "METADATA")
    assert "License-Expression: Apache-2.0" in metadata
    assert f"Version: {airflow_provider_ordermesh.__version__}" in metadata


def test_the_entry_points_airflow_and_users_rely_on(wheel: zipfile.ZipFile) -> None:
    entry_points = ConfigParser()
    entry_points.read_string(dist_info(wheel, "entry_points.txt"))
    assert entry_points["apache_airflow_provider"]["provider_info"] == (
        f"{PACKAGE}.get_provider_info:get_provider_info"
    )
    assert set(entry_points["console_scripts"]) == {"ordermesh-sandbox", "ordermesh-probe"}


def test_one_version_number_in_one_place() -> None:
    """The version is written once, in the package; the build and the provider info read it."""
    from airflow_provider_ordermesh.get_provider_info import get_provider_info

    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'dynamic = ["version"]' in pyproject
    assert 'version = { attr = "airflow_provider_ordermesh.__version__" }' in pyproject
    assert get_provider_info()["versions"] == [airflow_provider_ordermesh.__version__]
