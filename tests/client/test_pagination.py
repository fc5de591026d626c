"""Lazy pagination: one page fetched at a time, stopping at the last page or at ``max_items``."""

from __future__ import annotations

import time
from collections.abc import Callable, Generator
from typing import Any, cast

import pytest
from client.api_mock import api_calls, query_of, register

from airflow_provider_ordermesh.client import InvalidRequestError, OrderMeshClient
from airflow_provider_ordermesh.client.pagination import iter_pages
from airflow_provider_ordermesh.limits import PAGE_SIZE_MAX
from airflow_provider_ordermesh.models.common import Page

PAGE_SIZE = 2


def order_id(n: int) -> str:
    return f"{n:024x}"


def serve_orders(total: int, *, with_total: bool = True) -> Callable[[Any, Any], dict[str, Any]]:
    """A search endpoint over ``total`` orders that pages by the request's page and pageSize."""

    def answer(request: Any, context: Any) -> dict[str, Any]:
        query = query_of(request)
        page, size = int(query["page"][0]), int(query["pageSize"][0])
        ids = range((page - 1) * size, min(page * size, total))
        body: dict[str, Any] = {"orders": [{"id": order_id(n)} for n in ids], "page": page, "pageSize": size}
        if with_total:
            body["totalCount"] = total
        return body

    return answer


def pages_fetched(api: Any) -> list[int]:
    return [int(query_of(r)["page"][0]) for r in api_calls(api)]


def test_the_iterator_is_lazy(api: Any, client: OrderMeshClient) -> None:
    register(api, "orders.search", json=serve_orders(7))

    orders = client.orders.search({"status": ["Open"]}, page_size=PAGE_SIZE)
    assert api_calls(api) == [], "nothing is fetched before the first record is asked for"

    assert next(orders).id == order_id(0)
    assert pages_fetched(api) == [1]
    assert next(orders).id == order_id(1)
    assert pages_fetched(api) == [1]
    assert next(orders).id == order_id(2)
    assert pages_fetched(api) == [1, 2]


def test_every_page_keeps_the_filters(api: Any, client: OrderMeshClient) -> None:
    register(api, "orders.search", json=serve_orders(5))
    list(client.orders.search({"status": ["Open"], "externalId": "E-1"}, page_size=PAGE_SIZE))
    for sent in api_calls(api):
        assert query_of(sent)["status"] == ["Open"]
        assert query_of(sent)["externalId"] == ["E-1"]
        assert query_of(sent)["pageSize"] == [str(PAGE_SIZE)]


@pytest.mark.parametrize(("total", "pages"), [(5, [1, 2, 3]), (4, [1, 2]), (1, [1]), (0, [1])])
def test_stops_at_the_last_page_by_total_count(
    api: Any, client: OrderMeshClient, total: int, pages: list[int]
) -> None:
    register(api, "orders.search", json=serve_orders(total))

    records = list(client.orders.search(page_size=PAGE_SIZE))

    assert [o.id for o in records] == [order_id(n) for n in range(total)]
    assert pages_fetched(api) == pages


@pytest.mark.parametrize(("total", "pages"), [(5, [1, 2, 3]), (4, [1, 2, 3]), (0, [1])])
def test_stops_at_a_short_or_empty_page_without_total_count(
    api: Any, client: OrderMeshClient, total: int, pages: list[int]
) -> None:
    register(api, "orders.search", json=serve_orders(total, with_total=False))

    records = list(client.orders.search(page_size=PAGE_SIZE))

    assert len(records) == total
    assert pages_fetched(api) == pages


@pytest.mark.parametrize(
    ("max_items", "pages"), [(3, [1, 2]), (2, [1]), (1, [1]), (0, []), (50, [1, 2, 3, 4])]
)
def test_max_items_is_respected_without_fetching_further(
    api: Any, client: OrderMeshClient, max_items: int, pages: list[int]
) -> None:
    register(api, "orders.search", json=serve_orders(7))

    records = list(client.orders.search(page_size=PAGE_SIZE, max_items=max_items))

    assert len(records) == min(max_items, 7)
    assert pages_fetched(api) == pages


def test_a_page_is_parsed_with_its_position(api: Any, client: OrderMeshClient) -> None:
    register(api, "orders.search", json=serve_orders(5))
    page = client.orders.search_page(page=3, page_size=PAGE_SIZE)
    assert (page.page, page.page_size, page.total_count, page.is_last) == (3, PAGE_SIZE, 5, True)
    assert [o.id for o in page.items] == [order_id(4)]


def test_an_answer_without_paging_fields_falls_back_to_the_request(api: Any, client: OrderMeshClient) -> None:
    register(api, "orders.search", json={"orders": [{"id": order_id(0)}]})
    page = client.orders.search_page(page=2, page_size=PAGE_SIZE)
    assert (page.page, page.page_size, page.total_count, page.is_last) == (2, PAGE_SIZE, None, True)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"page": 0}, "page"), ({"page_size": 0}, "pageSize"), ({"page_size": PAGE_SIZE_MAX + 1}, "pageSize")],
)
def test_bad_paging_is_refused_before_sending(
    api: Any, client: OrderMeshClient, kwargs: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        client.orders.search_page(**kwargs)
    assert field in caught.value.field_errors
    assert api.request_history == []


# --- reading ahead (export record reads) ------------------------------------------------------------


def _pages(count: int, size: int = 2) -> list[Page[int]]:
    return [
        Page[int](
            items=list(range(n * size, n * size + size)), page=n + 1, pageSize=size, totalCount=count * size
        )
        for n in range(count)
    ]


def test_read_ahead_yields_every_record_in_order_and_fetches_no_page_past_the_last() -> None:
    pages, fetched = _pages(4), []

    def fetch(n: int) -> Page[int]:
        fetched.append(n)
        return pages[n - 1]

    assert list(iter_pages(fetch, read_ahead=True)) == list(range(8))
    assert fetched == [1, 2, 3, 4]


def test_read_ahead_fetches_the_next_page_while_the_caller_reads_one() -> None:
    pages, fetched = _pages(3), []

    def fetch(n: int) -> Page[int]:
        fetched.append(n)
        return pages[n - 1]

    # a generator, which a reader that stops early closes
    records = cast("Generator[int, None, None]", iter_pages(fetch, read_ahead=True))
    assert next(records) == 0
    wait_until(lambda: fetched == [1, 2])  # page 2 is on its way while page 1 is being read
    records.close()  # a reader that stops early: nothing more is fetched
    assert fetched == [1, 2]


def test_read_ahead_stops_at_max_items_and_raises_a_failed_page_where_it_belongs() -> None:
    pages, fetched = _pages(5), []

    def fetch(n: int) -> Page[int]:
        fetched.append(n)
        if n == 3:
            raise InvalidRequestError("paging", {"page": "boom"})
        return pages[n - 1]

    assert list(iter_pages(fetch, max_items=3, read_ahead=True)) == [0, 1, 2]
    assert fetched == [1, 2]
    fetched.clear()
    records = iter_pages(fetch, read_ahead=True)
    assert [next(records) for _ in range(4)] == [0, 1, 2, 3]
    with pytest.raises(InvalidRequestError, match="boom"):
        next(records)


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.01)
