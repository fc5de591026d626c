"""Fixtures of the transfer tests: an export runner and readers of what landed in storage."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pytest
from operators.context import make_context

if TYPE_CHECKING:
    from airflow_provider_ordermesh.compat import Context


def run_export(
    base: str,
    *,
    since: datetime | None = None,
    before: datetime | None = None,
    context: dict[str, Any] | None = None,
    **kwargs: Any,
) -> dict[str, Any]:
    """Build the operator as a DAG author would, render its templates and execute it."""
    from airflow_provider_ordermesh.transfers import OrderMeshToObjectStorageOperator

    if since is not None:
        kwargs["updated_since"] = since.isoformat()
    if before is not None:
        kwargs["updated_before"] = before.isoformat()
    kwargs.setdefault("resource", "orders")
    op = OrderMeshToObjectStorageOperator(task_id=f"export_{kwargs['resource']}", base_path=base, **kwargs)
    context = context or make_context(task_id=op.task_id)
    op.render_template_fields(cast("Context", context))
    return op.execute(cast("Context", context))


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """The records of a ``.jsonl`` or ``.jsonl.gz`` file."""
    path = Path(str(path).removeprefix("file://"))
    raw = path.read_bytes()
    text = gzip.decompress(raw).decode() if path.name.endswith(".gz") else raw.decode()
    return [json.loads(line) for line in text.splitlines() if line]


@pytest.fixture
def export() -> Callable[..., dict[str, Any]]:
    return run_export


@pytest.fixture
def read() -> Callable[[str | Path], list[dict[str, Any]]]:
    return read_jsonl


@pytest.fixture
def hour_windows(om: Any, api: Any) -> Callable[[int], list[tuple[datetime, datetime]]]:
    """``hour_windows(n)``: n consecutive one-hour windows starting at the sandbox's current hour."""

    def windows(count: int) -> list[tuple[datetime, datetime]]:
        now = om.backend.state.clock.now()
        start = now.replace(minute=0, second=0, microsecond=0)
        return [(start + timedelta(hours=i), start + timedelta(hours=i + 1)) for i in range(count)]

    return windows
