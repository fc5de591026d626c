"""The day of orders shipped in ``dags/data`` is valid, small, realistic, and what the generator makes."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from airflow_provider_ordermesh.models.orders import CreateOrder
from airflow_provider_ordermesh.sandbox.backend.facilities import facility_for_sku

ROOT = Path(__file__).resolve().parents[2]
ORDERS_FILE = ROOT / "dags" / "data" / "orders_2026-11-26.jsonl"
FACILITY_PREFIXES = {"TSHIRT", "HOODIE", "MUG", "POSTER", "CANVAS"}


@pytest.fixture
def orders(example_orders) -> list[dict]:
    return example_orders()


def test_the_file_is_small_enough_to_commit():
    assert ORDERS_FILE.stat().st_size < 500 * 1024


def test_every_line_is_a_valid_create_order(orders):
    assert len(orders) == 300
    for order in orders:
        CreateOrder.model_validate(order)


def test_safe_ids_and_external_ids_are_unique_and_stable(orders):
    safe_ids = [o["safeId"] for o in orders]
    assert len(set(safe_ids)) == len(orders)
    assert safe_ids[0] == "shop-2026-11-26-0001" and safe_ids[-1] == "shop-2026-11-26-0300"
    assert len({o["externalId"] for o in orders}) == len(orders)


def test_orders_look_like_a_real_shop_day(orders):
    countries = Counter(o["shippingAddress"]["countryCode"] for o in orders)
    assert len(countries) >= 5
    items = [item for o in orders for item in o["items"]]
    assert {item["sku"].split("-")[0] for item in items} == FACILITY_PREFIXES
    assert {facility_for_sku(item["sku"]).kind for item in items} == {"apparel", "drinkware", "wall_art"}
    assert any(len(o["items"]) > 1 for o in orders), "some orders span several facilities"
    for item in items:
        assert item["customerPrice"] > 0 and item["customerShippingPrice"] > 0, "refunds need balances"
        assert item["images"] and all({"url", "area", "printMethod"} <= set(i) for i in item["images"])


def test_the_committed_file_is_what_the_seeded_generator_writes():
    result = subprocess.run(
        [sys.executable, "scripts/generate_orders.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
