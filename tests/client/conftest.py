"""Fixtures of the client tests: a case-sensitive mocked API, recorded sleeps."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests_mock
from client.api_mock import Sleeps, make_client, register_token

from airflow_provider_ordermesh.client import OrderMeshClient


@pytest.fixture
def api() -> Iterator[requests_mock.Mocker]:
    """The mocked API with the client-credentials token endpoint answering ``TOKEN``.

    Case-sensitive, so that a path whose case differs from the table does not match.
    """
    with requests_mock.Mocker(case_sensitive=True) as mock:
        register_token(mock)
        yield mock


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def client(sleeps: Sleeps) -> Iterator[OrderMeshClient]:
    with make_client(sleep=sleeps) as c:
        yield c
