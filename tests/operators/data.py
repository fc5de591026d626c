"""Request payloads for the operator tests."""

from __future__ import annotations

from typing import Any

ADDRESS = {"firstName": "Ada", "lastName": "Lovelace", "line1": "1 Main St", "city": "Austin", "state": "TX",
           "zip": "78701", "countryCode": "US"}


def order(*skus: str, external_id: str = "shop-1", **extra: Any) -> dict[str, Any]:
    """An order of one unit of each SKU (a t-shirt by default), priced so that it can be refunded."""
    items = [{"sku": sku, "quantity": 2, "customerPrice": 20.0, "customerShippingPrice": 5.0}
             for sku in (skus or ("TSHIRT-BLK-M",))]
    return {"externalId": external_id, "shippingAddress": ADDRESS, "items": items, **extra}


def orders(n: int, **extra: Any) -> list[dict[str, Any]]:
    return [order(external_id=f"shop-{i}", **extra) for i in range(n)]
