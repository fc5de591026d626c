"""How resource groups are written once and run by both clients.

A group's methods are declared once, on a class shared by the sync and the async group, and
say only what to send: ``@api_call`` methods return an ``Operation``, ``@paged_read`` methods a
``PagedRead``. Input is validated there, before anything is sent. The group a client holds
decides how to run it:

* ``SyncGroup`` (``OrderMeshClient``): ``client.orders.get(id)`` returns an ``Order``, and
  ``client.orders.search()`` an ``Iterator[Order]``;
* ``AsyncGroup`` (``AsyncOrderMeshClient``): ``await client.orders.get(id)`` (an ``async def``
  method), and ``async for order in client.orders.search()``.

So a new operation is one method in one place, and the two clients cannot drift.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Concatenate, Generic, ParamSpec, Protocol, TypeVar, overload

from pydantic import BaseModel

from airflow_provider_ordermesh.client.answers import page_of
from airflow_provider_ordermesh.client.endpoints import endpoint
from airflow_provider_ordermesh.client.errors import InvalidRequestError
from airflow_provider_ordermesh.client.inputs import checked_id, validated
from airflow_provider_ordermesh.client.operation import Operation
from airflow_provider_ordermesh.client.pagination import aiter_pages, iter_pages
from airflow_provider_ordermesh.limits import PAGE_SIZE_MAX
from airflow_provider_ordermesh.models.common import Page
from airflow_provider_ordermesh.models.search import QueryParams

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")
P = ParamSpec("P")


@dataclass(frozen=True)
class PagedRead(Generic[T]):
    """A paged read: the operation that fetches page ``n``, how many records to yield at most, and
    whether the sync driver fetches the next page while the caller reads one (``iter_pages``)."""

    page: Callable[[int], Operation[Page[T]]]
    max_items: int | None = None
    read_ahead: bool = False


def page_operation(
    name: str,
    model: type[M],
    *,
    page: int,
    page_size: int,
    query: QueryParams | None = None,
    path_params: Mapping[str, str] | None = None,
) -> Operation[Page[M]]:
    """The operation reading one page of a paged endpoint, with paging checked before sending."""
    if isinstance(page_size, bool) or not isinstance(page_size, int) or not 1 <= page_size <= PAGE_SIZE_MAX:
        raise InvalidRequestError("paging", {"pageSize": f"must be an integer from 1 to {PAGE_SIZE_MAX}"})
    if isinstance(page, bool) or not isinstance(page, int) or page < 1:
        raise InvalidRequestError("paging", {"page": "must be an integer of 1 or more"})
    row = endpoint(name)
    if not (row.response_key and row.paged):
        raise ValueError(f"{name} is not a paged endpoint")
    params: QueryParams = {**(query or {}), "page": str(page), "pageSize": str(page_size)}
    return Operation(
        endpoint=row,
        parse=page_of(row.response_key, model, page, page_size),
        path_params=dict(path_params or {}),
        query=params,
    )


def every_record(
    name: str, *, query: QueryParams | None = None, path_params: Mapping[str, str] | None = None
) -> PagedRead[dict[str, Any]]:
    """Every record of a paged operation as the API sent it (plain dicts, unknown fields kept), at
    the largest page size, reading one page ahead: for exports, which write records rather than
    read them, and can write a page while the API prepares the next."""
    return PagedRead(
        lambda n: page_operation(
            name,
            dict,
            page=n,
            page_size=PAGE_SIZE_MAX,
            query=query,
            path_params=path_params,  # type: ignore[type-var]
        ),
        read_ahead=True,
    )


class SyncExecute(Protocol):
    """Runs one operation to its result (``OrderMeshClient.execute``)."""

    def __call__(self, operation: Operation[T], /) -> T: ...


class AsyncExecute(Protocol):
    """Runs one operation to an awaitable result (``AsyncOrderMeshClient.execute``)."""

    def __call__(self, operation: Operation[T], /) -> Awaitable[T]: ...


class Group:
    """The shared base of every resource group's declarations."""


class SyncGroup(Group):
    """A resource group of the sync client: methods return results, paged reads iterators."""

    def __init__(self, execute: SyncExecute):
        self._execute = execute


class AsyncGroup(Group):
    """A resource group of the async client: methods are ``async def``, paged reads async iterators."""

    def __init__(self, execute: AsyncExecute):
        self._execute = execute


class api_call(Generic[P, T]):
    """Declares a method that builds one ``Operation``; each group's driver sends it."""

    def __init__(self, plan: Callable[Concatenate[Any, P], Operation[T]]):
        self.plan = plan
        functools.update_wrapper(self, plan)  # type: ignore[arg-type]

    @overload
    def __get__(self, group: None, owner: type) -> api_call[P, T]: ...
    @overload
    def __get__(self, group: AsyncGroup, owner: type) -> Callable[P, Coroutine[Any, Any, T]]: ...
    @overload
    def __get__(self, group: SyncGroup, owner: type) -> Callable[P, T]: ...

    def __get__(self, group: Group | None, owner: type) -> Any:
        if group is None:
            return self
        plan = self.plan
        if isinstance(group, AsyncGroup):
            execute_async = group._execute

            async def run_async(*args: P.args, **kwargs: P.kwargs) -> T:
                return await execute_async(plan(group, *args, **kwargs))

            return functools.update_wrapper(run_async, plan)
        assert isinstance(group, SyncGroup)
        execute = group._execute

        def run(*args: P.args, **kwargs: P.kwargs) -> T:
            return execute(plan(group, *args, **kwargs))

        return functools.update_wrapper(run, plan)


class paged_read(Generic[P, T]):
    """Declares a lazy read over every page: an iterator (sync) or an async iterator (async)."""

    def __init__(self, plan: Callable[Concatenate[Any, P], PagedRead[T]]):
        self.plan = plan
        functools.update_wrapper(self, plan)  # type: ignore[arg-type]

    @overload
    def __get__(self, group: None, owner: type) -> paged_read[P, T]: ...
    @overload
    def __get__(self, group: AsyncGroup, owner: type) -> Callable[P, AsyncIterator[T]]: ...
    @overload
    def __get__(self, group: SyncGroup, owner: type) -> Callable[P, Iterator[T]]: ...

    def __get__(self, group: Group | None, owner: type) -> Any:
        if group is None:
            return self
        plan = self.plan
        if isinstance(group, AsyncGroup):
            execute_async = group._execute

            def read_async(*args: P.args, **kwargs: P.kwargs) -> AsyncIterator[T]:
                read = plan(group, *args, **kwargs)  # input is checked now, not at the first page
                return aiter_pages(lambda n: execute_async(read.page(n)), max_items=read.max_items)

            return functools.update_wrapper(read_async, plan)
        assert isinstance(group, SyncGroup)
        execute = group._execute

        def read_sync(*args: P.args, **kwargs: P.kwargs) -> Iterator[T]:
            read = plan(group, *args, **kwargs)
            return iter_pages(
                lambda n: execute(read.page(n)), max_items=read.max_items, read_ahead=read.read_ahead
            )

        return functools.update_wrapper(read_sync, plan)


def every_page(
    page_call: api_call[..., Page[T]], group: Group, *args: Any, max_items: int | None = None, **kwargs: Any
) -> PagedRead[T]:
    """The ``PagedRead`` that walks ``page_call`` (a ``..._page`` method) page by page for ``group``."""
    return PagedRead(lambda n: page_call.plan(group, *args, page=n, **kwargs), max_items)


__all__ = [
    "AsyncGroup",
    "Group",
    "PagedRead",
    "SyncGroup",
    "api_call",
    "checked_id",
    "every_page",
    "every_record",
    "page_operation",
    "paged_read",
    "validated",
]
