"""The merchant catalog: effective variants (seen), catalog replacement and partial update, adding variants."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from airflow_provider_ordermesh.models._base import ApiModel, Id, RequestModel
from airflow_provider_ordermesh.models.errors import FieldError


class CatalogPrice(ApiModel):
    """A catalog price; the QA docs show ``{"amount": 0, "currency": null}`` with ``currencies`` filled in."""

    amount: float | None = None
    currency: str | None = None
    currencies: list[dict[str, Any]] = Field(default_factory=list)


class Decoration(ApiModel):
    """A print area of a variant and its method (``"DTG"``, ``"Embroidery"``, ...)."""

    area: str | None = None
    width: int | None = None
    height: int | None = None
    dpi: int | None = None
    method: str | None = None
    price: CatalogPrice | None = None


class Variant(ApiModel):
    """A variant of the merchant's effective catalog."""

    sku: str
    merchant_price: CatalogPrice | None = None
    decorations: list[Decoration] = Field(default_factory=list)
    attributes: list[dict[str, Any]] = Field(default_factory=list)


class MerchantCatalog(RequestModel):
    """Body of ``PUT /catalog/v1/merchantCatalog``; variants are passed through as given."""

    id: str | None = None
    name: str | None = Field(default=None, max_length=255)
    description: str | None = Field(default=None, max_length=4000)
    is_enabled: bool | None = None
    assigned_to_sub_account_ids: list[str] | None = None
    variants: list[dict[str, Any]] | None = None


class MerchantCatalogPatch(RequestModel):
    """Body of ``PATCH /catalog/v1/merchantCatalog``, with the fields the QA docs show.

    Variants to add or update are passed through as given; variants to remove are named by SKU.
    """

    id: str | None = None
    name: str | None = Field(default=None, max_length=255)
    description: str | None = Field(default=None, max_length=4000)
    is_enabled: bool | None = None
    assigned_to_sub_account_ids: list[str] | None = None
    variants_to_add: list[dict[str, Any]] | None = None
    variants_skus_to_remove: list[str] | None = None
    variants_to_update: list[dict[str, Any]] | None = None


class AddVariants(RequestModel):
    """Body of ``POST /catalog/v1/merchantVariants`` (prod docs): variants for one merchant catalog."""

    merchant_catalog_id: Id
    variants: list[dict[str, Any]] = Field(min_length=1)


class AddVariantsResult(ApiModel):
    """Answer of "Add new variants": how many were added, and one error item per refused variant."""

    variants_added: int
    errors: list[FieldError] = Field(default_factory=list)
