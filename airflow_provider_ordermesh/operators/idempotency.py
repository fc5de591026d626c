"""Deterministic keys that make Airflow task retries safe: order ``safeId``s and refund markers.

A retried task instance (same dag_id, task_id, run_id and map_index) derives the same keys
from the same input, so OrderMesh recognises what an earlier try already did.

safeId recipe (44 characters of ``[a-z0-9-]``, within the API's 64 of ``[A-Za-z0-9_.:-]``)::

    "af-" + sha256(dag_id ␟ task_id ␟ run_id ␟ map_index [␟ index])[:24]
          + "-" + sha256(canonical order)[:16]

where ␟ is the unit separator U+001F, ``index`` is the order's position in a bulk input
(absent for a single order), and the canonical order is the validated request in the API's
field names without ``safeId``, as JSON with sorted keys and no spaces. The first part ties
the key to the task instance (so two runs never collide), the second to the content (so two
different orders of one task instance never collide). Orders of one task instance share the
first part, which makes them easy to find.

Refund marker: ``" [om:" + sha256(task instance ␟ "refund" ␟ line index ␟ canonical line)[:12] + "]"``
(``marker("refund", index, line)``),
appended to each refund line's ``reason``; the API stores the reason with the refund, so the
marker shows which lines an earlier try already applied. A cancel carries
``" [om:" + sha256(task instance ␟ "cancel" ␟ canonical request)[:12] + "]"`` in its reason the
same way, which the order's audit log then records.

By default "task instance" protects retries within one run. A re-run (a new run_id) is a new
task instance: give the operator an ``idempotency_key`` (e.g. ``"{{ params.return_id }}"``), which
replaces run_id and map_index in every recipe above, so the same key is recognised in any run.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from airflow_provider_ordermesh.compat import AirflowFailException

_SEP = "\x1f"
MARKER_LENGTH = len(" [om:123456789abc]")
"""Characters a marker takes from a reason (18 of the API's 1,000)."""
REASON_MAX = 1000
"""The API's limit on a reason, marker included (``models._base.Reason``)."""
MARKER_PATTERN = re.compile(r" \[om:([0-9a-f]{12})\]$")
ANY_MARKER = re.compile(r"\[om:([0-9a-f]{12})\]")


def canonical_json(data: Any) -> str:
    """One spelling of a JSON value: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def canonical_content(order: dict[str, Any]) -> str:
    """What the second part of a safeId hashes: the order (API field names) without ``safeId``, canonical."""
    return canonical_json({k: v for k, v in order.items() if k != "safeId"})


def with_safe_id_json(canonical: str, safe_id: str) -> bytes:
    """The order's request JSON: its ``canonical_content`` (an object) with ``safeId`` added first.

    Key order means nothing to the API, so the text hashed into the safeId is the text sent, and
    an order with a derived safeId is encoded once.
    """
    head = '{"safeId":' + json.dumps(safe_id)
    return (head + ("}" if canonical == "{}" else "," + canonical[1:])).encode()


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class TaskIdentity:
    """What identifies a task instance across its tries."""

    dag_id: str
    task_id: str
    run_id: str
    map_index: int = -1

    @classmethod
    def from_context(cls, context: Any, idempotency_key: str | None = None) -> TaskIdentity:
        """The identity of the running task instance, or, with ``idempotency_key``, of that key.

        A key replaces the run and the map index, so the same key in any run of this DAG's task
        derives the same safeIds and markers: a re-run is then recognised as already done.
        """
        ti = context["ti"]
        if idempotency_key is not None:
            return cls(dag_id=ti.dag_id, task_id=ti.task_id, run_id=f"key:{idempotency_key}")
        map_index = getattr(ti, "map_index", -1)
        return cls(
            dag_id=ti.dag_id,
            task_id=ti.task_id,
            run_id=ti.run_id,
            map_index=-1 if map_index is None else int(map_index),
        )

    def _key(self, *parts: object) -> str:
        return _SEP.join(str(p) for p in (self.dag_id, self.task_id, self.run_id, self.map_index, *parts))

    def safe_id(self, order: dict[str, Any], *, index: int | None = None) -> str:
        """The safeId for ``order`` (API field names); see the module docstring."""
        return self.safe_id_of_canonical(canonical_content(order), index=index)

    def safe_id_of_canonical(self, canonical: str, *, index: int | None = None) -> str:
        """The safeId of an order given as ``canonical_content(order)``, for callers that keep that text."""
        identity = self._key() if index is None else self._key(index)
        return f"af-{_sha256(identity)[:24]}-{_sha256(canonical)[:16]}"

    def marker(self, kind: str, *parts: Any) -> str:
        """`` [om:<12 hex>]`` for an action of this task instance: ``kind`` and its canonical ``parts``."""
        return f" [om:{_sha256(self._key(kind, *(canonical_json(p) for p in parts)))[:12]}]"


def check_room_for_marker(reason: str | None, *, field: str) -> None:
    """Refuse a reason too long to carry its marker, stating the usable length."""
    usable = REASON_MAX - MARKER_LENGTH
    if reason is not None and len(reason.strip()) > usable:
        raise AirflowFailException(
            f"{field}: at most {usable} characters ({MARKER_LENGTH} of the API's {REASON_MAX} carry the "
            f"marker that keeps it from being applied twice); got {len(reason.strip())}"
        )


def marker_of(reason: str | None) -> str | None:
    """The 12-hex marker at the end of a stored refund reason, if any."""
    match = MARKER_PATTERN.search(reason or "")
    return match.group(1) if match else None


def markers_in(text: str | None) -> set[str]:
    """Every 12-hex marker anywhere in ``text`` (an audit event quotes the reason inside its own words)."""
    return set(ANY_MARKER.findall(text or ""))
