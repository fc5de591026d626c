"""The merchant catalog: effective variants (seen) and catalog replacement (seen, shortened)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from airflow_provider_ordermesh.models._base import ApiModel, RequestModel


class CatalogPrice(ApiModel):
    amount: float | None = None
    currency: str | None = None
    currencies: list[dict[str, Any]] = Field(default_factory=list)


class Decoration(ApiModel):
    area: str | None = None
    width: int | None = None
    height: int | None = None
    dpi: int | None = None
    method: str | None = None
    price: CatalogPrice | None = None


class Variant(ApiModel):
    sku: str
    merchant_price: CatalogPrice | None = None
    decorations: list[Decoration] = Field(default_factory=list)
    attributes: list[dict[str, Any]] = Field(default_factory=list)


class MerchantCatalog(RequestModel):
    """Body of ``PUT``/``PATCH /catalog/v1/merchantCatalog``; variants are passed through as given."""

    id: str | None = None
    name: str | None = Field(default=None, max_length=255)
    description: str | None = Field(default=None, max_length=4000)
    is_enabled: bool | None = None
    assigned_to_sub_account_ids: list[str] | None = None
    variants: list[dict[str, Any]] | None = None
