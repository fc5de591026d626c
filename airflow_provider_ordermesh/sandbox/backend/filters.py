"""Search filters as tables: each filter names its query parameter, the kind of value it takes, the
record's value it looks at and how the two match; the matching itself lives here once.

A table also yields the query string's model (``Filters.query``): parameters it does not name are
refused with a 400, and each value is read as its kind (a date, a flag, a status, repeated ids).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, create_model

from airflow_provider_ordermesh.limits import IDS_PER_SEARCH_MAX
from airflow_provider_ordermesh.sandbox.backend.bodies.fields import Id, Text
from airflow_provider_ordermesh.sandbox.backend.clock import as_utc

R = TypeVar("R")

Ids = Annotated[list[Id], Field(max_length=IDS_PER_SEARCH_MAX)]
"""A repeated parameter of ids, as many as one search may list."""

Texts = Annotated[list[Text], Field(max_length=IDS_PER_SEARCH_MAX)]
Moment = Annotated[datetime, AfterValidator(as_utc)]
"""A point in time, ISO 8601; one without a zone is UTC."""


class Match(Enum):
    """How a record's value must relate to the parameter's for the record to be kept."""

    EQUALS = "equals"
    ONE_OF = "one of"
    """the parameter repeats; the record's value is one of its values"""
    SINCE = "since"
    """on or after: the start of a half-open window ``[since, before)``"""
    BEFORE = "before"
    UNTIL = "until"
    FLAG = "flag"
    """a yes/no parameter against the truth of the record's value"""


_COMPARE: dict[Match, Callable[[Any, Any], bool]] = {
    Match.EQUALS: operator.eq,
    Match.ONE_OF: lambda value, wanted: value in wanted,
    Match.SINCE: operator.ge,
    Match.BEFORE: operator.lt,
    Match.UNTIL: operator.le,
    Match.FLAG: lambda value, wanted: bool(value) == wanted,
}


@dataclass(frozen=True)
class Filter(Generic[R]):
    """One search filter: query parameter ``param`` of kind ``kind`` against ``value(record)``."""

    param: str
    kind: Any
    value: Callable[[R], Any]
    match: Match = Match.EQUALS


class _Query(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Filters(Generic[R]):
    """The filters of one search, and the model its query string is read into."""

    def __init__(self, name: str, *filters: Filter[R]) -> None:
        self.filters = filters
        fields: dict[str, Any] = {f.param: (f.kind | None, None) for f in filters}
        self.query: type[BaseModel] = create_model(name, __base__=_Query, **fields)

    def tests(self, query: BaseModel) -> list[Callable[[R], bool]]:
        """One test per filter the query gives, each keeping the records that match it."""
        return [
            _test(f, frozenset(wanted) if f.match is Match.ONE_OF else wanted)
            for f in self.filters
            if (wanted := getattr(query, f.param)) is not None
        ]


def _test(f: Filter[R], wanted: Any) -> Callable[[R], bool]:
    value, compare = f.value, _COMPARE[f.match]
    return lambda record: compare(value(record), wanted)
