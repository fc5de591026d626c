"""The probe's table for a terminal: one row per read, columns padded to fit."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from airflow_provider_ordermesh.probe.runner import Check, count_verdicts

SHOWN_FIELDS = 1
"""Unknown fields named in a row; ``details`` lists all of them for the rows that do not match (they
may be the reason), and the JSON report always lists them all."""

HEADERS = ("operation", "method and path", "status", "parsed", "fields the models do not know", "verdict")


def _cells(check: Check) -> tuple[str, ...]:
    verdict = f"{check.verdict}: {check.why}" if check.why else str(check.verdict)
    if check.api_message:
        verdict += f" ({check.api_message})"
    status = "-" if check.status is None else str(check.status)
    parsed = "-" if check.parsed is None else ("yes" if check.parsed else "no")
    return (
        check.operation,
        f"{check.method} {check.path}",
        status,
        parsed,
        _fields(check.unknown_fields),
        verdict,
    )


def _fields(names: Sequence[str]) -> str:
    if not names:
        return "-"
    shown = ", ".join(names[:SHOWN_FIELDS])
    return shown if len(names) <= SHOWN_FIELDS else f"{shown} (+{len(names) - SHOWN_FIELDS} more)"


def render(checks: Sequence[Check]) -> str:
    """The table as text, header first, the last column left unpadded."""
    rows = [HEADERS, *(_cells(check) for check in checks)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADERS) - 1)]
    lines = [
        "  ".join([*(cell.ljust(width) for cell, width in zip(row, widths, strict=False)), row[-1]])
        for row in rows
    ]
    lines.insert(1, "  ".join(["-" * width for width in widths] + ["-" * len(HEADERS[-1])]))
    return "\n".join(line.rstrip() for line in lines)


def summary(checks: Sequence[Check]) -> str:
    """One line: how many reads got each verdict."""
    return ", ".join(f"{count} {verdict}" for verdict, count in count_verdicts(checks).items())


def details(checks: Sequence[Check]) -> str:
    """Every unknown field of each row that does not match: a renamed field hides among them."""
    blocks = []
    for check in checks:
        if check.verdict.is_problem and check.unknown_fields:
            names = textwrap.fill(
                ", ".join(check.unknown_fields), width=100, initial_indent="  ", subsequent_indent="  "
            )
            blocks.append(f"fields the models do not know in {check.operation}:\n{names}")
    return "\n".join(blocks)
