"""The OrderMesh API client: plain Python, no Airflow import.

>>> from airflow_provider_ordermesh.client import OrderMeshClient, ClientCredentials
>>> client = OrderMeshClient("https://api.ordermesh.io", ClientCredentials("id", SecretStr("secret")))
>>> client.orders.get("65add270441de72442397b6e").status

``AsyncOrderMeshClient`` has the same groups with ``async def`` methods and async iterators.
The endpoint table (``client.endpoints.ENDPOINTS``) and the token cache stay in their modules:
they are not needed to call the API.

Names load on first use, so that importing one small submodule (``client.errors``,
``client.endpoints``) does not pull in ``requests`` and every resource: DAG parsing pays for
what the sensors and operators import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from airflow_provider_ordermesh._lazy import lazy_attributes

_WHERE: dict[str, str] = {
    "UnexpectedAnswerError": "answers",
    "ClientCredentials": "auth",
    "Credentials": "auth",
    "PasswordCredentials": "auth",
    "DEFAULT_BASE_URL": "client",
    "AsyncOrderMeshClient": "client",
    "OrderMeshClient": "client",
    "BULK_MAX_ITEMS": "endpoints",
    "PAGE_SIZE_MAX": "endpoints",
    "ApiError": "errors",
    "AuthenticationError": "errors",
    "BadRequestError": "errors",
    "ConfigurationError": "errors",
    "ConflictError": "errors",
    "InvalidRequestError": "errors",
    "NotFoundError": "errors",
    "OrderMeshError": "errors",
    "OutcomeUnknownError": "errors",
    "PermissionDeniedError": "errors",
    "RateLimitError": "errors",
    "ServerError": "errors",
    "TransportError": "errors",
    "RetryPolicy": "retry",
    "Timeout": "transport",
}

if TYPE_CHECKING:
    from airflow_provider_ordermesh.client.answers import UnexpectedAnswerError
    from airflow_provider_ordermesh.client.auth import ClientCredentials, Credentials, PasswordCredentials
    from airflow_provider_ordermesh.client.client import (
        DEFAULT_BASE_URL,
        AsyncOrderMeshClient,
        OrderMeshClient,
    )
    from airflow_provider_ordermesh.client.endpoints import BULK_MAX_ITEMS, PAGE_SIZE_MAX
    from airflow_provider_ordermesh.client.errors import (
        ApiError,
        AuthenticationError,
        BadRequestError,
        ConfigurationError,
        ConflictError,
        InvalidRequestError,
        NotFoundError,
        OrderMeshError,
        OutcomeUnknownError,
        PermissionDeniedError,
        RateLimitError,
        ServerError,
        TransportError,
    )
    from airflow_provider_ordermesh.client.retry import RetryPolicy
    from airflow_provider_ordermesh.client.transport import Timeout


__getattr__ = lazy_attributes(__name__, {name: f"{__name__}.{module}" for name, module in _WHERE.items()})

__all__ = [
    "BULK_MAX_ITEMS",
    "DEFAULT_BASE_URL",
    "PAGE_SIZE_MAX",
    "ApiError",
    "AsyncOrderMeshClient",
    "AuthenticationError",
    "BadRequestError",
    "ClientCredentials",
    "ConfigurationError",
    "ConflictError",
    "Credentials",
    "InvalidRequestError",
    "NotFoundError",
    "OrderMeshClient",
    "OrderMeshError",
    "OutcomeUnknownError",
    "PasswordCredentials",
    "PermissionDeniedError",
    "RateLimitError",
    "RetryPolicy",
    "ServerError",
    "Timeout",
    "TransportError",
    "UnexpectedAnswerError",
]
