"""``client.catalog``: the merchant's effective catalog variants, and catalog updates."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from airflow_provider_ordermesh.client.operation import Operation
from airflow_provider_ordermesh.client.resources._base import Resource, validated
from airflow_provider_ordermesh.models.catalog import MerchantCatalog, Variant
from airflow_provider_ordermesh.models.common import Page


class Catalog(Resource):
    def list_variants_page(self, *, page: int = 1, page_size: int = 100) -> Page[Variant]:
        return self._page("catalog.list_variants", Variant, page=page, page_size=page_size)

    def list_variants(self, *, max_items: int | None = None) -> Iterator[Variant]:
        """Every variant of the merchant's effective catalog, page by page."""
        return self._iterate(lambda page: self.list_variants_page(page=page), max_items)

    def replace(self, catalog: MerchantCatalog | Mapping[str, Any]) -> dict[str, Any]:
        body = validated(MerchantCatalog, catalog, what="catalog").to_api()
        return self._execute(Operation.of("catalog.replace", lambda data: data or {}, body=body))

    def patch(self, changes: MerchantCatalog | Mapping[str, Any]) -> dict[str, Any]:
        body = validated(MerchantCatalog, changes, what="catalog changes").to_api()
        return self._execute(Operation.of("catalog.patch", lambda data: data or {}, body=body))
