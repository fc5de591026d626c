"""The order event trigger's watermark: reports new orders and status changes once, survives restarts."""

from __future__ import annotations

from datetime import UTC, datetime

from airflow_provider_ordermesh.models.orders import Order
from airflow_provider_ordermesh.triggers.watermark import OrderWatermark, parse_time

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def order(order_id: str, status: str, minute: int) -> Order:
    return Order(id=order_id, status=status, updated_at=f"2026-01-01T12:{minute:02d}:00Z")


def test_parse_time_reads_z_offsets_and_naive_times_as_utc():
    assert parse_time("2026-01-01T12:00:00Z") == T0
    assert parse_time("2026-01-01T13:00:00+01:00") == T0
    assert parse_time("2026-01-01T12:00:00") == T0
    assert parse_time("yesterday") is None and parse_time(None) is None


def test_new_orders_are_reported_once_and_the_watermark_follows_the_api():
    state = OrderWatermark(watermark=T0)
    assert state.take([order("a", "Open", 1), order("b", "Open", 2)]) == {"a": "Open", "b": "Open"}
    assert state.watermark == parse_time("2026-01-01T12:02:00Z")
    # The API returns the boundary record again (updatedSince is inclusive): nothing new.
    assert state.take([order("b", "Open", 2)]) == {}


def test_a_status_change_is_reported_but_an_update_keeping_the_status_is_not():
    state = OrderWatermark(watermark=T0)
    state.take([order("a", "Open", 1)])
    assert state.take([order("a", "Open", 3)]) == {}
    assert state.take([order("a", "InProduction", 4)]) == {"a": "InProduction"}


def test_the_first_poll_only_learns_what_exists():
    state = OrderWatermark(watermark=T0)
    assert state.take([order("a", "Open", 5)], report=False) == {}
    assert state.watermark == parse_time("2026-01-01T12:05:00Z")
    assert state.take([order("a", "Open", 5), order("b", "Open", 6)]) == {"b": "Open"}


def test_records_without_updated_at_keep_the_watermark():
    state = OrderWatermark(watermark=T0)
    assert state.take([Order(id="a", status="Open")]) == {"a": "Open"}
    assert state.watermark == T0


def test_the_saved_state_keeps_the_watermark_and_every_reported_status():
    state = OrderWatermark(watermark=T0)
    state.take([order("a", "Open", 1), order("b", "Open", 2), order("c", "Open", 2)])
    state.take([order("a", "Cancelled", 2)])
    saved = state.to_json()
    assert saved == {
        "version": 2,
        "watermark": "2026-01-01T12:02:00+00:00",
        "orders": {"b": ["Open"], "c": ["Open"], "a": ["Open", "Cancelled"]},
    }
    restored = OrderWatermark.from_json(saved)
    assert restored is not None
    assert restored.watermark == state.watermark
    assert restored.take([order("b", "Open", 2), order("c", "Cancelled", 2), order("d", "Open", 3)]) == {
        "c": "Cancelled",
        "d": "Open",
    }
    assert OrderWatermark.from_json(None) is None and OrderWatermark.from_json({"watermark": "junk"}) is None


def test_an_order_reported_long_ago_and_updated_with_the_same_status_is_not_reported_after_a_restart():
    # Finding 1 of issue 12: in OrderMesh every shipment step updates its order; an order
    # reported before the watermark moved on came back as "new" from a rebuilt trigger.
    state = OrderWatermark(watermark=T0)
    assert state.take([order("early", "Open", 1)]) == {"early": "Open"}
    assert state.take([order("late", "Open", 5)]) == {"late": "Open"}
    restored = OrderWatermark.from_json(state.to_json())
    assert restored is not None
    assert restored.take([order("early", "Open", 7), order("new", "Open", 8)]) == {"new": "Open"}


def test_each_order_and_status_pair_is_reported_at_most_once_even_when_a_status_comes_back():
    state = OrderWatermark(watermark=T0)
    assert state.take([order("a", "Open", 1)]) == {"a": "Open"}
    assert state.take([order("a", "CustomerCareHold", 2)]) == {"a": "CustomerCareHold"}
    assert state.take([order("a", "Open", 3)]) == {}


def test_the_memory_is_bounded_forgetting_the_least_recently_seen_order_first():
    state = OrderWatermark(watermark=T0, capacity=2)
    state.take([order("a", "Open", 1), order("b", "Open", 2)])
    state.take([order("a", "Open", 3)])  # a is seen again: b is now the oldest
    state.take([order("c", "Open", 4)])
    assert list(state.known) == ["a", "c"]
    bounded = OrderWatermark.from_json(state.to_json(), capacity=1)
    assert bounded is not None
    assert list(bounded.known) == ["c"]


def test_a_version_1_state_is_read_as_the_boundary_orders_it_kept():
    restored = OrderWatermark.from_json({"watermark": "2026-01-01T12:02:00Z", "boundary": {"b": "Open"}})
    assert restored is not None
    assert restored.known == {"b": ["Open"]}
    assert restored.take([order("b", "Open", 2)]) == {}
