"""Calling the sandbox over plain HTTP by endpoint name, and request bodies the tests share.

The tests speak to the sandbox with ``requests``, so they check the wire itself (status codes,
headers, JSON keys) rather than what a client makes of it.
"""

from __future__ import annotations

from typing import Any

import requests

from airflow_provider_ordermesh.client.endpoints import ENDPOINTS


class Api:
    """Calls operations of the endpoint table by name, with a bearer token when one is set."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.session = requests.Session()

    def call(self, name: str, *, json: Any = None, params: Any = None, **path: str) -> requests.Response:
        endpoint = ENDPOINTS[name]
        return self.session.request(
            endpoint.method, self.url + endpoint.format_path(**path), json=json, params=params, timeout=10
        )

    def ok(self, name: str, **kwargs: Any) -> Any:
        """The JSON answer of a call that must succeed (None for a 204)."""
        response = self.call(name, **kwargs)
        assert response.status_code < 300, f"{name}: {response.status_code} {response.text}"
        return response.json() if response.content else None

    def authenticate(self, client_id: str, client_secret: str) -> str:
        token = self.ok("auth.client_token", json={"clientId": client_id, "clientSecret": client_secret})
        self.session.headers["Authorization"] = f"Bearer {token['accessToken']}"
        return str(token["accessToken"])

    def create_order(self, *skus: str, quantity: int = 2, **fields: Any) -> dict[str, Any]:
        """A new order with one item per SKU (default one T-shirt), read back whole."""
        created = self.ok("orders.create", json=order_body(*skus, quantity=quantity, **fields))
        return self.ok("orders.get", order_id=created["id"])["order"]

    def shipments_of(self, order_id: str) -> list[dict[str, Any]]:
        return self.ok("shipments.list_for_order", order_id=order_id)["shipments"]


def order_body(*skus: str, quantity: int = 2, **fields: Any) -> dict[str, Any]:
    """A valid create-order body: priced items for ``skus`` shipped to a US address."""
    items = [
        {"sku": sku, "quantity": quantity, "customerPrice": 12.0, "customerShippingPrice": 5.0}
        for sku in skus or ("TSHIRT-5000-M-BLACK",)
    ]
    address = {
        "firstName": "Emily",
        "lastName": "Williams",
        "line1": "475 Oak Avenue",
        "city": "Pleasantville",
        "state": "NJ",
        "zip": "08232",
        "countryCode": "US",
    }
    return {"shippingAddress": address, "items": items, **fields}
