"""What a task argument may be after rendering: the narrowing rule.

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

from collections.abc import Mapping
from typing import Any, Final

from airflow_provider_ordermesh.arguments import InvalidArgument
from airflow_provider_ordermesh.models._base import BLANK_TEXTS


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
