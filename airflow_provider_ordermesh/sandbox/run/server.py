"""The sandbox served over real HTTP on a background thread, like moto's ``ThreadedMotoServer``.

``start()`` returns once the socket listens (port 0 picks a free one), ``stop()`` shuts uvicorn
down and joins its thread; the command line runs this same server.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from types import TracebackType
from typing import Any, Self

import uvicorn

from airflow_provider_ordermesh.sandbox.backend.config import SandboxConfig
from airflow_provider_ordermesh.sandbox.http.app import create_app
from airflow_provider_ordermesh.sandbox.http.connections import DroppableH11Protocol
from airflow_provider_ordermesh.sandbox.http.instance import SandboxInstance
from airflow_provider_ordermesh.sandbox.run.webhooks import WebhookDispatcher


class _ReportingServer(uvicorn.Server):
    """uvicorn's server, setting an event once it accepts connections."""

    def __init__(self, config: uvicorn.Config, ready: threading.Event) -> None:
        super().__init__(config)
        self._ready = ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self._ready.set()


class SandboxServer:
    """A sandbox listening on ``host:port``; the keyword arguments are ``SandboxConfig`` settings."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        log_level: str = "warning",
        access_log: bool = False,
        **config: Any,
    ) -> None:
        self.config = SandboxConfig(**config)
        self.app = create_app(self.config)
        self.host = host
        self._requested_port = port
        self._log_level = log_level
        self._access_log = access_log
        self._socket: socket.socket | None = None
        self._server: _ReportingServer | None = None
        self._thread: threading.Thread | None = None
        self._dispatcher: WebhookDispatcher | None = None

    @property
    def instance(self) -> SandboxInstance:
        """The running sandbox's state, tokens, faults and counts."""
        instance: SandboxInstance = self.app.state.sandbox
        return instance

    @property
    def port(self) -> int:
        if self._socket is None:
            raise RuntimeError("the sandbox server is not started")
        return int(self._socket.getsockname()[1])

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self, timeout: float = 10.0) -> Self:
        """Listen and serve on a daemon thread; returns once requests are accepted."""
        if self._thread is not None:
            raise RuntimeError("the sandbox server is already started")
        self._socket = socket.create_server((self.host, self._requested_port))
        ready = threading.Event()
        config = uvicorn.Config(
            self.app,
            http=DroppableH11Protocol,
            log_config=None,
            log_level=self._log_level,
            access_log=self._access_log,
            timeout_graceful_shutdown=5,
        )
        self._server = _ReportingServer(config, ready)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [self._socket]},
            name=f"ordermesh-sandbox-{self.port}",
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not ready.wait(0.05):
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the OrderMesh sandbox did not start; see the log above")
        self._dispatcher = WebhookDispatcher(self.instance.webhooks)
        self._dispatcher.start()
        return self

    def stop(self) -> None:
        """Shut down and wait for the server thread; a stopped server may be started again."""
        if self._dispatcher is not None:
            self._dispatcher.stop()
            self._dispatcher = None
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join()
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None

    def connection_json(self, **extra: Any) -> str:
        """An ``AIRFLOW_CONN_...`` value (JSON) that points the ``ordermesh`` connection here."""
        return json.dumps(
            {
                "conn_type": "ordermesh",
                "host": self.url,
                "login": self.config.client_id,
                "password": self.config.client_secret,
                "extra": {"portal_url": f"{self.url}/portal", **extra},
            }
        )

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()
