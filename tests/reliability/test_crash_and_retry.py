"""A bulk create whose worker is killed (SIGKILL) mid-run, then retried: nothing lost, nothing twice.

Try 1 runs in a process of its own and is killed once the sandbox holds some of its orders. The
retry (try 2, same task instance, so the same safeIds) runs here. Before sending a batch it asks
which of the batch's safeIds exist (one search per batch) and sends only the others.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from operators.context import run_op
from operators.data import orders

from reliability.crash_worker import operator
from reliability.support import assert_created_exactly_once, delta

pytestmark = pytest.mark.sandbox

ORDERS = 1_000
BATCH = 100
KILL_AT = 300
"""Kill the worker once the sandbox holds at least this many of its orders."""
TESTS_DIR = Path(__file__).resolve().parents[1]


def _wait_for(condition, *, timeout: float, what: str, worker: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if worker.poll() is not None:
            pytest.fail(f"the worker exited ({worker.returncode}) before {what}:\n{log.read_text()[-3000:]}")
        if time.monotonic() > deadline:
            worker.kill()
            pytest.fail(f"timed out waiting for {what}:\n{log.read_text()[-3000:]}")
        time.sleep(0.02)


def _settled_order_count(sandbox, *, quiet: float = 0.5) -> int:
    """The sandbox's order count once it stopped changing (a batch in flight at the kill may still land)."""
    count, since = sandbox.stats()["orders"], time.monotonic()
    while time.monotonic() - since < quiet:
        time.sleep(0.05)
        now = sandbox.stats()["orders"]
        if now != count:
            count, since = now, time.monotonic()
    return count


def test_a_worker_killed_after_some_batches_is_retried_without_losing_or_repeating_an_order(
    om, tmp_path, record_property
):
    source = orders(ORDERS)
    orders_file = tmp_path / "orders.jsonl"
    orders_file.write_text("".join(json.dumps(o) + "\n" for o in source))
    # 150 ms per bulk request: time to see batches land and kill the worker between them.
    om.set_faults([{"route": "orders.create_bulk", "kind": "latency", "latencyMs": 150}])
    log = tmp_path / "worker.log"
    paths = [str(TESTS_DIR), os.environ.get("PYTHONPATH")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}

    with log.open("w") as output:
        worker = subprocess.Popen(
            [sys.executable, "-m", "reliability.crash_worker", str(orders_file)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for(
                lambda: om.stats()["orders"] >= KILL_AT,
                timeout=60,
                what=f"{KILL_AT} orders",
                worker=worker,
                log=log,
            )
            os.kill(worker.pid, signal.SIGKILL)
        finally:
            worker.wait(timeout=10)
    assert worker.returncode == -signal.SIGKILL
    om.clear_faults()
    survived = _settled_order_count(om)
    assert KILL_AT <= survived < ORDERS and survived % BATCH == 0, survived
    before = om.stats()

    result, _ = run_op(operator(str(orders_file)), try_number=2)

    after = om.stats()
    missing_batches = (ORDERS - survived) // BATCH
    record_property("orders created before the worker was killed", survived)
    record_property("safeId searches by the retry", ORDERS // BATCH)
    record_property("bulk requests by the retry, for the missing orders only", missing_batches)
    record_property("orders in the end, each once", after["orders"])

    # Exactly the expected orders, none twice.
    assert after["orders"] == ORDERS
    assert_created_exactly_once(om, source, result["order_ids"])
    # The retry sent only the missing orders: one search per batch, one bulk create per batch
    # that was not there, and every order it sent was new (no 409, so nothing re-sent).
    assert delta(after, before, "orders.search") == {"200": ORDERS // BATCH}
    assert delta(after, before, "orders.create_bulk") == {"200": missing_batches}
    assert after["duplicateSafeIdAttempts"] == before["duplicateSafeIdAttempts"] == 0
    assert result["failures"] == []
    assert (result["created"], result["already_existed"]) == (ORDERS - survived, survived)
