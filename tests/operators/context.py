"""Task contexts for operator tests, without a metadata DB."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class FakeTaskInstance:
    """What the operators read from ``context["ti"]``, with XComs kept in dicts.

    ``pulled`` answers ``xcom_pull`` (keyed by task id), ``xcoms`` records ``xcom_push``.
    """

    dag_id: str = "orders_dag"
    task_id: str = "create"
    run_id: str = "manual__2026-11-26T00:00:00+00:00"
    map_index: int = -1
    try_number: int = 1
    xcoms: dict[str, Any] = field(default_factory=dict)
    pulled: dict[str | None, Any] = field(default_factory=dict)

    def xcom_push(self, key: str, value: Any) -> None:
        self.xcoms[key] = value

    def xcom_pull(self, task_ids: str | None = None, key: str = "return_value", **_: Any) -> Any:
        return self.pulled.get(task_ids) if key == "return_value" else None


def make_context(**ti_fields: Any) -> dict[str, Any]:
    """A task context for ``execute`` and ``render_template_fields``, no DB needed."""
    ti = FakeTaskInstance(**ti_fields)
    return {"ti": ti, "task_instance": ti, "run_id": ti.run_id, "ds": "2026-11-26", "params": {}}


def run_op(op: Any, **ti_fields: Any) -> tuple[Any, dict[str, Any]]:
    """Render ``op``'s templates and execute it like the task runner would: ``(return value, context)``."""
    context = make_context(task_id=op.task_id, **ti_fields)
    op.render_template_fields(context)
    return op.execute(context), context
