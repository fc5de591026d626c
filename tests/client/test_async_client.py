"""The async client (used by triggers) runs the same retry, re-auth and token rules over httpx.

Requests go to an ``httpx.MockTransport`` injected through ``AsyncTransport(transport=...)``;
sleeps are recorded through ``sleep=``.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any, cast

import httpx
import pytest
from client.api_mock import (
    BASE_URL,
    CLIENT_ID,
    CLIENT_SECRET,
    ITEM_ID,
    NO_JITTER,
    ORDER_ID,
    TOKEN,
    TOKEN_2,
    client_credentials,
    token_answer,
)

from airflow_provider_ordermesh.client import (
    AsyncOrderMeshClient,
    AuthenticationError,
    OutcomeUnknownError,
    ServerError,
    Timeout,
)
from airflow_provider_ordermesh.client.endpoints import ENDPOINTS
from airflow_provider_ordermesh.client.pagination import aiter_pages
from airflow_provider_ordermesh.client.transport import AsyncTransport

Respond = Callable[[httpx.Request], Awaitable[httpx.Response]]
Answer = httpx.Response | type[httpx.RequestError] | Respond


class MockApi:
    """Answers by endpoint name, in turn (the last answer repeats), and records what was sent."""

    def __init__(self) -> None:
        self.sent: list[httpx.Request] = []
        self._answers: dict[tuple[str, str], list[Answer]] = {}
        self.on("auth.client_token", httpx.Response(200, json=token_answer(TOKEN)))

    def on(self, name: str, *answers: Answer, **path_params: str) -> None:
        endpoint = ENDPOINTS[name]
        self._answers[(endpoint.method, endpoint.format_path(**path_params))] = list(answers)

    def calls(self, name: str, **path_params: str) -> list[httpx.Request]:
        endpoint = ENDPOINTS[name]
        path = endpoint.format_path(**path_params)
        return [r for r in self.sent if r.method == endpoint.method and r.url.path == path]

    async def handle(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        answers = self._answers[(request.method, request.url.path)]
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if isinstance(answer, type) and issubclass(answer, Exception):
            raise answer("simulated", request=request)
        if callable(answer):
            return await cast(Respond, answer)(request)
        return answer


class Sleeps(list):
    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def api() -> MockApi:
    return MockApi()


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
async def client(api: MockApi, sleeps: Sleeps) -> Any:
    transport = AsyncTransport(timeout=Timeout(), transport=httpx.MockTransport(api.handle))
    yield AsyncOrderMeshClient(
        BASE_URL, client_credentials(), transport=transport, sleep=sleeps, retry_policy=NO_JITTER
    )
    await transport.aclose()


ORDER = {"order": {"id": ORDER_ID, "status": "Open"}}


def status(code: int, body: Any = None, **headers: str) -> httpx.Response:
    return httpx.Response(code, json=body if body is not None else {"statusCode": code}, headers=headers)


async def test_503_then_200_is_retried(api: MockApi, client: AsyncOrderMeshClient, sleeps: Sleeps) -> None:
    api.on("orders.get", status(503), httpx.Response(200, json=ORDER), order_id=ORDER_ID)

    order = await client.orders.get(ORDER_ID)

    assert order.id == ORDER_ID
    assert len(api.calls("orders.get", order_id=ORDER_ID)) == 2
    assert sleeps == [0.5]


async def test_token_request_and_headers(api: MockApi, client: AsyncOrderMeshClient) -> None:
    api.on("orders.get", httpx.Response(200, json=ORDER), order_id=ORDER_ID)
    await client.orders.get(ORDER_ID)

    [token_request] = api.calls("auth.client_token")
    assert json.loads(token_request.content) == {"clientId": CLIENT_ID, "clientSecret": CLIENT_SECRET}
    [sent] = api.calls("orders.get", order_id=ORDER_ID)
    assert sent.headers["Authorization"] == f"Bearer {TOKEN}"


async def test_429_retry_after_is_honoured(
    api: MockApi, client: AsyncOrderMeshClient, sleeps: Sleeps
) -> None:
    api.on(
        "orders.get", status(429, **{"Retry-After": "2"}), httpx.Response(200, json=ORDER), order_id=ORDER_ID
    )
    await client.orders.get(ORDER_ID)
    assert sleeps == [2]


async def test_one_token_for_50_concurrent_coroutines(api: MockApi, client: AsyncOrderMeshClient) -> None:
    async def slow_token(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.02)  # every coroutine reaches the token lock while this one waits
        return httpx.Response(200, json=token_answer(TOKEN))

    api.on("auth.client_token", slow_token)
    api.on("orders.get", httpx.Response(200, json=ORDER), order_id=ORDER_ID)

    orders = await asyncio.gather(*(client.orders.get(ORDER_ID) for _ in range(50)))

    assert [o.id for o in orders] == [ORDER_ID] * 50
    assert len(api.calls("auth.client_token")) == 1
    assert {r.headers["Authorization"] for r in api.calls("orders.get", order_id=ORDER_ID)} == {
        f"Bearer {TOKEN}"
    }


async def test_401_refreshes_once(api: MockApi, client: AsyncOrderMeshClient) -> None:
    api.on(
        "auth.client_token",
        httpx.Response(200, json=token_answer(TOKEN)),
        httpx.Response(200, json=token_answer(TOKEN_2)),
    )
    api.on("orders.get", status(401), httpx.Response(200, json=ORDER), order_id=ORDER_ID)

    await client.orders.get(ORDER_ID)

    assert [r.headers["Authorization"] for r in api.calls("orders.get", order_id=ORDER_ID)] == [
        f"Bearer {TOKEN}",
        f"Bearer {TOKEN_2}",
    ]


async def test_401_twice_raises(api: MockApi, client: AsyncOrderMeshClient) -> None:
    api.on("orders.get", status(401), order_id=ORDER_ID)
    with pytest.raises(AuthenticationError):
        await client.orders.get(ORDER_ID)
    assert len(api.calls("orders.get", order_id=ORDER_ID)) == 2


async def test_500_is_not_retried(api: MockApi, client: AsyncOrderMeshClient, sleeps: Sleeps) -> None:
    api.on("orders.get", status(500, {"message": "Unhandled"}), order_id=ORDER_ID)
    with pytest.raises(ServerError) as caught:
        await client.orders.get(ORDER_ID)
    assert caught.value.api_message == "Unhandled"
    assert len(api.calls("orders.get", order_id=ORDER_ID)) == 1
    assert sleeps == []


async def test_connect_errors_are_retried(api: MockApi, client: AsyncOrderMeshClient) -> None:
    api.on("orders.get", httpx.ConnectError, httpx.Response(200, json=ORDER), order_id=ORDER_ID)
    assert (await client.orders.get(ORDER_ID)).id == ORDER_ID


async def test_a_dropped_refund_is_not_resent(api: MockApi, client: AsyncOrderMeshClient) -> None:
    api.on("orders.refund", httpx.ReadError, httpx.Response(204))
    refund = {"orderId": ORDER_ID, "refunds": [{"itemId": ITEM_ID, "amount": 4, "reason": "late"}]}

    with pytest.raises(OutcomeUnknownError):
        await client.orders.refund(refund)

    assert len(api.calls("orders.refund")) == 1


async def test_refund_204_is_none(api: MockApi, client: AsyncOrderMeshClient) -> None:
    api.on("orders.refund", httpx.Response(204))
    refund = {"orderId": ORDER_ID, "refunds": [{"itemId": ITEM_ID, "amount": 4, "reason": "late"}]}
    assert cast(object, await client.orders.refund(refund)) is None  # typed None: checked at run time
    assert json.loads(api.calls("orders.refund")[0].content)["refunds"][0]["amount"] == 4


async def test_create_conflict_returns_the_existing_order(api: MockApi, client: AsyncOrderMeshClient) -> None:
    api.on("orders.create", status(503), status(409))
    api.on(
        "orders.get_by_safe_id",
        httpx.Response(200, json={"order": {"id": ORDER_ID, "safeId": "S-9"}}),
        safe_id="S-9",
    )
    order = {
        "safeId": "S-9",
        "shippingAddress": {"firstName": "A", "line1": "1 St", "city": "C", "countryCode": "US"},
        "items": [{"sku": "MUG", "quantity": 1}],
    }

    created = await client.orders.create(order)

    assert created.already_existed and created.id == ORDER_ID
    assert {json.loads(r.content)["safeId"] for r in api.calls("orders.create")} == {"S-9"}


async def test_async_pagination_is_lazy_and_bounded(api: MockApi, client: AsyncOrderMeshClient) -> None:
    async def page(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params["page"])
        return httpx.Response(
            200,
            json={
                "shipments": [{"id": f"s-{number}-{i}"} for i in range(2)],
                "page": number,
                "pageSize": 2,
                "totalCount": 6,
            },
        )

    api.on("shipments.search", page)

    seen = [
        s.id
        async for s in aiter_pages(lambda n: client.shipments.search_page(page=n, page_size=2), max_items=4)
    ]

    assert seen == ["s-1-0", "s-1-1", "s-2-0", "s-2-1"]
    assert [r.url.params["page"] for r in api.calls("shipments.search")] == ["1", "2"]


async def test_the_shared_transport_is_one_per_event_loop_and_settings() -> None:
    first = AsyncTransport.shared(timeout=Timeout())
    other = AsyncTransport.shared(timeout=Timeout(read=5))
    assert AsyncTransport.shared(timeout=Timeout()) is first
    assert other is not first
    await first.aclose()
    await other.aclose()
