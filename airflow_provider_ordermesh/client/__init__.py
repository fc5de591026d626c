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

Each public name is written once, as a ``from <module> import <Name> as <Name>`` line in the
``TYPE_CHECKING`` block below: type checkers read the imports, ``_lazy.lazy_facade`` reads the
same lines to load each name on first use and to answer ``__all__``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from airflow_provider_ordermesh._lazy import lazy_facade

if TYPE_CHECKING:
    from airflow_provider_ordermesh.client.answers import UnexpectedAnswerError as UnexpectedAnswerError
    from airflow_provider_ordermesh.client.auth import ClientCredentials as ClientCredentials
    from airflow_provider_ordermesh.client.auth import Credentials as Credentials
    from airflow_provider_ordermesh.client.auth import PasswordCredentials as PasswordCredentials
    from airflow_provider_ordermesh.client.client import DEFAULT_BASE_URL as DEFAULT_BASE_URL
    from airflow_provider_ordermesh.client.client import AsyncOrderMeshClient as AsyncOrderMeshClient
    from airflow_provider_ordermesh.client.client import OrderMeshClient as OrderMeshClient
    from airflow_provider_ordermesh.client.errors import ApiError as ApiError
    from airflow_provider_ordermesh.client.errors import AuthenticationError as AuthenticationError
    from airflow_provider_ordermesh.client.errors import BadRequestError as BadRequestError
    from airflow_provider_ordermesh.client.errors import ConfigurationError as ConfigurationError
    from airflow_provider_ordermesh.client.errors import ConflictError as ConflictError
    from airflow_provider_ordermesh.client.errors import InvalidRequestError as InvalidRequestError
    from airflow_provider_ordermesh.client.errors import NotFoundError as NotFoundError
    from airflow_provider_ordermesh.client.errors import OrderMeshError as OrderMeshError
    from airflow_provider_ordermesh.client.errors import OutcomeUnknownError as OutcomeUnknownError
    from airflow_provider_ordermesh.client.errors import PermissionDeniedError as PermissionDeniedError
    from airflow_provider_ordermesh.client.errors import RateLimitError as RateLimitError
    from airflow_provider_ordermesh.client.errors import ServerError as ServerError
    from airflow_provider_ordermesh.client.errors import TransportError as TransportError
    from airflow_provider_ordermesh.client.retry import RetryPolicy as RetryPolicy
    from airflow_provider_ordermesh.client.transport import Timeout as Timeout
    from airflow_provider_ordermesh.limits import BULK_MAX_ITEMS as BULK_MAX_ITEMS
    from airflow_provider_ordermesh.limits import PAGE_SIZE_MAX as PAGE_SIZE_MAX

__getattr__ = lazy_facade(__name__, __file__)
