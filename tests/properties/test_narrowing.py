"""Generated argument values never widen an action (issue 11), for every operator and sensor.

Every operator and sensor the provider registers (``get_provider_info()``; checked by
``test_every_registered_operator_and_sensor_is_driven_by_a_property``) is driven with generated
values (blanks, wrong types, NaN and infinities, huge and negative numbers, unicode, oversized
strings, nested garbage, and templates that render any of these) against the sandbox over real
HTTP. For each example: either the task was refused before any request (the sandbox counted
none) with a message naming the argument, or what the sandbox received and applied is no more
than the arguments name.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from operators.context import make_context
from reliability.support import place_order, reset_stats
from support.provider import provider_operators, provider_sensors

from airflow_provider_ordermesh.operators import inbound, notes, orders, shipments
from airflow_provider_ordermesh.sensors import inbound as inbound_sensor
from airflow_provider_ordermesh.sensors import status
from properties.strategies import BLANKS, FIGURES, GARBAGE, NUMBERS, SAFE_ID_ARGUMENTS, rendered

pytestmark = pytest.mark.sandbox

NO_RETRIES = {"max_retries": 0}
UNKNOWN_SHIPMENT = "0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b99"
ACT: dict[str, Any] = {"task_id": "act", "hook_params": NO_RETRIES}


class TemplateRefused(Exception):
    """A template Airflow could not render: its error with the log line in which Airflow names the field."""


@contextmanager
def logged_lines() -> Iterator[list[str]]:
    """The messages logged meanwhile, from any logger (Airflow's templater logs the failing field)."""
    lines: list[str] = []
    handler = logging.Handler(logging.DEBUG)
    handler.emit = lambda record: lines.append(record.getMessage())  # type: ignore[method-assign]
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lines
    finally:
        root.removeHandler(handler)


def attempt(
    om: Any, build: Callable[[], Any], params: dict[str, Any]
) -> tuple[BaseException | None, Any, int]:
    """Build, render and execute a task as Airflow would: ``(error, result, requests the sandbox got)``.

    A value that is itself a broken template (``"{{"``) fails in Airflow's rendering, before the
    operator runs; Airflow logs the task and field then, so that log line is part of the error.
    """
    reset_stats(om)
    result, error = None, None
    try:
        task = build()
        context = {**make_context(task_id=task.task_id), "params": params}
        with logged_lines() as lines:
            try:
                task.render_template_fields(context)
            except Exception as exc:
                raise TemplateRefused(f"{exc}; Airflow logged: {' | '.join(lines)}") from exc
        result = task.execute(context)
    except Exception as exc:
        error = exc
    return error, result, om.stats()["requestsTotal"]


def judge(
    om: Any,
    build: Callable[[], Any],
    params: dict[str, Any],
    *,
    names: tuple[str, ...],
    applied_within_arguments: Callable[[Any], bool],
) -> None:
    """The property: refused before any request naming one of ``names``, or nothing widened."""
    FIGURES["tried"] += 1
    error, result, sent = attempt(om, build, params)
    if error is not None and sent == 0:
        FIGURES["refused"] += 1
        assert any(name in str(error) for name in names), f"{type(error).__name__}: {error}"
        return
    FIGURES["sent"] += 1
    if not applied_within_arguments(result):
        FIGURES["widened"] += 1
        pytest.fail(f"widened: {result!r} / {error!r}")


# --- cancel: only what ``items`` names ------------------------------------------------------------


def _item_lists(item_ids: list[str]) -> st.SearchStrategy[Any]:
    line = st.fixed_dictionaries(
        {"itemId": st.sampled_from(item_ids)}, optional={"quantity": st.one_of(NUMBERS, st.integers(1, 3))}
    )
    return st.one_of(
        GARBAGE,
        st.lists(line, max_size=3),
        st.lists(line, min_size=1, max_size=2).map(lambda lines: __import__("json").dumps(lines)),
    )


@given(data=st.data())
def test_cancel_touches_only_the_named_items(om, data):
    placed = place_order(om, "TSHIRT-BLK-M", "MUG-WHT-11")
    ids = [item.id for item in placed.items]
    items, params = data.draw(rendered(_item_lists(ids)))

    def named_only(_: Any) -> bool:
        wanted = _named(params["v"] if params else items)
        return all(
            item.cancelled_quantity <= wanted.get(item.id, 0)
            for item in om.backend.state.orders[placed.id].items
        )

    judge(
        om,
        lambda: orders.OrderMeshCancelOrderOperator(
            task_id="cancel", order_id=placed.id, items=items, hook_params=NO_RETRIES
        ),
        params,
        names=("items", "cancel request"),
        applied_within_arguments=named_only,
    )


def _named(value: Any) -> dict[str, int]:
    """Units per item id that a cancel's items name (a line without quantity names all, 2)."""
    import json

    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    wanted: dict[str, int] = {}
    for line in value if isinstance(value, list) else []:
        if isinstance(line, dict) and "itemId" in line:
            quantity = line.get("quantity")
            units = quantity if isinstance(quantity, int) and not isinstance(quantity, bool) else 2
            wanted[line["itemId"]] = min(2, wanted.get(line["itemId"], 0) + max(0, units))
    return wanted


# --- searches: never more than the filters and max_results name -----------------------------------


SEARCHES = (orders.OrderMeshSearchOrdersOperator, shipments.OrderMeshSearchShipmentsOperator)


@pytest.mark.parametrize("operator", SEARCHES)
@given(data=st.data())
def test_a_search_returns_no_more_than_its_filters_and_limit(om, operator, data):
    if not om.backend.state.orders:
        for _ in range(3):
            place_order(om)
    argument = data.draw(st.sampled_from(["filters", "max_results", "page_size"]))
    value, params = data.draw(rendered(st.one_of(GARBAGE, st.just({"ids": ["65add270441de72442397b6e"]}))))
    kwargs: dict[str, Any] = {
        "filters": {"ids": [next(iter(om.backend.state.orders))]},
        "max_results": 2,
        argument: value,
    }

    def within(result: Any) -> bool:
        return (
            isinstance(result, list) and len(result) <= 2
            if argument != "max_results"
            else (isinstance(result, list) and len(result) <= 1)
        )

    judge(
        om,
        lambda: operator(task_id="search", hook_params=NO_RETRIES, **kwargs),
        params,
        names=(argument,),
        applied_within_arguments=within,
    )


# --- every action on one resource: its id argument ----------------------------------------------------


def _actions(order_id: str, item_id: str, shipment_id: str) -> dict[str, tuple[Callable[..., Any], str]]:
    """Each single-resource operator with valid other arguments, keyed by name, and its id argument."""
    reroute = {"facility_id": "apparel-west", "reason": "down"}
    return {
        "update": (
            lambda v: orders.OrderMeshUpdateOrderOperator(**ACT, order_id=v, payload={"externalId": "x"}),
            "order_id",
        ),
        "update item": (
            lambda v: orders.OrderMeshUpdateOrderItemOperator(
                **ACT, order_id=order_id, order_item_id=v, payload={"quantity": 1}
            ),
            "order_item_id",
        ),
        "cancel": (
            lambda v: orders.OrderMeshCancelOrderOperator(**ACT, order_id=v, items=[{"itemId": item_id}]),
            "order_id",
        ),
        "hold": (
            lambda v: orders.OrderMeshCustomerCareHoldOperator(**ACT, order_id=v, reason="check"),
            "order_id",
        ),
        "refund": (
            lambda v: orders.OrderMeshRefundOperator(
                **ACT, order_id=v, refunds=[{"itemId": item_id, "amount": 1.0, "reason": "late"}]
            ),
            "order_id",
        ),
        "reroute": (
            lambda v: shipments.OrderMeshRerouteShipmentOperator(**ACT, shipment_id=v, **reroute),
            "shipment_id",
        ),
        "reject": (
            lambda v: shipments.OrderMeshRejectShipmentOperator(**ACT, shipment_id=v, reason="no ink"),
            "shipment_id",
        ),
        "assign": (
            lambda v: shipments.OrderMeshAssignShipmentOperator(
                **ACT, shipment_id=v, facility_id="apparel-west"
            ),
            "shipment_id",
        ),
        "unassign": (
            lambda v: shipments.OrderMeshUnassignItemsOperator(
                **ACT, shipment_id=v, order_items=[{"id": item_id, "quantity": 1}]
            ),
            "shipment_id",
        ),
        "cancel shipment": (
            lambda v: shipments.OrderMeshCancelShipmentOperator(**ACT, shipment_id=v),
            "shipment_id",
        ),
        "resubmit": (
            lambda v: shipments.OrderMeshResubmitShipmentOperator(**ACT, shipment_id=v),
            "shipment_id",
        ),
        "packages": (
            lambda v: shipments.OrderMeshCreatePackagesOperator(
                **ACT, shipment_id=v, packages=[{"carrierName": "UPS", "carrierTrackingNumber": "1Z"}]
            ),
            "shipment_id",
        ),
        "packing slip": (
            lambda v: shipments.OrderMeshGeneratePackingSlipOperator(**ACT, shipment_id=v),
            "shipment_id",
        ),
        "note": (
            lambda v: notes.OrderMeshCreateNoteOperator(
                **ACT, resource_type="Order", resource_id=v, text="hi"
            ),
            "resource",
        ),
        "create shipment": (
            lambda v: shipments.OrderMeshCreateShipmentOperator(
                **ACT,
                payload={
                    "orderId": v,
                    "facilityId": "apparel-west",
                    "orderItems": [{"id": item_id, "quantity": 1}],
                },
            ),
            "orderId",
        ),
    }


@given(data=st.data())
def test_an_action_on_one_resource_acts_on_no_other(om, data):
    placed = place_order(om)
    shipment = next(s for s in om.backend.state.shipments.values() if s.order is placed)
    actions = _actions(placed.id, placed.items[0].id, shipment.id)
    name = data.draw(st.sampled_from(sorted(actions)))
    make, argument = actions[name]
    value, params = data.draw(rendered(GARBAGE))
    before = _fingerprint(om, exclude={placed.id})

    judge(
        om,
        lambda: make(value),
        params,
        names=(argument, "payload", "note"),
        applied_within_arguments=lambda _: _fingerprint(om, exclude={placed.id}) == before,
    )


def _fingerprint(om: Any, *, exclude: set[str]) -> list[tuple[str, str, int]]:
    """The state of every order outside ``exclude``: id, status and cancelled units."""
    return sorted(
        (o.id, str(o.status), sum(i.cancelled_quantity for i in o.items))
        for o in om.backend.state.orders.values()
        if o.id not in exclude
    )


# --- a whole input (a payload, a list of updates or reroutes) of garbage acts on nothing -------------


def _whole_inputs() -> dict[str, tuple[Callable[[Any], Any], str]]:
    """The operators whose one argument is the whole input, keyed by class name, and that argument."""
    return {
        "OrderMeshCreateOrderOperator": (
            lambda v: orders.OrderMeshCreateOrderOperator(**ACT, payload=v),
            "payload",
        ),
        "OrderMeshUpdateOrdersOperator": (
            lambda v: orders.OrderMeshUpdateOrdersOperator(**ACT, updates=v, on_partial_failure="warn"),
            "updates",
        ),
        "OrderMeshBulkRerouteShipmentsOperator": (
            lambda v: shipments.OrderMeshBulkRerouteShipmentsOperator(
                **ACT, reroutes=v, on_partial_failure="warn"
            ),
            "reroutes",
        ),
        "OrderMeshSubmitInboundOrderOperator": (
            lambda v: inbound.OrderMeshSubmitInboundOrderOperator(
                **ACT, body=v, transformation_id="identity"
            ),
            "body",
        ),
    }


@settings(max_examples=80)  # four operators: fewer examples than the per-resource actions' 300
@given(data=st.data())
def test_a_whole_input_of_garbage_changes_nothing(om, data):
    placed = place_order(om)
    name = data.draw(st.sampled_from(sorted(_whole_inputs())))
    make, argument = _whole_inputs()[name]
    value, params = data.draw(rendered(GARBAGE))
    before = _records(om)

    judge(
        om,
        lambda: make(value),
        params,
        names=(argument, "order", "nothing was sent"),
        applied_within_arguments=lambda _: _records(om) == before and placed.id in om.backend.state.orders,
    )


def _records(om: Any) -> list[tuple[str, str]]:
    """Every order as submitted and every shipment's facility: what a garbage input must leave alone
    (statuses are left out: the sandbox's clock moves them on its own)."""
    state = om.backend.state
    return sorted(
        [(o.id, o.submitted.model_dump_json()) for o in state.orders.values()]
        + [(s.id, s.facility.id if s.facility else "") for s in state.shipments.values()]
    )


def test_every_registered_operator_and_sensor_is_driven_by_a_property():
    """Discovered from ``get_provider_info()``: one added later fails here until a property drives it."""
    driven = {
        *(type(make("x")).__name__ for make, _ in _actions("o", "i", "s").values()),
        *_whole_inputs(),
        orders.OrderMeshCancelOrderOperator.__name__,  # test_cancel_touches_only_the_named_items
        orders.OrderMeshCreateOrdersOperator.__name__,  # test_a_bulk_create_creates_at_most_one_order_...
        *(cls.__name__ for cls in SEARCHES),  # test_a_search_returns_no_more_than_its_filters_and_limit
        *(cls.__name__ for cls, _ in SENSORS),  # test_a_sensor_waits_only_for_the_ids_it_names
        inbound_sensor.OrderMeshInboundOrderSensor.__name__,  # test_the_inbound_sensor_never_calls_...
    }
    registered = {cls.__name__ for cls in (*provider_operators(), *provider_sensors())}
    assert not registered - driven, f"drive these with a property: {sorted(registered - driven)}"


# --- bulk: every item accounted for -----------------------------------------------------------------


@given(data=st.data())
def test_a_bulk_create_creates_at_most_one_order_per_input_and_never_drops_one_silently(om, data):
    from operators.data import order

    count = data.draw(st.integers(0, 4))
    safe_ids = data.draw(
        st.lists(
            st.one_of(st.none(), st.sampled_from(["a-1", "a-2"]), BLANKS), min_size=count, max_size=count
        )
    )
    source = [
        order(external_id=f"x{i}", **({} if s is None else {"safeId": s})) for i, s in enumerate(safe_ids)
    ]
    before = len(om.backend.state.orders)
    holder: dict[str, Any] = {}

    def accounted(result: Any) -> bool:
        created = len(om.backend.state.orders) - before
        holder["result"] = result
        if not isinstance(result, dict):
            return created == 0
        return created <= count and len(result["order_ids"]) + len(result["failures"]) == count

    judge(
        om,
        lambda: orders.OrderMeshCreateOrdersOperator(
            task_id="bulk", orders=source, hook_params=NO_RETRIES, on_partial_failure="warn"
        ),
        {},
        names=("orders", "safeId"),
        applied_within_arguments=accounted,
    )


# --- sensors: only the ids they name, and a bounded wait for unknown ones ----------------------------


SENSORS = (
    (status.OrderMeshShipmentStatusSensor, "shipment_ids"),
    (status.OrderMeshOrderStatusSensor, "order_ids"),
)


@pytest.mark.parametrize("sensor, argument", SENSORS)
@given(data=st.data())
def test_a_sensor_waits_only_for_the_ids_it_names(om, sensor, argument, data):
    value, params = data.draw(
        rendered(st.one_of(GARBAGE, st.just([UNKNOWN_SHIPMENT]), st.just(["65add270441de72442397b6e"])))
    )

    def bounded(_: Any) -> bool:
        searches = om.stats()["requests"]
        return sum(sum(v.values()) for k, v in searches.items() if k.endswith("search")) <= 2

    judge(
        om,
        lambda: sensor(
            task_id="wait",
            hook_params=NO_RETRIES,
            mode="poke",
            poke_interval=0.01,
            timeout=5,
            unknown_id_grace=1,
            **{argument: value},
        ),
        params,
        names=(argument, "does not know", "nothing to wait for"),
        applied_within_arguments=bounded,
    )


@settings(max_examples=150)  # each example that is sent waits for its (short) deadline
@given(data=st.data())
def test_the_inbound_sensor_never_calls_an_order_it_did_not_find_a_success(om, data):
    from operators.data import order

    from airflow_provider_ordermesh.models.orders import CreateOrder

    state = om.backend.state
    if "shop-1" not in state.orders_by_safe_id:  # found; "never-1" and the rest never are
        om.backend.orders.create(CreateOrder.model_validate({**order(), "safeId": "shop-1"}), actor="test")
    value, params = data.draw(rendered(SAFE_ID_ARGUMENTS))

    def only_what_exists(result: Any) -> bool:
        searches = om.stats()["requests"].get("orders.search", {})
        if sum(searches.values()) > 10:  # a deadline of 0.05 s at a poll every 0.01 s
            return False
        if result is None:  # it failed: at the deadline, or on an answer it could not read
            return True
        return isinstance(result, dict) and all(
            safe_id in state.orders_by_safe_id and state.orders_by_safe_id[safe_id].id == order_id
            for safe_id, order_id in result.items()
        )

    judge(
        om,
        lambda: inbound_sensor.OrderMeshInboundOrderSensor(
            task_id="wait",
            hook_params=NO_RETRIES,
            mode="poke",
            poke_interval=0.01,
            timeout=0.05,
            safe_ids=value,
        ),
        params,
        names=("safe_ids",),
        applied_within_arguments=only_what_exists,
    )


# --- a value that is itself a broken template --------------------------------------------------------


@given(broken=st.sampled_from(["{{", "{% if %}", "{{ params.v }", "{{ params.v | no_such_filter }}"]))
def test_a_broken_template_is_refused_naming_its_field_before_any_request(om, broken):
    error, result, sent = attempt(
        om,
        lambda: orders.OrderMeshSearchOrdersOperator(
            task_id="search", hook_params=NO_RETRIES, filters=broken
        ),
        {"v": 1},
    )
    assert isinstance(error, TemplateRefused), error
    assert "field 'filters'" in str(error)
    assert (result, sent) == (None, 0)
