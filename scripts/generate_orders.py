"""Generate ``dags/data/orders_<day>.jsonl``: one day of print-on-demand orders for the example DAGs.

Run once and commit the output; the seed makes it reproducible::

    .venv/bin/python scripts/generate_orders.py            # writes dags/data/orders_2026-11-26.jsonl
    .venv/bin/python scripts/generate_orders.py --check    # exits 1 if the committed file differs

Each line is a ``CreateOrderModel`` in the API's camelCase. ``safeId`` is the shop's own order
number (``shop-2026-11-26-0001``), so loading the same day twice can never create an order twice.
Every line is validated with ``models.orders.CreateOrder`` before it is written.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from airflow_provider_ordermesh.models.orders import CreateOrder  # noqa: E402 (a script run from a checkout)

DAY = "2026-11-26"
DEFAULT_COUNT = 300
DEFAULT_SEED = 20261126
OUTPUT = ROOT / "dags" / "data" / f"orders_{DAY}.jsonl"
ART_CDN = "https://cdn.northwind-prints.example/artwork"


@dataclass(frozen=True)
class Product:
    """A catalog product: its SKU prefix routes it to a facility; options make the full SKU."""

    prefix: str
    model: str
    price: float
    print_method: str
    areas: tuple[str, ...]
    sizes: tuple[str, ...] = ()
    colors: tuple[str, ...] = ()
    weight: int = 1


PRODUCTS: tuple[Product, ...] = (
    Product(
        "TSHIRT",
        "BC3001",
        24.0,
        "DirectToGarment",
        ("Front", "Back"),
        ("S", "M", "L", "XL", "2XL"),
        ("BLACK", "WHITE", "NAVY", "HEATHER"),
        weight=9,
    ),
    Product(
        "HOODIE",
        "G18500",
        44.0,
        "DirectToGarment",
        ("Front", "Back"),
        ("S", "M", "L", "XL"),
        ("BLACK", "NAVY", "SAND"),
        weight=4,
    ),
    Product("MUG", "11OZ", 16.0, "Sublimation", ("Default",), (), ("WHITE", "BLACK"), weight=5),
    Product("MUG", "15OZ", 19.0, "Sublimation", ("Default",), (), ("WHITE",), weight=2),
    Product("POSTER", "12X18", 22.0, "Giclee", ("Default",), (), ("MATTE", "GLOSS"), weight=3),
    Product("POSTER", "18X24", 29.0, "Giclee", ("Default",), (), ("MATTE",), weight=2),
    Product("CANVAS", "16X20", 69.0, "Inkjet", ("Default",), (), ("075IN", "150IN"), weight=2),
)

DESIGNS = (
    "aurora-fox",
    "midnight-tide",
    "retro-sunset",
    "paper-cranes",
    "desert-bloom",
    "city-grid",
    "wild-oats",
    "neon-koi",
    "mountain-lines",
    "lemon-grove",
    "storm-petrel",
    "tiny-cactus",
)


@dataclass(frozen=True)
class Country:
    """Where customers live: currency, shipping rates and a few plausible addresses."""

    code: str
    currency: str
    language: str
    shipping_first: float
    shipping_extra: float
    weight: int
    cities: tuple[tuple[str, str | None, str], ...]  # (city, state, zip)
    streets: tuple[str, ...]


COUNTRIES: tuple[Country, ...] = (
    Country(
        "US",
        "USD",
        "EN",
        4.99,
        2.00,
        55,
        (
            ("Portland", "OR", "97205"),
            ("Austin", "TX", "78701"),
            ("Brooklyn", "NY", "11211"),
            ("Denver", "CO", "80202"),
            ("Madison", "WI", "53703"),
            ("Asheville", "NC", "28801"),
            ("Oakland", "CA", "94612"),
            ("Tucson", "AZ", "85701"),
        ),
        ("Maple Ave", "Elm St", "Hawthorne Blvd", "Congress Ave", "Main St", "Cedar Ln"),
    ),
    Country(
        "CA",
        "CAD",
        "EN",
        8.99,
        3.00,
        10,
        (("Toronto", "ON", "M5V 2T6"), ("Vancouver", "BC", "V6B 1A1"), ("Montreal", "QC", "H2X 1Y4")),
        ("Queen St W", "Granville St", "Rue Saint-Denis"),
    ),
    Country(
        "GB",
        "GBP",
        "EN",
        5.49,
        1.50,
        10,
        (("London", None, "E2 7DG"), ("Manchester", None, "M1 1AE"), ("Bristol", None, "BS1 5TR")),
        ("Columbia Road", "Oldham Street", "Park Row"),
    ),
    Country(
        "DE",
        "EUR",
        "DE",
        6.49,
        1.50,
        8,
        (("Berlin", None, "10997"), ("Hamburg", None, "20357"), ("Munich", None, "80331")),
        ("Oranienstrasse", "Schanzenstrasse", "Sendlinger Strasse"),
    ),
    Country(
        "FR",
        "EUR",
        "FR",
        6.49,
        1.50,
        6,
        (("Paris", None, "75011"), ("Lyon", None, "69002"), ("Nantes", None, "44000")),
        ("Rue Oberkampf", "Rue de la Republique", "Quai de la Fosse"),
    ),
    Country(
        "NL",
        "EUR",
        "NL",
        6.49,
        1.50,
        4,
        (("Amsterdam", None, "1015 CJ"), ("Utrecht", None, "3511 LX")),
        ("Prinsengracht", "Oudegracht"),
    ),
    Country(
        "AU",
        "AUD",
        "EN",
        12.99,
        4.00,
        5,
        (("Melbourne", "VIC", "3000"), ("Sydney", "NSW", "2000"), ("Brisbane", "QLD", "4000")),
        ("Flinders Lane", "George St", "Ann St"),
    ),
    Country(
        "SE",
        "SEK",
        "SV",
        79.0,
        20.0,
        2,
        (("Stockholm", None, "111 52"), ("Gothenburg", None, "411 04")),
        ("Drottninggatan", "Avenyn"),
    ),
)

FIRST_NAMES = (
    "Ava",
    "Liam",
    "Maya",
    "Noah",
    "Zoe",
    "Ethan",
    "Chloe",
    "Lucas",
    "Isla",
    "Mateo",
    "Freya",
    "Oliver",
    "Amelie",
    "Jonas",
    "Camille",
    "Hugo",
    "Sofia",
    "Arjun",
    "Lena",
    "Kai",
    "Nora",
    "Elias",
    "Priya",
    "Tomas",
    "Hana",
    "Felix",
    "Ingrid",
    "Omar",
    "Clara",
    "Ruby",
)
LAST_NAMES = (
    "Nguyen",
    "Smith",
    "Garcia",
    "Muller",
    "Martin",
    "Jansen",
    "Brown",
    "Kowalski",
    "Rossi",
    "Lindqvist",
    "Okafor",
    "Patel",
    "Dubois",
    "Schmidt",
    "Tanaka",
    "Walsh",
    "Haddad",
    "Novak",
    "Silva",
    "Chen",
    "Moreau",
    "Fischer",
    "Larsen",
    "O'Brien",
)

# What a few currencies are worth in USD-priced catalog terms, rounded the way shops price.
PRICE_FACTOR = {"USD": 1.0, "CAD": 1.35, "GBP": 0.8, "EUR": 0.92, "AUD": 1.5, "SEK": 10.5}


def _money(value: float) -> float:
    return round(value, 2)


def _local_price(usd: float, currency: str) -> float:
    """A catalog price in the customer's currency, ending in .99 like a shop would show it."""
    return _money(max(1.0, round(usd * PRICE_FACTOR[currency])) - 0.01)


def _item(rng: random.Random, *, order_no: str, line: int, country: Country) -> dict[str, Any]:
    product = rng.choices(PRODUCTS, weights=[p.weight for p in PRODUCTS])[0]
    parts = [product.prefix, product.model]
    options = []
    if product.sizes:
        size = rng.choice(product.sizes)
        parts.append(size)
        options.append({"name": "Size", "value": size})
    color = rng.choice(product.colors)
    parts.append(color)
    options.append(
        {"name": "Finish" if product.prefix in ("POSTER", "CANVAS") else "Color", "value": color.title()}
    )
    design = rng.choice(DESIGNS)
    areas = (
        product.areas if product.prefix in ("TSHIRT", "HOODIE") and rng.random() < 0.2 else product.areas[:1]
    )
    images = [
        {"url": f"{ART_CDN}/{design}-{area.lower()}.png", "area": area, "printMethod": product.print_method}
        for area in areas
    ]
    quantity = 1 if rng.random() < 0.85 else rng.randint(2, 4)
    shipping = country.shipping_first if line == 1 else country.shipping_extra
    return {
        "externalId": f"{order_no}-{line}",
        "sku": "-".join(parts),
        "quantity": quantity,
        "images": images,
        "options": options,
        "customerPrice": _local_price(product.price, country.currency),
        "customerShippingPrice": _money(shipping),
    }


def _order(rng: random.Random, *, number: int) -> dict[str, Any]:
    country = rng.choices(COUNTRIES, weights=[c.weight for c in COUNTRIES])[0]
    city, state, zip_code = rng.choice(country.cities)
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    order_no = f"NW-{number + 104_000}"
    lines = rng.choices((1, 2, 3), weights=(70, 22, 8))[0]
    items = [_item(rng, order_no=order_no, line=i + 1, country=country) for i in range(lines)]
    item_total = _money(sum(i["customerPrice"] * i["quantity"] for i in items))
    shipping_total = _money(sum(i["customerShippingPrice"] for i in items))
    address = {
        "firstName": first,
        "lastName": last,
        "line1": f"{rng.randint(1, 480)} {rng.choice(country.streets)}",
        "city": city,
        "zip": zip_code,
        "countryCode": country.code,
        "email": f"{first}.{last}{rng.randint(1, 99)}@mail.example".lower().replace("'", ""),
    }
    if state:
        address["state"] = state
    return {
        "safeId": f"shop-{DAY}-{number:04d}",
        "externalId": order_no,
        "currencyCode": country.currency,
        "languageCode": country.language,
        "customerShippingMethod": "Standard" if rng.random() < 0.8 else "Express",
        "shippingAddress": address,
        "customerItemTotal": item_total,
        "customerTotalShipping": shipping_total,
        "customerTotal": _money(item_total + shipping_total),
        "items": items,
    }


def generate(*, count: int, seed: int) -> str:
    """The JSON-lines text of ``count`` orders, each validated as a ``CreateOrder``."""
    rng = random.Random(seed)
    lines = []
    for number in range(1, count + 1):
        order = _order(rng, number=number)
        CreateOrder.model_validate(order)
        lines.append(json.dumps(order, separators=(",", ":"), ensure_ascii=False))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true", help="fail if the file on disk differs")
    args = parser.parse_args(argv)
    text = generate(count=args.count, seed=args.seed)
    if args.check:
        same = args.output.exists() and args.output.read_text(encoding="utf-8") == text
        print(f"{args.output}: {'up to date' if same else 'differs from the generator'}")
        return 0 if same else 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {count_lines(text)} orders ({len(text.encode()) // 1024} KB) to {args.output}")
    return 0


def count_lines(text: str) -> int:
    return text.count("\n")


if __name__ == "__main__":
    sys.exit(main())
