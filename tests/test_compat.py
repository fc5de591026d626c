"""compat.py on the installed Airflow: every name resolves, the version is one we test, and a name
that no candidate module defines fails with a message that says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from airflow_provider_ordermesh import compat
from airflow_provider_ordermesh._lazy import lazy_attributes

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", sorted(compat._WHERE))
def test_every_name_resolves_on_this_airflow(name):
    assert getattr(compat, name) is not None


def test_the_installed_airflow_is_a_supported_minor_with_its_constraints_file():
    major, minor = compat.airflow_version()
    assert (ROOT / "requirements" / f"airflow-{major}.{minor}.txt").exists()


def test_the_exceptions_are_the_ones_the_task_runner_raises_and_catches():
    import airflow.exceptions

    # wherever compat found them, they are (or subclass) what Airflow's own code uses on this version
    assert issubclass(compat.AirflowFailException, compat.AirflowException)
    assert compat.AirflowSkipException is getattr(
        airflow.exceptions, "AirflowSkipException", compat.AirflowSkipException
    )


def test_a_name_no_candidate_defines_fails_with_a_clear_message():
    lookup = lazy_attributes(__name__, {"Nowhere": ("json", "no_such_module_here")})
    with pytest.raises(ImportError, match="none of json, no_such_module_here defines 'Nowhere'"):
        lookup("Nowhere")
    with pytest.raises(AttributeError, match="has no attribute 'Unknown'"):
        lookup("Unknown")


def test_a_dag_built_in_code_is_registered_and_runs(airflow_db):
    import datetime

    from airflow.sdk import DAG, task

    with DAG(dag_id="compat_registered", schedule=None, start_date=datetime.datetime(2026, 1, 1)) as dag:

        @task
        def one() -> int:
            return 1

        one()

    compat.register_dag(dag)
    assert str(dag.test().state) == "success"
