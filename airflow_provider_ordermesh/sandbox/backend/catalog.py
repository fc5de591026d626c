"""The merchant catalog: a small built-in set of effective variants, and the catalog the merchant last sent.

The variants' SKU prefixes match the facility routing in ``facilities.py``, so orders built from
the catalog exercise every kind of facility.
"""

from __future__ import annotations

from typing import Any, Final

from airflow_provider_ordermesh.models import MerchantCatalog, Variant
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
    """The effective variants (fixed) and the merchant catalog as last replaced or patched."""

    def __init__(self) -> None:
        self.merchant_catalog: dict[str, Any] = {}

    def variants(self) -> list[Variant]:
        return list(EFFECTIVE_VARIANTS)

    def replace(self, catalog: MerchantCatalog) -> dict[str, Any]:
        self.merchant_catalog = catalog.to_api()
        return self.merchant_catalog

    def patch(self, changes: MerchantCatalog) -> dict[str, Any]:
        self.merchant_catalog = {**self.merchant_catalog, **changes.to_api()}
        return self.merchant_catalog
