"""One real Airflow deployment and one OrderMesh sandbox for every test module in this folder.

The deployment is started once per module (start-up costs about 20 s; the distributed profile's
about 40 s) and stopped by process group in the fixture's teardown, also when a test fails. A
failed test's report carries the end of every component's log, so a red run explains itself.
``deployment`` is the local profile (SQLite, LocalExecutor); ``distributed_deployment`` the
distributed one (PostgreSQL, Celery with two workers, two triggerers), with an S3 lake on moto.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Generator, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from airflow_deployment import DISTRIBUTED, LOCAL, Deployment, Profile, running
from pydantic import SecretStr
from services import LAKE_BUCKET, MotoS3Server

from airflow_provider_ordermesh.client import OrderMeshClient
from airflow_provider_ordermesh.client.auth import ClientCredentials
from airflow_provider_ordermesh.sandbox.run.pytest_plugin import SandboxHandle
from airflow_provider_ordermesh.sandbox.run.server import SandboxServer

if TYPE_CHECKING:
    from pluggy import Result

POLL_SECONDS = "1"
"""How often the example DAGs' waits and the watcher poll in the deployment."""

EXPORT_FOLDER = "lake"
"""Where, under the deployment's home, the nightly export DAG writes its partitions."""


@pytest.fixture(scope="module")
def deployed_sandbox() -> Iterator[SandboxHandle]:
    """A sandbox of the deployment's own (the session one is reset by other tests)."""
    with SandboxServer() as server:
        handle = SandboxHandle(server)
        yield handle
        handle.close()


@pytest.fixture(scope="module")
def deployed_api(deployed_sandbox: SandboxHandle) -> Iterator[OrderMeshClient]:
    """A client of the test's own on the deployment's sandbox, to create and inspect records."""
    client_id, secret = deployed_sandbox.client_id, deployed_sandbox.client_secret
    credentials = ClientCredentials(client_id, SecretStr(secret))
    with OrderMeshClient(deployed_sandbox.url, credentials) as client:
        yield client


@contextmanager
def _deployed(
    profile: Profile, sandbox: SandboxHandle, env: Mapping[str, str] | None = None
) -> Iterator[Deployment]:
    """A deployment of ``profile`` with ``ordermesh_default`` on ``sandbox``, stopped on the way out."""
    with tempfile.TemporaryDirectory(prefix=f"ordermesh-deployment-{profile.name}-") as home:
        airflow = Deployment(
            home=Path(home),
            profile=profile,
            extra_env={
                "AIRFLOW_CONN_ORDERMESH_DEFAULT": sandbox.connection_json(),
                "ORDERMESH_EXAMPLE_POLL_SECONDS": POLL_SECONDS,
                "ORDERMESH_EXPORT_BASE": (Path(home) / EXPORT_FOLDER).as_uri(),
                **(env or {}),
            },
        )
        try:
            airflow.start_all()
            yield airflow
        finally:
            airflow.stop()


@pytest.fixture(scope="module")
def deployment_settings() -> dict[str, str]:
    """More environment for the module's local deployment (Airflow settings); a module overrides it."""
    return {}


@pytest.fixture(scope="module")
def deployment(deployed_sandbox: SandboxHandle, deployment_settings: dict[str, str]) -> Iterator[Deployment]:
    """api-server, scheduler, dag-processor and triggerer, with ``ordermesh_default`` on the sandbox."""
    with _deployed(LOCAL, deployed_sandbox, deployment_settings) as airflow:
        yield airflow


@pytest.fixture(scope="module")
def lake_endpoint() -> Iterator[str]:
    """moto's S3 server on a free loopback port (stopped by its process group afterwards)."""
    with tempfile.TemporaryDirectory(prefix="ordermesh-moto-") as logs:
        server = MotoS3Server(Path(logs))
        try:
            server.start()
            yield server.url
        finally:
            server.stop()


@pytest.fixture(scope="module")
def lake(lake_endpoint: str) -> Any:
    """A boto3 S3 client of the lake, whose export bucket exists."""
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=lake_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=LAKE_BUCKET)
    return client


@pytest.fixture(scope="module")
def distributed_deployment(
    deployed_sandbox: SandboxHandle, lake: Any, lake_endpoint: str
) -> Iterator[Deployment]:
    """PostgreSQL, Redis, api-server, scheduler, dag-processor, two triggerers, two Celery workers.

    The nightly export writes to ``s3://ordermesh-lake/ordermesh`` (moto) through ``aws_lake``.
    """
    aws_lake = {
        "conn_type": "aws",
        "login": "testing",
        "password": "testing",
        "extra": {"endpoint_url": lake_endpoint, "region_name": "us-east-1"},
    }
    env = {
        "AIRFLOW_CONN_AWS_LAKE": json.dumps(aws_lake),
        "ORDERMESH_EXPORT_BASE": f"s3://{LAKE_BUCKET}/ordermesh",
        "ORDERMESH_EXPORT_CONN": "aws_lake",
    }
    with _deployed(DISTRIBUTED, deployed_sandbox, env) as airflow:
        yield airflow


@pytest.fixture(scope="module")
def export_base(deployment: Deployment) -> Path:
    """The folder the deployment's nightly export DAG writes to (``ORDERMESH_EXPORT_BASE``)."""
    return deployment.home / EXPORT_FOLDER


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: Any
) -> Generator[None, Result[pytest.TestReport], None]:
    """Attach the components' logs to the report of a failed test (or failed set-up)."""
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for airflow in running():
            for name, text in airflow.logs().items():
                report.sections.append((f"Airflow component log {name}", text))
