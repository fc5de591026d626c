"""Every trigger serializes to an importable classpath and JSON-only kwargs that rebuild it exactly."""

from __future__ import annotations

import json
import time

import pytest

from airflow_provider_ordermesh.compat import BaseEventTrigger, import_string  # the triggerer's loader
from airflow_provider_ordermesh.triggers.events import OrderMeshOrderEventTrigger
from airflow_provider_ordermesh.triggers.status import (
    OrderMeshOrderStatusTrigger,
    OrderMeshShipmentStatusTrigger,
)

ORDER = "65add270441de72442397b6e"
END = time.time() + 600


def shipment_trigger():
    return OrderMeshShipmentStatusTrigger(
        shipment_ids=["0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b01", "0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b02"],
        order_ids=[ORDER],
        target_statuses=[4, 5],
        failure_statuses=[6, 7],
        status_names={"8": "OnHold"},
        end_time=END,
        ordermesh_conn_id="om",
        poll_interval=5.0,
        max_consecutive_errors=3,
        page_size=50,
        hook_params={"max_retries": 2},
    )


def order_trigger():
    return OrderMeshOrderStatusTrigger(
        order_ids=[ORDER],
        order_item_ids=["item-1"],
        target_statuses=["Fulfilled"],
        failure_statuses=["Cancelled"],
        end_time=END,
        poll_interval=1.5,
    )


def event_trigger():
    return OrderMeshOrderEventTrigger(
        statuses=["open"], filters={"isTest": False}, start_watermark="2026-01-01T00:00:00Z", poll_interval=30
    )


@pytest.mark.parametrize("make", [shipment_trigger, order_trigger, event_trigger])
def test_serialize_round_trips_through_import_string(make):
    trigger = make()
    classpath, kwargs = trigger.serialize()
    assert json.loads(json.dumps(kwargs)) == kwargs, "kwargs must be plain JSON"
    rebuilt = import_string(classpath)(**kwargs)
    assert type(rebuilt) is type(trigger)
    assert rebuilt.serialize() == (classpath, kwargs)


def test_shipment_trigger_serializes_exactly_its_arguments():
    classpath, kwargs = shipment_trigger().serialize()
    assert classpath == "airflow_provider_ordermesh.triggers.status.OrderMeshShipmentStatusTrigger"
    assert kwargs == {
        "shipment_ids": ["0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b01", "0b7e5c1a-3f7e-4b8a-9c41-6d2f8e9a1b02"],
        "order_ids": [ORDER],
        "target_statuses": [4, 5],
        "failure_statuses": [6, 7],
        "status_names": {"8": "OnHold"},
        "end_time": END,
        "ordermesh_conn_id": "om",
        "poll_interval": 5.0,
        "max_consecutive_errors": 3,
        "unknown_id_grace": 3,
        "page_size": 50,
        "hook_params": {"max_retries": 2},
    }


def test_event_trigger_is_an_event_trigger_with_normalised_filters():
    trigger = event_trigger()
    assert isinstance(trigger, BaseEventTrigger)
    assert trigger.serialize()[1]["statuses"] == ["Open"]


def test_event_trigger_identity_does_not_depend_on_when_it_was_built():
    """AssetWatcher identifies a trigger by its kwargs: building it twice (two DAG parses) must match."""
    first, second = (
        OrderMeshOrderEventTrigger(statuses=["Open"]),
        OrderMeshOrderEventTrigger(statuses=["Open"]),
    )
    assert first.serialize() == second.serialize()
    assert BaseEventTrigger.hash(*first.serialize()) == BaseEventTrigger.hash(*second.serialize())
    assert first.state_key == second.state_key
    assert first.state_key != OrderMeshOrderEventTrigger(statuses=["Cancelled"]).state_key


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"statuses": ["Opened"]}, "unknown order status 'Opened'; known statuses:"),
        ({"filters": {"updatedSince": "2026-01-01"}}, "set by the trigger itself"),
        ({"filters": {"colour": "red"}}, "colour"),
        ({"start_watermark": "last tuesday"}, "start_watermark"),
        ({"poll_interval": 0}, "poll_interval"),
        ({"max_orders_per_event": 0}, "max_orders_per_event"),
        ({"page_size": 500}, "page_size"),
    ],
)
def test_event_trigger_refuses_bad_arguments_when_built(kwargs, problem):
    with pytest.raises(ValueError, match=problem):
        OrderMeshOrderEventTrigger(**kwargs)
