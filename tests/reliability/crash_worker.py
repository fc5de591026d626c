"""A task attempt in a process of its own, for the crash test: try 1 of ``OrderMeshCreateOrdersOperator``.

``python -m reliability.crash_worker ORDERS_FILE`` (with ``tests/`` on ``PYTHONPATH`` and
``AIRFLOW_CONN_ORDERMESH_DEFAULT`` set) creates the orders of a ``.jsonl`` file one batch at a
time, as the task instance that the crash test later retries in its own process.
"""

from __future__ import annotations

import sys

from operators.context import run_op

from airflow_provider_ordermesh.operators.orders import OrderMeshCreateOrdersOperator

TASK_ID = "create_orders"


def operator(orders_file: str) -> OrderMeshCreateOrdersOperator:
    """The task, as both tries build it: same task id and input, so the same safeIds."""
    return OrderMeshCreateOrdersOperator(task_id=TASK_ID, orders=orders_file, max_concurrency=1)


if __name__ == "__main__":
    run_op(operator(sys.argv[1]), try_number=1)
