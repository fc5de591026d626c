"""The pure status evaluation shared by sensors and triggers: buckets, messages, error budget, payload."""

from __future__ import annotations

import json

import pytest

from airflow_provider_ordermesh.client.errors import (
    AuthenticationError,
    InvalidRequestError,
    RateLimitError,
    ServerError,
    TransportError,
)
from airflow_provider_ordermesh.waits.progress import (
    MAX_LISTED,
    evaluate,
    event_payload,
    is_transient,
    outcome,
)
from airflow_provider_ordermesh.waits.step import ErrorBudget
from airflow_provider_ordermesh.waits.watch import check_status_sets

TARGETS = {"Shipped", "Delivered"}
FAILURES = {"Rejected", "Cancelled"}


def test_evaluate_sorts_ids_into_reached_failed_waiting_and_missing():
    progress = evaluate(
        observed={"a": "Shipped", "b": "InProduction", "c": "Cancelled", "d": "Delivered"},
        expected=["a", "b", "c", "d", "e"],
        targets=TARGETS,
        failures=FAILURES,
        default_label="shipment",
    )
    assert progress.reached == {"a": "Shipped", "d": "Delivered"}
    assert progress.failed == {"c": "Cancelled"}
    assert progress.waiting == {"b": "InProduction"}
    assert progress.missing == ("e",)
    assert progress.pending == ["b", "e"]
    assert progress.statuses == {"a": "Shipped", "d": "Delivered", "c": "Cancelled", "b": "InProduction"}
    assert not progress.done


def test_done_only_when_every_id_reached_a_target():
    assert evaluate(observed={"a": "Shipped"}, expected=["a"], targets=TARGETS, failures=FAILURES).done
    assert not evaluate(
        observed={"a": "Shipped"}, expected=["a", "b"], targets=TARGETS, failures=FAILURES
    ).done
    assert not evaluate(observed={}, targets=TARGETS, failures=FAILURES).done, "nothing seen is not success"


def test_an_unknown_status_keeps_waiting_and_is_never_success():
    progress = evaluate(observed={"a": "Unknown(9)"}, targets=TARGETS, failures=FAILURES)
    assert progress.waiting == {"a": "Unknown(9)"} and not progress.done and outcome(progress) is None


def test_failure_wins_over_pending_and_names_each_id_with_its_status():
    progress = evaluate(
        observed={"s1": "Rejected", "s2": "InProduction", "s3": "Cancelled"},
        targets=TARGETS,
        failures=FAILURES,
        default_label="shipment",
    )
    ended = outcome(progress)
    assert ended is not None
    status, message = ended
    assert status == "failure"
    assert "shipment s1 is Rejected" in message and "shipment s3 is Cancelled" in message
    assert "s2" not in message


def test_success_outcome_and_long_lists_are_cut_short():
    observed = {f"id{i}": "Shipped" for i in range(MAX_LISTED + 5)}
    ended = outcome(evaluate(observed=observed, targets=TARGETS, failures=FAILURES))
    assert ended is not None
    status, message = ended
    assert status == "success"
    assert message.startswith(f"{MAX_LISTED + 5} reached a target status")
    assert message.endswith("and 5 more")


def test_pending_message_names_labels_and_missing_ids():
    progress = evaluate(
        observed={"s1": "Assigned"},
        expected=["s1", "o1"],
        targets=TARGETS,
        failures=FAILURES,
        labels={"o1": "shipments of order"},
        default_label="shipment",
    )
    assert progress.pending_message() == "shipment s1 is Assigned; shipments of order o1 not found"


@pytest.mark.parametrize(
    ("targets", "failures", "problem"),
    [
        ([], ["Cancelled"], "at least one"),
        (["Shipped", "Cancelled"], ["Cancelled"], "both contain Cancelled"),
    ],
)
def test_status_sets_are_checked(targets, failures, problem):
    with pytest.raises(ValueError, match=problem):
        check_status_sets(targets, failures, what="shipment")


@pytest.mark.parametrize(
    ("exc", "transient"),
    [
        (TransportError("connection reset", method="GET", path="/x"), True),
        (ServerError(status=503, method="GET", path="/x"), True),
        (RateLimitError(status=429, method="GET", path="/x"), True),
        (AuthenticationError(status=401, method="GET", path="/x"), False),
        (InvalidRequestError("search", {"ids": "bad"}), False),
        (RuntimeError("bug"), False),
    ],
)
def test_only_no_answer_429_and_5xx_are_transient(exc, transient):
    assert is_transient(exc) is transient


def test_error_budget_gives_up_at_the_limit_and_resets_on_success():
    budget = ErrorBudget(3)
    error = ServerError(status=503, method="GET", path="/shipment/v1/search")
    assert budget.record(error) and budget.record(error)
    budget.reset()
    assert budget.record(error) and budget.record(error)
    assert not budget.record(error)
    message = budget.exhausted_message()
    assert "3 consecutive failed polls" in message and "max_consecutive_errors=3" in message
    assert "ServerError: OrderMesh answered 503 to GET /shipment/v1/search" in message


@pytest.mark.parametrize("limit", [0, -1, 1.5, True, "5"])
def test_error_budget_refuses_a_bad_limit(limit):
    with pytest.raises(ValueError, match="max_consecutive_errors"):
        ErrorBudget(limit)


def test_event_payload_is_plain_json_with_every_key():
    progress = evaluate(observed={"a": "Shipped", "b": "Assigned"}, targets=TARGETS, failures=FAILURES)
    payload = event_payload("timeout", "timed out", progress)
    assert json.loads(json.dumps(payload)) == payload
    assert payload == {
        "status": "timeout",
        "message": "timed out",
        "statuses": {"a": "Shipped", "b": "Assigned"},
        "pending": ["b"],
        "error_type": None,
    }
    assert event_payload("error", "boom", error_type="ServerError")["error_type"] == "ServerError"
    with pytest.raises(ValueError):
        event_payload("cancelled", "no such status")  # type: ignore[arg-type]
