"""What a task argument may be after rendering: the narrowing rule and the checks of numeric settings.

The narrowing rule: an argument that narrows what an action touches (items, ids, filters,
limits) either has a concrete value or the task is refused before any request, naming the
argument. A rendering accident (a misspelt XCom task id renders ``null``) can produce ``None``,
``""``, whitespace, ``"null"``, ``"None"``, ``[]`` or ``{}``: none of them ever means "all".
"Everything" is only what the DAG file asks for in a way no rendering can produce: leaving the
argument out (``NOT_GIVEN``, e.g. a whole-order cancel) or passing ``MATCH_ALL``.

Cheap to import on purpose (DAG parsing imports the operators). Failures are ``InvalidArgument``,
an ``AirflowFailException``: a retry cannot change a rendered argument.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Final

from airflow_provider_ordermesh.compat import AirflowFailException


class InvalidArgument(AirflowFailException, ValueError):
    """A task argument that cannot work: fails the task without retries (and is a ``ValueError`` at parse time)."""


BLANK_TEXTS: Final = frozenset({"", "null", "none"})
"""Rendered texts that mean "nothing" (compared stripped and lower-cased)."""


class _Marker:
    """A named singleton that a template can never render to (it is not a string, list or dict)."""

    def __init__(self, name: str, meaning: str) -> None:
        self.name = name
        self.meaning = meaning

    def __repr__(self) -> str:
        return self.name

    def __reduce__(self) -> str:  # copies and pickles of a marker are the marker itself
        return self.name


NOT_GIVEN: Final = _Marker("NOT_GIVEN", "the argument was left out")
"""The default of an optional narrowing argument: only its absence widens the action."""

MATCH_ALL: Final = _Marker("MATCH_ALL", "every record of the account")
"""``filters=MATCH_ALL`` asks a search operator for every record, explicitly."""


def is_blank(value: Any) -> bool:
    """True for every value that a rendering accident produces instead of a real one."""
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip().lower() in BLANK_TEXTS
    if isinstance(value, (list, tuple, set, frozenset, Mapping)):
        return len(value) == 0
    return False


def refuse_blank(value: Any, *, param: str, widening: str) -> None:
    """Fail naming ``param`` when ``value`` is blank; ``widening`` says what it must not turn into."""
    if is_blank(value):
        raise InvalidArgument(
            f"{param} is {value!r} after rendering; that never means {widening}. Give a concrete value "
            f"(check the template or XCom that fills {param}), or see the operator's docs for how to ask "
            f"for {widening} explicitly"
        )


def blank_filter_fields(filters: Mapping[str, Any]) -> list[str]:
    """The filter names whose value is blank: sent as is, each would silently filter by nothing."""
    return [str(name) for name, value in filters.items() if is_blank(value)]


def checked_int(value: Any, *, param: str, minimum: int, maximum: int | None = None) -> int:
    """``value`` as an int in range (an integral number or digits), or a no-retry failure naming ``param``.

    Booleans are not numbers here, and neither are NaN, infinities or fractions.
    """
    number: Any = value
    if isinstance(value, str):
        text = value.strip()
        number = int(text) if text.lstrip("+-").isdigit() else None
    elif isinstance(value, float) and math.isfinite(value) and value.is_integer():
        number = int(value)
    if isinstance(number, bool) or not isinstance(number, int):
        raise InvalidArgument(f"{param} must be a whole number, got {value!r}")
    if number < minimum or (maximum is not None and number > maximum):
        bounds = f"from {minimum} to {maximum}" if maximum is not None else f"of at least {minimum}"
        raise InvalidArgument(f"{param} must be a whole number {bounds}, got {value!r}")
    return number


def checked_seconds(value: Any, *, param: str, minimum: float = 0.0) -> float:
    """``value`` as finite seconds of at least ``minimum``, or a no-retry failure naming ``param``."""
    number: Any = value
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            number = None
    if isinstance(number, bool) or not isinstance(number, (int, float)) or not math.isfinite(number):
        raise InvalidArgument(f"{param} must be a number of seconds, got {value!r}")
    if number < minimum:
        raise InvalidArgument(f"{param} must be at least {minimum:g} seconds, got {value!r}")
    return float(number)
