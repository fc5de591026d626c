"""Lazy iteration over paged list and search answers, one page in memory at a time (two when
reading ahead)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from airflow_provider_ordermesh.models.common import Page

T = TypeVar("T")


class _Walk:
    """Where a walk over pages stands: which page comes next and what of the last one to yield.

    The sync and async iterators share it, so the stopping rules exist once: stop after the last
    page, and never fetch a page that nobody will read once ``max_items`` records were yielded.
    """

    def __init__(self, max_items: int | None):
        self.remaining = max_items
        self.next_page = 1
        self.done = max_items is not None and max_items <= 0

    def take(self, page: Page[T]) -> list[T]:
        items = page.items if self.remaining is None else page.items[: self.remaining]
        if self.remaining is not None:
            self.remaining -= len(items)
        self.done = page.is_last or self.remaining == 0
        self.next_page += 1
        return items


def iter_pages(
    fetch_page: Callable[[int], Page[T]], *, max_items: int | None = None, read_ahead: bool = False
) -> Iterator[T]:
    """Yield records page after page until the last page (or ``max_items``) is reached.

    With ``read_ahead``, page ``n + 1`` is fetched in a worker thread while the caller consumes
    page ``n`` (an export writes a page while the API prepares the next); a failed fetch raises
    where its page would have been yielded, and no page is fetched past the last one.
    """
    walk = _Walk(max_items)
    if not read_ahead:
        while not walk.done:
            yield from walk.take(fetch_page(walk.next_page))
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ordermesh-read-ahead") as worker:
        pending: Future[Page[T]] = worker.submit(fetch_page, walk.next_page)
        try:
            while True:
                items = walk.take(pending.result())
                if walk.done:
                    yield from items
                    return
                pending = worker.submit(fetch_page, walk.next_page)
                yield from items
        finally:
            pending.cancel()  # a reader that stops early leaves at most the page in flight to finish


async def aiter_pages(
    fetch_page: Callable[[int], Awaitable[Page[T]]], *, max_items: int | None = None
) -> AsyncIterator[T]:
    """The async twin of ``iter_pages``."""
    walk = _Walk(max_items)
    while not walk.done:
        for item in walk.take(await fetch_page(walk.next_page)):
            yield item
