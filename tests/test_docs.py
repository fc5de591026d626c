"""The documentation covers what the package ships: every example block of ``dags/`` and every
snippet of ``tests/test_doc_snippets.py`` is included by a page, no page pastes Python of its own,
and every operator, sensor, trigger and transfer Airflow lists is named in a how-to page, so a
reader finds how to use any of them from the site's navigation alone. ``make docs`` builds the site
with warnings as errors (broken links, missing includes); these checks need no Sphinx."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest

from airflow_provider_ordermesh.get_provider_info import get_provider_info

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
HOWTO_PAGES = [p for p in DOCS.rglob("*.md") if "_build" not in p.parts and "reference" not in p.parts]


def howto_text() -> str:
    return "\n".join(page.read_text() for page in HOWTO_PAGES)


SNIPPETS = ROOT / "tests" / "test_doc_snippets.py"
"""The docs' snippets that are not part of an example DAG, built by the suite."""


def example_blocks() -> list[str]:
    names: list[str] = []
    for source in [*sorted((ROOT / "dags").glob("*.py")), SNIPPETS]:
        names += re.findall(r"# \[START ((?:howto|docs)_\w+)\]", source.read_text())
    return names


@pytest.mark.parametrize("block", example_blocks())
def test_every_example_block_is_included_by_a_page(block: str) -> None:
    assert f'"[START {block}]"' in howto_text(), f"no docs page includes the example block {block}"


@pytest.mark.parametrize("page", HOWTO_PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_no_page_pastes_python_it_includes_code_that_the_suite_runs(page: Path) -> None:
    pasted = re.findall(r"^```(?:python|py)\s*$", page.read_text(), re.M)
    assert not pasted, f"{page.name}: put the snippet in tests/test_doc_snippets.py and include it by marker"


def provided_classes() -> list[str]:
    info = get_provider_info()
    modules = [
        m
        for key in ("operators", "sensors", "triggers")
        for entry in info[key]
        for m in entry["python-modules"]
    ]
    modules += [entry["python-module"] for entry in info.get("transfers", [])]
    names = []
    for module_name in modules:
        module = importlib.import_module(module_name)
        names += [
            name
            for name, value in vars(module).items()
            if inspect.isclass(value)
            and value.__module__ == module_name
            and name.startswith("OrderMesh")
            and name.endswith(("Operator", "Sensor", "Trigger"))
        ]
    return sorted(names)


@pytest.mark.parametrize("name", provided_classes())
def test_every_operator_sensor_and_trigger_has_a_howto(name: str) -> None:
    assert f"`{name}`" in howto_text(), f"no how-to page names {name}"
