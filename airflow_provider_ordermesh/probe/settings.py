"""Where the probe connects, and with what: an Airflow connection, or flags and environment.

``--host`` (or ``ORDERMESH_HOST``) with a client id and secret, or a username and password,
works where Airflow has no connection or configuration; otherwise the probe reads the
connection ``--conn-id`` (default ``ordermesh_default``) through ``OrderMeshHook``, importing
Airflow only then. Either way the client is built on the probe's read-only session.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from airflow_provider_ordermesh.client.errors import ConfigurationError
from airflow_provider_ordermesh.client.inputs import path_id_problem
from airflow_provider_ordermesh.probe.plan import id_names
from airflow_provider_ordermesh.probe.reader import ReadOnlySession

DEFAULT_CONN_ID = "ordermesh_default"
ENV_PREFIX = "ORDERMESH_"
_FROM_ENV = ("host", "client_id", "client_secret", "username", "password")
"""Settings that may come from ``ORDERMESH_<NAME>`` instead of a flag (secrets preferably so)."""


@dataclass(frozen=True)
class ProbeSettings:
    """Everything one probe run needs, validated."""

    conn_id: str | None = None
    host: str | None = None
    client_id: str | None = None
    client_secret: SecretStr | None = field(default=None, repr=False)
    username: str | None = None
    password: SecretStr | None = field(default=None, repr=False)
    ids: Mapping[str, str] = field(default_factory=dict, repr=False)
    report: Path | None = None
    timeout: float | None = None
    max_retries: int | None = None


def _id_value(text: str) -> str:
    """An id option, checked by the client's one id rule (the probe sends it in a path)."""
    value = text.strip()
    problem = path_id_problem(value)
    if problem:
        raise argparse.ArgumentTypeError(f"the id {problem}")
    return value


def _report_path(text: str) -> Path:
    """The report's path, checked before any read: a file that can be written (tried by opening it
    for appending, removed again if it did not exist), so that no probe run ends without its report."""
    path = Path(text).expanduser()
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r} is a folder; give the path of the report file to write")
    existed = path.exists()
    try:
        with path.open("a", encoding="utf-8"):
            pass
    except OSError as exc:
        raise argparse.ArgumentTypeError(
            f"cannot write the report to {text!r} ({exc.strerror}); give a writable file path"
        ) from None
    if not existed:
        path.unlink()
    return path


def parser() -> argparse.ArgumentParser:
    """The command line of ``ordermesh-probe``."""
    p = argparse.ArgumentParser(
        prog="ordermesh-probe",
        description="Read-only check of an OrderMesh API against this provider's reconstruction: sends GET "
        "requests only (and the token request), prints a table, optionally writes a redacted report.",
        epilog="Exit status: 0 when every read that was tried matches; 1 when one answered 404/405, in another "
        "shape, or with another error; 2 for bad options or settings; 3 when authentication failed. "
        "Reads that could not be tried (no id for them) do not change the exit status.",
    )
    where = p.add_argument_group("where to connect (an Airflow connection, or --host with credentials)")
    where.add_argument("--conn-id", help=f"Airflow connection id (default {DEFAULT_CONN_ID} when no --host)")
    where.add_argument("--host", help="API base URL, e.g. https://api.ordermesh.io [env ORDERMESH_HOST]")
    where.add_argument("--client-id", help="service client id [env ORDERMESH_CLIENT_ID]")
    where.add_argument(
        "--client-secret", help="service client secret; prefer the environment [env ORDERMESH_CLIENT_SECRET]"
    )
    where.add_argument("--username", help="portal user, for dev/test [env ORDERMESH_USERNAME]")
    where.add_argument("--password", help="portal password; prefer the environment [env ORDERMESH_PASSWORD]")
    ids = p.add_argument_group("ids for by-id reads (otherwise taken from the list and search answers)")
    for name in id_names():
        ids.add_argument("--" + name.replace("_", "-"), dest=name, type=_id_value, metavar="ID")
    p.add_argument("--report", type=_report_path, metavar="PATH", help="write the redacted JSON report here")
    p.add_argument("--timeout", type=float, metavar="SECONDS", help="read timeout per request")
    p.add_argument(
        "--max-retries", type=int, metavar="N", help="retries per request on 429/5xx/connection errors"
    )
    return p


def parse(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> ProbeSettings:
    """Settings from the command line, with ``ORDERMESH_*`` variables filling what the flags leave out."""
    args = parser().parse_args(argv)
    env = os.environ if environ is None else environ
    values: dict[str, Any] = vars(args)
    for name in _FROM_ENV:
        if not values.get(name) and not (name == "host" and values.get("conn_id")):
            values[name] = env.get(ENV_PREFIX + name.upper()) or None
    return validated(values)


def validated(values: Mapping[str, Any]) -> ProbeSettings:
    """Check that the settings name one way to connect, with complete credentials for it."""
    if values.get("conn_id") and values.get("host"):
        raise ConfigurationError("give either --conn-id or --host (ORDERMESH_HOST), not both")
    if values.get("timeout") is not None and values["timeout"] <= 0:
        raise ConfigurationError("--timeout must be more than 0 seconds")
    if values.get("max_retries") is not None and values["max_retries"] < 0:
        raise ConfigurationError("--max-retries must be 0 or more")
    if values.get("host"):
        client = bool(values.get("client_id") or values.get("client_secret"))
        user = bool(values.get("username") or values.get("password"))
        if client == user:
            raise ConfigurationError(
                "with --host, give either --client-id and --client-secret (ORDERMESH_CLIENT_ID, "
                "ORDERMESH_CLIENT_SECRET) or --username and --password (ORDERMESH_USERNAME, ORDERMESH_PASSWORD)"
            )
        pair = ("client_id", "client_secret") if client else ("username", "password")
        missing = [f"--{name.replace('_', '-')}" for name in pair if not values.get(name)]
        if missing:
            raise ConfigurationError(
                f"with --host, also give {' and '.join(missing)} (or its ORDERMESH_ variable)"
            )
    secret = {
        name: SecretStr(values[name]) if values.get(name) else None for name in ("client_secret", "password")
    }
    return ProbeSettings(
        conn_id=values.get("conn_id") or (None if values.get("host") else DEFAULT_CONN_ID),
        host=values.get("host"),
        client_id=values.get("client_id"),
        username=values.get("username"),
        ids={name: values[name] for name in id_names() if values.get(name)},
        report=values.get("report"),
        timeout=values.get("timeout"),
        max_retries=values.get("max_retries"),
        **secret,
    )


def client_options(settings: ProbeSettings, session: ReadOnlySession) -> dict[str, Any]:
    """Client keyword arguments the probe sets, whichever way it connects."""
    from airflow_provider_ordermesh.client.transport import Timeout

    options: dict[str, Any] = {"session": session}
    if settings.timeout is not None:
        options["timeout"] = Timeout(connect=min(settings.timeout, 10.0), read=settings.timeout)
    if settings.max_retries is not None:
        options["max_retries"] = settings.max_retries
    return options


def open_client(settings: ProbeSettings, session: ReadOnlySession) -> Any:
    """An ``OrderMeshClient`` on ``session``: from the flags, or from the Airflow connection."""
    options = client_options(settings, session)
    if settings.host:
        from airflow_provider_ordermesh.client import ClientCredentials, OrderMeshClient, PasswordCredentials

        credentials = (
            ClientCredentials(settings.client_id, settings.client_secret)
            if settings.client_id and settings.client_secret
            else PasswordCredentials(settings.username or "", settings.password or SecretStr(""))
        )
        return OrderMeshClient(settings.host, credentials, **options)
    from airflow_provider_ordermesh.compat import AirflowException  # Airflow is needed only here
    from airflow_provider_ordermesh.hooks.ordermesh import OrderMeshHook

    conn_id = settings.conn_id or DEFAULT_CONN_ID
    try:
        return OrderMeshHook(conn_id, **options).get_conn()
    except AirflowException as exc:
        raise ConfigurationError(
            f"cannot read the Airflow connection {conn_id!r} ({exc}); define it, or give --host with credentials"
        ) from None
