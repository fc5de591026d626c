"""Each decision as one note on its order in OrderMesh: readable by people, and read back by a retry.

The note's first line carries the decision's marker (`` [om:<12 hex>]``, from the task instance
and the proposal) and its last line the decision as JSON, so that a retried or cleared task finds
what was decided instead of asking again, and writes no second note.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from airflow_provider_ordermesh.operators.approval.decision import Decision
from airflow_provider_ordermesh.operators.approval.proposal import Proposal, ProposedLine
from airflow_provider_ordermesh.operators.idempotency import markers_in

if TYPE_CHECKING:
    from airflow_provider_ordermesh.models import Note

DECISION_PREFIX = "decision "
NOTE_MAX = 4000


def note_text(proposal: Proposal, decision: Decision, *, marker: str, where: str) -> str:
    """The note of ``decision``: who, when, each line; at most ``NOTE_MAX`` characters."""
    head = f"Approval of a {proposal.action}{marker}: "
    if decision.timed_out:
        head += f"no answer by {decision.decided_at}; every line rejected, nothing sent."
    else:
        who = decision.decided_by or {}
        head += (
            f"{len(decision.approved)} of {len(proposal.lines)} line(s) approved by {who.get('name')} "
            f"({who.get('id')}) at {decision.decided_at}."
        )
    lines = [head, f"Asked by Airflow task {where}."]
    for key, value in decision.approved.items():
        lines.append(f"Approved: {_described(proposal, proposal.line(key), value)}")
    for key in decision.rejected:
        lines.append(f"Rejected: {_described(proposal, proposal.line(key), None)}")
    data = DECISION_PREFIX + json.dumps(decision.to_json() | {"note_id": None}, separators=(",", ":"))
    room = NOTE_MAX - len(data) - 2
    text = "\n".join(lines)
    if len(text) > room:
        text = text[: max(room - 1, 0)] + "…"
    return f"{text}\n{data}"


def _described(proposal: Proposal, line: ProposedLine, value: str | None) -> str:
    unit = " item(s)" if line.kind == "items" else f" {proposal.currency}"
    what = "cancel" if line.kind == "items" else f"{line.kind} refund"
    shown = line.limit if value is None else (value if value == line.limit else f"{value} (of {line.limit})")
    return f"line {line.number}, {what} of {line.item}: {shown}{unit}"


def recorded_decision(notes: Iterable[Note], marker: str) -> Decision | None:
    """The latest decision a person made under ``marker`` among ``notes``; timeouts do not count
    (a cleared task asks again after a timeout)."""
    wanted = marker.strip().removeprefix("[om:").removesuffix("]")
    found: Decision | None = None
    for note in notes:
        if wanted not in markers_in(note.text):
            continue
        last = (note.text or "").rsplit("\n", 1)[-1]
        if not last.startswith(DECISION_PREFIX):
            continue
        decision = Decision.from_json(json.loads(last.removeprefix(DECISION_PREFIX)))
        if not decision.timed_out:
            found = Decision(**{**decision.to_json(), "note_id": note.id})
    return found
