"""Notes, and the portal links every operator with an order or shipment id carries."""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, cast

import pytest
import requests
from support.connection import PORTAL_URL

from airflow_provider_ordermesh.compat import XCom
from airflow_provider_ordermesh.get_provider_info import get_provider_info
from airflow_provider_ordermesh.links.portal import OrderMeshOrderLink, OrderMeshShipmentLink
from airflow_provider_ordermesh.operators import notes, orders, shipments
from airflow_provider_ordermesh.operators.notes import OrderMeshCreateNoteOperator
from airflow_provider_ordermesh.operators.orders import OrderMeshCreateOrderOperator
from operators.conftest import FAST_RETRIES
from operators.context import make_context, run_op
from operators.data import order

if TYPE_CHECKING:
    from airflow_provider_ordermesh.compat import BaseOperator, Context


def public_operators():
    for module in (orders, shipments, notes):
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if (
                name.startswith("OrderMesh")
                and name.endswith("Operator")
                and cls.__module__ == module.__name__
            ):
                yield cls


# --- links ------------------------------------------------------------------------------------


def test_links_are_registered_with_airflow_and_named_as_the_ui_shows_them():
    from importlib import import_module

    registered = get_provider_info()["extra-links"]
    classes = [getattr(import_module(path.rsplit(".", 1)[0]), path.rsplit(".", 1)[1]) for path in registered]

    assert classes == [OrderMeshOrderLink, OrderMeshShipmentLink]
    assert [c.name for c in classes] == ["OrderMesh order", "OrderMesh shipment"]
    assert (
        OrderMeshOrderLink.url("https://portal.ordermesh.io/", "65add270441de72442397b6e")
        == "https://portal.ordermesh.io/orders/65add270441de72442397b6e"
    )
    assert OrderMeshShipmentLink.url("https://p", "a/b") == "https://p/shipments/a%2Fb"


def test_every_operator_acting_on_one_order_or_shipment_carries_its_link():
    acting_on = {"order_id": "OrderMesh order", "shipment_id": "OrderMesh shipment"}
    checked = 0
    for cls in public_operators():
        names = {link.name for link in cls.operator_extra_links}
        ids = [name for name in inspect.signature(cls.__init__).parameters if name in acting_on]
        if ids:
            assert names == {acting_on[ids[0]]}, cls.__name__
            checked += 1
    assert checked == 13  # 5 order actions, 8 shipment actions (the packing slip included)
    assert {link.name for link in OrderMeshCreateOrderOperator.operator_extra_links} == {"OrderMesh order"}


def test_get_link_reads_the_url_the_operator_stored(monkeypatch):
    context = make_context()
    OrderMeshOrderLink.persist(cast("Context", context), portal_url="https://p", resource_id="abc")
    stored = context["ti"].xcoms
    monkeypatch.setattr(XCom, "get_value", classmethod(lambda cls, *, ti_key, key: stored.get(key)))

    assert (
        OrderMeshOrderLink().get_link(
            OrderMeshCreateOrderOperator(task_id="t", payload={}), ti_key=context["ti"]
        )
        == "https://p/orders/abc"
    )
    assert OrderMeshShipmentLink().get_link(cast("BaseOperator", None), ti_key=context["ti"]) == ""


@pytest.mark.sandbox
def test_the_link_is_stored_before_a_request_fails_and_opens_the_sandbox_portal(sandbox, monkeypatch, api):
    monkeypatch.setenv(
        "AIRFLOW_CONN_ORDERMESH_DEFAULT", sandbox.connection_json(portal_url=f"{sandbox.url}/portal")
    )
    created, _ = run_op(
        OrderMeshCreateOrderOperator(task_id="create", payload=order(), hook_params=FAST_RETRIES)
    )
    sandbox.set_faults([{"route": "orders.customer_care_hold", "kind": "status", "status": 500}])
    op = orders.OrderMeshCustomerCareHoldOperator(
        task_id="hold", order_id=created["order_id"], hook_params=FAST_RETRIES
    )
    context = make_context(task_id="hold")

    with pytest.raises(Exception, match="500"):
        op.execute(cast("Context", context))

    url = context["ti"].xcoms["_link_OrderMeshOrderLink"]
    assert url == f"{sandbox.url}/portal/orders/{created['order_id']}"
    page = requests.get(url, timeout=5)
    assert page.status_code == 200 and created["short_id"] in page.text


# --- notes ------------------------------------------------------------------------------------


def notes_on(api, resource_type, resource_id):
    return [n.text for n in api.notes.list({"resourceType": resource_type, "resourceId": resource_id})]


@pytest.mark.sandbox
def test_create_note_on_an_order_once_even_when_retried(om, api):
    created, _ = run_op(
        OrderMeshCreateOrderOperator(task_id="create", payload=order(), hook_params=FAST_RETRIES)
    )
    make = {
        "task_id": "note",
        "resource_type": "Order",
        "resource_id": created["order_id"],
        "text": "Customer called on {{ ds }}",
        "hook_params": FAST_RETRIES,
    }

    first, context = run_op(OrderMeshCreateNoteOperator(**make))
    again, _ = run_op(OrderMeshCreateNoteOperator(**make), try_number=2)

    assert first["resource_id"] == created["order_id"] and first["already_existed"] is False
    assert again == {**first, "already_existed": True}
    assert notes_on(api, "Order", created["order_id"]) == ["Customer called on 2026-11-26"]
    assert context["ti"].xcoms["_link_OrderMeshOrderLink"] == f"{PORTAL_URL}/orders/{created['order_id']}"


@pytest.mark.sandbox
def test_a_note_whose_answer_is_lost_is_found_instead_of_failing_the_try(om, api):
    # Through send_once: after a lost answer the operator looks for the note before giving up.
    created, _ = run_op(
        OrderMeshCreateOrderOperator(task_id="create", payload=order(), hook_params=FAST_RETRIES)
    )
    om.set_faults([{"route": "notes.create", "kind": "drop", "when": "after", "count": 1}])
    make = {
        "task_id": "note",
        "resource_type": "Order",
        "resource_id": created["order_id"],
        "text": "Reprint approved",
        "hook_params": FAST_RETRIES,
    }

    result, _ = run_op(OrderMeshCreateNoteOperator(**make))

    assert result["already_existed"] is True
    assert notes_on(api, "Order", created["order_id"]) == ["Reprint approved"]


@pytest.mark.sandbox
def test_create_note_on_a_shipment_and_an_order_item(om, api):
    created, _ = run_op(
        OrderMeshCreateOrderOperator(task_id="create", payload=order(), hook_params=FAST_RETRIES)
    )
    stored = api.orders.get(created["order_id"])
    shipment_id, item_id = stored.shipment_ids[0], stored.items[0].id

    _, on_shipment = run_op(
        OrderMeshCreateNoteOperator(
            task_id="n1", resource_type="Shipment", resource_id=shipment_id, text="fragile"
        )
    )
    _, on_item = run_op(
        OrderMeshCreateNoteOperator(
            task_id="n2", resource_type="OrderItem", resource_id=item_id, text="reprint", format="Markdown"
        )
    )

    assert notes_on(api, "Shipment", shipment_id) == ["fragile"]
    assert notes_on(api, "OrderItem", item_id) == ["reprint"]
    # Every declared link has its XCom (Airflow logs an error for each one missing when the task
    # ends): the noted resource's URL, and an empty value for the other.
    assert on_shipment["ti"].xcoms == {
        "_link_OrderMeshShipmentLink": f"{PORTAL_URL}/shipments/{shipment_id}",
        "_link_OrderMeshOrderLink": "",
    }
    assert on_item["ti"].xcoms == {"_link_OrderMeshShipmentLink": "", "_link_OrderMeshOrderLink": ""}
    declared = {link.xcom_key for link in OrderMeshCreateNoteOperator.operator_extra_links}
    assert set(on_item["ti"].xcoms) == declared


def test_a_note_for_an_unknown_kind_of_resource_is_refused_before_any_request():
    from airflow_provider_ordermesh.compat import AirflowFailException

    with pytest.raises(AirflowFailException, match=r"invalid note: resource\.type"):
        run_op(OrderMeshCreateNoteOperator(task_id="n", resource_type="Invoice", resource_id="x", text="t"))
