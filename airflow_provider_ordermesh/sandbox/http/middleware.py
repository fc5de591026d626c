"""The ASGI layer in front of every route: a request id on every answer, the state brought up to
the virtual clock, and for API routes the request counts and the fault rules.
"""

from __future__ import annotations

import asyncio
import logging
from http import HTTPStatus

from starlette.responses import JSONResponse
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from airflow_provider_ordermesh.client.endpoints import ENDPOINTS, Endpoint
from airflow_provider_ordermesh.sandbox.backend.errors import error_body
from airflow_provider_ordermesh.sandbox.backend.faults import FaultRule
from airflow_provider_ordermesh.sandbox.http.connections import drop_connection
from airflow_provider_ordermesh.sandbox.http.instance import SandboxInstance
from airflow_provider_ordermesh.sandbox.http.stats import DROPPED

logger = logging.getLogger(__name__)

REQUEST_ID_HEADER = "X-Request-Id"


class SandboxMiddleware:
    """Pure ASGI, so that it can hold an answer back, replace it, or drop the connection instead."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        instance: SandboxInstance = scope["app"].state.sandbox
        request_id = instance.next_request_id()
        scope.setdefault("state", {})["request_id"] = request_id
        instance.backend.catch_up()
        api_endpoint = _api_endpoint(scope)
        if api_endpoint is None:
            await self._serve(scope, receive, _Answer(send, request_id))
            return
        plan = instance.faults.plan(api_endpoint.name)
        if plan.expire_tokens_older_than is not None:
            instance.tokens.expire_older_than(plan.expire_tokens_older_than)
        answer = _Answer(send, request_id, hold=bool(plan.after))
        fault = await _wait_out(plan.before)
        if fault is None:
            await self._serve(scope, receive, answer)
            fault = await _wait_out(plan.after)
            if fault is None:
                await answer.release()
        if fault is not None:
            await _inflict(fault, scope, receive, answer)
        instance.stats.record(api_endpoint.name, answer.outcome, scope.get("client"))

    async def _serve(self, scope: Scope, receive: Receive, answer: _Answer) -> None:
        """Run the app; an unexpected error still answers in the API's error shape."""
        try:
            await self.app(scope, receive, answer.send)
        except Exception:
            logger.exception("unexpected error in the OrderMesh sandbox")
            if answer.status is not None:
                raise
            body = error_body(
                500, "unexpected error in the OrderMesh sandbox (see its log)", answer.request_id
            )
            await JSONResponse(body, status_code=500)(scope, receive, answer.send)


class _Answer:
    """The answer to one request: stamps the request id, remembers the status, can be held back."""

    def __init__(self, send: Send, request_id: str, *, hold: bool = False) -> None:
        self._send = send
        self._hold = hold
        self._held: list[Message] = []
        self.request_id = request_id
        self.status: int | None = None
        self.dropped = False

    @property
    def outcome(self) -> int | str:
        return DROPPED if self.dropped else self.status or 500

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            header = (REQUEST_ID_HEADER.lower().encode(), self.request_id.encode())
            message = {**message, "headers": [*message.get("headers", []), header]}
        if self._hold:
            self._held.append(message)
        else:
            await self._send(message)

    async def release(self) -> None:
        """Send what was held back."""
        self._hold = False
        for message in self._held:
            await self._send(message)
        self._held.clear()

    def discard(self) -> None:
        """Forget what was held back; the next message goes straight out."""
        self._hold = False
        self._held.clear()


def _api_endpoint(scope: Scope) -> Endpoint | None:
    """The API endpoint this request is routed to, found with the app's own router.

    Only our API routes carry a name; fastapi adds routes of its own, and recent releases
    (0.165 here: an included router) add some with no ``name`` at all; those are not API endpoints.
    """
    for route in scope["app"].router.routes:
        match, _ = route.matches(scope)
        if match is Match.FULL:
            name = getattr(route, "name", None)
            return ENDPOINTS.get(name) if name else None
    return None


async def _wait_out(rules: tuple[FaultRule, ...]) -> FaultRule | None:
    """Sleep through the latency rules; the first rule that replaces the answer, if any."""
    for rule in rules:
        if rule.kind != "latency":
            return rule
        await asyncio.sleep(rule.latency_ms / 1000)
    return None


async def _inflict(fault: FaultRule, scope: Scope, receive: Receive, answer: _Answer) -> None:
    """Answer with the fault instead of (or in place of) the app's answer."""
    answer.discard()
    if fault.kind == "drop":
        await drop_connection(scope)
        answer.dropped = True
        return
    message = f"{_phrase(fault.status)} (injected by the sandbox fault rule for {fault.route!r})"
    retry_after = fault.retry_after_header
    headers = {"Retry-After": retry_after} if retry_after is not None else None
    response = JSONResponse(
        error_body(fault.status, message, answer.request_id), fault.status, headers=headers
    )
    await response(scope, receive, answer.send)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP {status}"
