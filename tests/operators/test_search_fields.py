"""``fields=[...]`` on the search operators: a name the record does not have is refused before any
request, with the closest real name, instead of returning None for every record (issue 22)."""

from __future__ import annotations

import pytest
from reliability.support import place_order

from airflow_provider_ordermesh.compat import AirflowFailException
from airflow_provider_ordermesh.operators.orders import OrderMeshSearchOrdersOperator
from airflow_provider_ordermesh.operators.shipments import OrderMeshSearchShipmentsOperator
from operators.conftest import FAST_RETRIES
from operators.context import run_op

pytestmark = pytest.mark.sandbox


def test_a_misspelt_field_is_refused_before_any_request_with_the_closest_name(om):
    place_order(om)
    before = om.stats()["requestsTotal"]
    search = OrderMeshSearchOrdersOperator(
        task_id="search", filters={"status": ["Pending"]}, fields=["id", "shortID"], hook_params=FAST_RETRIES
    )

    with pytest.raises(
        AirflowFailException, match=r"fields: 'shortID' \(did you mean 'shortId'\?\) is not a field of Order"
    ):
        run_op(search)
    assert om.stats()["requestsTotal"] == before


def test_fields_in_either_spelling_and_the_shipment_status_name_still_work(om, api):
    placed = place_order(om)
    orders, _ = run_op(
        OrderMeshSearchOrdersOperator(
            task_id="search",
            filters={"ids": [placed.id]},
            fields=["id", "shortId", "external_id"],
            hook_params=FAST_RETRIES,
        )
    )
    shipments, _ = run_op(
        OrderMeshSearchShipmentsOperator(
            task_id="search",
            filters={"orderIds": [placed.id]},
            fields=["id", "status"],
            hook_params=FAST_RETRIES,
        )
    )
    assert orders == [
        {"id": placed.id, "shortId": placed.short_id, "external_id": api.orders.get(placed.id).external_id}
    ]
    assert shipments and all(s["status"] for s in shipments)
