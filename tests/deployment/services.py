"""The distributed profile's backing services: a private PostgreSQL cluster and a Redis broker.

Each is started on a free loopback port in a folder of its own, as its own process group, and
stopped by that group (``stop()``), also after a failure. Nothing is persisted: PostgreSQL's
folder is removed on stop, Redis runs without snapshots or an append-only file.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from airflow_deployment import Component, DeploymentError, free_port, tail, wait_for

POSTGRES_USER = "postgres"
"""initdb and postgres refuse to run as root: the cluster belongs to Debian's ``postgres`` user."""
POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")
"""Debian's postgresql-15 (on the machine image); its server binaries are not on PATH."""


def _as_postgres(*args: str) -> list[str]:
    return ["runuser", "-u", POSTGRES_USER, "--", *args]


def _spawn(name: str, args: list[str], log_path: Path) -> Component:
    """A service process as leader of its own process group, its output in ``log_path``."""
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
    return Component(name, process, log_path)


@dataclass
class PostgresServer:
    """A throw-away PostgreSQL cluster (trust auth, loopback only) owned by the ``postgres`` user."""

    logs: Path
    port: int = field(default_factory=free_port)
    data: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="ordermesh-pg-")))
    component: Component | None = None

    @property
    def url(self) -> str:
        """SQLAlchemy URL; ``+psycopg2`` because SQLAlchemy 2.1 maps bare ``postgresql`` to psycopg 3."""
        return f"postgresql+psycopg2://{POSTGRES_USER}@127.0.0.1:{self.port}/postgres"

    def start(self, timeout: float = 60) -> None:
        shutil.chown(self.data, user=POSTGRES_USER)
        init_log = self.logs / "postgres-initdb.log"
        with init_log.open("wb") as log:
            result = subprocess.run(
                _as_postgres(
                    str(POSTGRES_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"
                ),
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=120,
                check=False,
            )
        if result.returncode != 0:
            raise DeploymentError(f"initdb failed:\n{tail(init_log)}")
        server = _as_postgres(
            str(POSTGRES_BIN / "postgres"),
            *("-D", str(self.data), "-p", str(self.port), "-k", str(self.data)),
            *("-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300", "-c", "fsync=off"),
        )
        self.component = _spawn("postgres", server, self.logs / "postgres.log")
        wait_for("PostgreSQL to accept connections", self._ready, timeout)

    def _ready(self) -> bool:
        assert self.component is not None
        if not self.component.alive():
            raise DeploymentError(f"postgres exited:\n{tail(self.component.log_path)}")
        probe = [str(POSTGRES_BIN / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), "-q"]
        return subprocess.run(probe, check=False, timeout=10).returncode == 0

    def stop(self) -> None:
        """Fast shutdown (SIGINT: disconnect clients, no waiting for them), then remove the cluster."""
        if self.component is not None:
            if self.component.alive():
                self.component.signal_group(signal.SIGINT)
            self.component.stop()
        shutil.rmtree(self.data, ignore_errors=True)


@dataclass
class RedisServer:
    """A Redis on loopback for Celery's broker, persisting nothing."""

    logs: Path
    port: int = field(default_factory=free_port)
    component: Component | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 30) -> None:
        redis = shutil.which("redis-server")
        if redis is None:
            raise DeploymentError("redis-server is not installed (Debian: apt-get install -y redis-server)")
        args = [redis, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        args += ["--dir", str(self.logs)]
        self.component = _spawn("redis", args, self.logs / "redis.log")
        wait_for("Redis to answer PING", self._ready, timeout)

    def _ready(self) -> bool:
        assert self.component is not None
        if not self.component.alive():
            raise DeploymentError(f"redis-server exited:\n{tail(self.component.log_path)}")
        return _ping(self.port)

    def stop(self) -> None:
        if self.component is not None:
            self.component.stop()


def _ping(port: int) -> bool:
    """Whether a Redis answers PING on the loopback ``port`` (no redis-cli needed)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


LAKE_BUCKET = "ordermesh-lake"
"""The distributed deployment's export bucket on moto's S3 server."""


@dataclass
class MotoS3Server:
    """moto's S3 server on loopback: the object store a distributed deployment's workers share."""

    logs: Path
    port: int = field(default_factory=free_port)
    component: Component | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> None:
        args = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)]
        self.component = _spawn("moto", args, self.logs / "moto.log")
        wait_for("moto's S3 server to listen", self._ready, timeout, interval=0.1)

    def _ready(self) -> bool:
        assert self.component is not None
        if not self.component.alive():
            raise DeploymentError(f"moto's server exited:\n{tail(self.component.log_path)}")
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
        except OSError:
            return False
        return True

    def stop(self) -> None:
        if self.component is not None:
            self.component.stop()
