"""Bad input is refused before any request, with a message naming the fix."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from airflow_provider_ordermesh.compat import AirflowFailException

pytestmark = pytest.mark.sandbox


def _build(**kwargs):
    from airflow_provider_ordermesh.transfers import OrderMeshToObjectStorageOperator

    kwargs.setdefault("resource", "orders")
    kwargs.setdefault("base_path", "file:///tmp/unused")
    return OrderMeshToObjectStorageOperator(task_id="export", **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"resource": "invoices"}, r"resource='invoices' is not supported; use one of: orders, order_items"),
        (
            {"file_format": "xml"},
            r"file_format='xml' is not supported; use one of: jsonl, jsonl.gz, csv, parquet",
        ),
        ({"base_path": "nosuch://bucket/x"}, r"no filesystem is registered for nosuch://"),
    ],
)
def test_unknown_resource_format_or_scheme_fails_when_the_dag_is_parsed(kwargs, message):
    with pytest.raises(ValueError, match=message):
        _build(**kwargs)


def _requests(om) -> int:
    return sum(int(n) for counts in om.stats()["requests"].values() for n in counts.values())


def test_a_window_ending_before_it_starts_sends_nothing(om, export, tmp_path):
    om.reset()
    with pytest.raises(
        AirflowFailException, match=r"updated_before .* is earlier than updated_since .*swap them"
    ):
        export(
            f"file://{tmp_path}",
            since=datetime(2026, 11, 27, tzinfo=UTC),
            before=datetime(2026, 11, 26, tzinfo=UTC),
        )
    assert _requests(om) == 0
    assert list(tmp_path.iterdir()) == []


def test_a_manual_run_without_a_data_interval_says_what_to_give(om, export, tmp_path):
    om.reset()
    with pytest.raises(AirflowFailException, match="updated_since='None' is not an ISO 8601 date-time"):
        export(f"file://{tmp_path}", updated_since="None", updated_before="None")
    assert _requests(om) == 0


def test_a_templated_scheme_without_a_backend_fails_before_any_request(om, export, tmp_path):
    om.reset()
    with pytest.raises(AirflowFailException, match="no filesystem is registered for nosuch://"):
        export(
            "{{ 'nosuch' }}://bucket/x",
            since=datetime(2026, 11, 26, tzinfo=UTC),
            before=datetime(2026, 11, 27, tzinfo=UTC),
        )
    assert _requests(om) == 0


def test_parquet_without_pyarrow_names_the_extra(om, export, tmp_path, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "pyarrow" else real(name, *a)
    )
    om.reset()
    with pytest.raises(
        AirflowFailException, match=r"needs pyarrow: pip install 'airflow-provider-ordermesh\[parquet\]'"
    ):
        export(
            f"file://{tmp_path}",
            file_format="parquet",
            since=datetime(2026, 11, 26, tzinfo=UTC),
            before=datetime(2026, 11, 27, tzinfo=UTC),
        )
    assert _requests(om) == 0


def test_a_window_end_without_a_time_zone_is_refused_naming_the_field(om, export, tmp_path):
    om.reset()
    with pytest.raises(AirflowFailException, match=r"updated_since=2026-11-26T00:00:00 has no time zone"):
        export(
            f"file://{tmp_path}", updated_since="2026-11-26T00:00:00", updated_before="2026-11-27T00:00:00Z"
        )
    with pytest.raises(AirflowFailException, match=r"updated_before=2026-11-27T00:00:00 has no time zone"):
        export(f"file://{tmp_path}", since=datetime(2026, 11, 26, tzinfo=UTC), before=datetime(2026, 11, 27))
    assert _requests(om) == 0
    assert list(tmp_path.iterdir()) == []


def test_an_empty_window_is_refused_rather_than_written_as_an_empty_partition(om, export, tmp_path):
    om.reset()
    moment = datetime(2026, 11, 26, tzinfo=UTC)
    with pytest.raises(
        AirflowFailException, match=r"updated_since and updated_before are both .* the window is empty"
    ):
        export(f"file://{tmp_path}", since=moment, before=moment)
    assert _requests(om) == 0
    assert list(tmp_path.iterdir()) == []


def test_a_first_incremental_run_started_by_hand_is_refused_not_an_empty_window(om, export, tmp_path):
    """A manual run's data interval ends now: exporting [now, now - lag) would set the cursor there."""
    om.reset()
    with pytest.raises(
        AirflowFailException, match=r"incremental=True has no cursor yet.*Give updated_since the start"
    ):
        export(f"file://{tmp_path}", incremental=True, updated_since=datetime.now(UTC).isoformat())
    assert _requests(om) == 0
    assert list(tmp_path.iterdir()) == []


def test_an_incremental_run_within_lag_of_its_cursor_writes_nothing(om, export, tmp_path):
    from datetime import timedelta

    from operators.context import make_context

    om.reset()
    cursor = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    result = export(
        f"file://{tmp_path}",
        incremental=True,
        context=make_context(task_id="export_orders", pulled={"export_orders": {"cursor": cursor}}),
    )
    assert (result["rows"], result["paths"], result["cursor"]) == (0, [], cursor)
    assert list(tmp_path.iterdir()) == []
    assert _requests(om) == 0


@pytest.mark.parametrize("base_path", ["lake/ordermesh", "file://lake/ordermesh", "./lake"])
def test_a_relative_base_path_is_refused_when_the_dag_is_parsed(base_path):
    with pytest.raises(
        ValueError, match=r"is relative, so each worker would write into its own working directory"
    ):
        _build(base_path=base_path)


def test_a_templated_relative_base_path_is_refused_before_any_request(om, export, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    om.reset()
    with pytest.raises(AirflowFailException, match=r"base_path='lake/x' is relative"):
        export(
            "{{ 'lake' }}/x",
            since=datetime(2026, 11, 26, tzinfo=UTC),
            before=datetime(2026, 11, 27, tzinfo=UTC),
        )
    assert _requests(om) == 0
    assert list(tmp_path.iterdir()) == []
