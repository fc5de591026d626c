"""Every Airflow import of the provider goes through here, and every Airflow version difference.

Supported: Airflow 3.1 to 3.4 (the README's support matrix says why not 3.0; docs/versions.md lists
what differs per minor and where it is handled here). Each name is
looked up in the places Airflow has kept it, newest first: ``airflow.sdk`` from 3.2 for ``conf``
and most exceptions, the core modules in 3.1. ``client/``, ``models/`` and ``sandbox/`` never
import this module.

Names load lazily, on first use: DAG parsing imports operators and sensors on every parse, and
should pay only for the Airflow classes it really touches (not for triggers, XCom or logging).

Features an older Airflow lacks degrade, never fail at import:

* the asset state store (triggers' ``asset_state_store``): the event trigger keeps its watermark
  in memory only, and logs that it does;
* human-in-the-loop approvals (3.1+): on an Airflow without them, an operator asked to wait for
  an approval refuses at DAG parse time (``has_hitl``); 3.1 and 3.2 wait through the triggerer,
  3.3+ in the ``awaiting_input`` state (``ask_a_person``);
* declarative connection fields (``conn-fields``, 3.2+): 3.1 shows the standard fields
  only; the extras are typed as JSON in the connection's Extra field;
* task retry policies (3.3+, ``waiting_retry_policy``): a failure that names its own wait (an
  OrderMesh 429's ``Retry-After``) re-runs the task after it, without using a retry where
  Airflow can reschedule (3.4+) and as the next retry's delay on 3.3; 3.1 and 3.2 retry after
  the task's ``retry_delay``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, NoReturn

from airflow_provider_ordermesh._lazy import lazy_attributes

_SDK_EXCEPTIONS = ("airflow.sdk.exceptions", "airflow.exceptions")  # airflow.exceptions in 3.1

_WHERE: dict[str, str | tuple[str, ...]] = {
    "BaseHook": "airflow.sdk",
    "BaseOperator": "airflow.sdk",
    "BaseOperatorLink": "airflow.sdk",
    "BaseSensorOperator": "airflow.sdk",
    "Connection": "airflow.sdk",
    "Context": "airflow.sdk",
    "PokeReturnValue": "airflow.sdk",
    "conf": ("airflow.sdk", "airflow.configuration"),  # airflow.sdk from 3.2
    "AirflowException": _SDK_EXCEPTIONS,
    "AirflowFailException": _SDK_EXCEPTIONS,
    "AirflowRescheduleException": _SDK_EXCEPTIONS,
    "AirflowSensorTimeout": _SDK_EXCEPTIONS,
    "AirflowSkipException": _SDK_EXCEPTIONS,
    "TaskDeferred": _SDK_EXCEPTIONS,
    "XCom": "airflow.sdk.execution_time.xcom",
    "mask_secret": "airflow.sdk.log",
    "BaseEventTrigger": "airflow.triggers.base",
    "BaseTrigger": "airflow.triggers.base",
    "TriggerEvent": "airflow.triggers.base",
    # transfers/: object storage and assets (airflow.sdk since Airflow 3.0)
    "Asset": "airflow.sdk",
    # the example nightly export's daily data intervals: airflow.sdk from 3.2, core's timetables in 3.1
    "CronDataIntervalTimetable": ("airflow.sdk", "airflow.timetables.interval"),
    "ObjectStoragePath": "airflow.sdk",
    "has_fs": "airflow.sdk.io",
    # lineage.py: only when the OpenLineage provider asks an operator for its facets
    "OperatorLineage": "airflow.providers.openlineage.extractors",
    # for tests and scripts: the public way to turn a serialized class path back into the class
    "import_string": "airflow.sdk.module_loading",
    # receiver/: the webhook receiver in the API server (server-side names, the same in 3.1 to 3.3)
    "AirflowPlugin": "airflow.plugins_manager",
    "AssetEvent": "airflow.models.asset",
    "AssetModel": "airflow.models.asset",
    "asset_manager": "airflow.assets.manager",
    "create_session": "airflow.utils.session",
    # for tests and scripts that parse DAG files the way the DAG processor does
    "DagBag": ("airflow.dag_processing.dagbag", "airflow.models.dagbag"),  # moved in 3.2
}


if TYPE_CHECKING:  # what type checkers see; at run time __getattr__ finds each name
    from airflow.assets.manager import asset_manager
    from airflow.dag_processing.dagbag import DagBag
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.plugins_manager import AirflowPlugin

    # transfers/
    from airflow.sdk import (
        Asset,
        BaseHook,
        BaseOperator,
        BaseOperatorLink,
        BaseSensorOperator,
        Connection,
        Context,
        ObjectStoragePath,
        PokeReturnValue,
        conf,
    )
    from airflow.sdk.exceptions import (
        AirflowException,
        AirflowFailException,
        AirflowRescheduleException,
        AirflowSensorTimeout,
        AirflowSkipException,
        TaskDeferred,
    )
    from airflow.sdk.execution_time.xcom import XCom
    from airflow.sdk.io import has_fs
    from airflow.sdk.log import mask_secret
    from airflow.sdk.module_loading import import_string
    from airflow.triggers.base import BaseEventTrigger, BaseTrigger, TriggerEvent
    from airflow.utils.session import create_session


__getattr__ = lazy_attributes(__name__, _WHERE)


def default_deferrable() -> bool:
    """The ``[operators] default_deferrable`` setting, read when an operator is built."""
    return __getattr__("conf").getboolean("operators", "default_deferrable", fallback=False)


def airflow_version() -> tuple[int, int]:
    """The installed Airflow's ``(major, minor)``, e.g. ``(3, 2)``."""
    from importlib.metadata import version

    major, minor, *_ = version("apache-airflow-core").split(".")
    return int(major), int(minor)


def has_hitl() -> bool:
    """Whether this Airflow has human-in-the-loop requests (3.1+, with the standard provider's HITL)."""
    from importlib.util import find_spec

    return airflow_version() >= (3, 1) and find_spec("airflow.sdk.execution_time.hitl") is not None


def hitl_params(fields: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Form fields ``{name: {"default", **json_schema}}`` as a HITL request stores its ``params``.

    Serialised the way the standard provider's ``HITLOperator`` does on this Airflow: ``Param``
    records (value, schema, description) from 3.1.3, plain default values before.
    """
    from airflow.sdk import Param
    from airflow.sdk.definitions.param import ParamsDict

    params = ParamsDict(
        {
            name: Param(spec["default"], **{k: v for k, v in spec.items() if k != "default"})
            for name, spec in fields.items()
        }
    )
    from airflow.providers.standard.version_compat import AIRFLOW_V_3_1_3_PLUS

    if not AIRFLOW_V_3_1_3_PLUS:
        return dict(params.dump())
    return {name: params.get_param(name).serialize() for name in params}


def ask_a_person(
    operator: Any,
    context: Any,
    *,
    subject: str,
    body: str,
    options: list[str],
    defaults: list[str],
    params: dict[str, Any],
    assigned_users: list[dict[str, str]],
    timeout: timedelta,
    method_name: str,
    kwargs: dict[str, Any],
) -> NoReturn:
    """Store a human-in-the-loop request for the running task and wait for the answer.

    3.3+: the task waits in the ``awaiting_input`` state (no triggerer); 3.1 and 3.2: it defers to
    the standard provider's ``HITLTrigger``. Either way Airflow resumes ``operator.<method_name>``
    with ``kwargs`` and ``event`` (the answer, or the ``defaults`` once ``timeout`` has passed).
    """
    from airflow.sdk.execution_time.hitl import upsert_hitl_detail

    ti_id = context["task_instance"].id
    upsert_hitl_detail(
        ti_id=ti_id,
        options=options,
        subject=subject,
        body=body,
        defaults=defaults,
        multiple=True,
        params=params,
        assigned_users=assigned_users,  # type: ignore[arg-type]
    )
    if airflow_version() >= (3, 3):
        from airflow.sdk.exceptions import TaskAwaitingInput

        raise TaskAwaitingInput(method_name=method_name, kwargs=kwargs, timeout=timeout)
    from airflow.providers.standard.triggers.hitl import HITLTrigger
    from airflow.sdk.timezone import utcnow

    operator.defer(
        trigger=HITLTrigger(
            ti_id=ti_id,
            options=options,
            defaults=defaults,
            params=params,
            multiple=True,
            timeout_datetime=utcnow() + timeout,
        ),
        method_name=method_name,
        kwargs=kwargs,
    )
    raise AssertionError("defer() returned")  # pragma: no cover - defer always raises


def has_asset_state_store() -> bool:
    """Whether triggers get an asset state store (Airflow 3.3+), where the event watcher keeps its memory."""
    return airflow_version() >= (3, 3)


def server_connection(conn_id: str) -> Any | None:
    """A connection read the way the API server reads it (secrets backends, then the metadata DB).

    For code that runs inside Airflow's own server processes (the webhook receiver), where the task
    SDK's ``Connection.get`` has no supervisor to ask. ``None`` when no backend defines ``conn_id``.
    """
    from airflow.exceptions import AirflowNotFoundException
    from airflow.models.connection import Connection as ServerConnection

    try:
        return ServerConnection.get_connection_from_secrets(conn_id)
    except AirflowNotFoundException:
        return None


# --- for tests and scripts that run DAGs with dag.test() -------------------------------------
# Not used by the provider at run time. Airflow has no public call for these two, so the
# internals they need are named here, once, per version.


def reset_metadata_db() -> None:
    """Drop and re-create Airflow's metadata DB (the one ``AIRFLOW_HOME`` configures), empty."""
    from airflow.utils import db

    db.resetdb()


def register_dag(dag: Any, bundle_name: str = "dags-folder") -> None:
    """Store ``dag`` in the metadata DB as the DAG processor would, so ``dag.test()`` can run it.

    Airflow 3.1+ only runs DAGs stored in a bundle; a DAG built in code (a test's) is in none.
    """
    from airflow.dag_processing.bundles.manager import DagBundlesManager

    DagBundlesManager().sync_bundles_to_db()
    import os

    bag = __getattr__("DagBag")(dag_folder=os.devnull)
    bag.bag_dag(dag)
    module = importlib.import_module(type(bag).__module__)
    module.sync_bag_to_db(bag, bundle_name, None)


def serialization_round_trip(dag: Any) -> Any:
    """``dag`` serialized as the DAG processor stores it and read back (what the scheduler sees)."""
    from airflow.serialization import serialized_objects

    serializer: Any = (
        getattr(serialized_objects, "DagSerialization", None) or serialized_objects.SerializedDAG
    )  # 3.1
    return serializer.from_dict(serializer.to_dict(dag))


def asset_events_batched() -> bool:
    """Whether an asset-scheduled DAG gets the events queued since its last run in one run.

    Always before 3.4; from 3.4 only with ``[scheduler] batch_asset_events = True`` (default
    False: one run per event). Read from this process's configuration, as the DAG processor does.
    """
    if airflow_version() < (3, 4):
        return True
    return bool(__getattr__("conf").getboolean("scheduler", "batch_asset_events", fallback=False))


# --- retry policies (3.3+): waiting out a failure for as long as the failure itself says ---------


def has_retry_policy() -> bool:
    """Whether tasks take a ``retry_policy`` (Airflow 3.3+), which the worker asks after a failure."""
    return airflow_version() >= (3, 3)


def can_reschedule_on_failure() -> bool:
    """Whether a retry policy can re-run a task later without using a retry (``RESCHEDULE``, 3.4+)."""
    return airflow_version() >= (3, 4)


def waiting_retry_policy(
    wait_for: Callable[[BaseException], timedelta | None], *, max_reschedules: int, what: str
) -> Any | None:
    """A retry policy that runs a task again after ``wait_for(exception)``, or None before Airflow 3.3.

    When ``wait_for`` names a wait (``what`` says why, for the task log): on 3.4+ the task is
    rescheduled that far ahead without using a retry, up to ``max_reschedules`` times per try
    (then the standard retry logic applies); on 3.3 the next retry waits that long (it is still a
    retry, and only if the task has one left). Otherwise, and for every other failure, the
    task's standard retry logic applies. Airflow never shows a policy an ``AirflowFailException``.
    """
    if not has_retry_policy():
        return None
    return _waiting_policy_class()(wait_for, max_reschedules, what)


_WAITING_POLICY: type | None = None


def _waiting_policy_class() -> type:
    """The policy class of ``waiting_retry_policy``, defined on first use: its base exists from 3.3 only."""
    global _WAITING_POLICY
    if _WAITING_POLICY is not None:
        return _WAITING_POLICY
    from airflow.sdk.definitions.retry_policy import RetryDecision, RetryPolicy

    reschedule = can_reschedule_on_failure()
    decisions: Any = RetryDecision  # ``RetryDecision.reschedule`` exists from 3.4 only

    class WaitingRetryPolicy(RetryPolicy):
        """Runs the task again after the wait its failure names; see ``waiting_retry_policy``."""

        def __init__(
            self, wait_for: Callable[[BaseException], timedelta | None], max_reschedules: int, what: str
        ) -> None:
            self.wait_for = wait_for
            self.max_reschedules = max_reschedules
            self.what = what

        def evaluate(
            self, exception: BaseException, try_number: int, max_tries: int, context: Any = None
        ) -> Any:
            wait = self.wait_for(exception)
            if wait is None:
                return decisions.default()
            reason = f"{self.what}: waiting {wait.total_seconds():.0f} s as asked"
            if reschedule:
                return decisions.reschedule(
                    wait,
                    max_reschedules=self.max_reschedules,
                    reason=f"{reason}, rescheduled (no retry used)",
                )
            return decisions.retry(wait, reason=f"{reason} before the next retry")

        def serialize(self) -> dict[str, Any]:
            # Airflow stores only a has_retry_policy flag; the worker re-parses the DAG for the object.
            return {"__type": type(self).__name__, "what": self.what, "max_reschedules": self.max_reschedules}

        def __repr__(self) -> str:
            return f"{type(self).__name__}({self.what!r}, max_reschedules={self.max_reschedules})"

    _WAITING_POLICY = WaitingRetryPolicy
    return _WAITING_POLICY


__all__ = [
    *_WHERE,
    "airflow_version",
    "ask_a_person",
    "has_hitl",
    "hitl_params",
    "asset_events_batched",
    "can_reschedule_on_failure",
    "default_deferrable",
    "has_asset_state_store",
    "has_retry_policy",
    "waiting_retry_policy",
    "register_dag",
    "reset_metadata_db",
    "serialization_round_trip",
    "server_connection",
]
