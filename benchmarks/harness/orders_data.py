"""Realistic orders for the benchmarks, generated deterministically from the example DAGs' data.

``dags/data/orders_*.jsonl`` holds a seeded day of real-looking print-on-demand orders (several
countries and currencies, 1 to 3 items with artwork and prices). The benchmarks cycle through
those orders and give each copy its own ``safeId`` and ``externalId``, so any number of
distinct orders can be made, identical from run to run and without randomness.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parents[2] / "dags" / "data"


@cache
def templates() -> tuple[dict[str, Any], ...]:
    """The example day's orders, read once."""
    files = sorted(DATA_DIR.glob("orders_*.jsonl"))
    if not files:
        raise FileNotFoundError(f"no example orders in {DATA_DIR} (expected orders_<day>.jsonl)")
    with files[0].open(encoding="utf-8") as handle:
        return tuple(json.loads(line) for line in handle if line.strip())


def order(number: int, *, prefix: str = "bench", single_shipment: bool = False) -> dict[str, Any]:
    """Order ``number`` (from 0): a copy of an example order with its own ``safeId``/``externalId``.

    ``single_shipment`` keeps only the first item (one SKU, so one facility), so the order
    gets exactly one shipment; its totals are adjusted to match.
    """
    base = templates()[number % len(templates())]
    result = copy.deepcopy(base)
    external = f"{prefix.upper()}-{number:06d}"
    result["safeId"] = f"{prefix}-{number:06d}"
    result["externalId"] = external
    if single_shipment:
        item = result["items"][0]
        result["items"] = [item]
        item_total = round(item["customerPrice"] * item["quantity"], 2)
        result["customerItemTotal"] = item_total
        result["customerTotalShipping"] = item["customerShippingPrice"]
        result["customerTotal"] = round(item_total + item["customerShippingPrice"], 2)
    for line, item in enumerate(result["items"], start=1):
        item["externalId"] = f"{external}-{line}"
    return result


def orders(count: int, *, prefix: str = "bench", single_shipment: bool = False) -> list[dict[str, Any]]:
    """``count`` distinct orders, the same ones on every run."""
    return [order(n, prefix=prefix, single_shipment=single_shipment) for n in range(count)]


def iter_orders(count: int, *, prefix: str = "bench") -> Iterator[dict[str, Any]]:
    """The same orders as ``orders``, made one at a time (for loads too big to hold twice)."""
    return (order(n, prefix=prefix) for n in range(count))
