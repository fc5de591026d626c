"""Hypothesis profiles for the property suite, and the figures it reports.

``default`` keeps the suite to about a minute (small ``max_examples``); ``thorough`` is for long
runs: ``HYPOTHESIS_PROFILE=thorough .venv/bin/python -m pytest tests/properties -q``.
"""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, settings

from properties.strategies import FIGURES, ONCE

_SHARED: dict[str, Any] = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
settings.register_profile(
    "default", max_examples=300, derandomize=True, **_SHARED
)  # the same examples each run
settings.register_profile("thorough", max_examples=1000, **_SHARED)  # new random examples each run
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if FIGURES["tried"]:
        terminalreporter.write_line(
            f"property suite: {FIGURES['tried']} examples tried, {FIGURES['refused']} refused before any request, "
            f"{FIGURES['sent']} sent and checked, {FIGURES['widened']} widened"
        )
    if ONCE["tried"]:
        terminalreporter.write_line(
            f"exactly-once suite: {ONCE['operators']} operators, {ONCE['tried']} examples tried, "
            f"{ONCE['refused']} refused before any request, {ONCE['sent']} acted and checked, "
            f"{ONCE['effects']} effects checked, {ONCE['duplicates']} duplicates found"
        )
