"""Triggerer load: N shipment triggers in one event loop, their TCP connections and CPU.

N one-shipment orders are created in a sandbox whose clock is frozen (``--speed 0``), so no
wait can finish and every trigger keeps polling for the whole window. A fresh child process
(``benchmarks.cases.triggerer_child``) runs all N waits in one event loop for ``window`` seconds at
a 10 s poll interval and reports its own CPU time; the sandbox, in its own process, counts the
TCP connections opened (``connectionsOpened``) and the requests served meanwhile.

- This provider: one ``OrderMeshShipmentStatusTrigger`` per shipment, sharing the per-loop
  async transport (a pool of at most ``AsyncTransport``'s ``max_connections``) and their
  searches (``waits.coalesce``: the polls of one round go out as searches of 100 ids).
- The same, with the triggers started at scattered moments over the first poll interval (as
  tasks deferred at different times reach a triggerer): only polls that fall within the sharing
  window of each other share a search.
- Baseline: one polling loop per shipment, each with its own ``httpx.AsyncClient`` for the
  whole wait (what a trigger without a shared transport does).

The sandbox's server (uvicorn) closes a connection after 5 s idle (its ``timeout_keep_alive``),
and httpx drops its own idle ones after 5 s too (``keepalive_expiry``), both less than the poll
interval, so every round reconnects. Connections are therefore counted per poll round
(connections opened x N / polls made, the polls counted in the child): the provider opens about
as many as the searches it keeps in flight (``SEARCHES_IN_FLIGHT``). An API that keeps idle
connections longer gives the same figure, as the client's own 5 s expiry closes them first.
"""

from __future__ import annotations

import inspect
import json
import math
import tempfile
from pathlib import Path
from typing import Any

from airflow_provider_ordermesh.limits import IDS_PER_SEARCH_MAX
from airflow_provider_ordermesh.waits.coalesce import SEARCHES_IN_FLIGHT, linger_for
from benchmarks.harness.child import run_module
from benchmarks.harness.context import Context
from benchmarks.harness.figures import Figure, Target
from benchmarks.harness.loading import create_shipments
from benchmarks.harness.sandbox_process import SandboxProcess

POLL_INTERVAL = 10.0


def pool_size() -> int:
    """The async transport's connection limit, the most connections shared triggers should open."""
    from airflow_provider_ordermesh.client.transport import AsyncTransport

    return int(inspect.signature(AsyncTransport.__init__).parameters["max_connections"].default)


def run_waits(
    sandbox: SandboxProcess, mode: str, ids_file: Path, count: int, window: float, *, stagger: bool = False
) -> dict[str, Any]:
    """One child run; its CPU figures plus the connections and requests the sandbox counted meanwhile."""
    before = sandbox.stats()
    result = run_module(
        "benchmarks.cases.triggerer_child",
        "--mode",
        mode,
        "--ids-file",
        str(ids_file),
        "--window",
        str(window),
        "--poll-interval",
        str(POLL_INTERVAL),
        "--url",
        sandbox.url,
        *(["--stagger"] if stagger else []),
        timeout=window + 300,
    )
    after = sandbox.stats()
    if result["errors"]:
        raise RuntimeError(f"{mode} waits failed: {result['errors']}")
    if result["finished"]:
        raise RuntimeError(f"{result['finished']} {mode} waits ended although no shipment could move")
    result["connections"] = int(after["connectionsOpened"]) - int(before["connectionsOpened"])
    result["requests"] = int(after["requestsTotal"]) - int(before["requestsTotal"])
    status_requests = sum(
        int(after["attempts"].get(name, 0)) - int(before["attempts"].get(name, 0))
        for name in ("shipments.search", "shipments.get")
    )
    result["status_requests"] = status_requests
    result["rounds"] = result["polls"] / count
    rounds = result["rounds"] or None
    result["connections_per_round"] = result["connections"] / rounds if rounds else None
    result["requests_per_round"] = status_requests / rounds if rounds else None
    result["cpu_percent"] = 100 * result["cpu_seconds"] / result["wall_seconds"]
    return result


def run(context: Context) -> list[Figure]:
    count = context.size(full=1000, quick=100)
    pages = math.ceil(count / IDS_PER_SEARCH_MAX)
    window = context.seconds(full=60.0, quick=6.0)
    with context.sandbox() as sandbox, tempfile.TemporaryDirectory() as workdir:
        ids_file = Path(workdir) / "shipment_ids.json"
        ids_file.write_text(json.dumps(create_shipments(count, prefix="trig")), encoding="utf-8")
        provider = run_waits(sandbox, "provider", ids_file, count, window)
        context.log(f"provider: {provider}")
        scattered = run_waits(sandbox, "provider", ids_file, count, window, stagger=True)
        context.log(f"provider, waits started at scattered moments: {scattered}")
        baseline = run_waits(sandbox, "baseline", ids_file, count, window)
        context.log(f"baseline: {baseline}")
    label = f"{count:,} shipment triggers in one event loop"
    how = (
        f"{window:.0f} s window at a {POLL_INTERVAL:.0f} s poll interval; CPU = the child's process time / "
        f"wall time, from the moment the waits start (first polls included)"
    )
    return [
        Figure(
            f"{label}: status requests per poll round (baseline: a request per wait)",
            provider["requests_per_round"],
            baseline["requests_per_round"],
            "req",
            Target.info(),
            note=f"status requests served / poll rounds (polls made / {count}): provider "
            f"{provider['status_requests']} requests for {provider['polls']} polls, baseline "
            f"{baseline['status_requests']} for {baseline['polls']}; {pages} searches of "
            f"{IDS_PER_SEARCH_MAX} ids when all {count} polls of a round share them (the waits start "
            f"together here; polls that fall more than a hundredth of the poll interval apart share nothing)",
        ),
        Figure(
            f"{label}: TCP connections opened per poll round (baseline: a client per trigger)",
            provider["connections_per_round"],
            baseline["connections_per_round"],
            "conns",
            Target.at_most(pool_size(), "conns"),
            note="connections counted by the sandbox (connectionsOpened): provider "
            f"{provider['connections']} in "
            f"{provider['rounds']:.1f} rounds, baseline {baseline['connections']} in "
            f"{baseline['rounds']:.1f}; the limit is the shared async transport's pool size. The "
            f"sandbox (uvicorn) and httpx both close connections idle for 5 s, less than the poll "
            f"interval, so each round reconnects: the provider opens about as many as the "
            f"{SEARCHES_IN_FLIGHT} shared searches it keeps in flight",
        ),
        Figure(
            f"{label}: CPU, % of one core",
            provider["cpu_percent"],
            baseline["cpu_percent"],
            "%",
            Target.below(15, "%"),
            note=how,
        ),
        Figure(
            f"{label}, started at scattered moments: status requests per poll round",
            scattered["requests_per_round"],
            baseline["requests_per_round"],
            "req",
            Target.info(),
            note=f"each trigger starts after its own delay, spread evenly over the first "
            f"{POLL_INTERVAL:.0f} s (seeded), as deferred tasks reach a triggerer: only polls within "
            f"{linger_for(POLL_INTERVAL):.1f} s of each other share a search; {scattered['status_requests']} "
            f"requests for {scattered['polls']} polls, {scattered['connections']} connections opened "
            f"(the steady trickle of searches keeps a connection busy)",
        ),
        Figure(
            f"{label}, started at scattered moments: CPU, % of one core",
            scattered["cpu_percent"],
            baseline["cpu_percent"],
            "%",
            Target.below(15, "%"),
            note="the realistic case of the same target: the triggers' polls do not all coincide",
        ),
    ]
