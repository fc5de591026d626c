"""One row of the results table: a figure for this provider, its baseline, and the target it must meet.

A ``Target`` knows how to compare the two numbers (a factor of fewer requests, a ratio of wall
times, an absolute limit) and how to say the comparison in words, so every benchmark states its
goal as data and the table, ``--check`` and the README all read the same verdict.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


def _number(value: float) -> str:
    if value == 0:
        return "0"
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:,.1f}"
    return f"{value:,.2f}" if abs(value) >= 1 else f"{value:.3g}"


def show(value: float | None, unit: str) -> str:
    """``value`` with its unit, in the table's style (``5,001 req``, ``1.23 s``, ``4.5 %``)."""
    if value is None:
        return "-"
    if unit == "s" and value < 1:
        return f"{value * 1000:,.0f} ms"
    return f"{_number(value)} {unit}".strip()


@dataclass(frozen=True)
class Target:
    """How a figure is judged.

    ``kind`` is one of:
    - ``fewer``: baseline / provider >= ``value`` (requests, time: "at least 50x fewer");
    - ``within``: provider / baseline <= ``value`` (wall time "within 1.3x" of a practical limit);
    - ``exactly``: provider == ``value`` (e.g. one token request);
    - ``above_at_most``: provider - baseline <= ``value`` (memory "at most 20 MB above");
    - ``below``: provider < ``value`` (CPU "under 20 %"), the baseline is context only;
    - ``at_most``: provider <= ``value`` (connections within the pool size), likewise;
    - ``info``: no target, the row is there for context.
    """

    kind: str
    value: float = 0.0
    unit: str = ""

    @classmethod
    def fewer(cls, factor: float) -> Target:
        return cls("fewer", factor)

    @classmethod
    def within(cls, factor: float) -> Target:
        return cls("within", factor)

    @classmethod
    def exactly(cls, value: float, unit: str = "") -> Target:
        return cls("exactly", value, unit)

    @classmethod
    def above_at_most(cls, delta: float, unit: str) -> Target:
        return cls("above_at_most", delta, unit)

    @classmethod
    def below(cls, limit: float, unit: str) -> Target:
        return cls("below", limit, unit)

    @classmethod
    def at_most(cls, limit: float, unit: str) -> Target:
        return cls("at_most", limit, unit)

    @classmethod
    def info(cls) -> Target:
        return cls("info")

    def describe(self, unit: str) -> str:
        return {
            "fewer": f">= {_number(self.value)}x {_less(unit)}",
            "within": f"<= {_number(self.value)}x",
            "exactly": f"= {show(self.value, self.unit)}",
            "above_at_most": f"<= +{show(self.value, self.unit)}",
            "below": f"< {show(self.value, self.unit)}",
            "at_most": f"<= {show(self.value, self.unit)}",
            "info": "-",
        }[self.kind]

    def ratio(self, provider: float | None, baseline: float | None, unit: str) -> str:
        """The comparison in words, oriented the way the target reads."""
        if provider is None or baseline is None:
            return "-"
        if self.kind == "above_at_most":
            return f"{'+' if provider >= baseline else '-'}{show(abs(provider - baseline), self.unit)}"
        if self.kind == "within":
            return _factor(provider, baseline)
        if provider == 0 < baseline:
            return f"{show(baseline, unit)} {_less(unit)}"
        if provider <= baseline:
            return f"{_factor(baseline, provider)} {_less(unit)}"
        return f"{_factor(provider, baseline)} more"

    def met(self, provider: float | None, baseline: float | None) -> bool | None:
        """True or False when the figure is judged, None for context-only rows or missing numbers."""
        if self.kind == "info" or provider is None:
            return None
        if self.kind == "exactly":
            return math.isclose(provider, self.value)
        if self.kind == "below":
            return provider < self.value
        if self.kind == "at_most":
            return provider <= self.value
        if baseline is None:
            return None
        if self.kind == "fewer":
            return baseline >= self.value * provider
        if self.kind == "within":
            return provider <= self.value * baseline
        return provider - baseline <= self.value  # above_at_most


def _less(unit: str) -> str:
    """ "fewer" for things counted (requests, tokens, slots), "less" for amounts (time, memory)."""
    return "less" if unit in ("s", "MB", "%") else "fewer"


def _factor(numerator: float, denominator: float) -> str:
    if denominator == 0:
        return "inf x" if numerator else "1x"
    return f"{_number(numerator / denominator)}x"


@dataclass(frozen=True)
class Figure:
    """A measured figure: ``provider`` and ``baseline`` in ``unit``, judged by ``target``.

    ``baseline_label`` names what the baseline was (it appears in the figure's column), and
    ``note`` carries how a number was obtained when that is not obvious.
    """

    name: str
    provider: float | None
    baseline: float | None
    unit: str
    target: Target
    note: str = ""

    @property
    def met(self) -> bool | None:
        return self.target.met(self.provider, self.baseline)

    def cells(self) -> list[str]:
        verdict = {True: "yes", False: "**NO**", None: "-"}[self.met]
        return [
            self.name,
            show(self.provider, self.unit),
            show(self.baseline, self.unit),
            self.target.ratio(self.provider, self.baseline, self.unit),
            self.target.describe(self.unit),
            verdict,
        ]
