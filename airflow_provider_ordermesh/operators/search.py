"""The shared shape of the search operators: validated filters, paging to a limit, small results."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from airflow_provider_ordermesh.limits import PAGE_SIZE_MAX
from airflow_provider_ordermesh.operators.base import OrderMeshBaseOperator, parse_json_text, validated

if TYPE_CHECKING:
    from collections.abc import Iterable

    from pydantic import BaseModel

    from airflow_provider_ordermesh.compat import Context


class OrderMeshSearchOperator(OrderMeshBaseOperator):
    """Base of the search operators: page through every match up to ``max_results``.

    Returns a list of ids, or with ``fields`` a list of small dicts holding only those fields
    (API or Python spelling, e.g. ``"shortId"`` or ``"short_id"``; a field a record lacks is
    None). Either is JSON and fits ``.partial().expand()``.
    """

    template_fields: tuple[str, ...] = (*OrderMeshBaseOperator.template_fields, "filters", "max_results",
                                        "fields")
    template_fields_renderers: ClassVar[dict[str, str]] = {"filters": "json"}

    def __init__(self, *, filters: dict[str, Any] | str | None = None, max_results: int | None = 1000,
                 fields: list[str] | None = None, page_size: int = PAGE_SIZE_MAX, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not 1 <= page_size <= PAGE_SIZE_MAX:
            raise ValueError(f"page_size must be between 1 and {PAGE_SIZE_MAX}; got {page_size!r}")
        self.filters = filters
        self.max_results: int | str | None = max_results  # a string once templated
        self.fields = fields
        self.page_size = page_size

    def filter_model(self) -> type[BaseModel]:
        raise NotImplementedError

    def prepare_filters(self, filters: dict[str, Any]) -> dict[str, Any]:
        return filters

    def iterate(self, filters: Any, *, limit: int | None) -> Iterable[Any]:
        raise NotImplementedError

    def pick(self, record: Any, fields: list[str]) -> dict[str, Any]:
        """The requested fields of one record, keyed as requested."""
        by_alias = record.model_dump(mode="json", by_alias=True)
        by_name = record.model_dump(mode="json")
        return {f: by_alias.get(f, by_name.get(f)) for f in fields}

    def perform(self, context: Context) -> list[Any]:
        filters = parse_json_text(self.filters, param="filters") or {}
        if hasattr(filters, "model_dump"):
            filters = filters.model_dump(by_alias=True, exclude_none=True)
        if not isinstance(filters, dict):
            from airflow_provider_ordermesh.compat import AirflowFailException

            raise AirflowFailException(f"filters must be an object (a dict), got {type(filters).__name__}")
        request = validated(self.filter_model(), self.prepare_filters(filters), param="filters")
        fields = parse_json_text(self.fields, param="fields")
        limit = None if self.max_results in (None, "", "None") else int(self.max_results)
        records = list(self.iterate(request, limit=None if limit is None else limit + 1))
        if limit is not None and len(records) > limit:
            self.log.warning("more than %d results; returning the first %d (raise max_results for more)",
                             limit, limit)
            records = records[:limit]
        self.log.info("found %d", len(records))
        if not fields:
            return [record.id for record in records]
        return [self.pick(record, list(fields)) for record in records]
