"""The provider's Airflow plugin: mounts the webhook receiver in the API server.

Registered through the ``airflow.plugins`` entry point, so installing the package is enough. Every
Airflow component loads plugins, but only the API server reads ``fastapi_apps``: the receiver (FastAPI,
the models, SQLAlchemy tables) is imported on that first read, not when a scheduler or worker loads
the plugin.
"""

from __future__ import annotations

from typing import Any

from airflow_provider_ordermesh.compat import AirflowPlugin


class _ReceiverApps:
    """``fastapi_apps``, built on first read."""

    def __get__(self, instance: object, owner: type | None = None) -> list[Any]:
        from airflow_provider_ordermesh.receiver.app import URL_PREFIX, mounted_app

        return [{"app": mounted_app(), "url_prefix": URL_PREFIX, "name": "OrderMesh webhook receiver"}]


class OrderMeshWebhooksPlugin(AirflowPlugin):
    """Mounts ``/ordermesh/webhooks/{endpoint}`` (see docs/webhooks.md)."""

    name = "ordermesh_webhooks"
    fastapi_apps = _ReceiverApps()
