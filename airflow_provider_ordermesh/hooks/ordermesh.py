"""``OrderMeshHook``: reads the ``ordermesh`` Airflow connection and builds the client from it.

The only module that reads Airflow connections. It holds no HTTP logic: that is the client's.
"""

from __future__ import annotations

import json
from functools import cached_property
from typing import Any

from pydantic import SecretStr

from airflow_provider_ordermesh.arguments import settings
from airflow_provider_ordermesh.client import (
    AsyncOrderMeshClient,
    ClientCredentials,
    ConfigurationError,
    OrderMeshClient,
    OrderMeshError,
    PasswordCredentials,
    Timeout,
)
from airflow_provider_ordermesh.client.defaults import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_READ_TIMEOUT,
    TEST_CONNECTION_TIMEOUT,
)
from airflow_provider_ordermesh.compat import BaseHook, Connection, mask_secret
from airflow_provider_ordermesh.hooks import connection_form as form
from airflow_provider_ordermesh.models.statuses import ShipmentStatuses


def _extra(conn: Connection, name: str, default: Any = None) -> Any:
    """An extra field, under its plain name (Airflow 3 UI) or the legacy ``extra__ordermesh__`` key."""
    extras = conn.extra_dejson
    value = extras.get(name, extras.get(f"extra__{form.CONN_TYPE}__{name}"))
    return default if value in (None, "") else value


class OrderMeshHook(BaseHook):
    """Interact with OrderMesh through an ``ordermesh`` connection.

    :param ordermesh_conn_id: The Airflow connection to use (default ``ordermesh_default``).
    :param client_options: Passed to ``OrderMeshClient`` over the connection's settings, e.g.
        ``max_retries``, ``timeout`` or ``retry_policy``; checked here, so that a bad one fails
        naming it (``arguments.settings``).
    """

    conn_name_attr = "ordermesh_conn_id"
    default_conn_name = form.DEFAULT_CONN_ID
    conn_type = form.CONN_TYPE
    hook_name = form.HOOK_NAME

    def __init__(self, ordermesh_conn_id: str = default_conn_name, **client_options: Any) -> None:
        super().__init__()
        self.ordermesh_conn_id = ordermesh_conn_id
        self.client_options = settings.client_options(client_options)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(ordermesh_conn_id={self.ordermesh_conn_id!r})"

    # --- connection -> client settings -----------------------------------------------------

    @cached_property
    def connection(self) -> Connection:
        return self.get_connection(self.ordermesh_conn_id)

    @classmethod
    def client_settings(cls, conn: Connection) -> dict[str, Any]:
        """Everything the client needs, from a connection; shared by the sync and async paths."""
        auth_type = str(_extra(conn, "auth_type", "client_credentials")).strip().lower()
        if not conn.login or not conn.password:
            raise ConfigurationError(
                f"connection {conn.conn_id!r} needs a login (client id or username) and a password "
                "(client secret or password)"
            )
        secret = SecretStr(conn.password)
        if auth_type == "client_credentials":
            credentials: Any = ClientCredentials(conn.login, secret)
        elif auth_type == "password":
            credentials = PasswordCredentials(conn.login, secret)
        else:
            raise ConfigurationError(
                f"connection {conn.conn_id!r}: auth_type {auth_type!r} is not 'client_credentials' or 'password'"
            )
        checked: dict[str, Any] = {
            "base_url": _base_url(conn),
            "credentials": credentials,
            "max_retries": settings.max_retries(
                _extra(conn, "max_retries", DEFAULT_MAX_RETRIES),
                setting=f"connection {conn.conn_id!r} extra max_retries",
            ),
            "timeout": settings.timeout(
                _extra(conn, "timeout", DEFAULT_READ_TIMEOUT),
                setting=f"connection {conn.conn_id!r} extra timeout",
            ),
            "verify": settings.verify(
                _extra(conn, "verify", True), setting=f"connection {conn.conn_id!r} extra verify"
            ),
            "allow_insecure_http": settings.as_bool(
                _extra(conn, "allow_insecure_http", False),
                setting=f"connection {conn.conn_id!r} extra allow_insecure_http",
            ),
            "on_new_token": mask_secret,
        }
        return checked

    @cached_property
    def portal_url(self) -> str:
        """Base URL of the OrderMesh portal, for extra links."""
        return str(_extra(self.connection, "portal_url", form.DEFAULT_PORTAL_URL)).rstrip("/")

    @cached_property
    def merchant_id(self) -> str | None:
        return _extra(self.connection, "merchant_id")

    @cached_property
    def shipment_statuses(self) -> ShipmentStatuses:
        """The status vocabulary, with any ``shipment_statuses`` override from the connection extra."""
        overrides = _extra(self.connection, "shipment_statuses")
        if isinstance(overrides, str):
            try:
                overrides = json.loads(overrides)
            except json.JSONDecodeError as exc:
                raise ConfigurationError(
                    f"connection {self.ordermesh_conn_id!r} extra shipment_statuses is not JSON ({exc.msg} at "
                    f'column {exc.colno}); write a JSON object such as {{"Rejected": 7}}, with double quotes'
                ) from None
        return ShipmentStatuses.from_overrides(overrides)

    # --- clients ---------------------------------------------------------------------------

    def get_conn(self) -> OrderMeshClient:
        """The (cached) sync client for this connection."""
        return self.client

    @cached_property
    def client(self) -> OrderMeshClient:
        mask_secret(self.connection.password)
        return OrderMeshClient(**{**self.client_settings(self.connection), **self.client_options})

    async def get_async_client(self) -> AsyncOrderMeshClient:
        """An async client, reading the connection with the async API (safe inside triggers)."""
        conn = await self.aget_connection(self.ordermesh_conn_id)
        return AsyncOrderMeshClient(**{**self.client_settings(conn), **self.client_options})

    def test_connection(self) -> tuple[bool, str]:
        """Authenticate afresh and read one page of one order: cheap, read-only, bounded in time.

        A token cached in this process is never reused here: a UI "Test" after editing the
        secret must prove the secret, not an earlier token.
        """
        try:
            options = {
                **self.client_settings(self.connection),
                "max_retries": 0,
                "timeout": Timeout(*TEST_CONNECTION_TIMEOUT),
            }
            with OrderMeshClient(**options) as client:
                client.tokens.isolate()
                client.orders.list_page(page=1, page_size=1)
        except (OrderMeshError, ValueError) as exc:
            return False, str(exc)
        return True, f"Connected to OrderMesh at {options['base_url']}"

    # --- legacy connection form (Airflow < 3.2 reads these; 3.2+ reads get_provider_info) ----

    @classmethod
    def get_ui_field_behaviour(cls) -> dict[str, Any]:
        return form.ui_field_behaviour()

    @classmethod
    def get_connection_form_widgets(cls) -> dict[str, Any]:
        """The extra fields as wtforms widgets; only older Airflow UIs (with Flask) call this."""
        from flask_appbuilder.fieldwidgets import BS3TextFieldWidget
        from wtforms import BooleanField, IntegerField, StringField
        from wtforms.validators import Optional

        kinds = {"boolean": BooleanField, "integer": IntegerField}
        widgets: dict[str, Any] = {}
        for name, spec in form.EXTRA_FIELDS.items():
            types = spec["schema"]["type"]
            field_cls = next((kinds[t] for t in types if t in kinds), StringField)
            kwargs = {} if field_cls is BooleanField else {"widget": BS3TextFieldWidget()}
            widgets[name] = field_cls(
                spec["label"], description=spec.get("description"), validators=[Optional()], **kwargs
            )
        return widgets


def _base_url(conn: Connection) -> str:
    host = (conn.host or form.DEFAULT_HOST).strip()
    if "://" not in host and conn.schema in ("http", "https"):
        host = f"{conn.schema}://{host}"
    if conn.port and host.count(":") < 2:
        host = f"{host}:{conn.port}"
    return host
