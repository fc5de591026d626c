"""The OrderMesh API client: plain Python, no Airflow import.

>>> from airflow_provider_ordermesh.client import OrderMeshClient, ClientCredentials
>>> client = OrderMeshClient("https://api.ordermesh.io", ClientCredentials("id", SecretStr("secret")))
>>> client.orders.get("65add270441de72442397b6e").status
"""

from airflow_provider_ordermesh.client.auth import ClientCredentials, Credentials, PasswordCredentials, TokenCache
from airflow_provider_ordermesh.client.client import DEFAULT_BASE_URL, AsyncOrderMeshClient, OrderMeshClient
from airflow_provider_ordermesh.client.endpoints import BULK_MAX_ITEMS, ENDPOINTS, PAGE_SIZE_MAX, Endpoint
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

__all__ = [
    "AsyncOrderMeshClient", "ApiError", "AuthenticationError", "BadRequestError", "BULK_MAX_ITEMS",
    "ClientCredentials", "ConfigurationError", "ConflictError", "Credentials", "DEFAULT_BASE_URL", "ENDPOINTS",
    "Endpoint", "InvalidRequestError", "NotFoundError", "OrderMeshClient", "OrderMeshError", "OutcomeUnknownError",
    "PAGE_SIZE_MAX", "PasswordCredentials", "PermissionDeniedError", "RateLimitError", "RetryPolicy",
    "ServerError", "Timeout", "TokenCache", "TransportError",
]
