"""Every Airflow import of the provider goes through here.

Supporting another Airflow version is a change to this file only. Targets Airflow 3.x
(``airflow.sdk``); ``client/``, ``models/`` and ``sandbox/`` never import it.
"""

from __future__ import annotations

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


def default_deferrable() -> bool:
    """The ``[operators] default_deferrable`` setting, read when an operator is built."""
    return conf.getboolean("operators", "default_deferrable", fallback=False)


__all__ = [
    "AirflowException",
    "AirflowFailException",
    "AirflowSensorTimeout",
    "AirflowSkipException",
    "BaseEventTrigger",
    "BaseHook",
    "BaseOperator",
    "BaseOperatorLink",
    "BaseSensorOperator",
    "BaseTrigger",
    "Connection",
    "Context",
    "PokeReturnValue",
    "TaskDeferred",
    "TriggerEvent",
    "XCom",
    "conf",
    "default_deferrable",
    "mask_secret",
]
