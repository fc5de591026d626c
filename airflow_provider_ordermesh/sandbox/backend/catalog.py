"""The merchant catalog: a small built-in set of effective variants, and the catalog the merchant last sent.

The variants' SKU prefixes match the facility routing in ``facilities.py``, so orders built from
the catalog exercise every kind of facility.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from airflow_provider_ordermesh.sandbox.backend.bodies.accounts import (
    AddVariants,
    MerchantCatalog,
    MerchantCatalogPatch,
)


@dataclass(frozen=True)
class CatalogVariant:
    """An effective variant: its SKU, merchant price in USD and its one print area."""

    sku: str
    price: float
    area: str
    width: int
    height: int
    method: str


EFFECTIVE_VARIANTS: Final = (
    CatalogVariant("TSHIRT-5000-S-BLACK", 8.50, "Front", 4500, 5400, "DTG"),
    CatalogVariant("TSHIRT-5000-M-BLACK", 8.50, "Front", 4500, 5400, "DTG"),
    CatalogVariant("TSHIRT-5000-L-WHITE", 8.50, "Front", 4500, 5400, "DTG"),
    CatalogVariant("HOODIE-18500-M-NAVY", 19.00, "Front", 4500, 5400, "DTG"),
    CatalogVariant("MUG-11OZ-WHITE", 4.75, "Default", 2475, 1050, "Sublimation"),
    CatalogVariant("MUG-15OZ-BLACK", 5.50, "Default", 2700, 1200, "Sublimation"),
    CatalogVariant("POSTER-18X24-MATTE", 7.00, "Default", 5400, 7200, "Giclee"),
    CatalogVariant("CANVAS-16X20-WRAP", 22.00, "Default", 4800, 6000, "Giclee"),
    CatalogVariant("STICKER-3X3-KISSCUT", 1.20, "Default", 900, 900, "DirectToFilm"),
)


class CatalogBackend:
    """The effective variants (fixed) and the merchant catalog as last replaced, patched or extended."""

    def __init__(self) -> None:
        self.merchant_catalog: dict[str, Any] = {}

    def variants(self) -> list[CatalogVariant]:
        return list(EFFECTIVE_VARIANTS)

    def replace(self, catalog: MerchantCatalog) -> dict[str, Any]:
        self.merchant_catalog = catalog.wire()
        return self.merchant_catalog

    def _catalog_variants(self) -> list[dict[str, Any]]:
        return list(self.merchant_catalog.get("variants") or [])

    def patch(self, changes: MerchantCatalogPatch) -> dict[str, Any]:
        """Merge the changed fields, then add, update (by SKU) and remove (by SKU) variants."""
        fields = changes.wire()
        to_add = fields.pop("variantsToAdd", [])
        to_update = {v.get("sku"): v for v in fields.pop("variantsToUpdate", [])}
        to_remove = set(fields.pop("variantsSkusToRemove", []))
        variants = [
            {**v, **to_update.get(v.get("sku"), {})}
            for v in self._catalog_variants()
            if v.get("sku") not in to_remove
        ]
        self.merchant_catalog = {**self.merchant_catalog, **fields, "variants": variants + to_add}
        return self.merchant_catalog

    def add_variants(self, request: AddVariants) -> dict[str, Any]:
        """Add each variant with a new SKU; refuse the others with the docs' error-item shape."""
        variants = self._catalog_variants()
        known = {v.get("sku") for v in variants}
        errors: list[dict[str, Any]] = []
        added = 0
        for index, variant in enumerate(request.variants):
            sku = variant.get("sku")
            if not isinstance(sku, str) or not sku:
                errors.append(
                    {
                        "errorMessage": "'Sku' must not be empty.",
                        "propertyName": f"Variants[{index}].Sku",
                        "attemptedValue": sku,
                    }
                )
            elif sku in known:
                errors.append(
                    {
                        "errorMessage": f"Variant with SKU '{sku}' already exists in the catalog.",
                        "propertyName": f"Variants[{index}].Sku",
                        "attemptedValue": [sku],
                    }
                )
            else:
                variants.append(dict(variant))
                known.add(sku)
                added += 1
        self.merchant_catalog = {
            **self.merchant_catalog,
            "id": request.merchant_catalog_id,
            "variants": variants,
        }
        return {"variantsAdded": added, "errors": errors}
