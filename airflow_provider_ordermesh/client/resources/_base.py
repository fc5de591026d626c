"""What every resource group shares: running operations, validating input, paging."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from airflow_provider_ordermesh.client.endpoints import endpoint
from airflow_provider_ordermesh.limits import PAGE_SIZE_MAX
from airflow_provider_ordermesh.client.errors import InvalidRequestError
from airflow_provider_ordermesh.client.operation import Operation
from airflow_provider_ordermesh.client.pagination import iter_pages, page_parser
from airflow_provider_ordermesh.models._base import OpaqueId
from airflow_provider_ordermesh.models.common import Page
from airflow_provider_ordermesh.models.search import QueryParams

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")

Execute = Callable[[Operation[Any]], Any]


def validated(model: type[M], value: M | Mapping[str, Any] | None, *, what: str | None = None) -> M:
    """``value`` as a ``model``: a model passes through, a mapping is validated, failures name the field."""
    if isinstance(value, model):
        return value
    try:
        return model.model_validate(value if value is not None else {})
    except ValidationError as exc:
        raise InvalidRequestError.from_pydantic(what or model.__name__, exc.errors()) from None


@functools.cache
def _adapter(kind: Any) -> TypeAdapter[str]:
    return TypeAdapter(kind)


def checked_id(name: str, value: Any, kind: Any = OpaqueId) -> str:
    """A path id of the given kind (``OrderId``, ``Uuid``, ...), refused before sending if malformed."""
    try:
        return _adapter(kind).validate_python(value.strip() if isinstance(value, str) else value)
    except ValidationError as exc:
        problem = "; ".join(str(e.get("msg", "invalid")).removeprefix("Value error, ") for e in exc.errors())
        raise InvalidRequestError("request", {name: problem}) from None


def unwrap(key: str | None, model: type[M]) -> Callable[[Any], M]:
    """A parser for ``{key: {...}}`` (or a bare object when ``key`` is None) into ``model``."""

    def parse(data: Any) -> M:
        return model.model_validate(data[key] if key else data)

    return parse


def no_content(_: Any) -> None:
    return None


class Resource:
    """A group of operations sharing the client's executor (sync, or async for the async client)."""

    def __init__(self, execute: Execute):
        self._execute = execute

    def _page(self, name: str, model: type[T], *, page: int, page_size: int,
              query: Mapping[str, str | list[str]] | None = None, **path_params: str) -> Page[T]:
        if not 1 <= page_size <= PAGE_SIZE_MAX:
            raise InvalidRequestError("paging", {"pageSize": f"must be between 1 and {PAGE_SIZE_MAX}"})
        if page < 1:
            raise InvalidRequestError("paging", {"page": "must be 1 or more"})
        row = endpoint(name)
        assert row.response_key and row.paged, f"{name} is not a paged endpoint"
        params: QueryParams = {**(query or {}), "page": str(page), "pageSize": str(page_size)}
        return self._execute(Operation(endpoint=row, parse=page_parser(row.response_key, model, page, page_size),
                                       path_params=path_params, query=params))

    def _records(self, name: str, query: QueryParams | None = None, **path_params: str) -> Iterator[dict[str, Any]]:
        """Every record of a paged operation as the API sent it (plain dicts, unknown fields kept),
        fetched lazily at the largest page size: for exports, which write records rather than read them."""
        return self._iterate(lambda page: self._page(name, dict, page=page, page_size=PAGE_SIZE_MAX, query=query,
                                                     **path_params), None)

    @staticmethod
    def _iterate(fetch: Callable[[int], Page[T]], max_items: int | None) -> Iterator[T]:
        return iter_pages(fetch, max_items=max_items)
