"""Bodies of the token requests (platform.md §2.2-2.4), notes and the merchant catalog (platform.md)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from airflow_provider_ordermesh.sandbox.backend.bodies.fields import Id, LongText, WireBody


class ClientToken(WireBody):
    """``GetServiceClientTokenDto``: the camelCase ``clientId`` / ``clientSecret`` (inferred)."""

    clientId: str = Field(min_length=1)
    clientSecret: str


class Login(WireBody):
    """``LoginUserDto``."""

    username: str = Field(min_length=1)
    password: str


class Refresh(WireBody):
    """``LoginUserWithRefreshToken``: ``refreshToken`` (inferred)."""

    refreshToken: str


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
    isEnabled: bool | None = None
    assignedToSubAccountIds: list[str] | None = None


class MerchantCatalog(_Catalog):
    """``PUT /catalog/v1/merchantCatalog``; variants are kept as sent."""

    variants: list[dict[str, Any]] | None = None


class MerchantCatalogPatch(_Catalog):
    """``PATCH /catalog/v1/merchantCatalog`` with the fields the QA docs show; variants removed by SKU."""

    variantsToAdd: list[dict[str, Any]] | None = None
    variantsSkusToRemove: list[str] | None = None
    variantsToUpdate: list[dict[str, Any]] | None = None


class AddVariants(WireBody):
    """``POST /catalog/v1/merchantVariants`` (prod docs)."""

    merchantCatalogId: Id
    variants: list[dict[str, Any]] = Field(min_length=1)
