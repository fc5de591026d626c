"""The order event trigger's watermark: reports new orders and status changes once, survives restarts."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow_provider_ordermesh.models.orders import Order
from airflow_provider_ordermesh.triggers.watermark import OrderWatermark, parse_time

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)


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


def test_the_saved_state_keeps_the_watermark_and_its_boundary_orders():
    state = OrderWatermark(watermark=T0)
    state.take([order("a", "Open", 1), order("b", "Open", 2), order("c", "Open", 2)])
    saved = state.to_json()
    assert saved == {"watermark": "2026-01-01T12:02:00+00:00", "boundary": {"b": "Open", "c": "Open"}}
    restored = OrderWatermark.from_json(saved)
    assert restored.watermark == state.watermark
    assert restored.take([order("b", "Open", 2), order("c", "Cancelled", 2), order("d", "Open", 3)]) == {
        "c": "Cancelled", "d": "Open"}
    assert OrderWatermark.from_json(None) is None and OrderWatermark.from_json({"watermark": "junk"}) is None
