"""An export never replaces data another window wrote (issue 21, item 5).

The finding: ``partition="date={since:%Y-%m-%d}"`` on an hourly export made the second hour's file
replace the first hour's, orders gone from the lake and both runs green.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from operators.data import order

from airflow_provider_ordermesh.compat import AirflowFailException

pytestmark = pytest.mark.sandbox

DAILY = "date={since:%Y-%m-%d}"


def _two_hours_of_one_day(om, api):
    """Two consecutive hourly windows of the same UTC day, one order created in each."""
    om.reset(speed=0, step_seconds=1_000_000)
    now = om.backend.state.clock.now()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    om.advance((midnight - now).total_seconds() + 600)  # 00:10 of the next day
    first = api.orders.create(order("MUG-11OZ-WHITE", external_id="hour-0")).id
    om.advance(3600)
    second = api.orders.create(order("MUG-11OZ-WHITE", external_id="hour-1")).id
    hours = [(midnight + timedelta(hours=h), midnight + timedelta(hours=h + 1)) for h in (0, 1)]
    return hours, first, second


def _requests(om) -> int:
    return int(om.stats()["requestsTotal"])


def test_an_hourly_export_into_a_daily_partition_never_replaces_the_first_hour(
    om, api, export, read, tmp_path
):
    (h0, h1), first, second = _two_hours_of_one_day(om, api)
    base = f"file://{tmp_path}"
    written = export(base, since=h0[0], before=h0[1], partition=DAILY)
    assert [r["id"] for r in read(written["paths"][0])] == [first]
    before = _requests(om)

    with pytest.raises(AirflowFailException, match=r"holds the export of window \[.*\); this run's window"):
        export(base, since=h1[0], before=h1[1], partition=DAILY)

    assert _requests(om) == before  # refused before any OrderMesh request
    assert [r["id"] for r in read(written["paths"][0])] == [first]  # the first hour is still there
    assert second not in {r["id"] for r in read(written["paths"][0])}


def test_re_running_the_same_window_still_replaces_its_partition(om, api, export, read, tmp_path):
    (h0, _), first, _ = _two_hours_of_one_day(om, api)
    base = f"file://{tmp_path}"
    once = export(base, since=h0[0], before=h0[1], partition=DAILY)
    again = export(base, since=h0[0], before=h0[1], partition=DAILY)  # a cleared task, a re-run night

    assert again["paths"] == once["paths"] and [r["id"] for r in read(again["paths"][0])] == [first]

    partition = Path(again["paths"][0].removeprefix("file://")).parent
    assert sorted(p.name for p in partition.iterdir()) == ["_manifest.json", "part-00000.jsonl.gz"]
    manifest = json.loads((partition / "_manifest.json").read_text())
    assert manifest["window"] == {"since": h0[0].isoformat(), "before": h0[1].isoformat()}
    assert manifest["rows"] == again["rows"] and manifest["bytes"] == again["bytes"] > 0


def test_an_hourly_partition_template_keeps_both_hours(om, api, export, read, tmp_path):
    (h0, h1), first, second = _two_hours_of_one_day(om, api)
    base = f"file://{tmp_path}"
    hourly = "date={since:%Y-%m-%d}/hour={since:%H}"
    a = export(base, since=h0[0], before=h0[1], partition=hourly)
    b = export(base, since=h1[0], before=h1[1], partition=hourly)
    assert [r["id"] for r in read(a["paths"][0])] == [first]
    assert [r["id"] for r in read(b["paths"][0])] == [second]


def test_templated_data_without_a_manifest_is_not_overwritten(om, api, export, read, tmp_path):
    (h0, _), _, _ = _two_hours_of_one_day(om, api)
    day = tmp_path / "resource=orders" / f"date={h0[0]:%Y-%m-%d}"
    day.mkdir(parents=True)
    (day / "part-00000.jsonl.gz").write_bytes(b"written by another tool")

    with pytest.raises(AirflowFailException, match="already holds data without a manifest"):
        export(f"file://{tmp_path}", since=h0[0], before=h0[1], partition=DAILY)
    assert (day / "part-00000.jsonl.gz").read_bytes() == b"written by another tool"


@pytest.mark.parametrize(
    ("partition", "message"),
    [
        ("orders", r"names neither \{since\} nor \{before\}"),
        ("date={ds}", r"does not render \(KeyError"),
        ("date={since:%Y-%m-%d}/../x", r"relative path without '\.\.'"),
    ],
)
def test_a_partition_template_that_cannot_identify_a_window_is_refused_when_the_dag_is_parsed(
    partition, message
):
    from airflow_provider_ordermesh.transfers import OrderMeshToObjectStorageOperator

    with pytest.raises(ValueError, match=message):
        OrderMeshToObjectStorageOperator(
            task_id="export", resource="orders", base_path="file:///tmp/unused", partition=partition
        )
