"""moto's S3 server on a free loopback port and an Airflow connection to it, for the tests that
read or write ``s3://`` through Airflow's ``ObjectStoragePath`` (import the fixtures by name)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

STORAGE_CONN_ID = "aws_lake"
"""The Airflow connection of the moto server, set by the ``s3`` fixture."""

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
        f"AIRFLOW_CONN_{STORAGE_CONN_ID.upper()}",
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
    _forget_filesystems()
    yield client
    _forget_filesystems()


def _forget_filesystems() -> None:
    """Each test's moto server has its own port: drop the S3 filesystems Airflow and s3fs cached
    for the connection, so that no test talks to an earlier test's (stopped) server."""
    import s3fs
    from airflow.sdk.io import store

    getattr(store, "_STORE_CACHE", {}).clear()  # Airflow's cache of object stores by connection
    s3fs.S3FileSystem.clear_instance_cache()
