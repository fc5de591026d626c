"""The sandbox reads requests by the wire names it declares itself, so a misspelt key fails a test.

It used to parse bodies with the client's request models: a wrong alias in ``models/`` was then
written by the client and accepted by the sandbox alike. These tests misspell keys on purpose,
in the client's own model and in the documented and hand-written requests, and expect a 400;
the last one compares, without a request, the key paths each side's bodies know.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, get_args

import pytest
from models.api_examples import load_example
from models.wire_fixtures import load_wire
from pydantic import BaseModel, SecretStr

from airflow_provider_ordermesh import models
from airflow_provider_ordermesh.client import ClientCredentials, OrderMeshClient, RetryPolicy
from airflow_provider_ordermesh.client.auth import TokenCache
from airflow_provider_ordermesh.client.errors import BadRequestError
from airflow_provider_ordermesh.models import Reroute, auth
from airflow_provider_ordermesh.sandbox.backend.bodies import accounts, orders, shipments
from sandbox.wire import Api

pytestmark = pytest.mark.sandbox

FREE_FORM = frozenset({"meta", "clientAttributes"})
"""Keys whose values are the merchant's own maps: any key is valid inside them."""


@contextmanager
def misspelt_alias(model: type[BaseModel], field: str, alias: str) -> Iterator[None]:
    """``model`` writes and reads ``field`` as ``alias`` until the block ends, as a typo in models/ would."""
    info = model.model_fields[field]
    saved = (info.alias, info.validation_alias, info.serialization_alias)
    info.alias = info.validation_alias = info.serialization_alias = alias
    model.model_rebuild(force=True)
    try:
        yield
    finally:
        info.alias, info.validation_alias, info.serialization_alias = saved
        model.model_rebuild(force=True)


@pytest.fixture
def client(sandbox: Any) -> Iterator[OrderMeshClient]:
    TokenCache.clear_all()
    credentials = ClientCredentials(sandbox.client_id, SecretStr(sandbox.client_secret))
    retries = RetryPolicy(max_retries=0, backoff_base=0.0, jitter=lambda ceiling: 0.0)
    with OrderMeshClient(sandbox.url, credentials, retry_policy=retries, allow_insecure_http=True) as client:
        yield client
    TokenCache.clear_all()


def test_a_misspelt_alias_in_a_client_request_model_is_refused_by_the_sandbox(
    client: OrderMeshClient, api: Api
) -> None:
    order = api.create_order()
    [shipment] = api.shipments_of(order["id"])
    other = "apparel-east" if shipment["facilityId"] != "apparel-east" else "apparel-west"
    request = {"shipment_id": shipment["id"], "facility_id": other, "reason": "out of blanks"}

    with misspelt_alias(Reroute, "facility_id", "facilityID"):
        assert "facilityID" in Reroute.model_validate(request).to_api()  # the client now writes the typo
        with pytest.raises(BadRequestError) as refused:
            client.shipments.reroute(request)

    assert refused.value.status == 400
    assert set(refused.value.field_errors) == {"facilityID", "facilityId"}  # unknown key, and the missing one
    assert client.shipments.reroute(request).facility_id == other  # the model as it is passes


def misspellings(body: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str, Any]]:
    """Every copy of ``body`` with one key in PascalCase (as the webhooks spell them), with that key's path."""
    if isinstance(body, list):
        for index, entry in enumerate(body):
            for where, wrong in misspellings(entry, (*path, index)):
                yield where, [wrong if i == index else e for i, e in enumerate(body)]
    elif isinstance(body, dict):
        for key, value in body.items():
            wrong_key = key[0].upper() + key[1:]
            renamed = {(wrong_key if k == key else k): v for k, v in body.items()}
            yield ".".join(str(part) for part in (*path, wrong_key)), renamed
            if key not in FREE_FORM:
                for where, wrong in misspellings(value, (*path, key)):
                    yield where, {**body, key: wrong}


REQUESTS = {
    "orders.create (wire fixture)": ("orders.create", load_wire("orders.create")["request"]),
    "orders.cancel (wire fixture)": ("orders.cancel", load_wire("orders.cancel")["request"]),
    "shipments.reroute (wire fixture)": ("shipments.reroute", load_wire("shipments.reroute")["request"]),
    "notes.create (wire fixture)": ("notes.create", load_wire("notes.create")["request"]),
    "auth.client_token (wire fixture)": ("auth.client_token", load_wire("auth.client_token")["request"]),
    "orders.create (docs' example)": ("orders.create", load_example("create_order")),
    "orders.refund (docs' example)": ("orders.refund", load_example("refund_request")),
    "shipments.reroute (docs' example)": ("shipments.reroute", load_example("reroute")),
}


@pytest.mark.parametrize("case", REQUESTS)
def test_every_key_of_a_documented_request_is_checked_by_name(api: Api, case: str) -> None:
    operation, body = REQUESTS[case]
    cases = list(misspellings(body))
    assert cases

    for where, wrong in cases:
        response = api.call(operation, json=wrong)
        assert response.status_code == 400, f"{where}: {response.status_code} {response.text}"
        assert where in [e["field"] for e in response.json()["errors"]], where


def test_attribute_names_are_not_wire_names(api: Api) -> None:
    """A client that forgot ``by_alias`` would send ``shipping_address``: refused, not read."""
    body = load_wire("orders.create")["request"]
    body["shipping_address"] = body.pop("shippingAddress")

    response = api.call("orders.create", json=body)

    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"shipping_address", "shippingAddress"}


def test_an_unknown_search_parameter_is_refused_by_name(api: Api) -> None:
    response = api.call("shipments.search", params={"orderIDs": "65add270441de72442397b6e"})

    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["orderIDs"]


def wire_keys(model: type[BaseModel], prefix: str = "") -> set[str]:
    """Every key path a body of ``model`` may hold (``items.sku``), by the keys the model reads."""
    keys: set[str] = set()
    for name, field in model.model_fields.items():
        key = f"{prefix}{field.alias or name}"
        keys.add(key)
        for nested in nested_models(field.annotation):
            keys |= wire_keys(nested, f"{key}.")
    return keys


def nested_models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in get_args(annotation) for m in nested_models(arg)]


BODIES = [
    (models.CreateOrder, orders.CreateOrder),
    (models.InboundOrder, orders.InboundOrder),
    (models.UpdateOrder, orders.UpdateOrder),
    (models.BulkUpdateOrder, orders.BulkUpdateOrder),
    (models.UpdateOrderItem, orders.UpdateOrderItem),
    (models.CancelOrder, orders.CancelOrder),
    (models.CustomerCareHold, orders.CustomerCareHold),
    (models.AddRefund, orders.AddRefund),
    (models.Reroute, shipments.Reroute),
    (models.Reject, shipments.Reject),
    (models.Assign, shipments.Assign),
    (models.UnassignItems, shipments.UnassignItems),
    (models.CancelShipment, shipments.CancelShipment),
    (models.CreateShipment, shipments.CreateShipment),
    (models.UpdateShipment, shipments.UpdateShipment),
    (models.CreatePackages, shipments.CreatePackages),
    (models.UpdatePackage, shipments.UpdatePackage),
    (models.GeneratePackingSlip, shipments.GeneratePackingSlip),
    (models.CreateNote, accounts.CreateNote),
    (models.UpdateNote, accounts.UpdateNote),
    (models.MerchantCatalog, accounts.MerchantCatalog),
    (models.MerchantCatalogPatch, accounts.MerchantCatalogPatch),
    (models.AddVariants, accounts.AddVariants),
    (auth.ClientTokenRequest, accounts.ClientToken),
    (auth.LoginRequest, accounts.Login),
    (auth.RefreshRequest, accounts.Refresh),
]


@pytest.mark.parametrize("client_model, body", BODIES, ids=lambda m: m.__name__)
def test_the_client_writes_exactly_the_keys_the_sandbox_reads(
    client_model: type[BaseModel], body: type[BaseModel]
) -> None:
    """Two readings of the docs, one each side: a key only one of them knows is a typo or a gap in one."""
    assert wire_keys(client_model) == wire_keys(body)
