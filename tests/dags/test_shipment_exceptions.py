"""``ordermesh_shipment_exceptions`` reroutes what can move and holds, with a note, what cannot."""

from __future__ import annotations

import pytest
from support.dag_runner import run_dag, task_states

pytestmark = [pytest.mark.sandbox, pytest.mark.airflow_db]


def _one_shipment_order(client, order: dict) -> tuple[str, str]:
    """Create an order of one product kind; its id and its one shipment's id."""
    created = client.orders.create(order)
    (shipment,) = client.shipments.list_for_order(created.id)
    return created.id, shipment.id


def test_rejected_and_stuck_shipments_are_rerouted_or_held_with_a_note(
    airflow_db, example_dag, ordermesh, xcom, single_product_order
):
    from airflow_provider_ordermesh.hooks.ordermesh import OrderMeshHook

    ordermesh.reset(speed=0)  # a frozen clock: shipments move only when the test says so
    client = OrderMeshHook().client
    # Rejected, and apparel has a backup facility: rerouted.
    tee, tee_shipment = _one_shipment_order(client, single_product_order("TSHIRT"))
    # Rejected, and wall art has no backup facility: held.
    poster, poster_shipment = _one_shipment_order(client, single_product_order("POSTER"))
    # Stuck in production, where nothing can move any more: held.
    mug, mug_shipment = _one_shipment_order(client, single_product_order("MUG"))
    # Stuck before production, with a backup facility: rerouted.
    _, hoodie_shipment = _one_shipment_order(client, single_product_order("HOODIE"))
    # Shipped: none of the sweep's business.
    canvas, canvas_shipment = _one_shipment_order(client, single_product_order("CANVAS"))
    ordermesh.reject_shipments([tee_shipment, poster_shipment])
    ordermesh.advance_shipments([mug_shipment], to_status="InProduction")
    ordermesh.advance_shipments([canvas_shipment], to_status="Shipped")

    run = run_dag(example_dag("ordermesh_shipment_exceptions"), run_conf={"stuck_after_minutes": 0})

    assert str(run.state) == "success", task_states(run)
    assert xcom(run, "report") == {"checked": 4, "rerouted": 2, "held": 2, "already_held": 0}
    states = task_states(run)
    assert [k for k in states if k.startswith("reroute_shipment[")] == [
        "reroute_shipment[0]",
        "reroute_shipment[1]",
    ]
    shipments = {
        s: client.shipments.get(s) for s in (tee_shipment, hoodie_shipment, poster_shipment, canvas_shipment)
    }
    assert shipments[tee_shipment].facility_id == "apparel-west"
    assert shipments[hoodie_shipment].facility_id == "apparel-west"
    assert shipments[poster_shipment].facility_id == "wallart-east"
    assert client.orders.get(poster).status == client.orders.get(mug).status == "CustomerCareHold"
    assert client.orders.get(tee).status != "CustomerCareHold"
    for order_id, shipment_id in ((poster, poster_shipment), (mug, mug_shipment)):
        (note,) = client.notes.list({"resourceType": "Order", "resourceId": order_id})
        assert note.text is not None
        assert shipment_id in note.text and "cannot be rerouted" in note.text
    assert list(client.notes.list({"resourceType": "Order", "resourceId": canvas})) == []


def test_a_sweep_that_finds_nothing_succeeds_with_nothing_done(airflow_db, example_dag, ordermesh, xcom):
    run = run_dag(example_dag("ordermesh_shipment_exceptions"))

    assert str(run.state) == "success", task_states(run)
    assert xcom(run, "report") == {"checked": 0, "rerouted": 0, "held": 0, "already_held": 0}
    assert ordermesh.stats()["requests"].keys() <= {"auth.client_token", "shipments.search"}


def test_later_sweeps_leave_orders_already_held_alone(
    airflow_db, example_dag, ordermesh, xcom, single_product_order
):
    # Finding 2 of issue 12: a rejected shipment stays Rejected after its order is held, so
    # every sweep held the order and added the same note again.
    from airflow_provider_ordermesh.hooks.ordermesh import OrderMeshHook

    ordermesh.reset(speed=0)
    client = OrderMeshHook().client
    poster = single_product_order("POSTER")
    posters = [_one_shipment_order(client, {**poster, "safeId": f"{poster['safeId']}-{i}"}) for i in range(3)]
    ordermesh.reject_shipments([shipment for _, shipment in posters])

    reports = []
    for _ in range(3):
        run = run_dag(example_dag("ordermesh_shipment_exceptions"))
        assert str(run.state) == "success", task_states(run)
        reports.append(xcom(run, "report"))

    assert (
        reports
        == [{"checked": 3, "rerouted": 0, "held": 3, "already_held": 0}]
        + [{"checked": 3, "rerouted": 0, "held": 0, "already_held": 3}] * 2
    )
    assert ordermesh.stats()["requests"]["orders.customer_care_hold"] == {"200": 3}
    for order_id, _ in posters:
        assert len(list(client.notes.list({"resourceType": "Order", "resourceId": order_id}))) == 1
