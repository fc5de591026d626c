"""Both clients against the sandbox over real HTTP, including the README's "Python client" code.

The snippets between ``[START ...]`` and ``[END ...]`` are quoted in the README by
``scripts/sync_readme.py``; these tests run them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import SecretStr
from sandbox.wire import order_body

from airflow_provider_ordermesh.client.auth import TokenCache
from airflow_provider_ordermesh.models import Order, Shipment

pytestmark = pytest.mark.sandbox


@pytest.fixture(autouse=True)
def fresh_tokens() -> Iterator[None]:
    """Tokens are cached per process; the sandbox is reset per test, so start and end clean."""
    TokenCache.clear_all()
    yield
    TokenCache.clear_all()


def sync_usage(
    base_url: str, client_id: str, client_secret: str, order: dict[str, Any]
) -> tuple[Any, list[Any]]:
    # [START python_client_sync]
    from pydantic import SecretStr

    from airflow_provider_ordermesh.client import ClientCredentials, OrderMeshClient

    credentials = ClientCredentials(client_id, SecretStr(client_secret))
    with OrderMeshClient(base_url, credentials) as client:
        created = client.orders.create(order)  # a safeId is fixed first: a retried create cannot duplicate
        for shipment in client.shipments.search({"orderIds": [created.id]}):
            print(shipment.short_id, shipment.shipment_status, shipment.shipment_status_name)
        shipped = list(
            client.shipments.search({"orderIds": [created.id], "status": ["Shipped", "Delivered"]})
        )
    # [END python_client_sync]
    return created, shipped


async def async_usage(
    base_url: str, client_id: str, client_secret: str, order_id: str
) -> tuple[Any, list[str]]:
    # [START python_client_async]
    from pydantic import SecretStr

    from airflow_provider_ordermesh.client import AsyncOrderMeshClient, ClientCredentials

    credentials = ClientCredentials(client_id, SecretStr(client_secret))
    async with AsyncOrderMeshClient(base_url, credentials) as client:
        order = await client.orders.get(order_id)
        statuses = [s.shipment_status_name async for s in client.shipments.search({"orderIds": [order.id]})]
    # [END python_client_async]
    return order, statuses


def test_the_readme_sync_example_runs(sandbox: Any, capsys: pytest.CaptureFixture[str]) -> None:
    created, shipped = sync_usage(
        sandbox.url, sandbox.client_id, sandbox.client_secret, order_body("MUG-11OZ-WHITE")
    )

    assert created.id and shipped == []  # nothing has shipped yet
    printed = capsys.readouterr().out.split()
    assert len(printed) == 3 and printed[1:] == ["1", "Assigned"]

    sandbox.advance(90)
    _, shipped = sync_usage(
        sandbox.url,
        sandbox.client_id,
        sandbox.client_secret,
        order_body("MUG-11OZ-WHITE", safeId=created.safe_id),
    )
    assert [type(s) for s in shipped] == [Shipment] and shipped[0].shipment_status_name in {
        "Shipped",
        "Delivered",
    }


async def test_the_readme_async_example_runs(sandbox: Any) -> None:
    from airflow_provider_ordermesh.client import ClientCredentials, OrderMeshClient

    credentials = ClientCredentials(sandbox.client_id, SecretStr(sandbox.client_secret))
    with OrderMeshClient(sandbox.url, credentials) as client:
        created = client.orders.create(order_body("TSHIRT-5000-M-BLACK"))

    order, statuses = await async_usage(sandbox.url, sandbox.client_id, sandbox.client_secret, created.id)

    assert isinstance(order, Order) and order.id == created.id
    assert statuses == ["Assigned"]


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_catalog_patch_and_add_variants_round_trip(kind: str, sandbox: Any) -> None:
    from airflow_provider_ordermesh.client import AsyncOrderMeshClient, ClientCredentials, OrderMeshClient

    credentials = ClientCredentials(sandbox.client_id, SecretStr(sandbox.client_secret))
    new_variants = {
        "merchantCatalogId": "681abd18c61bccfab89bc63e",
        "variants": [{"sku": "CAP-EMB-NAVY"}, {"sku": "CAP-EMB-BLACK"}, {"sku": "CAP-EMB-NAVY"}],
    }
    patch = {
        "name": "Caps",
        "variantsSkusToRemove": ["CAP-EMB-BLACK"],
        "variantsToUpdate": [{"sku": "CAP-EMB-NAVY", "decorations": [{"method": "Embroidery"}]}],
    }
    if kind == "sync":
        with OrderMeshClient(sandbox.url, credentials) as client:
            added = client.catalog.add_variants(new_variants)
            patched = client.catalog.patch(patch)
    else:
        async with AsyncOrderMeshClient(sandbox.url, credentials) as aclient:
            added = await aclient.catalog.add_variants(new_variants)
            patched = await aclient.catalog.patch(patch)

    assert added.variants_added == 2
    [refused] = added.errors
    assert refused.where == "Variants[2].Sku" and "already exists" in (refused.text or "")
    assert patched["name"] == "Caps"
    assert patched["variants"] == [{"sku": "CAP-EMB-NAVY", "decorations": [{"method": "Embroidery"}]}]
