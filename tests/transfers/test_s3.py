"""The same export to ``s3://``, through Airflow's S3 filesystem, against moto's S3 server on loopback."""

from __future__ import annotations

import gzip
import json
from datetime import timedelta

import pytest
from operators.data import order
from support.s3 import BUCKET

pytest.importorskip("moto.server", reason="needs the test extra: moto[server]")
pytest.importorskip("s3fs", reason="needs the test extra: apache-airflow-providers-amazon[s3fs]")

pytestmark = pytest.mark.sandbox


def test_export_to_s3_replaces_the_partition_object(om, api, export, s3):
    om.reset(speed=0, step_seconds=1_000_000)
    now = om.backend.state.clock.now()
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    window = {"since": day, "before": day + timedelta(days=1)}
    first = api.orders.create(order("MUG-11OZ-WHITE", external_id="s3-1")).id
    result = export(f"s3://{BUCKET}/ordermesh", storage_conn_id="aws_lake", **window)
    second = api.orders.create(order("MUG-11OZ-WHITE", external_id="s3-2")).id
    again = export(f"s3://{BUCKET}/ordermesh", storage_conn_id="aws_lake", **window)

    key = f"ordermesh/resource=orders/date={day:%Y-%m-%d}/part-00000.jsonl.gz"
    # Airflow's form of the path, with the storage connection, so it opens as an ObjectStoragePath.
    assert result["paths"] == again["paths"] == [f"s3://aws_lake@{BUCKET}/{key}"]
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    # nothing left in staging; one data object per partition, and its manifest
    assert keys == [key.replace("part-00000.jsonl.gz", "_manifest.json"), key]
    body = gzip.decompress(s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()).decode()
    assert sorted(json.loads(line)["id"] for line in body.splitlines()) == sorted([first, second])
    assert again["rows"] == 2
