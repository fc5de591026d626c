"""An OrderMesh that differs from our reconstruction, built around the sandbox app for the probe's tests.

``AlteredApi`` wraps the sandbox's ASGI app: it can move one path (the old one answers 404, the
new one serves what the old did) and rename one field in the answers of one endpoint, as a real
OrderMesh might. It also logs every request's method and path, the probe's no-write witness.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from airflow_provider_ordermesh.client.endpoints import Endpoint


def path_pattern(endpoint: Endpoint) -> re.Pattern[str]:
    """A regex for the endpoint's concrete paths: each ``{placeholder}`` is one segment."""
    return re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(endpoint.path)) + "$")


@dataclass(frozen=True)
class MovedPath:
    """``endpoint`` (a literal path) now lives at ``new_path``."""

    endpoint: Endpoint
    new_path: str


@dataclass(frozen=True)
class RenamedField:
    """In ``endpoint``'s answers, the top-level record field ``old`` is called ``new``."""

    endpoint: Endpoint
    old: str
    new: str


class AlteredApi:
    """The sandbox app, with an optional moved path and renamed field, logging every request."""

    def __init__(self, app: Any, *, moved: MovedPath | None = None, renamed: RenamedField | None = None):
        self.app: ASGIApp = app
        self.state = app.state  # SandboxServer.instance reads the sandbox state from here
        self.moved = moved
        self.renamed = renamed
        self.requests: list[tuple[str, str]] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, method = scope["path"], scope["method"]
        if not path.startswith("/_sandbox"):
            self.requests.append((method, path))
        if self.moved and path == self.moved.endpoint.path:
            await _not_found(send)
            return
        if self.moved and path == self.moved.new_path:
            scope = {**scope, "path": self.moved.endpoint.path, "raw_path": self.moved.endpoint.path.encode()}
        renamed = self.renamed
        if renamed and method == renamed.endpoint.method and path_pattern(renamed.endpoint).match(path):
            await self.app(scope, receive, _RenamingSend(send, renamed))
            return
        await self.app(scope, receive, send)


class _RenamingSend:
    """Holds the answer back, renames the field in its JSON body, and sends it with a fixed length."""

    def __init__(self, send: Send, renamed: RenamedField):
        self._send = send
        self._renamed = renamed
        self._start: Message | None = None
        self._body = b""

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self._start = message
            return
        self._body += message.get("body", b"")
        if message.get("more_body"):
            return
        body = self._rename(self._body)
        assert self._start is not None
        headers = [(k, v) for k, v in self._start["headers"] if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await self._send({**self._start, "headers": headers})
        await self._send({"type": "http.response.body", "body": body})

    def _rename(self, body: bytes) -> bytes:
        data = json.loads(body)
        key = self._renamed.endpoint.response_key
        record = data[key] if key else data
        if isinstance(record, dict) and self._renamed.old in record:
            record[self._renamed.new] = record.pop(self._renamed.old)
        return json.dumps(data).encode()


async def _not_found(send: Send) -> None:
    body = json.dumps({"statusCode": 404, "message": "Not Found"}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 404, "headers": headers})
    await send({"type": "http.response.body", "body": body})
