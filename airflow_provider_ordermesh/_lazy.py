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


def facade_names(source_file: str) -> dict[str, str]:
    """``{name: module}`` for every ``from module import name`` in the file's ``if TYPE_CHECKING:`` block.

    A facade writes each public name once, as such an import: type checkers and readers see real
    imports, and ``lazy_facade`` reads the same lines to load each name on first use.
    """
    import ast  # already loaded by the standard library's inspect; only read on first use

    with open(source_file, encoding="utf-8") as source:
        tree = ast.parse(source.read(), filename=source_file)
    names: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for statement in node.body:
                if isinstance(statement, ast.ImportFrom) and statement.module:
                    for alias in statement.names:
                        names[alias.asname or alias.name] = statement.module
    return names


def lazy_facade(module_name: str, source_file: str) -> Callable[[str], Any]:
    """A module ``__getattr__`` for a facade (``client``, ``models``): names and ``__all__`` on first use.

    The facade's one listing of its public names is its ``if TYPE_CHECKING:`` block of
    ``from <module> import <Name> as <Name>`` lines (``facade_names``); it is read the first time
    a name, or ``__all__`` (a star import, ``dir``), is asked for, so importing the facade costs
    nothing more.
    """
    resolved: list[Callable[[str], Any]] = []

    def __getattr__(name: str) -> Any:
        if not resolved:
            where = facade_names(source_file)
            module = importlib.import_module(module_name)
            module.__all__ = sorted(where)  # type: ignore[attr-defined]
            resolved.append(lazy_attributes(module_name, where))
        if name == "__all__":
            return importlib.import_module(module_name).__all__
        return resolved[0](name)

    return __getattr__
