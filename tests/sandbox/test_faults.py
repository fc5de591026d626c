"""Fault injection over real HTTP: scripted and seeded errors, Retry-After, latency, drops, token expiry."""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests
from pydantic import ValidationError

from airflow_provider_ordermesh.sandbox.backend.faults import FaultRule, parse_fault_spec
from sandbox.wire import Api, order_body

pytestmark = pytest.mark.sandbox


def test_a_counted_fault_fails_exactly_that_many_requests(api: Api, sandbox: Any) -> None:
    sandbox.set_faults([{"route": "orders.create", "kind": "status", "status": 503, "count": 3}])

    codes = [api.call("orders.create", json=order_body(safeId="retry-me")).status_code for _ in range(4)]

    assert codes == [503, 503, 503, 201]
    assert sandbox.stats()["requests"]["orders.create"] == {"503": 3, "201": 1}


def test_a_skipping_fault_lets_the_first_requests_through(api: Api, sandbox: Any) -> None:
    sandbox.set_faults([{"route": "orders.create", "kind": "status", "status": 503, "count": 1, "skip": 2}])

    codes = [api.call("orders.create", json=order_body(safeId=f"skip-{i}")).status_code for i in range(4)]

    assert codes == [201, 201, 503, 201]


def test_an_injected_error_has_the_error_body(api: Api, sandbox: Any) -> None:
    sandbox.set_faults([{"route": "orders.*", "kind": "status", "status": 502, "count": 1}])

    response = api.call("orders.list")

    body = response.json()
    assert (response.status_code, body["statusCode"]) == (502, 502)
    assert body["requestId"] == response.headers["X-Request-Id"]
    assert "orders.*" in body["message"]


@pytest.mark.parametrize(
    "rule, retry_after",
    [
        ({"status": 429, "retryAfter": 2}, "2"),
        ({"status": 429}, "1"),
    ],
)
def test_a_429_carries_retry_after(api: Api, sandbox: Any, rule: dict[str, Any], retry_after: str) -> None:
    sandbox.set_faults([{"route": "orders.list", "kind": "status", "count": 1, **rule}])

    response = api.call("orders.list")

    assert (response.status_code, response.headers["Retry-After"]) == (429, retry_after)


def test_a_drop_before_the_backend_looks_like_a_broken_connection_and_changes_nothing(
    api: Api, sandbox: Any
) -> None:
    sandbox.set_faults([{"route": "orders.create", "kind": "drop", "count": 1}])

    with pytest.raises(requests.exceptions.ConnectionError):
        api.call("orders.create", json=order_body(safeId="dropped"))

    stats = sandbox.stats()
    assert (stats["orders"], stats["droppedConnections"]) == (0, 1)
    assert stats["requests"]["orders.create"] == {"dropped": 1}
    assert api.call("orders.create", json=order_body(safeId="dropped")).status_code == 201


def test_a_drop_after_the_backend_loses_the_answer_to_a_change_that_happened(api: Api, sandbox: Any) -> None:
    sandbox.set_faults([{"route": "orders.create", "kind": "drop", "when": "after", "count": 1}])

    with pytest.raises(requests.exceptions.ConnectionError):
        api.call("orders.create", json=order_body(safeId="applied-anyway"))

    assert api.ok("orders.get_by_safe_id", safe_id="applied-anyway")["order"]["safeId"] == "applied-anyway"
    assert api.call("orders.create", json=order_body(safeId="applied-anyway")).status_code == 409


def test_an_error_after_the_backend_still_applies_the_change(api: Api, sandbox: Any) -> None:
    sandbox.set_faults(
        [{"route": "orders.create", "kind": "status", "status": 504, "when": "after", "count": 1}]
    )

    assert api.call("orders.create", json=order_body(safeId="gateway-timeout")).status_code == 504
    assert api.call("orders.get_by_safe_id", safe_id="gateway-timeout").status_code == 200


def test_latency_delays_the_answer(api: Api, sandbox: Any) -> None:
    sandbox.set_faults([{"route": "orders.list", "kind": "latency", "latencyMs": 150}])

    started = time.perf_counter()
    response = api.call("orders.list")

    assert response.status_code == 200
    assert time.perf_counter() - started >= 0.15


def test_token_expiry_forces_a_401_and_a_new_token_works(api: Api, sandbox: Any) -> None:
    order = api.create_order()
    sandbox.set_faults([{"route": "orders.get", "kind": "token_expiry", "count": 1}])

    expired = api.call("orders.get", order_id=order["id"])
    api.authenticate(sandbox.client_id, sandbox.client_secret)

    assert expired.status_code == 401
    assert api.call("orders.get", order_id=order["id"]).status_code == 200


def test_periodic_token_expiry(api: Api, sandbox: Any) -> None:
    sandbox.set_faults([{"route": "*", "kind": "token_expiry", "everySeconds": 0.1}])
    assert api.call("orders.list").status_code == 200

    time.sleep(0.15)

    assert api.call("orders.list").status_code == 401


def test_periodic_expiry_spares_a_token_younger_than_the_period(api: Api, sandbox: Any) -> None:
    sandbox.set_faults([{"route": "*", "kind": "token_expiry", "everySeconds": 0.5}])
    time.sleep(0.55)
    api.authenticate(sandbox.client_id, sandbox.client_secret)  # a new token, just before the tick

    assert api.call("orders.list").status_code == 200  # the tick fires, the young token lives
    time.sleep(0.55)
    assert api.call("orders.list").status_code == 401  # the next tick: now it is old enough


def test_a_rate_draws_from_the_seed(api: Api, sandbox: Any) -> None:
    def failures() -> list[int]:
        sandbox.set_faults([{"route": "orders.list", "kind": "status", "status": 500, "rate": 0.5}])
        return [api.call("orders.list").status_code for _ in range(20)]

    first = failures()

    assert failures() == first
    assert 0 < first.count(500) < 20


def test_a_glob_spares_the_endpoints_it_does_not_match(api: Api, sandbox: Any) -> None:
    order = api.create_order()
    sandbox.set_faults([{"route": "orders.*", "kind": "status", "status": 500}])

    assert api.call("orders.get", order_id=order["id"]).status_code == 500
    assert api.call("shipments.list_for_order", order_id=order["id"]).status_code == 200
    assert sandbox.stats()["orders"] == 1  # control routes are never faulted


def test_clearing_and_resetting_removes_the_rules(api: Api, sandbox: Any) -> None:
    sandbox.set_faults([{"route": "*", "kind": "status", "status": 500}])
    sandbox.clear_faults()
    assert api.call("orders.list").status_code == 200

    sandbox.set_faults([{"route": "*", "kind": "status", "status": 500}])
    sandbox.reset()
    assert api.call("orders.list").status_code == 200


@pytest.mark.parametrize(
    "rule",
    [
        {"route": "orders.*", "kind": "status", "rate": 0.5, "count": 2},
        {"route": "order.create", "kind": "status"},
        {"route": "*", "kind": "latency"},
        {"route": "*", "kind": "teapot"},
        {"route": "*", "kind": "status", "status": 200},
        {"route": "*", "kind": "drop", "everySeconds": 3},
    ],
)
def test_a_bad_rule_is_a_400(sandbox: Any, rule: dict[str, Any]) -> None:
    response = requests.post(f"{sandbox.url}/_sandbox/faults", json={"faults": [rule]}, timeout=10)

    assert response.status_code == 400
    assert response.json()["errors"]


@pytest.mark.parametrize(
    "spec, expected",
    [
        ("orders.*:status=503:rate=0.1", {"route": "orders.*", "kind": "status", "status": 503, "rate": 0.1}),
        ("shipments.get:latency=200", {"route": "shipments.get", "kind": "latency", "latency_ms": 200}),
        (
            "orders.create:drop=after:count=1",
            {"route": "orders.create", "kind": "drop", "when": "after", "count": 1},
        ),
        ("*:token_expiry=30", {"route": "*", "kind": "token_expiry", "every_seconds": 30}),
        ("*:status=429:retryAfter=5", {"route": "*", "kind": "status", "status": 429, "retry_after": 5}),
    ],
)
def test_the_command_line_syntax(spec: str, expected: dict[str, Any]) -> None:
    assert parse_fault_spec(spec) == FaultRule(**expected)


@pytest.mark.parametrize("spec", ["orders.*", "orders.*:status=503:rate", "nothing.here:drop"])
def test_a_bad_command_line_rule_is_refused(spec: str) -> None:
    with pytest.raises((ValueError, ValidationError)):
        parse_fault_spec(spec)
