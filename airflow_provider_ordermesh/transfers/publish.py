"""Where a partition lives, and how it is replaced atomically.

``{base}/resource={name}/{partition}/part-00000.{ext}``. The file is written under
``{base}/_staging/`` (a name that Hive, Spark, Athena and friends ignore, like every path starting
with ``_``) and moved into place only once complete: readers see the previous file or the new one,
never half of one, and a failed export removes its staging file and leaves the partition as it was.
After the move, any other data file left in the partition (an earlier format) is removed, so a
partition always holds exactly one export of its window; files whose name starts with ``_`` (the
partition's manifest, see ``transfers.manifest``) are not data and stay.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import IO, Any

PART_NAME = "part-00000"
STAGING = "_staging"


def partition_dir(base: Any, resource: str, partition: str) -> Any:
    """The partition directory under ``base`` (an ``ObjectStoragePath``)."""
    return base / f"resource={resource}" / partition


def publish(
    base: Any, resource: str, partition: str, extension: str, write: Callable[[IO[bytes]], int]
) -> tuple[Any, int]:
    """Write through ``write`` to a staging file, then move it over the partition's part file.

    Returns the final path and what ``write`` returned (the row count).
    """
    target_dir = partition_dir(base, resource, partition)
    final = target_dir / f"{PART_NAME}.{extension}"
    staging = base / STAGING / f"{resource}-{uuid.uuid4().hex}.{extension}"
    staging.parent.mkdir(parents=True, exist_ok=True)
    try:
        with staging.open("wb") as stream:
            rows = write(stream)
        target_dir.mkdir(parents=True, exist_ok=True)
        staging.move(final)
    except BaseException:
        if staging.exists():
            staging.unlink()
        raise
    for leftover in target_dir.iterdir():
        if leftover.name != final.name and not leftover.name.startswith("_") and leftover.is_file():
            leftover.unlink()
    return final, rows
