"""Every Airflow import of the provider goes through here.

Supporting another Airflow version is a change to this file only. Targets Airflow 3.x
(``airflow.sdk``); ``client/``, ``models/`` and ``sandbox/`` never import it.

Names load lazily, on first use: DAG parsing imports operators and sensors on every parse, and
should pay only for the Airflow classes it really touches (not for triggers, XCom or logging).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from airflow_provider_ordermesh._lazy import lazy_attributes

_WHERE: dict[str, str] = {
    "BaseHook": "airflow.sdk",
    "BaseOperator": "airflow.sdk",
    "BaseOperatorLink": "airflow.sdk",
    "BaseSensorOperator": "airflow.sdk",
    "Connection": "airflow.sdk",
    "Context": "airflow.sdk",
    "PokeReturnValue": "airflow.sdk",
    "conf": "airflow.sdk",
    "AirflowException": "airflow.sdk.exceptions",
    "AirflowFailException": "airflow.sdk.exceptions",
    "AirflowSensorTimeout": "airflow.sdk.exceptions",
    "AirflowSkipException": "airflow.sdk.exceptions",
    "TaskDeferred": "airflow.sdk.exceptions",
    "XCom": "airflow.sdk.execution_time.xcom",
    "mask_secret": "airflow.sdk.log",
    "BaseEventTrigger": "airflow.triggers.base",
    "BaseTrigger": "airflow.triggers.base",
    "TriggerEvent": "airflow.triggers.base",
    # transfers/: object storage and assets (airflow.sdk since Airflow 3.0)
    "Asset": "airflow.sdk",
    "ObjectStoragePath": "airflow.sdk",
    "has_fs": "airflow.sdk.io",
}

if TYPE_CHECKING:
    from airflow.sdk import (
        BaseHook,
        BaseOperator,
        BaseOperatorLink,
        BaseSensorOperator,
        Connection,
        Context,
        PokeReturnValue,
        conf,
    )
    from airflow.sdk.exceptions import (
        AirflowException,
        AirflowFailException,
        AirflowSensorTimeout,
        AirflowSkipException,
        TaskDeferred,
    )
    from airflow.sdk.execution_time.xcom import XCom
    from airflow.sdk.log import mask_secret
    from airflow.triggers.base import BaseEventTrigger, BaseTrigger, TriggerEvent

    # transfers/
    from airflow.sdk import Asset, ObjectStoragePath
    from airflow.sdk.io import has_fs


__getattr__ = lazy_attributes(__name__, _WHERE)


def default_deferrable() -> bool:
    """The ``[operators] default_deferrable`` setting, read when an operator is built."""
    return __getattr__("conf").getboolean("operators", "default_deferrable", fallback=False)


__all__ = [*_WHERE, "default_deferrable"]
