"""One mocked API for both clients, so that one test table drives the sync and the async client.

``SyncWire`` answers through requests-mock and runs ``OrderMeshClient``; ``AsyncWire`` answers
through ``httpx.MockTransport`` and runs ``AsyncOrderMeshClient`` in a fresh event loop. Both
record what was sent as ``Sent``, so a test states the wire once and checks it for both.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import requests_mock
from client.api_mock import (
    BASE_URL,
    NO_JITTER,
    Sleeps,
    client_credentials,
    make_client,
    register,
    token_answer,
)

from airflow_provider_ordermesh.client import AsyncOrderMeshClient, OrderMeshClient
from airflow_provider_ordermesh.client.endpoints import ENDPOINTS
from airflow_provider_ordermesh.client.transport import AsyncTransport, Timeout

AUTH_PATHS = frozenset(e.path for e in ENDPOINTS.values() if e.name.startswith("auth."))


@dataclass(frozen=True)
class Sent:
    """One request as it went on the wire: method, exact path, query, JSON body, headers."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    headers: dict[str, str]

    @classmethod
    def of(cls, method: str, target: str, content: bytes | str | None, headers: Any) -> Sent:
        """From the request target as sent (a URL, or a path with its query string)."""
        parts = urlsplit(target)
        return cls(
            method=method,
            path=parts.path,
            query=parse_qs(parts.query, keep_blank_values=True),
            body=json.loads(content) if content else None,
            headers={k.lower(): v for k, v in dict(headers).items()},
        )

    @property
    def bearer(self) -> str | None:
        value = self.headers.get("authorization")
        return value.removeprefix("Bearer ") if value else None


class SyncWire:
    """The sync client against requests-mock."""

    kind = "sync"

    def __init__(self, mock: requests_mock.Mocker):
        self.mock = mock

    def answer(
        self,
        name: str,
        *,
        path_params: dict[str, str] | None = None,
        status: int = 200,
        json_body: Any = None,
        content: bytes | None = None,
    ) -> None:
        response: dict[str, Any] = {"status_code": status}
        if json_body is not None:
            response["json"] = json_body
        elif content is not None:
            response["content"] = content
        register(self.mock, name, path_params=path_params, **response)

    def run(self, call: Callable[[Any], Any]) -> Any:
        """``call(client)``; an iterator it returns is read to the end."""
        with make_client(sleep=Sleeps()) as client:
            result = call(client)
            return list(result) if inspect.isgenerator(result) else result

    def sent(self) -> list[Sent]:
        return [
            Sent.of(r.method, r.url, r.body, r.headers)
            for r in self.mock.request_history
            if urlsplit(r.url).path not in AUTH_PATHS
        ]

    def client_type(self) -> type:
        return OrderMeshClient


class AsyncWire:
    """The async client against ``httpx.MockTransport``, each run in its own event loop."""

    kind = "async"

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.answers: dict[tuple[str, str], httpx.Response] = {
            ("POST", ENDPOINTS["auth.client_token"].path): httpx.Response(200, json=token_answer()),
        }

    def answer(
        self,
        name: str,
        *,
        path_params: dict[str, str] | None = None,
        status: int = 200,
        json_body: Any = None,
        content: bytes | None = None,
    ) -> None:
        endpoint = ENDPOINTS[name]
        key = (endpoint.method, endpoint.format_path(**(path_params or {})))
        if json_body is not None:
            self.answers[key] = httpx.Response(status, json=json_body)
        else:
            self.answers[key] = httpx.Response(status, content=content or b"")

    async def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        raw_path = request.url.raw_path.decode().split("?")[0]
        answer = self.answers.get((request.method, raw_path))
        return answer if answer is not None else httpx.Response(404, json={"message": "no such mocked route"})

    def run(self, call: Callable[[Any], Any]) -> Any:
        """``await call(client)``; an async iterator it returns is read to the end."""

        async def main() -> Any:
            transport = AsyncTransport(timeout=Timeout(), transport=httpx.MockTransport(self._handle))
            async with AsyncOrderMeshClient(
                BASE_URL, client_credentials(), transport=transport, sleep=_no_sleep, retry_policy=NO_JITTER
            ) as client:
                result = call(client)
                if hasattr(result, "__aiter__"):
                    return [item async for item in result]
                assert inspect.isawaitable(result), (
                    f"async client returned {type(result).__name__}, not an awaitable"
                )
                return await result

        return asyncio.run(main())

    def sent(self) -> list[Sent]:
        return [
            Sent.of(r.method, r.url.raw_path.decode(), r.content, r.headers)
            for r in self.requests
            if r.url.path not in AUTH_PATHS
        ]

    def client_type(self) -> type:
        return AsyncOrderMeshClient


async def _no_sleep(seconds: float) -> None:
    return None
