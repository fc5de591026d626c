"""The one results table, as Markdown: printed to the terminal and written to ``results/latest.md``."""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.harness.figures import Figure

HEADER = ["figure", "this provider", "baseline (same run)", "ratio", "target", "met?"]
RESULTS_DIR = Path(__file__).resolve().parents[1] / "results"


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def table(figures: Sequence[Figure]) -> str:
    """The Markdown table of every figure, in the order measured."""
    lines = [_row(HEADER), _row(["---"] * len(HEADER))]
    lines += [_row(figure.cells()) for figure in figures]
    return "\n".join(lines)


def notes(figures: Sequence[Figure]) -> str:
    """How the less obvious figures were obtained, numbered after their row."""
    lines = [f"- *{figure.name}*: {figure.note}" for figure in figures if figure.note]
    return "\n".join(lines)


def machine() -> str:
    """One line saying where and how the figures were measured."""
    from importlib.metadata import version

    import airflow_provider_ordermesh

    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, Airflow {version('apache-airflow')}, "
        f"airflow-provider-ordermesh {airflow_provider_ordermesh.__version__}"
    )


def load_average() -> str:
    """The 1-minute load average: other work on the machine shows up in every wall time."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "unknown"


def document(
    figures: Sequence[Figure], *, mode: str, command: str, load_at_start: str, problems: Sequence[str] = ()
) -> str:
    """The whole report: context line, table, notes and any benchmark that could not run."""
    missed = [f.name for f in figures if f.met is False]
    parts = [
        f"Measured {machine()}; mode `{mode}`; sandbox in its own process on loopback; load average "
        f"{load_at_start} at the start and {load_average()} at the end.",
        f"Reproduce with `{command}`.",
        "",
        table(figures),
        "",
        (f"Targets missed: {len(missed)} ({'; '.join(missed)})." if missed else "Every target met."),
    ]
    if problems:
        parts += ["", "Benchmarks that could not run:", *[f"- {p}" for p in problems]]
    figure_notes = notes(figures)
    if figure_notes:
        parts += ["", "How the figures were measured:", "", figure_notes]
    return "\n".join(parts) + "\n"


def progress(message: str) -> None:
    """A progress line on stderr, so that stdout carries only the report."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)
