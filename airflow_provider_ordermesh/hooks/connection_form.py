"""The ``ordermesh`` connection form, declared once.

``get_provider_info()`` serves it declaratively (Airflow 3.2+ reads ``conn-fields`` and
``ui-field-behaviour`` without importing the hook); the hook's legacy classmethods translate
the same constants for older UIs. A test checks that both agree. Nothing is imported but the
import-free client defaults: provider discovery loads this module.
"""

from __future__ import annotations

from airflow_provider_ordermesh.client.defaults import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_READ_TIMEOUT,
    MAX_RETRIES_LIMIT,
)

CONN_TYPE = "ordermesh"
DEFAULT_CONN_ID = "ordermesh_default"
HOOK_NAME = "OrderMesh"
DEFAULT_HOST = "https://api.ordermesh.io"
DEFAULT_PORTAL_URL = "https://portal.ordermesh.io"

HIDDEN_FIELDS = ["schema", "port"]

RELABELING = {
    "host": "API base URL",
    "login": "Client ID (or username)",
    "password": "Client secret (or password)",
}

PLACEHOLDERS = {
    "host": DEFAULT_HOST,  # the environments (dev, stg, QA, the local sandbox) are in the README
    "login": "service client id from Portal > Merchants > Authentication",
    "password": "client secret (shown once when the client is created)",
}

EXTRA_FIELDS: dict[str, dict] = {
    "auth_type": {
        "label": "Authentication",
        "description": "client_credentials (production) or password (username/password login, dev and test only).",
        "schema": {
            "type": ["string", "null"],
            "enum": ["client_credentials", "password"],
            "default": "client_credentials",
        },
    },
    "merchant_id": {
        "label": "Merchant ID",
        "description": "Your merchant UUID; used as the default merchantId of new orders.",
        "schema": {"type": ["string", "null"]},
    },
    "portal_url": {
        "label": "Portal URL",
        "description": "Base URL of the OrderMesh portal, for the order and shipment links in the Airflow UI.",
        "schema": {
            "type": ["string", "null"],
            "default": DEFAULT_PORTAL_URL,
            "examples": [DEFAULT_PORTAL_URL],
        },
    },
    "timeout": {
        "label": "Timeout (seconds)",
        "description": "Read timeout of each API request.",
        "schema": {"type": ["number", "null"], "default": DEFAULT_READ_TIMEOUT, "minimum": 1},
    },
    "max_retries": {
        "label": "Max retries",
        "description": "Retries on connection errors, 429, 502, 503 and 504 (Retry-After is honoured).",
        "schema": {
            "type": ["integer", "null"],
            "default": DEFAULT_MAX_RETRIES,
            "minimum": 0,
            "maximum": MAX_RETRIES_LIMIT,
        },
    },
    "verify": {
        "label": "Verify TLS",
        "description": "Verify the server's TLS certificate against the system's CA store; leave on.",
        "schema": {"type": ["boolean", "null"], "default": True},
    },
    "shipment_statuses": {
        "label": "Shipment status names",
        "description": 'Overrides of the shipment status vocabulary, as JSON from code to name, e.g. {"8": "OnHold"}.',
        "schema": {"type": ["string", "null"]},
    },
    "allow_insecure_http": {
        "label": "Allow plain http to a remote host",
        "description": "Off by default: plain http is only accepted for loopback addresses (the local sandbox).",
        "schema": {"type": ["boolean", "null"], "default": False},
    },
}


def ui_field_behaviour() -> dict:
    """The legacy (snake_case keys) form of the standard fields' behaviour."""
    return {
        "hidden_fields": list(HIDDEN_FIELDS),
        "relabeling": dict(RELABELING),
        "placeholders": dict(PLACEHOLDERS),
    }


def declarative_connection_type() -> dict:
    """The ``connection-types`` entry of ``get_provider_info()``."""
    return {
        "connection-type": CONN_TYPE,
        "hook-class-name": "airflow_provider_ordermesh.hooks.ordermesh.OrderMeshHook",
        "hook-name": HOOK_NAME,
        "ui-field-behaviour": {
            "hidden-fields": list(HIDDEN_FIELDS),
            "relabeling": dict(RELABELING),
            "placeholders": dict(PLACEHOLDERS),
        },
        "conn-fields": {name: dict(spec) for name, spec in EXTRA_FIELDS.items()},
    }
