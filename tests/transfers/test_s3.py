"""The same export to ``s3://``, through Airflow's S3 filesystem, against moto's S3 server on loopback."""

from __future__ import annotations

import gzip
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from operators.data import order

pytest.importorskip("moto.server", reason="needs the test extra: moto[server]")
pytest.importorskip("s3fs", reason="needs the test extra: apache-airflow-providers-amazon[s3fs]")

pytestmark = pytest.mark.sandbox

BUCKET = "ordermesh-lake"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def s3_endpoint() -> Iterator[str]:
    """moto's S3 server on a free loopback port, stopped by its process group when the test ends."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("moto's server did not start") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


@pytest.fixture
def s3(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch):
    import boto3

    monkeypatch.setenv(
        "AIRFLOW_CONN_AWS_LAKE",
        json.dumps(
            {
                "conn_type": "aws",
                "login": "testing",
                "password": "testing",
                "extra": {"endpoint_url": s3_endpoint, "region_name": "us-east-1"},
            }
        ),
    )
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET)
    return client


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
