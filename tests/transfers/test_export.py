"""The transfer operator against the sandbox over real HTTP, writing to a local path."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from operators.data import order

pytestmark = pytest.mark.sandbox

FROZEN = {"speed": 0, "step_seconds": 1_000_000}
"""A clock that moves only when told, and shipments that do not progress (orders stay editable)."""


def _ids(records):
    return sorted(r["id"] for r in records)


def _files(root: Path) -> list[str]:
    """The data files under ``root`` (each partition's ``_manifest.json`` aside)."""
    return sorted(
        str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and p.name != "_manifest.json"
    )


def test_three_windows_then_the_middle_one_again_after_changes(om, api, export, read, hour_windows, tmp_path):
    om.reset(**FROZEN)
    w1, w2, w3 = hour_windows(3)
    base = f"file://{tmp_path}"
    first = [api.orders.create(order("MUG-11OZ-WHITE", external_id=f"w1-{i}")).id for i in range(2)]
    om.advance(3600)
    second = [api.orders.create(order("MUG-11OZ-WHITE", external_id=f"w2-{i}")).id for i in range(2)]

    r1 = export(base, since=w1[0], before=w1[1])
    r2 = export(base, since=w2[0], before=w2[1])
    assert (r1["rows"], r2["rows"]) == (2, 2)
    assert _ids(read(r2["paths"][0])) == sorted(second)

    # Still inside the second window: one first-window order changes, one new order arrives.
    api.orders.update(first[0], {"externalId": "w1-0-changed"})
    late = api.orders.create(order("MUG-11OZ-WHITE", external_id="w2-late")).id
    om.advance(3600)
    third = [api.orders.create(order("MUG-11OZ-WHITE", external_id=f"w3-{i}")).id for i in range(2)]
    r3 = export(base, since=w3[0], before=w3[1])

    again = export(base, since=w2[0], before=w2[1])
    assert again["paths"] == r2["paths"]  # the same partition, replaced
    rows = read(again["paths"][0])
    assert _ids(rows) == sorted([*second, late, first[0]])
    assert len(rows) == len({r["id"] for r in rows}) == again["rows"] == 4
    assert next(r for r in rows if r["id"] == first[0])["externalId"] == "w1-0-changed"
    # Every order is in the partition of the window of its last change: nothing missing.
    latest = (
        {r["id"] for r in read(r1["paths"][0])}
        | {r["id"] for r in rows}
        | {r["id"] for r in read(r3["paths"][0])}
    )
    assert latest == {*first, *second, late, *third}
    assert _files(tmp_path) == [
        f"resource=orders/date={w[0]:%Y-%m-%d}/window={w[0]:%Y%m%dT%H%M%SZ}_{w[1]:%Y%m%dT%H%M%SZ}/part-00000.jsonl.gz"
        for w in (w1, w2, w3)
    ]
    assert again["window"] == {"since": w2[0].isoformat(), "before": w2[1].isoformat()}
    assert again["cursor"] == w2[1].isoformat()


def test_a_failure_mid_export_leaves_the_previous_partition_untouched(
    om, api, export, read, hour_windows, tmp_path
):
    om.reset(**FROZEN)
    (window,) = hour_windows(1)
    base = f"file://{tmp_path}"
    api.orders.create_bulk([order("MUG-11OZ-WHITE", external_id=f"bulk-{i}") for i in range(100)])
    api.orders.create_bulk([order("MUG-11OZ-WHITE", external_id=f"more-{i}") for i in range(50)])
    good = export(base, since=window[0], before=window[1])
    assert good["rows"] == 150
    before = Path(good["paths"][0].removeprefix("file://")).read_bytes()

    api.orders.create(order("MUG-11OZ-WHITE", external_id="extra"))
    # The second page fails (a non-retryable 400) after the first page was written to staging.
    from airflow_provider_ordermesh.client.resources import _base

    real = _base.page_operation
    calls = {"n": 0}

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            om.set_faults([{"route": "orders.search", "kind": "status", "status": 400, "count": 1}])
        return real(*args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_base, "page_operation", failing)
        with pytest.raises(Exception, match="400"):
            export(base, since=window[0], before=window[1])
    om.set_faults([])
    assert Path(good["paths"][0].removeprefix("file://")).read_bytes() == before
    assert [f for f in _files(tmp_path) if "_staging" in f] == []


def test_csv_has_the_documented_columns_and_whole_day_windows_a_date_partition(om, api, export, tmp_path):
    from datetime import timedelta

    from airflow_provider_ordermesh.transfers.resources import RESOURCES

    om.reset(**FROZEN)
    created = api.orders.create(order("MUG-11OZ-WHITE", "TSHIRT-5000-M-BLACK"))
    day = om.backend.state.clock.now().replace(hour=0, minute=0, second=0, microsecond=0)
    result = export(f"file://{tmp_path}", since=day, before=day + timedelta(days=1), file_format="csv")
    path = Path(result["paths"][0].removeprefix("file://"))
    assert path == tmp_path / "resource=orders" / f"date={day:%Y-%m-%d}" / "part-00000.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    assert list(rows[0]) == [c.name for c in RESOURCES["orders"].columns]
    assert rows[0]["id"] == created.id and len(rows) == 1


def test_parquet_schema_is_fixed_by_the_columns_not_the_data(om, api, export, hour_windows, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    from airflow_provider_ordermesh.transfers.resources import RESOURCES
    from airflow_provider_ordermesh.transfers.writers import parquet_schema

    om.reset(**FROZEN)
    (window,) = hour_windows(1)
    empty = export(
        f"file://{tmp_path}/empty",
        since=window[0],
        before=window[1],
        file_format="parquet",
        resource="shipments",
    )
    api.orders.create(order("MUG-11OZ-WHITE"))
    full = export(
        f"file://{tmp_path}/full",
        since=window[0],
        before=window[1],
        file_format="parquet",
        resource="shipments",
    )
    schema = parquet_schema(RESOURCES["shipments"].columns)
    empty_table = pq.read_table(empty["paths"][0].removeprefix("file://"))
    full_table = pq.read_table(full["paths"][0].removeprefix("file://"))
    assert empty_table.schema.equals(schema) and full_table.schema.equals(schema)
    assert (empty_table.num_rows, full_table.num_rows) == (0, 1)


def test_items_shipments_and_audit_logs_of_the_window(om, api, export, read, hour_windows, tmp_path):
    om.reset(**FROZEN)
    w1, w2 = hour_windows(2)
    base = f"file://{tmp_path}"
    old = api.orders.create(order("MUG-11OZ-WHITE", external_id="old"))
    om.advance(3600)
    new = api.orders.create(order("MUG-11OZ-WHITE", "TSHIRT-5000-M-BLACK", external_id="new"))
    api.orders.update(old.id, {"externalId": "old-changed"})

    items = read(export(base, since=w2[0], before=w2[1], resource="order_items")["paths"][0])
    shipments = read(export(base, since=w2[0], before=w2[1], resource="shipments")["paths"][0])
    audit = read(export(base, since=w2[0], before=w2[1], resource="order_audit_logs")["paths"][0])
    first_audit = read(export(base, since=w1[0], before=w1[1], resource="order_audit_logs")["paths"][0])

    assert len(items) == 2 and all(i["id"] for i in items)
    assert sorted(s["orderId"] for s in shipments) == sorted([new.id, new.id])
    assert all("packages" in s for s in shipments)
    assert {e["orderId"] for e in audit} == {old.id, new.id}
    assert any(e["orderId"] == old.id and e.get("action") == "Updated" for e in audit)
    # The old order's creation event happened in the first window: it is there, not repeated here.
    assert {e["orderId"] for e in first_audit} == {old.id}
    assert not {e["id"] for e in first_audit} & {e["id"] for e in audit}
    ship_audit = read(export(base, since=w2[0], before=w2[1], resource="shipment_audit_logs")["paths"][0])
    assert {e["shipmentId"] for e in ship_audit} == {s["id"] for s in shipments}
