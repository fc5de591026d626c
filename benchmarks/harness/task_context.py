"""A minimal task context for calling an operator's ``execute`` outside a DAG run.

The benchmarks time the operators' own code paths, not Airflow's scheduler or task runner, so
they call ``execute`` directly with this stand-in: first try, XComs kept in a dict.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from airflow_provider_ordermesh.compat import Context


class TaskInstanceStub:
    """The few task-instance members the provider's operators read: try number and XCom push."""

    def __init__(self, *, task_id: str, try_number: int = 1):
        self.task_id = task_id
        self.dag_id = "benchmarks"
        self.run_id = "benchmark_run"
        self.map_index = -1
        self.try_number = try_number
        self.xcom: dict[str, Any] = {}

    def xcom_push(self, key: str, value: Any, **_: Any) -> None:
        self.xcom[key] = value


def allow_direct_execute() -> None:
    """Calling ``execute`` outside the task runner is deliberate here: skip Airflow's warning about it."""
    try:
        from airflow.sdk.bases.operator import ExecutorSafeguard
    except ImportError:  # another Airflow version: the warning, if any, is harmless
        return
    ExecutorSafeguard.test_mode = True


def task_context(task_id: str) -> Context:
    """A context with ``ti`` and the ids a deterministic safeId would be derived from (the keys an
    operator reads; the rest of Airflow's ``Context`` is not needed outside a task runner)."""
    allow_direct_execute()
    ti = TaskInstanceStub(task_id=task_id)
    return cast(
        "Context", {"ti": ti, "task_instance": ti, "run_id": ti.run_id, "dag_run": None, "params": {}}
    )
