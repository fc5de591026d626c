"""``python -m benchmarks``: run the benchmarks, print one table, save it, and judge it with ``--check``."""

from __future__ import annotations

import argparse
import importlib
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

from benchmarks.harness import environment
from benchmarks.harness.context import Context
from benchmarks.harness.figures import Figure
from benchmarks.harness.report import RESULTS_DIR, document, load_average, progress

BENCHMARKS: tuple[str, ...] = (
    "bulk_create",
    "watch_shipments",
    "token_reuse",
    "import_cost",
    "memory",
    "triggerer_load",
    "export",
    "end_to_end",
)
"""Module names under ``benchmarks/cases/``, in the order they run and appear in the table."""

PUBLISHED = Path(__file__).resolve().parent.parent / "report.md"
"""The report of the last published full run: ``docs/performance.md`` includes it, so figures are never retyped."""
PUBLISHED_HEADER = (
    "<!-- Written by `python -m benchmarks --publish` from a full run; docs/performance.md includes it. "
    "Do not edit by hand. -->\n\n"
)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    sizes = parser.add_mutually_exclusive_group()
    sizes.add_argument("--quick", action="store_true", help="smaller sizes for a smoke run (about a minute)")
    sizes.add_argument("--full", action="store_true", help="the sizes the targets are set for (the default)")
    parser.add_argument(
        "--only",
        action="append",
        choices=BENCHMARKS,
        metavar="NAME",
        help=f"run only this benchmark (repeatable): {', '.join(BENCHMARKS)}",
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when a target is missed or a benchmark fails to run"
    )
    parser.add_argument(
        "--results",
        type=Path,
        default=RESULTS_DIR / "latest.md",
        help="where to write the Markdown report (default: benchmarks/results/latest.md)",
    )
    parser.add_argument(
        "--publish",
        action="store_true",
        help=f"also write the report to {PUBLISHED.relative_to(PUBLISHED.parent.parent)}, which the docs include",
    )
    return parser.parse_args(argv)


def reproduce_command(args: argparse.Namespace) -> str:
    """The command that measures the same figures again."""
    parts = ["python -m benchmarks"] + (["--quick"] if args.quick else [])
    parts += [f"--only {name}" for name in args.only or ()]
    return " ".join(parts)


def run_one(name: str, context: Context) -> list[Figure]:
    module = importlib.import_module(f"benchmarks.cases.{name}")
    return list(module.run(context))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    environment.prepare()
    context = Context(quick=args.quick)
    figures: list[Figure] = []
    problems: list[str] = []
    started, load_at_start = time.monotonic(), load_average()
    try:
        for name in args.only or BENCHMARKS:
            progress(f"{name} ({context.mode}) ...")
            began = time.monotonic()
            try:
                figures += run_one(name, context)
            except Exception as exc:  # a broken benchmark is reported, and the others still run
                traceback.print_exc(file=sys.stderr)
                problems.append(f"{name}: {type(exc).__name__}: {exc}")
            progress(f"{name} done in {time.monotonic() - began:.1f} s")
    finally:
        context.close()
    text = document(
        figures,
        mode=context.mode,
        command=reproduce_command(args),
        load_at_start=load_at_start,
        problems=problems,
    )
    print(text)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(text, encoding="utf-8")
    if args.publish:
        PUBLISHED.write_text(PUBLISHED_HEADER + text, encoding="utf-8")
    progress(f"all done in {time.monotonic() - started:.1f} s; report written to {args.results}")
    missed = any(figure.met is False for figure in figures)
    return 1 if args.check and (missed or problems) else 0
