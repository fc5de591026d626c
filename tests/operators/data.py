"""Request payloads for the operator tests."""

from __future__ import annotations

from itertools import count
from typing import Any

from support.orders import ADDRESS  # one test address for every suite

_SERIAL = count(1)


def order(*skus: str, external_id: str | None = None, **extra: Any) -> dict[str, Any]:
    """An order of one unit of each SKU (a t-shirt by default), priced so that it can be refunded.

    Each call gets its own ``externalId`` unless one is given: the externalId is the order's natural
    key (the operators derive its safeId from it), so two calls are two business orders.
    """
    external_id = external_id or f"shop-{next(_SERIAL)}"
    items = [
        {"sku": sku, "quantity": 2, "customerPrice": 20.0, "customerShippingPrice": 5.0}
        for sku in (skus or ("TSHIRT-BLK-M",))
    ]
    return {"externalId": external_id, "shippingAddress": ADDRESS, "items": items, **extra}


def orders(n: int, **extra: Any) -> list[dict[str, Any]]:
    return [order(external_id=f"shop-{i}", **extra) for i in range(n)]
