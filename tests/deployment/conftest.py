"""One real Airflow deployment and one OrderMesh sandbox for every test in this folder.

The deployment is started once per module (start-up costs about 20 s) and stopped by process
group in the fixture's teardown, also when a test fails. A failed test's report carries the end
of every component's log, so a red run explains itself.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from airflow_deployment import Deployment
from pydantic import SecretStr

from airflow_provider_ordermesh.client import OrderMeshClient
from airflow_provider_ordermesh.client.auth import ClientCredentials
from airflow_provider_ordermesh.sandbox.run.pytest_plugin import SandboxHandle
from airflow_provider_ordermesh.sandbox.run.server import SandboxServer

POLL_SECONDS = "1"
"""How often the example DAGs' waits and the watcher poll in the deployment."""

EXPORT_FOLDER = "lake"
"""Where, under the deployment's home, the nightly export DAG writes its partitions."""

_RUNNING: list[Deployment] = []


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


@pytest.fixture(scope="module")
def deployment(deployed_sandbox: SandboxHandle) -> Iterator[Deployment]:
    """api-server, scheduler, dag-processor and triggerer, with ``ordermesh_default`` on the sandbox."""
    with tempfile.TemporaryDirectory(prefix="ordermesh-deployment-") as home:
        airflow = Deployment(
            home=Path(home),
            extra_env={
                "AIRFLOW_CONN_ORDERMESH_DEFAULT": deployed_sandbox.connection_json(),
                "ORDERMESH_EXAMPLE_POLL_SECONDS": POLL_SECONDS,
                "ORDERMESH_EXPORT_BASE": (Path(home) / EXPORT_FOLDER).as_uri(),
            },
        )
        _RUNNING.append(airflow)
        try:
            airflow.start_all()
            yield airflow
        finally:
            airflow.stop()
            _RUNNING.remove(airflow)


@pytest.fixture(scope="module")
def export_base(deployment: Deployment) -> Path:
    """The folder the deployment's nightly export DAG writes to (``ORDERMESH_EXPORT_BASE``)."""
    return deployment.home / EXPORT_FOLDER


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Iterator[None]:
    """Attach the components' logs to the report of a failed test (or failed set-up)."""
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for airflow in _RUNNING:
            for name, text in airflow.logs().items():
                report.sections.append((f"Airflow component log {name}", text))
