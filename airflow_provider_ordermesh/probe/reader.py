"""The probe's only way to the network: GET requests, refused for any other method before sending.

Two guards hold the read-only promise. ``Reader.read`` refuses an endpoint whose method is not
GET before it builds a request, and ``ReadOnlySession``, the session under the client's
transport, refuses any request on the wire that is not a GET, except the token request that
authentication needs. So not even a bug in the probe or the client can send a write.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlsplit

import requests

from airflow_provider_ordermesh.client.endpoints import ENDPOINTS, Endpoint
from airflow_provider_ordermesh.client.errors import ApiError, OrderMeshError, TransportError
from airflow_provider_ordermesh.client.operation import Operation

READ_METHOD: Final = "GET"

_TOKEN_PATHS: Final = frozenset(e.path for e in ENDPOINTS.values() if not e.authenticated)
"""Paths of the token requests (client token, login, refresh): the only non-GET the probe may send."""


class WriteRefusedError(RuntimeError):
    """The probe was about to send something other than a read; nothing was sent."""


class AuthenticationFailedError(RuntimeError):
    """The token request failed, so no read can be tried."""


def refuse_unless_read(method: str, what: str) -> None:
    """Raise ``WriteRefusedError`` unless ``method`` is GET: the probe's one rule, checked before sending."""
    if method.upper() != READ_METHOD:
        raise WriteRefusedError(f"the probe sends only {READ_METHOD} requests; refused {method} {what}")


class ReadOnlySession(requests.Session):
    """A ``requests.Session`` that sends GETs and token requests only, and keeps the last HTTP status."""

    def __init__(self) -> None:
        super().__init__()
        self.last_status: int | None = None

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        method = method.decode() if isinstance(method, bytes) else method
        url = url.decode() if isinstance(url, bytes) else url
        path = urlsplit(url).path
        if not any(path.endswith(token_path) for token_path in _TOKEN_PATHS):
            refuse_unless_read(method, path)
        self.last_status = None
        response = super().request(method, url, *args, **kwargs)
        self.last_status = response.status_code
        return response


@dataclass(frozen=True)
class Answer:
    """What one read got back: the HTTP status, the JSON (if it was JSON) or why there is none."""

    status: int | None
    data: Any = None
    error: str | None = None
    api_message: str | None = None


class Reader:
    """Reads one endpoint through the client, so that auth, retries and error typing are the client's."""

    def __init__(self, client: Any, session: ReadOnlySession):
        """``client`` is an ``OrderMeshClient`` built on ``session``."""
        self._client = client
        self._session = session

    def read(
        self,
        endpoint: Endpoint,
        path_params: Mapping[str, str],
        query: Mapping[str, str | list[str]] | None = None,
    ) -> Answer:
        """GET one endpoint and return its raw answer; raises ``WriteRefusedError`` for any other method."""
        refuse_unless_read(endpoint.method, endpoint.name)
        operation = Operation(
            endpoint=endpoint, parse=_raw, path_params=dict(path_params), query=dict(query) if query else None
        )
        try:
            data = self._client.execute(operation)
        except ApiError as exc:
            if exc.path in _TOKEN_PATHS:
                raise AuthenticationFailedError(
                    f"authentication failed: OrderMesh answered {exc.status}"
                ) from None
            return Answer(exc.status, error=f"HTTP {exc.status}", api_message=exc.api_message)
        except TransportError as exc:
            return Answer(None, error=type(exc).__name__)
        except (OrderMeshError, ValueError) as exc:  # an answer below 400 that could not be decoded
            return Answer(self._session.last_status, error=f"the answer is not JSON ({type(exc).__name__})")
        return Answer(self._session.last_status, data)


def _raw(data: Any) -> Any:
    return data
