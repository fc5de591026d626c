"""``OrderMeshClient`` (sync, requests) and ``AsyncOrderMeshClient`` (async, httpx).

Both share everything but the wire: configuration checks, request building, the endpoint
table, the models, the token cache and the retry flow (``operation.call_flow``, stepped by
``_FlowRun``). Each driver below only sends and sleeps, with its own transport and sleep.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Generator
from typing import Any, Generic, Self, TypeVar
from urllib.parse import urlsplit

from airflow_provider_ordermesh import __version__
from airflow_provider_ordermesh.client.auth import Credentials, TokenManager
from airflow_provider_ordermesh.client.errors import ConfigurationError, TransportError
from airflow_provider_ordermesh.client.operation import (
    JsonBytes,
    Operation,
    Outcome,
    Reauthenticate,
    Send,
    Sleep,
    Step,
    call_flow,
)
from airflow_provider_ordermesh.client.resources import (
    AsyncCatalog,
    AsyncNotes,
    AsyncOrderItems,
    AsyncOrders,
    AsyncPackingSlips,
    AsyncShipments,
    Catalog,
    Notes,
    OrderItems,
    Orders,
    PackingSlips,
    Shipments,
)
from airflow_provider_ordermesh.client.retry import DEFAULT_MAX_RETRIES, RetryPolicy
from airflow_provider_ordermesh.client.transport import (
    AsyncTransport,
    Request,
    SyncTransport,
    Timeout,
    is_loopback_host,
)

T = TypeVar("T")

DEFAULT_BASE_URL = "https://api.ordermesh.io"
USER_AGENT = f"airflow-provider-ordermesh/{__version__}"


def normalise_base_url(base_url: str, *, allow_insecure_http: bool = False) -> str:
    """The base URL without a trailing slash; plain ``http`` only for loopback unless allowed."""
    url = (base_url or "").strip()
    if "://" not in url:
        url = f"https://{url}"
    parts = urlsplit(url)
    if parts.username or parts.password:  # checked first: the messages below repeat the URL
        raise ConfigurationError(
            "put credentials in the connection's login and password, not in the base URL"
        )
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(f"base URL {base_url!r} is not an http(s) URL such as {DEFAULT_BASE_URL!r}")
    if parts.scheme == "http" and not allow_insecure_http and not is_loopback_host(parts.hostname):
        raise ConfigurationError(
            f"refusing plain http to {parts.hostname}: tokens and secrets would travel unencrypted. Use https, "
            "or set allow_insecure_http=True (connection extra) if you really mean it"
        )
    return url.rstrip("/")


class _ClientBase:
    """Configuration and request building shared by the sync and async clients."""

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        credentials: Credentials | None = None,
        *,
        timeout: Timeout | float | tuple[float, float] = Timeout(),
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_policy: RetryPolicy | None = None,
        verify: bool | str = True,
        allow_insecure_http: bool = False,
        on_new_token: Callable[[str], None] | None = None,
    ):
        if credentials is None:
            raise ConfigurationError(
                "OrderMesh credentials are required (client id and secret, or username and password)"
            )
        if max_retries < 0:
            raise ConfigurationError("max_retries must be 0 or more")
        self.base_url = normalise_base_url(base_url, allow_insecure_http=allow_insecure_http)
        self.timeout = _as_timeout(timeout)
        self.retry_policy = retry_policy or RetryPolicy(max_retries=max_retries)
        self.verify = verify
        self.tokens = TokenManager(credentials, self.base_url, on_new_token=on_new_token)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, auth={self.tokens.credentials.kind!r})"

    def _request(self, operation: Operation[Any], token: str | None) -> Request:
        headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
        content = None
        body = operation.body
        if body is not None:
            headers["Content-Type"] = "application/json"
            encoded = isinstance(body, JsonBytes)
            content = body.content if encoded else json.dumps(body, separators=(",", ":")).encode()
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return Request(
            method=operation.method,
            url=self.base_url + operation.path,
            path=operation.path,
            headers=headers,
            params=operation.query,
            content=content,
        )


class _FlowRun(Generic[T]):
    """One run of ``call_flow`` as both drivers step it: everything but the I/O (sending, sleeping).

    ``next_step`` hands the driver the next ``Send`` or ``Sleep`` (handling ``Reauthenticate``,
    which only drops the cached token), or None once ``result`` is ready.
    """

    def __init__(self, flow: Generator[Step, Outcome, T], tokens: TokenManager) -> None:
        self._flow = flow
        self._tokens = tokens
        self._started = False
        self.token: str | None = None
        """The token the last ``Send`` carried: the one to drop when the API refused it."""
        self.result: T

    def next_step(self, outcome: Outcome = None) -> Send | Sleep | None:
        while True:
            try:
                step = self._flow.send(outcome) if self._started else next(self._flow)
            except StopIteration as done:
                self.result = done.value
                return None
            self._started = True
            if not isinstance(step, Reauthenticate):
                return step
            self._tokens.invalidate(self.token)
            outcome = None


def _as_timeout(timeout: Timeout | float | tuple[float, float]) -> Timeout:
    if isinstance(timeout, Timeout):
        return timeout
    if isinstance(timeout, tuple):
        return Timeout(connect=float(timeout[0]), read=float(timeout[1]))
    return Timeout(connect=min(float(timeout), 10.0), read=float(timeout))


class OrderMeshClient(_ClientBase):
    """The OrderMesh API in plain Python (no Airflow): resource groups with one method per operation.

    ``client.orders``, ``client.order_items``, ``client.shipments``, ``client.packing_slips``,
    ``client.notes`` and ``client.catalog``. Thread-safe; share one per process.
    """

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        credentials: Credentials | None = None,
        *,
        pool_size: int = 16,
        session: Any = None,
        sleep: Callable[[float], None] = time.sleep,
        **options: Any,
    ):
        super().__init__(base_url, credentials, **options)
        self.transport = SyncTransport(
            timeout=self.timeout, verify=self.verify, pool_size=pool_size, session=session
        )
        self._sleep = sleep
        self.orders = Orders(self.execute)
        self.order_items = OrderItems(self.execute)
        self.shipments = Shipments(self.execute)
        self.packing_slips = PackingSlips(self.execute)
        self.notes = Notes(self.execute)
        self.catalog = Catalog(self.execute)

    def execute(self, operation: Operation[T]) -> T:
        """Run one ``Operation`` to its parsed result, with the client's auth, retries and error types.

        Every resource method ends here; it is public for tools that read an endpoint no method
        wraps (the probe). Raises the ``client.errors`` types the resource methods document.
        """
        run = _FlowRun(call_flow(operation, self.retry_policy), self.tokens)
        step = run.next_step()
        while step is not None:
            outcome: Outcome = None
            if isinstance(step, Send):
                run.token = self._token() if step.operation.endpoint.authenticated else None
                try:
                    outcome = self.transport.send(self._request(step.operation, run.token))
                except TransportError as exc:
                    outcome = exc
            else:
                self._sleep(step.seconds)
            step = run.next_step(outcome)
        return run.result

    def _token(self) -> str:
        return self.tokens.current() or self.tokens.fetch(self.execute)

    def close(self) -> None:
        """Close the pooled connections."""
        self.transport.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncOrderMeshClient(_ClientBase):
    """The same API for asyncio code (triggers): the same groups, with ``async def`` methods.

    ``await client.orders.get(order_id)``; paged reads are async iterators
    (``async for order in client.orders.search({...})``); ``async with AsyncOrderMeshClient(...)``
    closes a transport given to the client on exit. Without one, connections are pooled per
    event loop and shared by every async client in it, and stay open for the others.
    """

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        credentials: Credentials | None = None,
        *,
        transport: AsyncTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        **options: Any,
    ):
        super().__init__(base_url, credentials, **options)
        self._transport = transport
        self._sleep = sleep
        self.orders = AsyncOrders(self.execute)
        self.order_items = AsyncOrderItems(self.execute)
        self.shipments = AsyncShipments(self.execute)
        self.packing_slips = AsyncPackingSlips(self.execute)
        self.notes = AsyncNotes(self.execute)
        self.catalog = AsyncCatalog(self.execute)

    def sharing_key(self) -> tuple[Any, ...]:
        """What makes two async clients interchangeable: the same base URL, token cache (hence
        identity), timeouts, TLS check, retry policy, token hook, sleep and transport.

        Two clients with equal keys send a request identically, so one may send it for the other
        (the triggers' shared searches, ``waits.coalesce``, rely on this).
        """
        return (
            self.base_url,
            self.tokens.cache,
            self.timeout,
            self.verify,
            self.retry_policy,
            self.tokens.on_new_token,
            self._transport,
            self._sleep,
        )

    @property
    def transport(self) -> AsyncTransport:
        """The transport given to the client, else the one shared in the running event loop."""
        return self._transport or AsyncTransport.shared(timeout=self.timeout, verify=self.verify)

    async def execute(self, operation: Operation[T]) -> T:
        """Run one ``Operation`` to its parsed result; the async twin of ``OrderMeshClient.execute``."""
        run = _FlowRun(call_flow(operation, self.retry_policy), self.tokens)
        step = run.next_step()
        while step is not None:
            outcome: Outcome = None
            if isinstance(step, Send):
                run.token = await self._token() if step.operation.endpoint.authenticated else None
                try:
                    outcome = await self.transport.send(self._request(step.operation, run.token))
                except TransportError as exc:
                    outcome = exc
            else:
                await self._sleep(step.seconds)
            step = run.next_step(outcome)
        return run.result

    async def _token(self) -> str:
        return self.tokens.current() or await self.tokens.afetch(self.execute)

    async def aclose(self) -> None:
        """Close the transport given to this client; the shared per-loop transport stays open."""
        if self._transport is not None:
            await self._transport.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
