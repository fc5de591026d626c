"""Lazy iteration over paged list and search answers, one page in memory at a time."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TypeVar

from airflow_provider_ordermesh.models.common import Page

T = TypeVar("T")


def iter_pages(fetch_page: Callable[[int], Page[T]], *, max_items: int | None = None) -> Iterator[T]:
    """Yield records page after page until the last page (or ``max_items``) is reached."""
    yielded = 0
    page_number = 1
    while max_items is None or yielded < max_items:  # never fetch a page that nobody will read
        page = fetch_page(page_number)
        for item in page.items:
            if max_items is not None and yielded >= max_items:
                return
            yield item
            yielded += 1
        if page.is_last:
            return
        page_number += 1


async def aiter_pages(fetch_page: Callable[[int], Awaitable[Page[T]]], *, max_items: int | None = None) -> AsyncIterator[T]:
    """The async twin of ``iter_pages``."""
    yielded = 0
    page_number = 1
    while max_items is None or yielded < max_items:  # never fetch a page that nobody will read
        page = await fetch_page(page_number)
        for item in page.items:
            if max_items is not None and yielded >= max_items:
                return
            yield item
            yielded += 1
        if page.is_last:
            return
        page_number += 1


def page_parser(key: str, model: type[T], page: int, page_size: int) -> Callable[[dict], Page[T]]:
    """Parse ``{key: [...], "page", "pageSize", "totalCount"}`` into a typed ``Page``.

    Where the answer leaves out its paging fields, the requested ones stand in.
    """

    def parse(data: dict) -> Page[T]:
        data = data or {}
        return Page[model].model_validate(  # type: ignore[valid-type]
            {
                "items": data.get(key) or [],
                "page": data.get("page", page),
                "pageSize": data.get("pageSize", page_size),
                "totalCount": data.get("totalCount"),
            }
        )

    return parse
