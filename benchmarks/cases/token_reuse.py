"""Token reuse: N API calls from 4 threads of one process, and how many tokens they asked for.

This provider: each thread builds its own ``OrderMeshHook`` (as separate tasks would) and reads
an order N/4 times; the per-process token cache should make all of them share one token.
Baseline: the token-per-call pattern, a token request before every call. Tokens are counted by
the sandbox (``tokensIssued``), after a reset.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import requests

from benchmarks.cases import baselines
from benchmarks.harness import orders_data
from benchmarks.harness.context import Context
from benchmarks.harness.environment import ORDERMESH_CONN_ID
from benchmarks.harness.figures import Figure, Target
from benchmarks.harness.sandbox_process import SandboxProcess

THREADS = 4


def in_threads(calls: int, work: Callable[[int], None]) -> float:
    """Run ``work(calls_for_this_thread)`` on ``THREADS`` threads at once; the wall time."""
    shares = [calls // THREADS + (1 if i < calls % THREADS else 0) for i in range(THREADS)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        for future in [pool.submit(work, share) for share in shares]:
            future.result()
    return time.perf_counter() - started


def provider_calls(order_id: str) -> Callable[[int], None]:
    from airflow_provider_ordermesh.hooks.ordermesh import OrderMeshHook

    def work(share: int) -> None:
        client = OrderMeshHook(ORDERMESH_CONN_ID).get_conn()
        for _ in range(share):
            client.orders.get(order_id)

    return work


def baseline_calls(base_url: str, order_id: str) -> Callable[[int], None]:
    def work(share: int) -> None:
        with requests.Session() as session:
            for _ in range(share):
                baselines.get_with_fresh_token(session, base_url, f"/v1/orders/{order_id}")

    return work


def tokens_and_calls(
    sandbox: SandboxProcess, work: Callable[[int], None], calls: int
) -> tuple[int, int, float]:
    """Run ``calls`` calls with an empty token cache; (tokens issued, order reads, seconds) they added."""
    from airflow_provider_ordermesh.client.auth import TokenCache

    TokenCache.clear_all()
    tokens, reads = int(sandbox.stats()["tokensIssued"]), sandbox.requests_to("orders.get")
    seconds = in_threads(calls, work)
    return (int(sandbox.stats()["tokensIssued"]) - tokens, sandbox.requests_to("orders.get") - reads, seconds)


def run(context: Context) -> list[Figure]:
    calls = context.size(full=1000, quick=200)
    with context.sandbox() as sandbox:
        from airflow_provider_ordermesh.hooks.ordermesh import OrderMeshHook

        order_id = OrderMeshHook(ORDERMESH_CONN_ID).get_conn().orders.create(orders_data.order(0)).id
        provider_tokens, provider_reads, provider_s = tokens_and_calls(
            sandbox, provider_calls(order_id), calls
        )
        baseline_tokens, baseline_reads, baseline_s = tokens_and_calls(
            sandbox, baseline_calls(sandbox.url, order_id), calls
        )
    for who, reads in (("this provider", provider_reads), ("the baseline", baseline_reads)):
        if reads != calls:
            raise RuntimeError(f"{who} made {reads} order reads, expected {calls}")
    label = f"{calls:,} API calls from {THREADS} threads"
    return [
        Figure(
            f"{label}: token requests (baseline: a token per call)",
            provider_tokens,
            baseline_tokens,
            "tokens",
            Target.exactly(1),
            note="one `OrderMeshHook` per thread, token cache emptied first; tokens counted by "
            "the sandbox (tokensIssued before and after)",
        ),
        Figure(f"{label}: wall time", provider_s, baseline_s, "s", Target.info()),
    ]
