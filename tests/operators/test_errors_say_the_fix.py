"""Errors that say what to fix (issue 22): each names the argument or setting and the fix, and comes
before anything is generated, read or sent."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, cast

import pytest
from reliability.support import place_order, reset_stats

from airflow_provider_ordermesh.client import ConfigurationError
from airflow_provider_ordermesh.compat import AirflowFailException
from airflow_provider_ordermesh.hooks.ordermesh import OrderMeshHook
from airflow_provider_ordermesh.operators.orders import (
    OrderMeshCreateOrdersOperator,
    OrderMeshUpdateOrdersOperator,
)
from airflow_provider_ordermesh.operators.shipments import OrderMeshGeneratePackingSlipOperator
from airflow_provider_ordermesh.probe.cli import EXIT_USAGE, main
from airflow_provider_ordermesh.wording import counted
from operators.conftest import FAST_RETRIES
from operators.context import make_context, run_op

if TYPE_CHECKING:
    from airflow_provider_ordermesh.compat import Context

pytestmark = pytest.mark.sandbox

SHIPMENT = "2575fc98-0000-4000-8000-000000000001"


def requests_total(om: Any) -> int:
    return int(om.stats()["requestsTotal"])


def test_counts_are_written_in_words() -> None:
    assert [counted(1, "order"), counted(2, "order"), counted(0, "order")] == [
        "1 order",
        "2 orders",
        "0 orders",
    ]
    assert [counted(1, "batch", "batches"), counted(3, "batch", "batches")] == ["1 batch", "3 batches"]


def test_one_failed_update_is_one_update(om):
    placed = place_order(om)
    updates = [
        {"id": placed.id, "externalId": "u-0"},
        {"id": "aaaaaaaaaaaaaaaaaaaaaaaa", "externalId": "u-1"},
    ]
    update = OrderMeshUpdateOrdersOperator(task_id="bulk", updates=updates, hook_params=FAST_RETRIES)

    with pytest.raises(AirflowFailException) as failed:
        run_op(update)

    first_line = str(failed.value).splitlines()[0]
    assert first_line.startswith("1 update of 2 failed after every batch was sent (1 batch)"), first_line


def test_a_packing_slip_path_that_is_a_folder_fails_before_the_slip_is_generated(om, tmp_path):
    reset_stats(om)
    slip = OrderMeshGeneratePackingSlipOperator(
        task_id="slip", shipment_id=SHIPMENT, output_path=str(tmp_path), hook_params=FAST_RETRIES
    )

    with pytest.raises(AirflowFailException, match=r"output_path=.* is a directory; give the file to write"):
        run_op(slip)

    assert requests_total(om) == 0


def test_a_path_holding_an_unrendered_template_fails_naming_where_to_template_it(om, tmp_path):
    reset_stats(om)
    # a Param's value is not rendered: its "{{ ds }}" arrives as it is
    slip = OrderMeshGeneratePackingSlipOperator(
        task_id="slip",
        shipment_id=SHIPMENT,
        output_path="{{ params.folder }}/slip.pdf",
        hook_params=FAST_RETRIES,
    )
    context = make_context(task_id="slip")
    context["params"] = {"folder": f"{tmp_path}/{{{{ ds }}}}"}
    slip.render_template_fields(cast("Context", context))

    with pytest.raises(
        AirflowFailException, match=r"output_path='.*\{\{ ds \}\}/slip.pdf' still holds a template"
    ):
        slip.execute(cast("Context", context))
    create = OrderMeshCreateOrdersOperator(task_id="bulk", orders=f"{tmp_path}/{{{{ ds }}}}.jsonl")
    with pytest.raises(AirflowFailException, match=r"orders='.*\{\{ ds \}\}.jsonl' still holds a template"):
        create.execute(cast("Context", make_context(task_id="bulk")))

    assert requests_total(om) == 0


def test_a_shipment_statuses_extra_that_is_not_json_names_the_extra(monkeypatch):
    monkeypatch.setenv(
        "AIRFLOW_CONN_ORDERMESH_DEFAULT",
        json.dumps(
            {
                "conn_type": "ordermesh",
                "login": "c",
                "password": "s",
                "extra": {"shipment_statuses": "{8: 'OnHold'}"},
            }
        ),
    )

    with pytest.raises(ConfigurationError, match=r"extra shipment_statuses is not JSON .*double quotes"):
        OrderMeshHook().shipment_statuses  # noqa: B018 (the property reads the extra)


@pytest.mark.parametrize("where", ["missing-folder", "a-folder"])
def test_the_probe_checks_its_report_path_before_any_read(sandbox, capsys, tmp_path, where):
    target = tmp_path / "no" / "such" / "report.json" if where == "missing-folder" else tmp_path
    before = requests_total(sandbox)

    with pytest.raises(SystemExit) as stop:
        main(["--host", sandbox.url, "--client-id", "c", "--client-secret", "s", "--report", str(target)])

    assert stop.value.code == EXIT_USAGE
    assert "argument --report:" in capsys.readouterr().err
    assert requests_total(sandbox) == before
