"""1,000 orders through ``OrderMeshCreateOrdersOperator`` while the sandbox fails a third of the requests.

What "zero duplicates" means here: no two orders in the sandbox share a safeId, and no input
order was created twice (each input's ``externalId`` is found on exactly one order). The
sandbox's ``duplicateSafeIdAttempts`` may still be above zero, and is not a duplicate: when a
connection drops *after* the sandbox applied a bulk create, the client cannot know, re-sends the
batch with the same safeIds, and the sandbox answers 409 for each order it already has. The
client reads a 409 as "already created" and looks the order up. So every 409 is explained by a
lost answer, which the test checks: at most one batch of 409s per dropped bulk answer.
"""

from __future__ import annotations

import pytest
from operators.context import run_op
from operators.data import orders

from airflow_provider_ordermesh.operators.orders import OrderMeshCreateOrdersOperator
from reliability.support import FAST, RecordedSleeps, answered, assert_created_exactly_once, requests_to, sent

pytestmark = pytest.mark.sandbox

ORDERS = 1_000
BATCH = 10
"""Smaller than the API's 100, so that the run makes enough requests for every fault to fire."""
RETRY_AFTER = 2

FAULTS = [
    {"route": "*", "kind": "status", "status": 503, "rate": 0.20},
    {"route": "*", "kind": "status", "status": 429, "retryAfter": RETRY_AFTER, "rate": 0.10},
    {"route": "*", "kind": "drop", "when": "after", "rate": 0.05},
    {"route": "orders.create_bulk", "kind": "token_expiry", "count": 1},
    {"route": "*", "kind": "token_expiry", "everySeconds": 2},
]
"""Every API request (token requests and searches included) may fail; each drop happens after the
sandbox applied the request, the harder case. Tokens die at the first bulk request (so expiry is
exercised however fast the machine) and then of age: every two seconds, those at least two seconds
old (with client backoff shrunk a hundredfold, a lifetime of a few minutes). Of age, not on a
plain tick: a renewal can take seconds (a 429 on the token request waits 2 s), and a tick right
after it would kill the fresh token before its first use, which the client rightly treats as
broken credentials rather than renewing in a loop (with a half-second tick, runs on a loaded
2-core machine failed that way on 3.2 and 3.4)."""


def test_1000_orders_are_created_exactly_once_through_503s_429s_drops_and_token_expiry(om, record_property):
    om.reset(seed=20261126)
    om.set_faults(FAULTS)
    sleeps = RecordedSleeps()
    source = orders(ORDERS)
    op = OrderMeshCreateOrdersOperator(
        task_id="create_orders", orders=source, batch_size=BATCH, hook_params={**FAST, "sleep": sleeps}
    )

    result, _ = run_op(op)

    stats = om.stats()
    bulk = requests_to(stats, "orders.create_bulk")
    for phrase, number in {
        "orders": ORDERS,
        "bulk requests": sent(stats, "orders.create_bulk"),
        "requests in all": stats["requestsTotal"],
        "answered 503": answered(stats, 503),
        "answered 429 with Retry-After": answered(stats, 429),
        "answers lost after the server applied them": stats["droppedConnections"],
        "answered 401 (expired token)": answered(stats, 401),
        "re-sent orders answered 409 and resolved to the existing order": stats["duplicateSafeIdAttempts"],
    }.items():
        record_property(phrase, number)

    # Every fault kind really happened.
    assert answered(stats, 503) and answered(stats, 429) and answered(stats, 401)
    assert bulk.get("dropped"), "no bulk create lost its answer: the drop-after case was not exercised"

    # Success, with one id per input order.
    assert result["failures"] == []
    assert len(result["order_ids"]) == len(set(result["order_ids"])) == ORDERS
    assert result["created"] + result["already_existed"] == ORDERS

    # Exactly 1,000 orders, no safeId twice, no input order twice.
    assert stats["orders"] == ORDERS
    assert_created_exactly_once(om, source, result["order_ids"])

    # Every 409 is a re-send of a batch whose answer was lost, and the operator counted those
    # orders as already existing rather than created.
    assert stats["duplicateSafeIdAttempts"] <= BATCH * bulk["dropped"]
    assert result["already_existed"] <= stats["duplicateSafeIdAttempts"]

    # Retry-After was honoured: one wait of at least 2 s per 429 (backoff alone stays under 0.05 s).
    assert sum(1 for seconds in sleeps if seconds >= RETRY_AFTER) == answered(stats, 429)


class _ExpiresAgainDuringRetries:
    """Scripts one request's life: 401 (token expired), 503, token expired again while backing off.

    The sandbox's fault counts cannot place a 503 between two 401s of one request, so this script
    arms each fault at the moment it is due: when the client renews its token, and when it sleeps.
    """

    def __init__(self, sandbox) -> None:
        self.sandbox = sandbox
        self.tokens = 0

    def on_new_token(self, token: str) -> None:
        self.tokens += 1
        if self.tokens == 2:  # the renewal after the first 401: the retry that follows gets a 503
            self.sandbox.set_faults([{"route": "orders.create", "kind": "status", "status": 503, "count": 1}])

    def sleep(self, seconds: float) -> None:  # backing off after that 503: the new token dies too
        self.sandbox.expire_tokens()


def test_a_token_that_expires_again_while_a_request_is_retried_is_renewed_again(om):
    from operators.data import order

    from airflow_provider_ordermesh.operators.orders import OrderMeshCreateOrderOperator

    script = _ExpiresAgainDuringRetries(om)
    om.set_faults([{"route": "orders.create", "kind": "token_expiry", "count": 1}])
    hook_params = {**FAST, "on_new_token": script.on_new_token, "sleep": script.sleep}
    op = OrderMeshCreateOrderOperator(task_id="create_order", payload=order(), hook_params=hook_params)

    result, _ = run_op(op)

    stats = om.stats()
    assert requests_to(stats, "orders.create") == {"401": 2, "503": 1, "201": 1}
    assert stats["tokensIssued"] == script.tokens == 3
    assert stats["orders"] == 1 and result["already_existed"] is False
