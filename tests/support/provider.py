"""The operators and sensors the provider registers, discovered from ``get_provider_info()``.

Suites that must cover every operator or sensor take them from here rather than listing them by
hand, so one added later is covered (or the suite fails asking for what it needs to test it).
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any

from airflow_provider_ordermesh.get_provider_info import get_provider_info


def _registered_classes(section: str) -> list[type[Any]]:
    """The public classes defined in the modules ``get_provider_info()`` lists under ``section``."""
    found: list[type[Any]] = []
    for entry in get_provider_info().get(section, []):
        for module_name in entry["python-modules"]:
            module = importlib.import_module(module_name)
            found.extend(
                cls
                for name, cls in inspect.getmembers(module, inspect.isclass)
                if cls.__module__ == module_name and not name.startswith("_")
            )
    return sorted(found, key=lambda cls: cls.__name__)


def provider_operators() -> list[type[Any]]:
    """Every operator class the provider registers (a ``BaseOperator`` that is not a sensor)."""
    from airflow_provider_ordermesh.compat import BaseOperator, BaseSensorOperator

    return [
        cls
        for cls in _registered_classes("operators")
        if issubclass(cls, BaseOperator) and not issubclass(cls, BaseSensorOperator)
    ]


def provider_sensors() -> list[type[Any]]:
    """Every sensor class the provider registers."""
    from airflow_provider_ordermesh.compat import BaseSensorOperator

    return [cls for cls in _registered_classes("sensors") if issubclass(cls, BaseSensorOperator)]


def state_changing_operators() -> list[type[Any]]:
    """The operators that change state in OrderMesh: every one not declared ``read_only``."""
    from airflow_provider_ordermesh.operators.idempotency import Idempotency

    return [cls for cls in provider_operators() if cls.idempotency.kind is not Idempotency.READ_ONLY]
