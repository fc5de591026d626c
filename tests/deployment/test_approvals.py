"""Refunds that wait for a person, in a real Airflow deployment, answered through the REST API.

The returns example DAG runs with its approval threshold at zero, so that each of its two mapped
refund tasks (one per order) waits for an approval. The tests answer as a person on the Required
Actions page would (``PATCH .../hitlDetails``) and then read the sandbox's own refund records and
notes: exactly what was approved is recorded, once. Every test shares this module's deployment
and sandbox.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from airflow_deployment import Deployment, wait_for

from airflow_provider_ordermesh import compat
from airflow_provider_ordermesh.client import OrderMeshClient
from airflow_provider_ordermesh.sandbox.run.pytest_plugin import SandboxHandle

pytestmark = [pytest.mark.deployment, pytest.mark.slow]

DAG_ID = "ordermesh_returns_and_refunds"
TASK_ID = "refund_items"
EVERY_CURRENCY = ("USD", "EUR", "GBP", "CAD", "AUD", "SEK")
REJECT_ALL = "Reject all"
WAITING = "awaiting_input" if compat.airflow_version() >= (3, 3) else "deferred"
"""The state of a task waiting for a person: its own state from Airflow 3.3, deferred before."""


def approval_conf(timeout_seconds: int) -> dict[str, Any]:
    """Run settings under which every refund waits for an approval."""
    return {
        "refund_approval_above": dict.fromkeys(EVERY_CURRENCY, "0"),
        "refund_approvers": ["finance-lead"],
        "approval_timeout_seconds": timeout_seconds,
    }


def hitl_path(run_id: str, map_index: int) -> str:
    return f"/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances/{TASK_ID}/{map_index}/hitlDetails"


def ti_state(airflow: Deployment, run_id: str, map_index: int) -> str | None:
    path = f"/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances/{TASK_ID}/{map_index}"
    try:
        answer = airflow.session.get(f"{airflow.base_url}/api/v2{path}", timeout=60)
    except requests.Timeout:  # an api-server slowed down by a busy machine: ask again
        return None
    return answer.json()["state"] if answer.ok else None


def parked_workers_reported(airflow: Deployment, run_id: str, count: int) -> bool:
    """Whether the scheduler has seen the worker of each waiting task end.

    Airflow fails a resumed task when the answer comes before the scheduler has processed the end
    of the worker that parked it (it reads that late executor event as the resumed try finishing
    "externally"): seen on 3.3.2 and, with the deferred state, on 3.1.8. A person answers minutes
    later; the tests, which answer at once, wait for that event in the scheduler's log first.
    """
    events = [
        line
        for path in airflow.home.glob("scheduler-*.log")
        for line in path.read_text(errors="replace").splitlines()
        if "Received executor event with state success for task instance" in line
    ]
    # 3.3 names the task instance by its key; 3.4 by its id, with the key as "coordinates"
    return all(
        any(
            f"TaskInstanceKey(dag_id='{DAG_ID}', task_id='{TASK_ID}', run_id='{run_id}', try_number=1, "
            f"map_index={i})" in line
            for line in events
        )
        for i in range(count)
    )


def waiting_requests(airflow: Deployment, run_id: str, count: int = 2) -> list[dict[str, Any]]:
    """The HITL request of each mapped refund task, once every one of them waits for a person."""

    def all_waiting() -> list[dict[str, Any]] | None:
        if airflow.run_state(DAG_ID, run_id) in ("success", "failed"):
            raise AssertionError(f"run ended before asking:\n{airflow.explain(DAG_ID, run_id)}")
        if any(ti_state(airflow, run_id, i) != WAITING for i in range(count)):
            return None
        if not parked_workers_reported(airflow, run_id, count):
            return None
        return [airflow.call("GET", hitl_path(run_id, i)) for i in range(count)]

    return wait_for(f"{count} refund tasks of {run_id} to wait for a person", all_waiting, 240)


def respond(
    airflow: Deployment, run_id: str, map_index: int, chosen: list[str], changes: dict[str, Any] | None = None
) -> None:
    """Answer as a person on the Required Actions page: the chosen options and the form's values."""
    request = airflow.call("GET", hitl_path(run_id, map_index))
    params = {
        name: field["value"] if isinstance(field, dict) else field
        for name, field in request["params"].items()
    }
    body = {"chosen_options": chosen, "params_input": {**params, **(changes or {})}}
    airflow.call("PATCH", hitl_path(run_id, map_index), json=body)


def clear_refund_tasks(airflow: Deployment, run_id: str) -> None:
    """Clear the mapped refund tasks and their downstream tasks, as a user does from the grid view."""
    body = {
        "dag_run_id": run_id,
        "task_ids": [TASK_ID],
        "include_downstream": True,
        "only_failed": False,
        "dry_run": False,
        "reset_dag_runs": True,
    }
    airflow.call("POST", f"/dags/{DAG_ID}/clearTaskInstances", json=body)


def refund_records(api: OrderMeshClient, order_id: str) -> list[tuple[bool, float]]:
    """The sandbox's refund records of an order: ``(is shipping, amount)``, in order."""
    order = api.orders.get(order_id)
    return [
        (bool(record.is_shipping_refund), record.amount or 0.0)
        for item in order.items
        if item.refund_data
        for record in item.refund_data.refunds
    ]


def approval_notes(api: OrderMeshClient, order_id: str) -> list[str]:
    notes = api.notes.list({"resourceType": "Order", "resourceId": order_id})
    return [note.text or "" for note in notes if (note.text or "").startswith("Approval of a refund")]


def refund_results(airflow: Deployment, run_id: str) -> list[dict[str, Any]]:
    return [airflow.xcom(DAG_ID, run_id, TASK_ID, map_index=i) for i in range(2)]


def refund_calls(om: SandboxHandle) -> int:
    return sum(om.stats()["requests"].get("orders.refund", {}).values())


@pytest.fixture
def frozen(deployed_sandbox: SandboxHandle) -> Iterator[SandboxHandle]:
    """A fresh sandbox where nothing ships (the example's cancels go through)."""
    deployed_sandbox.reset(speed=0)
    yield deployed_sandbox


def test_approve_all_and_reject_all_in_two_mapped_tasks_then_a_cleared_run_neither_asks_nor_pays_again(
    deployment, frozen, deployed_api
):
    run_id = deployment.trigger(DAG_ID, approval_conf(timeout_seconds=3600))
    first, second = waiting_requests(deployment, run_id)
    assert first["options"][-1] == second["options"][-1] == REJECT_ALL
    assert [user["id"] for user in first["assigned_users"]] == ["finance-lead"]
    assert "already refunded on this order" in first["body"] and first["multiple"] is True
    assert refund_calls(frozen) == 0  # nothing is sent while the tasks wait

    respond(deployment, run_id, 0, first["options"][:-1])  # approve every line
    respond(deployment, run_id, 1, [REJECT_ALL])

    assert deployment.wait_for_run(DAG_ID, run_id, timeout=240) == "success", deployment.explain(
        DAG_ID, run_id
    )
    approved, rejected = refund_results(deployment, run_id)
    planned = [
        (line["kind"] == "shipping", float(line["approved"])) for line in approved["approval"]["approved"]
    ]
    assert approved["refunds_sent"] == len(planned) == len(first["options"]) - 1
    assert refund_records(deployed_api, approved["order_id"]) == planned
    assert rejected["refunds_sent"] == 0 and rejected["approval"]["approved"] == []
    assert refund_records(deployed_api, rejected["order_id"]) == []
    for result in (approved, rejected):
        assert result["approval"]["decided_by"]["id"] and result["approval"]["decided_at"]
        assert result["approval"]["timed_out"] is False
        assert len(approval_notes(deployed_api, result["order_id"])) == 1
    calls = refund_calls(frozen)
    assert calls == 1

    clear_refund_tasks(
        deployment, run_id
    )  # a user clears the refund tasks (and what follows) after the decision

    def cleared_and_done() -> str | None:
        states = deployment.task_states(DAG_ID, run_id)
        assert WAITING not in (states.get(f"{TASK_ID}[0]"), states.get(f"{TASK_ID}[1]")), states
        state = deployment.run_state(DAG_ID, run_id)
        return state if state in ("success", "failed") else None

    cleared = wait_for("the cleared run to finish without asking", cleared_and_done, 300)
    assert cleared == "success", deployment.explain(DAG_ID, run_id)
    again = refund_results(deployment, run_id)
    assert again[0]["refunds_sent"] == 0 and again[0]["refunds_already_recorded"] == len(planned)
    assert again[0]["approval"]["note_id"] == approved["approval"]["note_id"]
    assert refund_records(deployed_api, approved["order_id"]) == planned  # nothing paid twice
    assert refund_records(deployed_api, rejected["order_id"]) == []
    assert refund_calls(frozen) == calls
    for result in (approved, rejected):
        assert len(approval_notes(deployed_api, result["order_id"])) == 1  # one note per decision


def test_a_subset_with_a_lowered_amount_is_paid_and_silence_pays_nothing(deployment, frozen, deployed_api):
    run_id = deployment.trigger(DAG_ID, approval_conf(timeout_seconds=60))
    first, _ = waiting_requests(deployment, run_id)
    line, field = first["options"][0], sorted(first["params"])[0]
    proposed = (
        first["params"][field]["value"]
        if isinstance(first["params"][field], dict)
        else first["params"][field]
    )
    lowered = round(proposed / 2, 2)

    respond(deployment, run_id, 0, [line], {field: lowered})  # one line, at half; the others rejected
    # the second task is not answered: its 60 s run out

    assert deployment.wait_for_run(DAG_ID, run_id, timeout=300) == "success", deployment.explain(
        DAG_ID, run_id
    )
    partial, silent = refund_results(deployment, run_id)
    assert refund_records(deployed_api, partial["order_id"]) == [(False, lowered)]
    assert [(a["line"], a["approved"]) for a in partial["approval"]["approved"]] == [(1, f"{lowered:.2f}")]
    assert len(partial["approval"]["rejected"]) == len(first["options"]) - 2
    assert silent["approval"]["timed_out"] is True and silent["approval"]["decided_by"] is None
    assert silent["refunds_sent"] == 0 and refund_records(deployed_api, silent["order_id"]) == []
    assert "no answer by" in approval_notes(deployed_api, silent["order_id"])[0]
    (note,) = approval_notes(deployed_api, partial["order_id"])
    assert f"{lowered:.2f} (of {proposed:.2f})" in note
    summary = deployment.xcom(DAG_ID, run_id, "verify_balances")
    assert summary["items_refunded"] == 1
