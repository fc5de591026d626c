"""Webhook receiver figures against a real api-server: ack latency, delivery-to-run delay, memory.

    python -m benchmarks.webhooks [--deliveries 1000] [--rate 50] [--samples 10] [--rss-every 0]
                                  [--profile local|distributed]

Starts a real Airflow deployment (tests/deployment's harness: api-server, scheduler, dag-processor,
triggerer as separate processes; SQLite, or with ``--profile distributed`` PostgreSQL and Celery)
with the endpoint ``bench`` configured by a connection, then:

1. sends ``--deliveries`` distinct ``OrderCreation`` deliveries at a steady ``--rate`` per second
   (open loop: each leaves at its planned time, whatever the previous answers did) and reports the
   acknowledgement latency p50/p95 and how many were not 200;
2. sends ``--samples`` deliveries one by one and measures, for each, the time from sending it to the
   ``ordermesh_inbound_outcomes`` run it queues (the run's ``queued_at``), beside the new-orders
   watcher's delay at its default poll interval (computed: a new order waits for the next poll);
3. reads the api-server's resident memory (every process of its group, from /proc) before and after,
   and with ``--rss-every N`` after every N deliveries too, to show whether it grows.

The samples of step 2 come first; the DAG is then paused, so that the steady load measures the receiver
(and its asset events) rather than the scheduler running thousands of queued DAG runs beside it.

Prints a Markdown table. Not run by the tests; it takes about ``deliveries / rate`` seconds plus a minute.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "deployment"))

from airflow_deployment import DISTRIBUTED, LOCAL, Deployment, wait_for  # noqa: E402  (the harness lives beside the tests)

TOKEN = "tok_" + uuid.uuid4().hex
DAG_ID = "ordermesh_inbound_outcomes"
WATCHER_POLL_SECONDS = 60.0
"""The new-orders watcher's default poll interval (``ORDERMESH_EXAMPLE_POLL_SECONDS``)."""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def group_rss_mib(pid: int) -> float:
    """Resident memory of every process whose process group is ``pid`` (the api-server and its workers)."""
    total_kib = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) != pid:  # pgrp
                continue
            status = (proc / "status").read_text()
        except (OSError, IndexError, ValueError):
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total_kib += int(line.split()[1])
    return total_kib / 1024


def delivery(**fields: object) -> bytes:
    payload = {
        "EventType": "OrderCreation",
        "RequestId": str(uuid.uuid4()),
        "OrderId": uuid.uuid4().hex[:24],
        "SafeId": uuid.uuid4().hex[:12],
        "IsSuccessful": True,
        "ResponseCode": 200,
        **fields,
    }
    return json.dumps(payload).encode()


def steady_load(url: str, count: int, rate: float) -> tuple[list[float], int]:
    """Ack latencies (ms) of ``count`` deliveries sent at ``rate`` per second, and how many were not 200."""
    session = requests.Session()
    adapter = requests.adapters.HTTPAdapter(pool_connections=32, pool_maxsize=32)
    session.mount("http://", adapter)
    headers = {"X-OrderMesh-Webhook-Token": TOKEN, "Content-Type": "application/json"}
    start = time.perf_counter() + 0.5

    def send(n: int) -> tuple[float, int]:
        time.sleep(max(0.0, start + n / rate - time.perf_counter()))
        sent = time.perf_counter()
        status = session.post(url, data=delivery(), headers=headers, timeout=30).status_code
        return (time.perf_counter() - sent) * 1000, status

    with ThreadPoolExecutor(max_workers=32) as pool:
        results = list(pool.map(send, range(count)))
    return [ms for ms, _ in results], sum(1 for _, status in results if status != 200)


def delivery_to_run(airflow: Deployment, url: str, samples: int) -> list[float]:
    """Seconds from sending a delivery to the queued_at of the DAG run it starts, one at a time."""
    delays = []
    headers = {"X-OrderMesh-Webhook-Token": TOKEN, "Content-Type": "application/json"}
    for _ in range(samples):
        known = {r["dag_run_id"] for r in airflow.runs(DAG_ID)}
        sent = time.time()
        assert requests.post(url, data=delivery(IsSuccessful=False), headers=headers, timeout=30).ok
        run = wait_for(
            "the run the delivery queues",
            lambda known=known: next((r for r in airflow.runs(DAG_ID) if r["dag_run_id"] not in known), None),
            120,
        )
        delays.append(datetime.fromisoformat(run["queued_at"]).timestamp() - sent)
        time.sleep(1.0)  # let the scheduler finish with this run before the next sample
    return delays


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--deliveries", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--samples", type=int, default=10)
    parser.add_argument("--rss-every", type=int, default=0, help="also read the memory every N deliveries")
    parser.add_argument(
        "--profile",
        choices=("local", "distributed"),
        default="local",
        help="local: SQLite, LocalExecutor (default); distributed: PostgreSQL, Celery, two triggerers",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ordermesh-bench-webhooks-") as home:
        airflow = Deployment(
            home=Path(home),
            profile=DISTRIBUTED if args.profile == "distributed" else LOCAL,
            extra_env={
                "AIRFLOW_CONN_ORDERMESH_WEBHOOK_BENCH": json.dumps(
                    {"conn_type": "generic", "password": TOKEN}
                ),
                "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
            },
        )
        try:
            airflow.start_all()
            airflow.unpause(DAG_ID)
            url = f"{airflow.base_url}/ordermesh/webhooks/bench"
            api_pid = airflow.components["api-server"].pid
            steady_load(url, 20, 10.0)  # warm up: first requests import the receiver and create its table
            delays = delivery_to_run(airflow, url, args.samples)  # first, while no run is active
            airflow.call("PATCH", f"/dags/{DAG_ID}", json={"is_paused": True})
            rss_before = group_rss_mib(api_pid)
            chunk = args.rss_every or args.deliveries
            latencies, refused, rss_series = [], 0, []
            for done in range(0, args.deliveries, chunk):
                chunk_latencies, chunk_refused = steady_load(
                    url, min(chunk, args.deliveries - done), args.rate
                )
                latencies += chunk_latencies
                refused += chunk_refused
                rss_series.append((done + len(chunk_latencies), group_rss_mib(api_pid)))
            rss_after = rss_series[-1][1]
        finally:
            airflow.stop()
    rows = [
        (
            f"Ack latency at {args.rate:g}/s, {args.deliveries} deliveries: p50 / p95",
            f"{percentile(latencies, 0.5):.1f} ms / {percentile(latencies, 0.95):.1f} ms",
            "p95 ≤ 50 ms",
        ),
        ("Deliveries not answered 200 during the load", str(refused), "0"),
        (
            f"Delivery → DAG run queued, {args.samples} samples: p50 / p95",
            f"{percentile(delays, 0.5):.2f} s / {percentile(delays, 0.95):.2f} s",
            "seconds",
        ),
        (
            f"New-orders watcher at its default {WATCHER_POLL_SECONDS:g} s poll: mean / p95 (computed)",
            f"{WATCHER_POLL_SECONDS / 2:.0f} s / {WATCHER_POLL_SECONDS * 0.95:.0f} s",
            "for comparison",
        ),
        (
            f"api-server RSS before / after {args.deliveries} deliveries",
            f"{rss_before:.0f} MiB / {rss_after:.0f} MiB",
            "flat",
        ),
    ]
    print("| Figure | Measured | Goal |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(f"\n(mean ack {statistics.mean(latencies):.1f} ms; max {max(latencies):.1f} ms)")
    if args.rss_every:
        print(
            "\napi-server RSS after each step: " + ", ".join(f"{n:,}: {mib:.0f} MiB" for n, mib in rss_series)
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
