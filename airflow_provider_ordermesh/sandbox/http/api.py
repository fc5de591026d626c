"""What a handler works with: a ``Call`` in, Python data or a ``Listing`` out.

``app.py`` turns what a handler returns into the answer the endpoint table describes: ``None``
is a 204, a ``Listing`` becomes a page ``{<response_key>: [...], "page", "pageSize",
"totalCount"}``, anything else is wrapped in the endpoint's ``response_key`` if it has one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Generic, TypeVar

from pydantic import BaseModel, Field

from airflow_provider_ordermesh.client.endpoints import Endpoint
from airflow_provider_ordermesh.limits import BULK_MAX_ITEMS, PAGE_SIZE_MAX
from airflow_provider_ordermesh.sandbox.backend.backend import OrderMeshBackend
from airflow_provider_ordermesh.sandbox.backend.errors import SandboxError
from airflow_provider_ordermesh.sandbox.backend.state import OrderRecord, ShipmentRecord
from airflow_provider_ordermesh.sandbox.backend.validation import (
    QueryParams,
    SandboxModel,
    parse,
    parse_json,
    parse_query,
)
from airflow_provider_ordermesh.sandbox.http import views
from airflow_provider_ordermesh.sandbox.http.instance import SandboxInstance

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")
JSON = dict[str, Any]

PAGING_KEYS: Final = ("page", "pageSize")


@dataclass(frozen=True)
class Listing(Generic[T]):
    """A list answer before paging: every matching record, and how to render one."""

    records: Sequence[T]
    render: Callable[[T], JSON]


class PageRequest(SandboxModel):
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=PAGE_SIZE_MAX)

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> PageRequest:
        return parse(cls, {key: query[key] for key in PAGING_KEYS if key in query}, where="query string")

    def envelope(self, key: str, listing: Listing[Any]) -> JSON:
        start = (self.page - 1) * self.page_size
        page = listing.records[start : start + self.page_size]
        return {
            key: [listing.render(record) for record in page],
            "page": self.page,
            "pageSize": self.page_size,
            "totalCount": len(listing.records),
        }


class _BulkRequest(SandboxModel):
    bulk: list[Any] = Field(min_length=1, max_length=BULK_MAX_ITEMS)


@dataclass(frozen=True)
class Call:
    """One API request as a handler sees it: path ids, query, body, the caller, and the sandbox."""

    endpoint: Endpoint
    path: Mapping[str, str]
    query: QueryParams
    raw_body: bytes
    principal: str
    sandbox: SandboxInstance
    base_url: str

    @property
    def backend(self) -> OrderMeshBackend:
        return self.sandbox.backend

    def json(self) -> Any:
        return parse_json(self.raw_body)

    def body(self, model: type[M]) -> M:
        return parse(model, self.json())

    def filters(self, model: type[M]) -> M:
        """The query string as ``model``; paging parameters are left to the route."""
        return parse_query(model, self.query, ignore=PAGING_KEYS if self.endpoint.paged else ())

    def bulk(
        self, model: type[M], apply: Callable[[M], OrderRecord | ShipmentRecord], *, status: int, message: str
    ) -> JSON:
        """Validate and apply every entry of ``{"bulk": [...]}`` on its own; one result per entry."""
        results = []
        for index, entry in enumerate(parse(_BulkRequest, self.json()).bulk):
            try:
                record = apply(parse(model, entry, where=f"bulk entry {index}"))
            except SandboxError as exc:
                results.append(views.bulk_failure(index, exc))
            else:
                results.append(views.bulk_success(index, status, record, message))
        return {"results": results}
