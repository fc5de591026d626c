"""Module attributes that load on first use (PEP 562), for modules whose imports DAG parsing pays."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_attributes(module_name: str, where: Mapping[str, str | tuple[str, ...]]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports ``name`` from ``where[name]`` and caches it in the module.

    ``where[name]`` is a module, or a tuple of modules tried in order (the first that defines the
    name wins): that is how one name is found where each Airflow version keeps it.
    """

    def __getattr__(name: str) -> Any:
        try:
            sources = where[name]
        except KeyError:
            raise AttributeError(f"module {module_name!r} has no attribute {name!r}") from None
        value = _first_definition(name, (sources,) if isinstance(sources, str) else sources)
        setattr(importlib.import_module(module_name), name, value)
        return value

    def _first_definition(name: str, sources: tuple[str, ...]) -> Any:
        if len(sources) == 1:
            return getattr(importlib.import_module(sources[0]), name)
        for source in sources:
            try:
                return getattr(importlib.import_module(source), name)
            except (ImportError, AttributeError):
                continue
        raise ImportError(
            f"{module_name}.{name}: none of {', '.join(sources)} defines {name!r}; "
            "this version of a dependency is not supported (see the README's support matrix)"
        )

    return __getattr__
