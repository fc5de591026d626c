"""``client.catalog``: the merchant's effective catalog variants, catalog updates, adding variants.

Every method checks its input before sending (``InvalidRequestError``, naming the field), and
may raise an ``ApiError`` subclass for an error answer, ``TransportError`` when no answer came,
and ``UnexpectedAnswerError`` for an answer in an unknown shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from airflow_provider_ordermesh.client.answers import bare, passthrough
from airflow_provider_ordermesh.client.operation import Operation
from airflow_provider_ordermesh.client.resources._base import (
    AsyncGroup,
    Group,
    PagedRead,
    SyncGroup,
    api_call,
    every_page,
    page_operation,
    paged_read,
    validated,
)
from airflow_provider_ordermesh.models.catalog import (
    AddVariants,
    AddVariantsResult,
    MerchantCatalog,
    MerchantCatalogPatch,
    Variant,
)
from airflow_provider_ordermesh.models.common import Page


class CatalogApi(Group):
    """The merchant catalog, declared once for ``Catalog`` and ``AsyncCatalog``."""

    @api_call
    def list_variants_page(self, *, page: int = 1, page_size: int = 100) -> Operation[Page[Variant]]:
        """One ``Page`` of the merchant's effective catalog variants."""
        return page_operation("catalog.list_variants", Variant, page=page, page_size=page_size)

    @paged_read
    def list_variants(self, *, max_items: int | None = None) -> PagedRead[Variant]:
        """Every ``Variant`` of the merchant's effective catalog, page by page."""
        return every_page(CatalogApi.list_variants_page, self, max_items=max_items)

    @api_call
    def replace(self, catalog: MerchantCatalog | Mapping[str, Any]) -> Operation[dict[str, Any]]:
        """Replace the merchant catalog (``PUT``); returns the API's answer as a dict (``{}`` if it has none)."""
        body = validated(MerchantCatalog, catalog, what="catalog").to_api()
        return Operation.of("catalog.replace", passthrough, body=body)

    @api_call
    def patch(self, changes: MerchantCatalogPatch | Mapping[str, Any]) -> Operation[dict[str, Any]]:
        """Partially update the catalog (``PATCH``, confirmed on QA): name, flags, variants to add, update or remove.

        Returns the API's answer as a dict (``{}`` if it has none).
        """
        body = validated(MerchantCatalogPatch, changes, what="catalog changes").to_api()
        return Operation.of("catalog.patch", passthrough, body=body)

    @api_call
    def add_variants(self, request: AddVariants | Mapping[str, Any]) -> Operation[AddVariantsResult]:
        """Add variants to a merchant catalog; returns ``AddVariantsResult`` (count added, errors per variant).

        Refused variants come back in ``errors`` of a success answer, not as an exception. Never
        re-sent after a dropped connection (``OutcomeUnknownError``).
        """
        body = validated(AddVariants, request, what="new variants").to_api()
        return Operation.of("catalog.add_variants", bare(AddVariantsResult), body=body)


class Catalog(CatalogApi, SyncGroup):
    """``client.catalog`` of ``OrderMeshClient``."""


class AsyncCatalog(CatalogApi, AsyncGroup):
    """``client.catalog`` of ``AsyncOrderMeshClient``: the same methods, awaited."""
