"""Module attributes that load on first use (PEP 562), for modules whose imports DAG parsing pays."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_attributes(module_name: str, where: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports ``name`` from ``where[name]`` and caches it in the module."""

    def __getattr__(name: str) -> Any:
        try:
            source = where[name]
        except KeyError:
            raise AttributeError(f"module {module_name!r} has no attribute {name!r}") from None
        module = importlib.import_module(module_name)
        value = getattr(importlib.import_module(source), name)
        setattr(module, name, value)
        return value

    return __getattr__
