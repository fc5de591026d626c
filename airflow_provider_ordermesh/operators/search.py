"""The shared shape of the search operators: validated filters, paging to a limit, small results."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Any, ClassVar

from airflow_provider_ordermesh.arguments import InvalidArgument
from airflow_provider_ordermesh.arguments.narrowing import MATCH_ALL, blank_filter_fields, refuse_blank
from airflow_provider_ordermesh.arguments.numbers import checked_int
from airflow_provider_ordermesh.arguments.payloads import parse_json_text, validated_argument
from airflow_provider_ordermesh.limits import PAGE_SIZE_MAX
from airflow_provider_ordermesh.operators.base import OrderMeshBaseOperator
from airflow_provider_ordermesh.operators.idempotency import read_only

if TYPE_CHECKING:
    from collections.abc import Iterable

    from pydantic import BaseModel

    from airflow_provider_ordermesh.compat import Context


class OrderMeshSearchOperator(OrderMeshBaseOperator):
    """Base of the search operators: page through every match up to ``max_results``.

    Returns a list of ids, or with ``fields`` a list of small dicts holding only those fields
    (API or Python spelling, e.g. ``"shortId"`` or ``"short_id"``; a field a record lacks is
    None). Either is JSON and fits ``.partial().expand()``.

    The narrowing rule (``arguments.narrowing``): ``filters`` must name at least one filter, and
    no filter may be blank (``None``, ``""``, ``"null"``, ``[]``, ...), or the task is refused
    before any request. A search over every record is ``filters=MATCH_ALL``, written in the DAG
    file. ``max_results`` is a whole number of at least 1; ``max_results=None`` written in the DAG
    file means no limit, while a template rendering to a blank or non-number is refused.
    """

    idempotency = read_only("searches only")

    template_fields: tuple[str, ...] = (
        *OrderMeshBaseOperator.template_fields,
        "filters",
        "max_results",
        "fields",
    )
    template_fields_renderers: ClassVar[dict[str, str]] = {"filters": "json"}

    def __init__(
        self,
        *,
        filters: dict[str, Any] | str | Any,
        max_results: int | str | None = 1000,
        fields: list[str] | None = None,
        page_size: int = PAGE_SIZE_MAX,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.filters = filters
        self.max_results = max_results
        self.unlimited = max_results is None  # only the DAG file itself can ask for no limit
        self.fields = fields
        self.page_size = checked_int(page_size, param="page_size", minimum=1, maximum=PAGE_SIZE_MAX)

    def filter_model(self) -> type[BaseModel]:
        raise NotImplementedError

    def prepare_filters(self, filters: dict[str, Any]) -> dict[str, Any]:
        return filters

    def record_model(self) -> type[BaseModel]:
        """The model of one search result: what ``fields`` may name."""
        raise NotImplementedError

    def derived_fields(self) -> frozenset[str]:
        """Names ``pick`` computes beyond the record model's own fields."""
        return frozenset()

    def known_fields(self) -> frozenset[str]:
        """Every name ``fields`` may use: the record model's fields in API and Python spelling."""
        model = self.record_model()
        names = {name for name in model.model_fields} | {
            field.alias for field in model.model_fields.values() if field.alias
        }
        return frozenset(names) | self.derived_fields()

    def iterate(self, filters: Any, *, limit: int | None) -> Iterable[Any]:
        raise NotImplementedError

    def pick(self, record: Any, fields: list[str]) -> dict[str, Any]:
        """The requested fields of one record, keyed as requested."""
        by_alias = record.model_dump(mode="json", by_alias=True)
        by_name = record.model_dump(mode="json")
        return {f: by_alias.get(f, by_name.get(f)) for f in fields}

    def _filters(self) -> dict[str, Any]:
        """The rendered filters as a dict that names something, or a refusal naming ``filters``."""
        if self.filters is MATCH_ALL:
            self.log.info("filters=MATCH_ALL: searching every record of the account")
            return {}
        refuse_blank(self.filters, param="filters", widening="every record (use filters=MATCH_ALL for that)")
        filters = parse_json_text(self.filters, param="filters")
        if hasattr(filters, "model_dump"):
            filters = filters.model_dump(by_alias=True, exclude_none=True)
        if not isinstance(filters, dict):
            raise InvalidArgument(f"filters must be an object (a dict), got {type(filters).__name__}")
        refuse_blank(filters, param="filters", widening="every record (use filters=MATCH_ALL for that)")
        if blank := blank_filter_fields(filters):
            raise InvalidArgument(
                f"filters: {', '.join(blank)} {'is' if len(blank) == 1 else 'are'} blank after rendering, which "
                "would filter by nothing; give a value or leave the filter out"
            )
        return filters

    def _limit(self) -> int | None:
        if self.unlimited and self.max_results is None:
            return None
        refuse_blank(
            self.max_results, param="max_results", widening="no limit (pass max_results=None for that)"
        )
        return checked_int(self.max_results, param="max_results", minimum=1)

    def _fields(self) -> list[str] | None:
        fields = parse_json_text(self.fields, param="fields")
        if fields is None:
            return None
        if (
            isinstance(fields, str)
            or not isinstance(fields, (list, tuple))
            or not all(isinstance(f, str) and f.strip() for f in fields)
        ):
            raise InvalidArgument(f"fields must be a list of field names, got {fields!r}")
        known = self.known_fields()
        if unknown := [f for f in fields if f not in known]:
            hints = [
                f"{f!r} (did you mean {close[0]!r}?)"
                if (close := difflib.get_close_matches(f, known, n=1))
                else repr(f)
                for f in unknown
            ]
            raise InvalidArgument(
                f"fields: {', '.join(hints)} {'is not a field' if len(unknown) == 1 else 'are not fields'} of "
                f"{self.record_model().__name__}, so every record would return None for it; use any of: "
                f"{', '.join(sorted(known))}"
            )
        return list(fields)

    def perform(self, context: Context) -> list[Any]:
        filters, limit, fields = self._filters(), self._limit(), self._fields()
        request = validated_argument(self.filter_model(), self.prepare_filters(filters), param="filters")
        records = list(self.iterate(request, limit=None if limit is None else limit + 1))
        if limit is not None and len(records) > limit:
            self.log.warning(
                "more than %d results; returning the first %d (raise max_results for more)", limit, limit
            )
            records = records[:limit]
        self.log.info("found %d", len(records))
        if not fields:
            return [record.id for record in records]
        return [self.pick(record, fields) for record in records]
