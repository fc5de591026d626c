"""OrderMesh resources and events named as URIs: one form for Airflow assets and OpenLineage datasets.

``ordermesh://{host}/{name}``: the host is the API's (``api.ordermesh.io``, or the sandbox's
``127.0.0.1:PORT``), so that two OrderMesh environments never share a dataset; the name is the
resource (``orders``, ``shipments``, ``order_items``, ``orders/audit_logs``) or, for webhook
deliveries, ``events/{EventType}``. OpenLineage reads the same URI as namespace ``ordermesh://{host}``
and name ``{name}``, following its naming proposal for web APIs (the namespace is the smallest URL
that identifies the data source). Pure string work: no Airflow import, no I/O.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import SplitResult, urlsplit

SCHEME = "ordermesh"
DEFAULT_HOST = "api.ordermesh.io"


def host_of(base_url: str | None) -> str:
    """The dataset host for an API base URL (``https://api.ordermesh.io/v1`` -> ``api.ordermesh.io``)."""
    if not base_url:
        return DEFAULT_HOST
    parts = urlsplit(base_url if "://" in base_url else f"https://{base_url}")
    return (parts.netloc or DEFAULT_HOST).lower()


def resource_uri(name: str, *, host: str = DEFAULT_HOST) -> str:
    """The URI of one OrderMesh resource, e.g. ``ordermesh://api.ordermesh.io/orders``."""
    name = name.strip("/")
    if not name:
        raise ValueError("an OrderMesh dataset needs a resource name, e.g. 'orders'")
    return f"{SCHEME}://{host.lower()}/{name}"


def event_uri(event_type: str, *, host: str = DEFAULT_HOST) -> str:
    """The URI of one webhook event type, e.g. ``ordermesh://api.ordermesh.io/events/OrderCreation``."""
    if not event_type or "/" in event_type:
        raise ValueError(f"webhook event type {event_type!r} is not a single name, e.g. 'OrderCreation'")
    return resource_uri(f"events/{event_type}", host=host)


def namespace_and_name(uri: str) -> tuple[str, str]:
    """OpenLineage's (namespace, name) for an ``ordermesh://`` URI."""
    parts = normalize(urlsplit(uri))
    return f"{SCHEME}://{parts.netloc}", parts.path.lstrip("/")


def to_openlineage(asset: Any, lineage_context: Any = None) -> Any:
    """Airflow's ``asset-uris`` OpenLineage converter: an ``ordermesh://`` asset as the dataset the
    operators report (``namespace_and_name``). Imports the OpenLineage client only when called."""
    from openlineage.client.event_v2 import Dataset

    return Dataset(*namespace_and_name(asset.uri))


def normalize(parts: SplitResult) -> SplitResult:
    """Airflow's ``asset-uris`` handler: a lower-case host, no trailing slash, a resource named.

    Event type names keep their case (``OrderCreation``); the query and fragment are dropped, since
    a dataset is the resource, not one request for it.
    """
    if parts.scheme != SCHEME:
        raise ValueError(f"not an OrderMesh URI: scheme {parts.scheme!r}, expected {SCHEME!r}")
    if not parts.netloc:
        raise ValueError(f"OrderMesh URI without a host: write {SCHEME}://{DEFAULT_HOST}/orders")
    path = "/" + parts.path.strip("/")
    if path == "/":
        raise ValueError(f"OrderMesh URI without a resource: write {SCHEME}://{parts.netloc}/orders")
    return SplitResult(SCHEME, parts.netloc.lower(), path, "", "")
