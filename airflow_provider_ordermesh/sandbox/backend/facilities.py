"""The sandbox's production facilities and how an item's SKU picks one.

The text before the first ``-`` of a SKU (case-insensitive) names its product kind; each kind
has two facilities, so a shipment always has somewhere to be rerouted to. New orders go to the
first facility of each kind. ``GET /_sandbox/facilities`` lists them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from airflow_provider_ordermesh.sandbox.backend.errors import NotFound


@dataclass(frozen=True)
class Facility:
    """A vendor's production site, and the carrier it ships with."""

    id: str
    name: str
    kind: str
    vendor_id: str
    vendor_name: str
    carrier: str
    carrier_method: str

    def tracking_link(self, tracking_number: str) -> str:
        return f"https://tracking.example.com/{self.carrier.lower()}/{tracking_number}"

    def to_api(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "vendorId": self.vendor_id,
            "vendorName": self.vendor_name,
            "carrier": self.carrier,
            "skuPrefixes": sorted(prefix for prefix, kind in SKU_PREFIX_KINDS.items() if kind == self.kind),
        }


GENERAL = "general"

SKU_PREFIX_KINDS: Final[dict[str, str]] = {
    "TSHIRT": "apparel",
    "HOODIE": "apparel",
    "APPAREL": "apparel",
    "MUG": "drinkware",
    "POSTER": "wall_art",
    "CANVAS": "wall_art",
}
"""SKU prefix -> product kind; any other prefix is ``general``."""

# fmt: off
FACILITIES: Final[tuple[Facility, ...]] = (
    # id, name, kind, vendor id, vendor name, carrier, carrier method
    Facility("apparel-east", "Apparel East (Columbus, OH)", "apparel",
             "vendor-threadline", "Threadline Print Co.", "UPS", "Ground"),
    Facility("apparel-west", "Apparel West (Reno, NV)", "apparel",
             "vendor-stitchworks", "Stitchworks", "FedEx", "Home Delivery"),
    Facility("drinkware-north", "Drinkware North (Minneapolis, MN)", "drinkware",
             "vendor-kilnhouse", "Kilnhouse", "USPS", "Priority Mail"),
    Facility("drinkware-south", "Drinkware South (Austin, TX)", "drinkware",
             "vendor-glazeco", "GlazeCo", "UPS", "Ground"),
    Facility("wallart-east", "Wall Art East (Newark, NJ)", "wall_art",
             "vendor-framewell", "Framewell", "FedEx", "Ground"),
    Facility("wallart-west", "Wall Art West (Portland, OR)", "wall_art",
             "vendor-canvasly", "Canvasly", "UPS", "Ground"),
    Facility("general-central", "General Central (Louisville, KY)", GENERAL,
             "vendor-printhub", "PrintHub", "USPS", "Ground Advantage"),
    Facility("general-coastal", "General Coastal (Charleston, SC)", GENERAL,
             "vendor-printhub", "PrintHub", "UPS", "Ground"),
)
# fmt: on

_BY_ID: Final[dict[str, Facility]] = {facility.id: facility for facility in FACILITIES}


def facility(facility_id: str) -> Facility:
    """The facility with this id, or a 404 naming it."""
    try:
        return _BY_ID[facility_id]
    except KeyError:
        raise NotFound(f"facility {facility_id!r} not found; known: {', '.join(_BY_ID)}") from None


def facility_for_sku(sku: str) -> Facility:
    """The facility that produces this SKU by default."""
    kind = SKU_PREFIX_KINDS.get(sku.split("-", 1)[0].upper(), GENERAL)
    return next(candidate for candidate in FACILITIES if candidate.kind == kind)
