"""Which window a partition holds: its manifest, and the rule that one window never replaces another's.

A partition template such as ``date={since:%Y-%m-%d}`` on an hourly export gives every hour of a
day the same partition; without a record of what is there, the second hour's file would replace
the first hour's and both runs would go green. So each published partition carries
``_manifest.json`` (a name that Hive, Spark and Athena ignore, like every name starting with
``_``) recording its window, rows, bytes and file. Before any OrderMesh request, an export reads
it: the same window (a re-run, a cleared task) replaces the partition; another window is refused
without retries, naming both windows and the fix. The template itself is checked when the DAG is
parsed: it must render from ``since``/``before`` and name at least one of them.
"""

from __future__ import annotations

import json
import string
from datetime import UTC, datetime
from typing import Any

from airflow_provider_ordermesh.transfers.window import Window

MANIFEST_NAME = "_manifest.json"
_FIELDS = frozenset({"since", "before"})


class PartitionConflict(ValueError):
    """A partition that holds another window's export: replacing it would lose that data."""


def check_partition_template(template: str) -> str:
    """``template`` when it renders from ``since``/``before`` and names at least one of them, else a
    ``ValueError`` naming ``partition`` and the fix (raised when the DAG is parsed)."""
    try:
        fields = {
            name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name
        }
        sample = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
        rendered = template.format(since=sample, before=sample)
    except (ValueError, KeyError, IndexError, AttributeError) as exc:
        raise ValueError(
            f"partition={template!r} does not render ({type(exc).__name__}: {exc}); it is a str.format "
            "template of the window's ends only, e.g. 'date={since:%Y-%m-%d}/hour={since:%H}'"
        ) from None
    if not fields & _FIELDS:
        raise ValueError(
            f"partition={template!r} names neither {{since}} nor {{before}}, so every window would write "
            "the same partition and replace the last one's data; e.g. 'date={since:%Y-%m-%d}/hour={since:%H}', "
            "or leave partition out for a name made from the window"
        )
    if rendered.startswith("/") or ".." in rendered.split("/"):
        raise ValueError(f"partition={template!r} must be a relative path without '..' segments")
    return template


def read_window(partition_dir: Any) -> Window | None:
    """The window the partition's manifest records (None when there is no manifest)."""
    manifest = partition_dir / MANIFEST_NAME
    if not manifest.exists():
        return None
    window = json.loads(manifest.read_text())["window"]
    return Window.of(window["since"], window["before"])


def data_files(partition_dir: Any) -> list[Any]:
    """The files a partition holds other than its manifest."""
    if not partition_dir.exists():
        return []
    return [p for p in partition_dir.iterdir() if p.is_file() and p.name != MANIFEST_NAME]


def check_replaceable(partition_dir: Any, window: Window, *, derived: bool) -> None:
    """Refuse to write ``window`` into a partition that holds another window's data.

    ``derived`` partitions (named from the window itself, the default) identify their window by
    construction; one written before manifests existed is taken as theirs. A templated partition
    with data but no manifest cannot be told apart, so it is refused too.
    """
    recorded = read_window(partition_dir)
    if recorded is None:
        if derived or not data_files(partition_dir):
            return
        raise PartitionConflict(
            f"partition {partition_dir} already holds data without a manifest, so which window it holds is "
            f"unknown; this run's window is {_span(window)}. Move that data away, or use a partition template "
            "that identifies each window (e.g. with {since:%H} for hourly runs)"
        )
    if recorded != window:
        raise PartitionConflict(
            f"partition {partition_dir} holds the export of window {_span(recorded)}; this run's window "
            f"{_span(window)} would replace it and lose that data. Use a partition template that identifies "
            "each window (e.g. 'date={since:%Y-%m-%d}/hour={since:%H}' for hourly runs), or leave partition "
            "out; re-running the same window still replaces its partition"
        )


def write_manifest(partition_dir: Any, window: Window, *, file: Any, rows: int, file_format: str) -> int:
    """Record what the partition now holds; the size of the data file in bytes."""
    size = int(file.stat().st_size)
    manifest = {
        "window": window.to_json(),
        "file": file.name,
        "format": file_format,
        "rows": rows,
        "bytes": size,
        "written_at": datetime.now(UTC).isoformat(),
    }
    (partition_dir / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2))
    return size


def _span(window: Window) -> str:
    return f"[{window.since.isoformat()}, {window.before.isoformat()})"
