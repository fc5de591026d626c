"""Argument values a user, a template or an XCom can produce: blanks, wrong types, extremes, garbage."""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import strategies as st

FIGURES: Counter[str] = Counter()
"""Per run: examples ``tried``, ``refused`` before any request, ``sent`` and checked, ``widened``."""

ONCE: Counter[str] = Counter()
"""Per run of the exactly-once suite: ``operators`` covered, examples ``tried``, ``refused`` before
any request, ``sent`` and checked, ``effects`` checked, ``duplicates`` found (an effect present twice)."""

BLANKS: st.SearchStrategy[Any] = st.sampled_from(
    [None, "", " ", "\t\n", "null", "None", "NULL", " none ", "[]", "{}", [], {}, ()]
)
"""What a rendering accident produces instead of a real value."""

NUMBERS = st.one_of(
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, -1, -5, 10**20]),
)
TEXT = st.one_of(
    st.text(max_size=12), st.sampled_from(["abc", "\u200b", "é" * 3, "x" * 5000, "{{ ds }}", "1e3"])
)
GARBAGE: st.SearchStrategy[Any] = st.recursive(
    st.one_of(BLANKS, NUMBERS, TEXT),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=6,
)
"""Nested garbage of every kind, blanks and extremes included."""


def rendered(values: st.SearchStrategy[Any]) -> st.SearchStrategy[tuple[Any, dict[str, Any]]]:
    """``(argument, params)``: the value itself, or a template that renders it from ``params``."""
    return st.one_of(
        values.map(lambda v: (v, {})),
        values.map(lambda v: ("{{ params.v }}", {"v": v})),
        values.map(lambda v: ("{{ params.v | tojson }}", {"v": v})),
    )


SUBMIT_RESULTS: st.SearchStrategy[Any] = st.fixed_dictionaries(
    {"safe_id": st.one_of(st.just("shop-1"), st.just("never-1"), BLANKS, NUMBERS, TEXT)},
    optional={"submitted": st.booleans(), "order_id": st.none(), "request_id": TEXT},
)
"""What ``OrderMeshSubmitInboundOrderOperator`` returns, its ``safe_id`` real, absent or garbage."""

SAFE_ID_ARGUMENTS: st.SearchStrategy[Any] = st.one_of(
    GARBAGE,
    SUBMIT_RESULTS,
    st.lists(st.one_of(SUBMIT_RESULTS, st.sampled_from(["shop-1", "never-1"]), TEXT, BLANKS), max_size=3),
)
"""What a sensor's ``safe_ids`` may be handed: safeIds, the submit operator's results (one, or a
mapped task's list), mixtures, duplicates and garbage."""
