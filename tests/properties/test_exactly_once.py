"""Exactly once, as a property: every state-changing operator, whatever happens around it.

The operators come from ``get_provider_info()`` (``support.provider``), never from a list here:
an operator added later fails ``test_every_state_changing_operator_has_a_scenario`` until it
gets one. Each example drives one operator against the sandbox over HTTP and combines, as
hypothesis draws them: the input's lines permuted between tries, a line duplicated, the answer
to the action lost after OrderMesh applied it (the sandbox's ``drop`` fault, ``when=after``),
Airflow's task retries (a failed try is retried, and a successful one may be retried too: a
worker lost after the work), and a re-run (a new run) with the same key and the same content,
or with the same key and other content. Then it asserts on the sandbox's own records that each
intended effect exists exactly once, or that the task was refused before any request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from operators.context import run_op
from operators.data import order
from reliability.support import FAST
from support.provider import state_changing_operators

from airflow_provider_ordermesh.client.auth import TokenCache
from airflow_provider_ordermesh.compat import AirflowFailException
from airflow_provider_ordermesh.models.orders import CreateOrder
from airflow_provider_ordermesh.operators.base import OrderMeshBaseOperator
from airflow_provider_ordermesh.operators.idempotency import Idempotency
from properties.strategies import ONCE as FIGURES

pytestmark = pytest.mark.sandbox

LOSE_ANSWER = {"kind": "drop", "when": "after", "count": 1}
APPAREL = ("TSHIRT-BLK-M", "HOODIE-GRY-L")
"""Two SKUs that one facility makes: an order of both has one shipment carrying two items."""
EXAMPLES = 8
"""Examples per operator (derandomized by the profile): ~20 operators stay within a few tens of seconds."""
Kwargs = dict[str, Any]


@dataclass
class Scenario:
    """How to exercise one operator and count its effects in the sandbox's records.

    ``arguments(world, order)`` gives the operator's arguments with its lines in ``order`` (a
    permutation of ``range(lines)``); ``effects(world)`` counts each intended effect (each must
    be 1 at the end); ``duplicated`` repeats a line; ``changed`` keeps the key and changes the
    content. ``rerun_safe``: the operation carries its own key (a safeId, an externalId, a
    tracking number), so a re-run without ``idempotency_key`` must not act again either.
    """

    route: str
    setup: Callable[[Any, Any], dict[str, Any]]
    arguments: Callable[[dict[str, Any], list[int]], Kwargs]
    effects: Callable[[dict[str, Any]], list[int]]
    lines: int = 0
    duplicated: Callable[[Kwargs], Kwargs] | None = None
    changed: Callable[[Kwargs], Kwargs] | None = None
    keyed: bool = False
    rerun_safe: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def placed(om: Any, *skus: str, **extra: Any) -> Any:
    """An order placed straight in the sandbox's backend (no request counted)."""
    return om.backend.orders.create(CreateOrder.model_validate(order(*skus, **extra)), actor="test")


def only_shipment(record: Any) -> Any:
    (shipment,) = record.shipments
    return shipment


def audit_count(om: Any, resource_id: str, test: Callable[[Any], bool]) -> int:
    return sum(1 for event in om.backend.state.audit.events("Shipment", resource_id) if test(event))


def in_order(items: list[Any], permutation: list[int]) -> list[Any]:
    return [items[i] for i in permutation]


def with_first_repeated(name: str) -> Callable[[Kwargs], Kwargs]:
    return lambda kwargs: {**kwargs, name: [*kwargs[name], kwargs[name][0]]}


# --- the scenarios, by operator class name -------------------------------------------------------


def _create_order(om: Any, api: Any) -> dict[str, Any]:
    return {"om": om, "payload": order(external_id="NW-1")}


def _create_orders(om: Any, api: Any) -> dict[str, Any]:
    return {"om": om, "orders": [order(external_id=f"NW-{i}") for i in range(3)]}


def _order_setup(*skus: str) -> Callable[[Any, Any], dict[str, Any]]:
    def setup(om: Any, api: Any) -> dict[str, Any]:
        record = placed(om, *skus)
        return {"om": om, "order": record, "shipment": record.shipments[0]}

    return setup


def _orders_setup(om: Any, api: Any) -> dict[str, Any]:
    records = [placed(om) for _ in range(3)]
    return {"om": om, "orders": records, "shipments": [only_shipment(r) for r in records]}


def _rejected_setup(om: Any, api: Any) -> dict[str, Any]:
    world = _order_setup()(om, api)
    om.reject_shipments([world["shipment"].id])
    return world


def _unallocated_setup(om: Any, api: Any) -> dict[str, Any]:
    world = _order_setup(*APPAREL)(om, api)
    api.shipments.delete(world["shipment"].id)
    return world


def _facility_units(world: dict[str, Any], facility_id: str | None, status: Any = None) -> list[int]:
    """Units of each order item on shipments at ``facility_id`` (None: unassigned ones)."""
    counts = []
    for item in world["order"].items:
        units = sum(
            shipment.lines.get(item, 0)
            for shipment in world["order"].shipments
            if (shipment.facility.id if shipment.facility else None) == facility_id
        )
        counts.append(units)
    return counts


def _packages(world: dict[str, Any], order_: list[int]) -> Kwargs:
    numbers = ["1Z001", "1Z002", "1Z003"]
    return {
        "shipment_id": world["shipment"].id,
        "packages": [{"carrierName": "UPS", "carrierTrackingNumber": numbers[i]} for i in order_],
    }


def _inbound(om: Any, api: Any) -> dict[str, Any]:
    return {"om": om, "body": order(external_id="IN-1")}


SCENARIOS: dict[str, Scenario] = {
    "OrderMeshCreateOrderOperator": Scenario(
        route="orders.create",
        setup=_create_order,
        keyed=True,
        rerun_safe=True,
        arguments=lambda w, _: {"payload": w["payload"]},
        changed=lambda kw: {**kw, "payload": {**kw["payload"], "customerShippingMethod": "Express"}},
        effects=lambda w: [len(w["om"].backend.state.orders)],
    ),
    # The body is the merchant's own format: its safeId comes from the body, the task instance or
    # the key *and* the body, so a re-run with another body is another order (docs/idempotency.md).
    "OrderMeshSubmitInboundOrderOperator": Scenario(
        route="orders.submit_inbound",
        setup=_inbound,
        arguments=lambda w, _: {"body": w["body"], "transformation_id": "identity"},
        effects=lambda w: [len(w["om"].backend.state.orders)],
    ),
    "OrderMeshCreateOrdersOperator": Scenario(
        route="orders.create_bulk",
        setup=_create_orders,
        lines=3,
        rerun_safe=True,
        arguments=lambda w, o: {"orders": in_order(w["orders"], o)},
        duplicated=with_first_repeated("orders"),
        effects=lambda w: [
            sum(
                1
                for r in w["om"].backend.state.orders.values()
                if r.submitted.external_id == source["externalId"]
            )
            for source in w["orders"]
        ],
    ),
    "OrderMeshUpdateOrderOperator": Scenario(
        route="orders.update",
        setup=_order_setup(),
        arguments=lambda w, _: {"order_id": w["order"].id, "payload": {"customerShippingMethod": "Express"}},
        effects=lambda w: [int(w["order"].submitted.customer_shipping_method == "Express")],
    ),
    "OrderMeshUpdateOrdersOperator": Scenario(
        route="orders.update_bulk",
        setup=_orders_setup,
        lines=3,
        arguments=lambda w, o: {
            "updates": [{"id": w["orders"][i].id, "customerShippingMethod": "Express"} for i in o]
        },
        duplicated=with_first_repeated("updates"),
        effects=lambda w: [int(r.submitted.customer_shipping_method == "Express") for r in w["orders"]],
    ),
    "OrderMeshUpdateOrderItemOperator": Scenario(
        route="orders.update_item",
        setup=_order_setup(),
        arguments=lambda w, _: {
            "order_id": w["order"].id,
            "order_item_id": w["order"].items[0].id,
            "payload": {"meta": {"gift": "yes"}},
        },
        effects=lambda w: [int(w["order"].items[0].submitted.meta == {"gift": "yes"})],
    ),
    "OrderMeshCancelOrderOperator": Scenario(
        route="orders.cancel",
        setup=_order_setup(*APPAREL),
        lines=2,
        keyed=True,
        arguments=lambda w, o: {
            "order_id": w["order"].id,
            "items": [{"itemId": w["order"].items[i].id, "quantity": 1} for i in o],
        },
        duplicated=with_first_repeated("items"),
        changed=lambda kw: {**kw, "items": [{**kw["items"][0], "quantity": 2}, *kw["items"][1:]]},
        effects=lambda w: [item.cancelled_quantity for item in w["order"].items],
    ),
    "OrderMeshCustomerCareHoldOperator": Scenario(
        route="orders.customer_care_hold",
        setup=_order_setup(),
        arguments=lambda w, _: {"order_id": w["order"].id, "reason": "address check"},
        effects=lambda w: [
            sum(
                1
                for e in w["om"].backend.state.audit.events("Order", w["order"].id)
                if e.action == "CustomerCareHold"
            )
        ],
    ),
    "OrderMeshRefundOperator": Scenario(
        route="orders.refund",
        setup=_order_setup(),
        lines=2,
        keyed=True,
        arguments=lambda w, o: {
            "order_id": w["order"].id,
            "refunds": in_order(
                [
                    {"itemId": w["order"].items[0].id, "amount": 15.0, "reason": "print faded"},
                    {
                        "itemId": w["order"].items[0].id,
                        "isShippingRefund": True,
                        "amount": 5,
                        "reason": "late",
                    },
                ],
                o,
            ),
        },
        duplicated=with_first_repeated("refunds"),
        changed=lambda kw: {**kw, "refunds": [{**kw["refunds"][0], "amount": 1.0}, *kw["refunds"][1:]]},
        effects=lambda w: [
            sum(1 for r in w["order"].items[0].refunds if r.is_shipping_refund is shipping)
            for shipping in (False, True)
        ],
    ),
    "OrderMeshRerouteShipmentOperator": Scenario(
        route="shipments.reroute",
        setup=_order_setup(*APPAREL),
        lines=2,
        arguments=lambda w, o: {
            "shipment_id": w["shipment"].id,
            "facility_id": "apparel-west",
            "reason": "balance",
            "order_items": [{"id": w["order"].items[i].id, "quantity": 1} for i in o],
        },
        duplicated=with_first_repeated("order_items"),
        effects=lambda w: _facility_units(w, "apparel-west"),
    ),
    "OrderMeshBulkRerouteShipmentsOperator": Scenario(
        route="shipments.reroute_bulk",
        setup=_orders_setup,
        lines=3,
        arguments=lambda w, o: {
            "reroutes": [
                {"shipmentId": w["shipments"][i].id, "facilityId": "apparel-west", "reason": "balance"}
                for i in o
            ]
        },
        duplicated=with_first_repeated("reroutes"),
        effects=lambda w: [
            audit_count(w["om"], s.id, lambda e: "rerouted to" in e.description) for s in w["shipments"]
        ],
    ),
    "OrderMeshRejectShipmentOperator": Scenario(
        route="shipments.reject",
        setup=_order_setup(),
        arguments=lambda w, _: {"shipment_id": w["shipment"].id, "reason": "no ink"},
        effects=lambda w: [audit_count(w["om"], w["shipment"].id, lambda e: e.new_value == "Rejected")],
    ),
    "OrderMeshAssignShipmentOperator": Scenario(
        route="shipments.assign",
        setup=_rejected_setup,
        arguments=lambda w, _: {"shipment_id": w["shipment"].id, "facility_id": "apparel-west"},
        effects=lambda w: [
            audit_count(
                w["om"], w["shipment"].id, lambda e: e.old_value == "Rejected" and e.new_value == "Assigned"
            )
        ],
    ),
    "OrderMeshUnassignItemsOperator": Scenario(
        route="shipments.unassign_items",
        setup=_order_setup(*APPAREL),
        lines=2,
        arguments=lambda w, o: {
            "shipment_id": w["shipment"].id,
            "order_items": [{"id": w["order"].items[i].id, "quantity": 1} for i in o],
        },
        duplicated=with_first_repeated("order_items"),
        effects=lambda w: _facility_units(w, None),
    ),
    "OrderMeshCancelShipmentOperator": Scenario(
        route="shipments.cancel",
        setup=_order_setup(),
        arguments=lambda w, _: {"shipment_id": w["shipment"].id, "reason": "duplicate"},
        effects=lambda w: [audit_count(w["om"], w["shipment"].id, lambda e: e.new_value == "Cancelled")],
    ),
    "OrderMeshResubmitShipmentOperator": Scenario(
        route="shipments.resubmit",
        setup=_rejected_setup,
        arguments=lambda w, _: {"shipment_id": w["shipment"].id},
        effects=lambda w: [int(w["shipment"].status.label == "Assigned")],
    ),
    "OrderMeshCreatePackagesOperator": Scenario(
        route="shipments.create_packages",
        setup=_order_setup(),
        lines=3,
        rerun_safe=True,
        arguments=_packages,
        duplicated=with_first_repeated("packages"),
        effects=lambda w: [
            sum(1 for p in w["shipment"].packages if p.details.carrier_tracking_number == number)
            for number in ("1Z001", "1Z002", "1Z003")
        ],
    ),
    "OrderMeshCreateShipmentOperator": Scenario(
        route="shipments.create",
        setup=_unallocated_setup,
        lines=2,
        arguments=lambda w, o: {
            "payload": {
                "orderId": w["order"].id,
                "facilityId": "apparel-west",
                "orderItems": [{"id": w["order"].items[i].id, "quantity": 2} for i in o],
            }
        },
        duplicated=lambda kw: {
            "payload": {
                **kw["payload"],
                "orderItems": [*kw["payload"]["orderItems"], kw["payload"]["orderItems"][0]],
            }
        },
        effects=lambda w: [units // 2 for units in _facility_units(w, "apparel-west")],
    ),
    "OrderMeshGeneratePackingSlipOperator": Scenario(
        route="packing_slips.generate",
        setup=_order_setup(),
        arguments=lambda w, _: {"shipment_id": w["shipment"].id},
        effects=lambda w: [
            int(any(s.shipment is w["shipment"] for s in w["om"].backend.state.packing_slips.values()))
        ],
    ),
    "OrderMeshCreateNoteOperator": Scenario(
        route="notes.create",
        setup=_order_setup(),
        arguments=lambda w, _: {
            "resource_type": "Order",
            "resource_id": w["order"].id,
            "text": "call the customer",
        },
        effects=lambda w: [
            sum(1 for n in w["om"].backend.state.notes.values() if n.resource_id == w["order"].id)
        ],
    ),
}


# --- the plan of one example ---------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """What happens around the operator in one example."""

    first: list[int]
    later: list[int]
    duplicate: bool
    lose_answer: bool
    retry_after_success: bool
    rerun: str  # "none", "same" (same key, same content), "other" (same key, other content)


def plans(scenario: Scenario) -> st.SearchStrategy[Plan]:
    lines = list(range(scenario.lines))
    reruns = (
        ["none", "same", "other"] if scenario.keyed else ["none", "same"] if scenario.rerun_safe else ["none"]
    )
    return st.builds(
        Plan,
        first=st.permutations(lines).map(list),
        later=st.permutations(lines).map(list),
        duplicate=st.booleans() if scenario.duplicated else st.just(False),
        lose_answer=st.booleans(),
        retry_after_success=st.booleans(),
        rerun=st.sampled_from(reruns),
    )


def run_task(operator_class: type[OrderMeshBaseOperator], kwargs: Kwargs, run_id: str) -> tuple[str, Any]:
    """One task instance as Airflow runs it: tries until one succeeds or fails without retries.

    Returns ``("success", result)`` or ``("failed", exception)``.
    """
    for try_number in range(1, 5):
        op = operator_class(task_id="act", hook_params=FAST, **kwargs)
        try:
            return "success", run_op(op, try_number=try_number, run_id=run_id)[0]
        except AirflowFailException as exc:  # no Airflow retry
            return "failed", exc
        except Exception:
            continue
    raise AssertionError("four tries without an outcome")


def exercise(
    om: Any, api: Any, operator_class: type[OrderMeshBaseOperator], scenario: Scenario, plan: Plan
) -> None:
    """One example: set up, act as the plan says, and check every effect is there exactly once."""
    om.reset()
    TokenCache.clear_all()
    world = scenario.setup(om, api)
    FIGURES["tried"] += 1
    kwargs = scenario.arguments(world, plan.first)
    if scenario.keyed:
        kwargs["idempotency_key"] = "business-op-1"
    if plan.duplicate and scenario.duplicated is not None:
        before = om.stats()["requestsTotal"]
        outcome, error = run_task(operator_class, scenario.duplicated(kwargs), run_id="run-1")
        assert outcome == "failed" and ("name the same" in str(error) or " share " in str(error)), error
        assert om.stats()["requestsTotal"] == before, "a duplicated line was refused only after a request"
        assert not any(scenario.effects(world)), "a duplicated line acted"
        FIGURES["refused"] += 1
        return
    if plan.lose_answer:
        om.set_faults([{"route": scenario.route, **LOSE_ANSWER}])
    outcome, result = run_task(operator_class, kwargs, run_id="run-1")
    om.clear_faults()
    if outcome == "failed":  # an unguardable lost answer: never sent again blindly
        assert operator_class.idempotency.kind is Idempotency.UNGUARDABLE, result
        assert all(count <= 1 for count in scenario.effects(world))
        return
    if plan.retry_after_success:
        later = scenario.arguments(world, plan.later)
        op = operator_class(task_id="act", hook_params=FAST, **{**kwargs, **later})
        run_op(op, try_number=2, run_id="run-1")
    if plan.rerun == "same":
        rerun = {**kwargs, **scenario.arguments(world, plan.later)}
        assert run_task(operator_class, rerun, run_id="run-2")[0] == "success"
    elif plan.rerun == "other" and scenario.changed is not None:
        sent_before = sum(om.stats()["requests"].get(scenario.route, {}).values())
        outcome, error = run_task(operator_class, scenario.changed(kwargs), run_id="run-2")
        assert outcome == "failed" and "already used for an operation with different content" in str(error), (
            error
        )
        assert sum(om.stats()["requests"].get(scenario.route, {}).values()) == sent_before
        FIGURES["refused"] += 1
    effects = scenario.effects(world)
    FIGURES["effects"] += len(effects)
    FIGURES["duplicates"] += sum(1 for count in effects if count > 1)
    assert effects == [1] * len(effects), f"effects {effects} (each must be exactly 1) under {plan}"
    FIGURES["sent"] += 1


STATE_CHANGING = state_changing_operators()


def test_every_state_changing_operator_has_a_scenario():
    missing = sorted(cls.__name__ for cls in STATE_CHANGING if cls.__name__ not in SCENARIOS)
    assert not missing, f"add a Scenario to tests/properties/test_exactly_once.py for: {', '.join(missing)}"
    assert len(STATE_CHANGING) >= 19


@pytest.mark.parametrize("operator_class", STATE_CHANGING, ids=lambda cls: cls.__name__)
def test_each_effect_exists_exactly_once(om, api, operator_class):
    scenario = SCENARIOS.get(operator_class.__name__)
    if scenario is None:
        pytest.fail(f"no scenario for {operator_class.__name__}")
    FIGURES["operators"] += 1

    @settings(max_examples=EXAMPLES)
    @given(plan=plans(scenario))
    def check(plan: Plan) -> None:
        exercise(om, api, operator_class, scenario, plan)

    check()
