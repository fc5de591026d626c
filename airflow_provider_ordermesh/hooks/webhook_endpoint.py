"""A webhook endpoint's settings, read from its Airflow connection: secrets live there, never in code.

Endpoint ``{name}`` (``/ordermesh/webhooks/{name}``) is configured by the connection
``ordermesh_webhook_{name}`` (any connection type; the secrets backend may hold it):

* ``password``: the shared token OrderMesh sends in the ``X-OrderMesh-Webhook-Token`` header; several
  tokens separated by spaces or commas while one is being rotated out;
* ``host``: the OrderMesh API the deliveries come from (``https://api.ordermesh.io``, the default),
  which names the ``ordermesh://{host}/events/{EventType}`` assets;
* extra ``signing_secrets``: Standard Webhooks secrets (``whsec_<base64>``, a list or a string
  separated by spaces) for when OrderMesh signs its deliveries; with them every delivery must be signed;
* extra ``tolerance_seconds``: how far a signed delivery's timestamp may be from now (default 300).

An endpoint needs a token, signing secrets, or both. A setting that cannot work raises
``ConfigurationError`` naming the connection and the setting, never its value.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from airflow_provider_ordermesh.client import ConfigurationError
from airflow_provider_ordermesh.compat import server_connection

CONN_ID_PREFIX = "ordermesh_webhook_"
ENDPOINT_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}")
"""What an endpoint may be called: it is part of a URL path and of a connection id."""

DEFAULT_TOLERANCE_SECONDS = 300
"""Standard Webhooks' replay window: five minutes either side of now."""

MAX_TOLERANCE_SECONDS = 3600
SIGNING_SECRET_PREFIX = "whsec_"
MIN_SIGNING_KEY_BYTES = 16


def conn_id_for(endpoint: str) -> str:
    """The connection that configures ``endpoint``: ``ordermesh_webhook_{endpoint}``."""
    return f"{CONN_ID_PREFIX}{endpoint}"


@dataclass(frozen=True)
class WebhookEndpoint:
    """One receiving endpoint: its accepted tokens and signing keys (never shown) and its API's URL."""

    name: str
    api_url: str | None = None
    tokens: tuple[bytes, ...] = field(default=(), repr=False)
    signing_keys: tuple[bytes, ...] = field(default=(), repr=False)
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS

    def __post_init__(self) -> None:
        if not self.tokens and not self.signing_keys:
            raise ConfigurationError(
                f"connection {conn_id_for(self.name)!r} sets neither a token (its password) nor extra "
                "'signing_secrets': set at least one, or every delivery would be accepted unauthenticated"
            )


def load_endpoint(endpoint: str) -> WebhookEndpoint | None:
    """The settings of ``endpoint`` from its connection, or ``None`` when no connection defines it."""
    if not ENDPOINT_NAME.fullmatch(endpoint):
        return None
    conn = server_connection(conn_id_for(endpoint))
    if conn is None:
        return None
    return endpoint_from(endpoint, password=conn.password, host=conn.host, extra=conn.extra_dejson)


def endpoint_from(
    endpoint: str, *, password: str | None, host: str | None, extra: Mapping[str, Any]
) -> WebhookEndpoint:
    """Check and convert a connection's fields into an endpoint's settings."""
    where = f"connection {conn_id_for(endpoint)!r}"
    tokens = tuple(t.encode() for t in re.split(r"[\s,]+", password or "") if t)
    return WebhookEndpoint(
        name=endpoint,
        api_url=host or None,
        tokens=tokens,
        signing_keys=signing_keys(extra.get("signing_secrets"), where=where),
        tolerance_seconds=tolerance(extra.get("tolerance_seconds"), where=where),
    )


def signing_keys(value: Any, *, where: str) -> tuple[bytes, ...]:
    """The HMAC keys of Standard Webhooks secrets ``whsec_<base64>`` (a list, or one string of several)."""
    if value in (None, "", []):
        return ()
    secrets = value.split() if isinstance(value, str) else value
    if not isinstance(secrets, list) or not all(isinstance(s, str) for s in secrets):
        raise ConfigurationError(f"{where}: extra 'signing_secrets' must be a list of 'whsec_...' strings")
    keys = []
    for position, secret in enumerate(secrets, start=1):
        encoded = secret.removeprefix(SIGNING_SECRET_PREFIX)
        try:
            key = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            key = b""
        if len(key) < MIN_SIGNING_KEY_BYTES:
            raise ConfigurationError(
                f"{where}: signing secret #{position} is not 'whsec_' followed by the base64 of at least "
                f"{MIN_SIGNING_KEY_BYTES} bytes; copy it again from OrderMesh's subscription"
            )
        keys.append(key)
    return tuple(keys)


def tolerance(value: Any, *, where: str) -> int:
    """The replay window in seconds: a whole number from 1 to ``MAX_TOLERANCE_SECONDS``."""
    if value is None or value == "":
        return DEFAULT_TOLERANCE_SECONDS
    number = int(value) if isinstance(value, str) and value.strip().isdigit() else value
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= MAX_TOLERANCE_SECONDS:
        raise ConfigurationError(
            f"{where}: extra 'tolerance_seconds' must be a whole number from 1 to {MAX_TOLERANCE_SECONDS}"
        )
    return number
