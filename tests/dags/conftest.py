"""Fixtures of the example-DAG tests: DAGs parsed offline, the sandbox as ``ordermesh_default``, XComs.

Helpers are handed out as fixtures (``xcom``, ``example_orders``...) rather than imported, so that
no test module imports a ``conftest``.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

DAGS_DIR = Path(__file__).resolve().parents[2] / "dags"
ORDERS_FILE = DAGS_DIR / "data" / "orders_2026-11-26.jsonl"
POLL_VAR = "ORDERMESH_EXAMPLE_POLL_SECONDS"
POLL_SECONDS = "1"
"""How often the example DAGs' waits poll in these tests: the sandbox ships in about a second."""


# --- parsing -----------------------------------------------------------------------------------


class NetworkUsedDuringParsing(AssertionError):
    """Raised by the guard when DAG parsing tries to open a connection."""


@contextlib.contextmanager
def no_network() -> Iterator[list[Any]]:
    """Fail any connection attempt made inside the block; yields the addresses attempted."""
    attempts: list[Any] = []

    def refuse(_sock: Any, address: Any, *_args: Any, **_kwargs: Any) -> Any:
        attempts.append(address)
        raise NetworkUsedDuringParsing(f"network access during DAG parsing: {address!r}")

    def refuse_create(address: Any, *_args: Any, **_kwargs: Any) -> Any:
        return refuse(None, address)

    with (
        mock.patch.object(socket.socket, "connect", refuse),
        mock.patch.object(socket.socket, "connect_ex", refuse),
        mock.patch.object(socket, "create_connection", refuse_create),
    ):
        yield attempts


def _parse(path: Path) -> Any:
    from airflow_provider_ordermesh.compat import DagBag

    with mock.patch.dict(os.environ, {POLL_VAR: POLL_SECONDS}):
        return DagBag(dag_folder=str(path), safe_mode=False)


@pytest.fixture(name="no_network")
def no_network_fixture() -> Callable[[], Any]:
    """The guard itself, for the test that checks it bites."""
    return no_network


@pytest.fixture(scope="session")
def parsed_dags() -> tuple[Any, list[Any]]:
    """A DagBag over the whole of ``dags/``, parsed with the network cut off, and the attempts made."""
    with no_network() as attempts:
        bag = _parse(DAGS_DIR)
    return bag, attempts


@pytest.fixture(scope="session")
def dag_bag(parsed_dags: tuple[Any, list[Any]]) -> Any:
    return parsed_dags[0]


@pytest.fixture
def example_dag() -> Callable[[str], Any]:
    """``example_dag(dag_id)``: that DAG freshly parsed from ``dags/<dag_id>.py``.

    Fresh for every run: an in-process ``dag.test(run_conf=...)`` writes the run's conf into the
    DAG's params, which would leak into the next run of a shared DAG object.
    """

    def parse(dag_id: str) -> Any:
        bag = _parse(DAGS_DIR / f"{dag_id}.py")
        assert bag.import_errors == {}
        return bag.dags[dag_id]

    return parse


# --- running -----------------------------------------------------------------------------------


@pytest.fixture
def ordermesh(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The sandbox, with the ``ordermesh_default`` connection pointing at it."""
    monkeypatch.setenv("AIRFLOW_CONN_ORDERMESH_DEFAULT", sandbox.connection_json())
    return sandbox


def _return_value(dag_run: Any, task_id: str, map_index: int = -1) -> Any:
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session

    with create_session() as session:
        row = session.scalars(
            XComModel.get_many(
                run_id=dag_run.run_id,
                dag_ids=dag_run.dag_id,
                task_ids=task_id,
                map_indexes=map_index,
                key="return_value",
            )
        ).first()
        assert row is not None, f"{task_id} pushed no return value"
        return XComModel.deserialize_value(row)


@pytest.fixture
def xcom() -> Callable[..., Any]:
    """``xcom(dag_run, task_id, map_index=-1)``: the return value of one task of a finished run."""
    return _return_value


# --- data --------------------------------------------------------------------------------------


def _example_orders() -> list[dict[str, Any]]:
    return [json.loads(line) for line in ORDERS_FILE.read_text(encoding="utf-8").splitlines()]


def _single_product_order(prefix: str) -> dict[str, Any]:
    return next(
        order
        for order in _example_orders()
        if {item["sku"].split("-")[0] for item in order["items"]} == {prefix}
    )


@pytest.fixture
def example_orders() -> Callable[[], list[dict[str, Any]]]:
    """``example_orders()``: the day of orders the example DAGs read."""
    return _example_orders


@pytest.fixture
def single_product_order() -> Callable[[str], dict[str, Any]]:
    """``single_product_order("MUG")``: the first example order of only that product (one shipment)."""
    return _single_product_order


@pytest.fixture(scope="session")
def export_lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One ``ORDERMESH_EXPORT_BASE`` for every test of the session that runs the nightly export: its
    outlet assets' URIs derive from it, and Airflow refuses an asset name seen with another URI."""
    return tmp_path_factory.mktemp("ordermesh-lake")
