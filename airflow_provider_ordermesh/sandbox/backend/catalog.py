"""The merchant catalog: a small built-in set of effective variants, and the catalog the merchant last sent.

The variants' SKU prefixes match the facility routing in ``facilities.py``, so orders built from
the catalog exercise every kind of facility.
"""

from __future__ import annotations

from typing import Any, Final

from airflow_provider_ordermesh.models import AddVariants, MerchantCatalog, MerchantCatalogPatch, Variant
from airflow_provider_ordermesh.models.catalog import CatalogPrice, Decoration

_VARIANT_ROWS: Final = (
    # SKU, merchant price in USD, print area, width px, height px, print method
    ("TSHIRT-5000-S-BLACK", 8.50, "Front", 4500, 5400, "DTG"),
    ("TSHIRT-5000-M-BLACK", 8.50, "Front", 4500, 5400, "DTG"),
    ("TSHIRT-5000-L-WHITE", 8.50, "Front", 4500, 5400, "DTG"),
    ("HOODIE-18500-M-NAVY", 19.00, "Front", 4500, 5400, "DTG"),
    ("MUG-11OZ-WHITE", 4.75, "Default", 2475, 1050, "Sublimation"),
    ("MUG-15OZ-BLACK", 5.50, "Default", 2700, 1200, "Sublimation"),
    ("POSTER-18X24-MATTE", 7.00, "Default", 5400, 7200, "Giclee"),
    ("CANVAS-16X20-WRAP", 22.00, "Default", 4800, 6000, "Giclee"),
    ("STICKER-3X3-KISSCUT", 1.20, "Default", 900, 900, "DirectToFilm"),
)

EFFECTIVE_VARIANTS: Final[tuple[Variant, ...]] = tuple(
    Variant(
        sku=sku,
        merchant_price=CatalogPrice(amount=price, currency="USD"),
        decorations=[
            Decoration(
                area=area,
                width=width,
                height=height,
                dpi=300,
                method=method,
                price=CatalogPrice(amount=0, currency="USD"),
            )
        ],
        attributes=[{"name": "FileType", "value": "png"}],
    )
    for sku, price, area, width, height, method in _VARIANT_ROWS
)


class CatalogBackend:
    """The effective variants (fixed) and the merchant catalog as last replaced, patched or extended."""

    def __init__(self) -> None:
        self.merchant_catalog: dict[str, Any] = {}

    def variants(self) -> list[Variant]:
        return list(EFFECTIVE_VARIANTS)

    def replace(self, catalog: MerchantCatalog) -> dict[str, Any]:
        self.merchant_catalog = catalog.to_api()
        return self.merchant_catalog

    def _catalog_variants(self) -> list[dict[str, Any]]:
        return list(self.merchant_catalog.get("variants") or [])

    def patch(self, changes: MerchantCatalogPatch) -> dict[str, Any]:
        """Merge the changed fields, then add, update (by SKU) and remove (by SKU) variants."""
        fields = changes.to_api()
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
