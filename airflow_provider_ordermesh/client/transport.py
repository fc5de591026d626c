"""The wire: send one HTTP request and return a ``Response``, or raise a ``TransportError``.

Transports know nothing of OrderMesh. They only send, and sort library exceptions into
"never sent" (safe to retry) and "maybe applied" (the request left; the answer was lost), which
is what the retry flow needs to keep non-idempotent calls from being applied twice.
"""

from __future__ import annotations

import asyncio
import ipaddress
import weakref
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

from airflow_provider_ordermesh.client.defaults import DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT
from airflow_provider_ordermesh.client.errors import TransportError
from airflow_provider_ordermesh.client.operation import Response

TLS_ERROR: Final = "TLS error"


@dataclass(frozen=True)
class Timeout:
    """Seconds to wait for a connection, and for each read of the answer."""

    connect: float = DEFAULT_CONNECT_TIMEOUT
    read: float = DEFAULT_READ_TIMEOUT


@dataclass(frozen=True)
class Request:
    """One HTTP request, ready to send: the full URL, and ``path`` (the endpoint's, for messages)."""

    method: str
    url: str
    path: str
    headers: dict[str, str] = field(repr=False)  # carries the bearer token
    params: Any = None
    content: bytes | None = field(default=None, repr=False)  # may carry a secret (token requests)


class SyncTransport:
    """A pooled ``requests.Session``; urllib3's own retries are off (the retry flow owns them)."""

    def __init__(
        self,
        *,
        timeout: Timeout,
        verify: bool | str = True,
        pool_size: int = 16,
        session: requests.Session | None = None,
    ):
        """Pool up to ``pool_size`` connections per host; a given ``session`` is used as it is (its
        adapters, hence its pool and retries, are the caller's)."""
        self.timeout = timeout
        self.verify = verify
        self.session = session or requests.Session()
        if session is None:
            adapter = HTTPAdapter(pool_connections=4, pool_maxsize=pool_size, max_retries=0)
            self.session.mount("https://", adapter)
            self.session.mount("http://", adapter)

    def send(self, request: Request) -> Response:
        """Send ``request`` once, without redirects, and return the answer whatever its status.

        Raises ``TransportError`` saying whether the request may have been applied (see the module).
        """
        try:
            answer = self.session.request(
                request.method,
                request.url,
                headers=request.headers,
                params=request.params,
                data=request.content,
                timeout=(self.timeout.connect, self.timeout.read),
                verify=self.verify,
                allow_redirects=False,
            )
            return Response(status=answer.status_code, headers=dict(answer.headers), content=answer.content)
        except requests.exceptions.SSLError as exc:
            raise _failure(request, TLS_ERROR, exc, retryable=False, maybe_applied=False) from None
        except requests.exceptions.ConnectTimeout as exc:
            raise _failure(request, "connect timeout", exc, retryable=True, maybe_applied=False) from None
        except requests.exceptions.ReadTimeout as exc:
            raise _failure(request, "read timeout", exc, retryable=True, maybe_applied=True) from None
        except requests.exceptions.ChunkedEncodingError as exc:
            raise _failure(
                request, "connection dropped mid-answer", exc, retryable=True, maybe_applied=True
            ) from None
        except requests.exceptions.ConnectionError as exc:
            never_sent = _is_connect_failure(exc)
            raise _failure(
                request,
                "connection failed" if never_sent else "connection dropped",
                exc,
                retryable=True,
                maybe_applied=not never_sent,
            ) from None
        except requests.exceptions.RequestException as exc:
            raise _failure(request, "request failed", exc, retryable=False, maybe_applied=True) from None

    def close(self) -> None:
        """Close the session's pooled connections."""
        self.session.close()


def _is_connect_failure(exc: BaseException) -> bool:
    """True when the connection was never made, so the request cannot have reached the server."""
    import urllib3.exceptions

    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(
            current,
            (
                urllib3.exceptions.NewConnectionError,
                urllib3.exceptions.ConnectTimeoutError,
                ConnectionRefusedError,
            ),
        ):
            return True
        if isinstance(current, urllib3.exceptions.MaxRetryError) and current.reason is not None:
            current = current.reason
            continue
        current = (
            current.args[0]
            if current.args and isinstance(current.args[0], BaseException)
            else (current.__cause__ or current.__context__)
        )
    return False


def _failure(
    request: Request, what: str, exc: BaseException, *, retryable: bool, maybe_applied: bool
) -> TransportError:
    # Only the exception's type and the host and port go into the message: the exception's text
    # can carry URLs with query strings.
    parts = urlsplit(request.url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    text = f"{what} talking to {parts.hostname}:{port} ({type(exc).__name__})"
    if what == TLS_ERROR and parts.scheme == "https" and is_loopback_host(parts.hostname or ""):
        text += (
            f"; the local sandbox speaks plain http: set the connection's host to "
            f"http://{parts.hostname}:{port} (a host without a scheme means https)"
        )
    return TransportError(
        text, method=request.method, path=request.path, retryable=retryable, maybe_applied=maybe_applied
    )


def is_loopback_host(host: str) -> bool:
    """``localhost`` or a loopback address: the local sandbox, where plain http is allowed."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class AsyncTransport:
    """An ``httpx.AsyncClient`` shared by every async client of the same event loop and settings.

    Hundreds of triggers in one triggerer then reuse a handful of pooled connections instead of
    opening their own.
    """

    _shared: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[tuple[Any, ...], AsyncTransport]] = (
        weakref.WeakKeyDictionary()
    )

    def __init__(
        self, *, timeout: Timeout, verify: bool | str = True, max_connections: int = 20, transport: Any = None
    ):
        """``transport`` is an optional ``httpx.AsyncBaseTransport`` (e.g. ``httpx.MockTransport`` in tests)."""
        import httpx

        self.timeout = timeout
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout.read, connect=timeout.connect),
            verify=verify,
            limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections),
            follow_redirects=False,
            transport=transport,
        )

    @classmethod
    def shared(cls, *, timeout: Timeout, verify: bool | str = True) -> AsyncTransport:
        """The transport for the running event loop and these settings, created on first use."""
        loop = asyncio.get_running_loop()
        per_loop = cls._shared.setdefault(loop, {})
        key = (timeout, verify)
        if key not in per_loop:
            per_loop[key] = cls(timeout=timeout, verify=verify)
        return per_loop[key]

    async def send(self, request: Request) -> Response:
        """Send ``request`` once and return the answer, whatever its status.

        Raises ``TransportError``: "connection failed" (never sent) or "connection dropped" (the
        request left, the answer was lost).
        """
        import httpx

        try:
            answer = await self._client.request(
                request.method,
                request.url,
                headers=request.headers,
                params=request.params,
                content=request.content,
            )
            return Response(status=answer.status_code, headers=dict(answer.headers), content=answer.content)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise _failure(request, "connection failed", exc, retryable=True, maybe_applied=False) from None
        except httpx.TransportError as exc:
            raise _failure(request, "connection dropped", exc, retryable=True, maybe_applied=True) from None

    async def aclose(self) -> None:
        """Close the pooled connections; the transport cannot send afterwards."""
        await self._client.aclose()
