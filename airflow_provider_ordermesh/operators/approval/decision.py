"""The approver's answer, checked against the proposal: which lines pass, at what value, who said so.

An answer that names a line not proposed, raises a value or is contradictory is refused (a
no-retry failure naming the field) before anything is sent. A request that timed out rejects
every line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from airflow_provider_ordermesh.arguments import InvalidArgument
from airflow_provider_ordermesh.operators.approval.proposal import REJECT_ALL, Proposal, ProposedLine


class AnswerRefused(InvalidArgument):
    """An approval answer the provider will not act on; nothing was sent."""


@dataclass(frozen=True)
class Decision:
    """What was decided about a proposal: approved lines with their values, rejected lines, by whom, when."""

    approved: dict[str, str]
    """``{line key: approved value}`` (amount, or number of items for a cancel)."""
    rejected: list[str]
    decided_by: dict[str, str] | None
    """``{"id", "name"}`` of the approver; None when nobody answered in time."""
    decided_at: str
    timed_out: bool = False
    note_id: str | None = field(default=None, compare=False)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Decision:
        return cls(**{k: data[k] for k in ("approved", "rejected", "decided_by", "decided_at", "timed_out")})

    def summary(self, proposal: Proposal) -> dict[str, Any]:
        """For the task's XCom: who decided, when, and each line approved or rejected."""

        def described(line: ProposedLine, value: str | None) -> dict[str, Any]:
            entry = {"line": line.number, "item_id": line.item_id, "kind": line.kind, "proposed": line.limit}
            return entry if value is None else {**entry, "approved": value}

        return {
            "required": True,
            "decided_by": self.decided_by,
            "decided_at": self.decided_at,
            "timed_out": self.timed_out,
            "currency": proposal.currency,
            "approved": [described(proposal.line(k), v) for k, v in self.approved.items()],
            "rejected": [described(proposal.line(k), None) for k in self.rejected],
            "note_id": self.note_id,
        }


def _moment(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value or "")


def decided(proposal: Proposal, event: Mapping[str, Any]) -> Decision:
    """The decision an answer event (Airflow's HITL resume event) stands for; refused when invalid."""
    if "error" in event:
        if event.get("error_type") != "timeout":  # e.g. Airflow 3.1's trigger refusing the answer
            raise AnswerRefused(f"the answer could not be read ({event.get('error_type')}): {event['error']}")
        # no answer and no default applied: never pays out
        return Decision(
            {}, [line.key for line in proposal.lines], None, _moment(event.get("responded_at")), True
        )
    user = event.get("responded_by_user")
    at = _moment(event.get("responded_at"))
    chosen = list(event.get("chosen_options") or [])
    if user is None or event.get("timedout"):
        return Decision({}, [line.key for line in proposal.lines], None, at, True)
    by = {"id": str(user["id"]), "name": str(user.get("name") or user["id"])}
    if unknown := [option for option in chosen if option not in proposal.options]:
        raise AnswerRefused(
            f"chosen_options: {unknown} were not proposed; the options were {proposal.options}"
        )
    if not chosen:
        raise AnswerRefused(f"chosen_options is empty: tick lines to approve, or {REJECT_ALL!r}")
    if REJECT_ALL in chosen and len(chosen) > 1:
        raise AnswerRefused(
            f"chosen_options: {REJECT_ALL!r} together with lines to approve; choose one or the other"
        )
    values = _values(proposal, event.get("params_input") or {})
    approved = {line.key: values[line.key] for line in proposal.lines if line.option in chosen}
    rejected = [line.key for line in proposal.lines if line.key not in approved]
    return Decision(approved, rejected, by, at)


def _values(proposal: Proposal, params_input: Mapping[str, Any]) -> dict[str, str]:
    """Each line's value from the form, checked: a known field, a number, not above what was proposed."""
    fields = {line.field: line for line in proposal.lines}
    if unknown := sorted(set(params_input) - set(fields)):
        raise AnswerRefused(
            f"params_input: {unknown} name no proposed line; the fields were {sorted(fields)}"
        )
    values: dict[str, str] = {}
    for line in proposal.lines:
        raw = params_input.get(line.field, line.limit)
        values[line.key] = _checked_value(line, raw)
    return values


def _checked_value(line: ProposedLine, raw: Any) -> str:
    name = f"params_input.{line.field}"
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str, Decimal)):
        raise AnswerRefused(f"{name} must be a number, got {raw!r}")
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise AnswerRefused(f"{name} must be a number, got {raw!r}") from None
    limit = Decimal(line.limit)
    if not value.is_finite() or value <= 0:
        raise AnswerRefused(f"{name} must be above 0 (to reject the line, leave it unticked), got {raw!r}")
    if value > limit:
        raise AnswerRefused(f"{name}: {raw} raises the proposed {line.limit}; an approver may only lower it")
    if line.kind == "items":
        if value != value.to_integral_value():
            raise AnswerRefused(f"{name} must be a whole number of items, got {raw!r}")
        return str(int(value))
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise AnswerRefused(f"{name} has more than two decimals: {raw!r}")
    return str(value.quantize(Decimal("0.01")))
