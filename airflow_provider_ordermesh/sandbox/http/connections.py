"""Dropping a client's connection on purpose, for the ``drop`` fault.

ASGI gives an app no handle on its socket, so the sandbox's server runs uvicorn with an HTTP/1.1
protocol that puts each connection's transport into the request scope's ``state``. Closing it
before any byte of the answer makes ``requests`` raise ``ConnectionError`` (see ``faults.py``).
"""

from __future__ import annotations

import asyncio
from typing import Final

from starlette.types import Scope
from uvicorn.protocols.http.h11_impl import H11Protocol

TRANSPORT_KEY: Final = "ordermesh_sandbox.transport"


class DroppableH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, handing every request of a connection that connection's transport."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.app_state = {**self.app_state, TRANSPORT_KEY: transport}


async def drop_connection(scope: Scope) -> None:
    """Close the connection of this request without answering it."""
    transport = scope.get("state", {}).get(TRANSPORT_KEY)
    if transport is None:
        raise RuntimeError("drop faults need the sandbox's own server (SandboxServer or ordermesh-sandbox)")
    transport.close()
    await asyncio.sleep(0)  # uvicorn learns the connection is gone before the app returns, and stays quiet
