"""Bodies of the token requests (platform.md §2.2-2.4), notes and the merchant catalog (platform.md)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from airflow_provider_ordermesh.sandbox.backend.bodies.fields import Id, LongText, WireBody


class ClientToken(WireBody):
    """``GetServiceClientTokenDto``: the camelCase ``clientId`` / ``clientSecret`` (inferred)."""

    client_id: str = Field(alias="clientId", min_length=1)
    client_secret: str = Field(alias="clientSecret")


class Login(WireBody):
    """``LoginUserDto``."""

    username: str = Field(min_length=1)
    password: str


class Refresh(WireBody):
    """``LoginUserWithRefreshToken``: ``refreshToken`` (inferred)."""

    refresh_token: str = Field(alias="refreshToken")


class NoteResource(WireBody):
    """What a note is attached to."""

    type: Literal["Order", "OrderItem", "Shipment"]
    id: Id


class CreateNote(WireBody):
    text: LongText
    resource: NoteResource
    format: Literal["PlainText", "Markdown"] = "PlainText"


class UpdateNote(WireBody):
    text: LongText
    format: Literal["PlainText", "Markdown"] | None = None


class _Catalog(WireBody):
    """What a merchant catalog says about itself."""

    id: str | None = None
    name: str | None = Field(default=None, max_length=255)
    description: str | None = Field(default=None, max_length=4000)
    is_enabled: bool | None = Field(None, alias="isEnabled")
    assigned_to_sub_account_ids: list[str] | None = Field(None, alias="assignedToSubAccountIds")


class MerchantCatalog(_Catalog):
    """``PUT /catalog/v1/merchantCatalog``; variants are kept as sent."""

    variants: list[dict[str, Any]] | None = None


class MerchantCatalogPatch(_Catalog):
    """``PATCH /catalog/v1/merchantCatalog`` with the fields the QA docs show; variants removed by SKU."""

    variants_to_add: list[dict[str, Any]] | None = Field(None, alias="variantsToAdd")
    variants_skus_to_remove: list[str] | None = Field(None, alias="variantsSkusToRemove")
    variants_to_update: list[dict[str, Any]] | None = Field(None, alias="variantsToUpdate")


class AddVariants(WireBody):
    """``POST /catalog/v1/merchantVariants`` (prod docs)."""

    merchant_catalog_id: Id = Field(alias="merchantCatalogId")
    variants: list[dict[str, Any]] = Field(min_length=1)
