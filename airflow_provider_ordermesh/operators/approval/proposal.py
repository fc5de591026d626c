"""What the approver is shown: one line per refund line or cancelled item, and the form to answer it.

A proposal travels with the waiting task (JSON in its resume arguments), so the answer is checked
against exactly what was shown, whatever the order looks like by then.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any, Literal

from airflow_provider_ordermesh.operators.idempotency import MARKER_PATTERN

LineKind = Literal["price", "shipping", "items"]

REJECT_ALL = "Reject all"
"""The option that rejects every line, and what a request that times out answers."""


def money(amount: Decimal) -> str:
    """An amount as shown and stored: two decimals."""
    return f"{amount.quantize(Decimal('0.01'))}"


@dataclass(frozen=True)
class ProposedLine:
    """One line to approve: what it moves and the most the approver may let through (``limit``)."""

    key: str
    """Stable across tries: the refund line's marker, or the cancelled item's id."""
    number: int
    item_id: str
    item: str
    kind: LineKind
    amount: str
    """The money the line moves, in the order's currency (for a cancel: unit price times quantity)."""
    limit: str
    """What the approver may lower: the refund amount, or the number of items to cancel."""
    reason: str

    @property
    def lowerable_unit(self) -> str:
        return "items" if self.kind == "items" else "amount"

    @property
    def option(self) -> str:
        """The line's label among the request's options (unique: it starts with its number)."""
        what = f"cancel {self.limit} x" if self.kind == "items" else f"{self.kind} refund"
        return f"Line {self.number}: {what} {self.item}, {self.amount}"

    @property
    def field(self) -> str:
        """The name of the form field where the approver may lower the line."""
        return f"line_{self.number}_{'quantity' if self.kind == 'items' else 'amount'}"


@dataclass(frozen=True)
class Proposal:
    """Every line of one task's request that waits for a person, with the order they belong to."""

    action: Literal["refund", "cancel"]
    order_id: str
    order_short_id: str
    portal_link: str
    currency: str
    already_refunded: str
    threshold: str
    lines: tuple[ProposedLine, ...]

    @property
    def total(self) -> Decimal:
        return sum((Decimal(line.amount) for line in self.lines), Decimal(0))

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "lines": [asdict(line) for line in self.lines]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Proposal:
        return cls(**{**data, "lines": tuple(ProposedLine(**line) for line in data["lines"])})

    def line(self, key: str) -> ProposedLine:
        return next(line for line in self.lines if line.key == key)

    # --- the request shown in Airflow ------------------------------------------------------------

    @property
    def subject(self) -> str:
        verb = "Refund" if self.action == "refund" else "Cancel"
        return (
            f"{verb} {money(self.total)} {self.currency} on order {self.order_short_id}: "
            f"{len(self.lines)} line(s) to approve"
        )

    @property
    def options(self) -> list[str]:
        return [line.option for line in self.lines] + [REJECT_ALL]

    def body(self, timeout_text: str) -> str:
        """The request in Markdown: the order, every line, and what the approver may change."""
        cancel = self.action == "cancel"
        rows = [
            "| Line | Item | What | Amount | Reason |",
            "|---|---|---|---|---|",
            *(
                f"| {line.number} | {_cell(line.item)} | "
                f"{'cancel ' + line.limit + ' item(s)' if line.kind == 'items' else line.kind + ' refund'} | "
                f"{line.amount} {self.currency} | {_cell(line.reason)} |"
                for line in self.lines
            ),
        ]
        lowered = "the number of items in a line's field" if cancel else "a line's amount in its field"
        return "\n".join(
            [
                f"**Order [{self.order_short_id}]({self.portal_link})** (`{self.order_id}`), "
                f"currency {self.currency}; already refunded on this order: "
                f"**{self.already_refunded} {self.currency}**.",
                "",
                *rows,
                "",
                f"Total: **{money(self.total)} {self.currency}**, above the approval threshold of "
                f"{self.threshold} {self.currency}.",
                "",
                f"Tick the lines to approve, or **{REJECT_ALL}**. You may lower {lowered}, never raise it; "
                "a lowered field counts only for a ticked line. Only what you approve is sent, once.",
                f"Without an answer {timeout_text}, every line is rejected.",
            ]
        )

    def form_fields(self) -> dict[str, dict[str, Any]]:
        """One field per line, its default the proposed value and its maximum too."""
        fields: dict[str, dict[str, Any]] = {}
        for line in self.lines:
            if line.kind == "items":
                spec: dict[str, Any] = {"default": int(line.limit), "type": "integer", "minimum": 1}
                spec["maximum"] = int(line.limit)
            else:
                spec = {"default": float(line.limit), "type": "number", "exclusiveMinimum": 0}
                spec["maximum"] = float(line.limit)
            spec["title"] = f"Line {line.number}: {'items to cancel' if line.kind == 'items' else 'amount'}"
            spec["description"] = f"At most {line.limit}; lower it to approve less."
            fields[line.field] = spec
        return fields


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def shown_reason(reason: str | None) -> str:
    """A reason as a person reads it: without the idempotency marker at its end."""
    return MARKER_PATTERN.sub("", reason or "").strip()
