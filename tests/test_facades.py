"""The facades (``client``, ``models``) write each public name once, and the rest follows from it.

The one listing is the ``TYPE_CHECKING`` block (``from <module> import <Name> as <Name>``): the names
load lazily from those modules, ``__all__`` is derived from them, and no name is written twice.
"""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from airflow_provider_ordermesh._lazy import facade_names

FACADES = ["airflow_provider_ordermesh.client", "airflow_provider_ordermesh.models"]


def _code_lines(facade: str) -> list[str]:
    """The facade's source without its module docstring (which may mention a name in prose)."""
    module = importlib.import_module(facade)
    assert module.__file__ is not None
    source = Path(module.__file__).read_text(encoding="utf-8")
    return source.split('"""', 2)[2].splitlines()


@pytest.mark.parametrize("facade", FACADES)
def test_each_public_name_is_written_once(facade):
    module = importlib.import_module(facade)
    assert module.__file__ is not None
    names = facade_names(module.__file__)
    assert len(names) > 10
    lines = _code_lines(facade)
    written_twice = [
        name for name in names if sum(bool(re.search(rf"\b{name}\b", line)) for line in lines) != 1
    ]
    assert written_twice == []
    assert all(any(re.search(rf"\b{name} as {name}\b", line) for line in lines) for name in names)


@pytest.mark.parametrize("facade", FACADES)
def test_every_name_resolves_to_its_module_and_all_is_derived_from_the_listing(facade):
    module = importlib.import_module(facade)
    assert module.__file__ is not None
    names = facade_names(module.__file__)
    for name, source in names.items():
        assert getattr(module, name) is getattr(importlib.import_module(source), name), name
    assert module.__all__ == sorted(names)
    with pytest.raises(AttributeError, match="has no attribute 'NoSuchName'"):
        module.NoSuchName  # noqa: B018


@pytest.mark.parametrize("facade", FACADES)
def test_a_star_import_and_a_fresh_import_stay_lazy(facade):
    # In a fresh interpreter: importing the facade loads none of its modules; a star import gives every name.
    script = (
        f"import sys, {facade} as f\n"
        "loaded = [m for m in sys.modules if m.startswith(f.__name__ + '.')]\n"
        "assert loaded == [], loaded\n"
        f"namespace = {{}}\nexec('from {facade} import *', namespace)\n"
        "assert sorted(n for n in namespace if not n.startswith('__')) == f.__all__\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
