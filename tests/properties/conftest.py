"""Hypothesis profiles for the property suite, and the figures it records for the proof table.

``default`` keeps the suite to about a minute (small ``max_examples``); ``thorough`` is for long
runs: ``HYPOTHESIS_PROFILE=thorough .venv/bin/python -m pytest tests/properties -q``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
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


PHRASES = {
    "operators": "operators covered",
    "tried": "examples tried",
    "refused": "refused before any request",
    "sent": "sent and checked",
    "widened": "widened",
    "effects": "effects checked in the sandbox's records",
    "duplicates": "duplicates found",
}
"""How the proof table (tests/support/proofs.py) reads each counter of ``FIGURES`` and ``ONCE``."""

COUNTED = (
    (FIGURES, ("tried", "refused", "sent", "widened")),
    (ONCE, ("operators", "tried", "refused", "sent", "effects", "duplicates")),
)


@pytest.fixture(autouse=True)
def record_figures(record_property: Callable[[str, object], None]) -> Iterator[None]:
    """Record what each property test added to its suite's counters (zeros too), for the proof table."""
    before = [counter.copy() for counter, _ in COUNTED]
    yield
    for (counter, keys), earlier in zip(COUNTED, before, strict=True):
        if counter["tried"] > earlier["tried"]:
            for key in keys:
                record_property(PHRASES[key], counter[key] - earlier[key])
