"""Fixtures of the sandbox tests: callers with and without a token."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from airflow_provider_ordermesh.sandbox.run.pytest_plugin import SandboxHandle
from sandbox.wire import Api


@pytest.fixture
def anonymous(sandbox: SandboxHandle) -> Iterator[Api]:
    """A caller without a token."""
    api = Api(sandbox.url)
    yield api
    api.session.close()


@pytest.fixture
def api(anonymous: Api, sandbox: SandboxHandle) -> Api:
    """A caller with a client-credentials token."""
    anonymous.authenticate(sandbox.client_id, sandbox.client_secret)
    return anonymous
