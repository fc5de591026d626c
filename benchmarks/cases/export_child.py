"""Child process of the export benchmark: export one window of orders to JSONL.gz and report.

``python -m benchmarks.cases.export_child --mode provider|baseline --url URL --since ISO --before ISO --out DIR``.
``provider`` runs ``OrderMeshToObjectStorageOperator.execute`` to a local path; ``baseline`` is
the loop a user writes by hand: ``requests`` pages of 100, ``json.dumps`` per record, a gzip
file (same compression level as the provider, so the codec is not what is compared). Prints one
JSON line: rows, seconds, peak RSS (MB).
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from pathlib import Path

from benchmarks.cases.memory_child import peak_rss_mb


def provider(args: argparse.Namespace) -> tuple[int, float]:
    """Rows and seconds of ``execute`` (building the operator is DAG-parse work, not timed)."""
    from airflow_provider_ordermesh.transfers import OrderMeshToObjectStorageOperator
    from benchmarks.harness.environment import ORDERMESH_CONN_ID
    from benchmarks.harness.task_context import task_context

    op = OrderMeshToObjectStorageOperator(
        task_id="export_orders",
        resource="orders",
        base_path=f"file://{args.out}",
        file_format="jsonl.gz",
        updated_since=args.since,
        updated_before=args.before,
        ordermesh_conn_id=ORDERMESH_CONN_ID,
    )
    context = task_context("export_orders")
    started = time.perf_counter()
    rows = op.execute(context)["rows"]
    return rows, time.perf_counter() - started


def baseline(args: argparse.Namespace) -> tuple[int, float]:
    import requests

    from airflow_provider_ordermesh.client.endpoints import endpoint
    from benchmarks.cases.baselines import TOKEN_BODY, TOKEN_PATH, bearer

    started = time.perf_counter()
    session = requests.Session()
    token = session.post(args.url + TOKEN_PATH, json=TOKEN_BODY, timeout=30).json()["accessToken"]
    rows, page = 0, 1
    with gzip.open(Path(args.out) / "orders.jsonl.gz", "wt", compresslevel=6, encoding="utf-8") as out:
        while True:
            answer = session.get(
                args.url + endpoint("orders.search").path,
                headers=bearer(token),
                timeout=60,
                params={
                    "updatedSince": args.since,
                    "updatedBefore": args.before,
                    "page": page,
                    "pageSize": 100,
                },
            )
            answer.raise_for_status()
            orders = answer.json()["orders"]
            for record in orders:
                out.write(json.dumps(record) + "\n")
            rows += len(orders)
            if len(orders) < 100:
                break
            page += 1
    return rows, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("mode", "url", "since", "before", "out"):
        parser.add_argument(f"--{name}", required=True)
    args = parser.parse_args()
    from benchmarks.harness import environment

    environment.prepare()
    rows, seconds = provider(args) if args.mode == "provider" else baseline(args)
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_rss_mb": peak_rss_mb()}))


if __name__ == "__main__":
    main()
