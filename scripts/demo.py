"""``make demo``: run the fulfillment example DAG with Airflow against a local OrderMesh sandbox.

What it does, in order:

1. starts the sandbox in its own process on a free loopback port, with a clock fast enough that
   printing and shipping take seconds, and 5% of new shipments rejected by their facility so
   that the reroute step has work;
2. meanwhile prepares a private Airflow home in ``.airflow-demo/`` (SQLite, ``dags/`` as the DAG
   folder, no Airflow examples) with ``airflow db migrate``;
3. runs the DAG with ``dag.test()`` in a child process whose only OrderMesh connection is the
   sandbox, and reads the outcome from the ``dag.test()`` result: the run's state, each task's
   state, and the summary task's XCom;
4. prints one line per task and what happened, checks it against the sandbox's own counters,
   stops the sandbox, and exits non-zero if anything failed or the two disagree.

It never talks to a real OrderMesh unless told to by name:
``scripts/demo.py --against-real-ordermesh https://api.ordermesh.io`` (credentials from
``AIRFLOW_CONN_ORDERMESH_DEFAULT``). Without that flag, an ``AIRFLOW_CONN_ORDERMESH_DEFAULT`` (or
any other ``AIRFLOW_*`` setting) in the environment is ignored, and the demo says so.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import subprocess
import sys
import time
import traceback
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

from airflow_provider_ordermesh.wording import counted

ROOT = Path(__file__).resolve().parent.parent
DEMO_HOME = Path(os.environ.get("ORDERMESH_DEMO_HOME") or ROOT / ".airflow-demo")  # tests use their own
DAG_FILE = ROOT / "dags" / "ordermesh_order_fulfillment.py"
DAG_ID = "ordermesh_order_fulfillment"
SUMMARY_TASK = "report_summary"
CONN_VAR = "AIRFLOW_CONN_ORDERMESH_DEFAULT"
POLL_VAR = "ORDERMESH_EXAMPLE_POLL_SECONDS"
SAMPLE_OUTPUT = ROOT / "scripts" / "demo_output.txt"  # the README quotes it (scripts/sync_readme.py)
LAST_RUN = DEMO_HOME / "last-run.txt"  # every successful run's lines, outside the tracked files

# 60 virtual seconds per real second and a status step every 30 virtual seconds: a shipment moves
# one status every half second, so an order ships about 1.5 s after it is created.
SANDBOX_OPTIONS = {"speed": "60", "step-seconds": "30", "reject-rate": "0.05", "seed": "7"}
SANDBOX_POLL_SECONDS = "2"  # the example DAGs' waits poll this often against the fast sandbox
REAL_RUN_GRACE_SECONDS = 10


class DemoFailed(RuntimeError):
    """A step of the demo failed; the message says which, and where its log is."""


def say(text: str = "", *, out: TextIO | None = None) -> None:
    print(text, file=out or sys.stdout, flush=True)


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


# --- the sandbox -----------------------------------------------------------------------------


def sandbox_connection(url: str) -> str:
    """The ``AIRFLOW_CONN_ORDERMESH_DEFAULT`` value pointing at a sandbox (its public test credentials)."""
    from airflow_provider_ordermesh.sandbox.backend.config import SandboxConfig

    config = SandboxConfig()
    return json.dumps(
        {
            "conn_type": "ordermesh",
            "host": url,
            "login": config.client_id,
            "password": config.client_secret,
            "extra": {"portal_url": f"{url}/portal"},
        }
    )


def sandbox_stats(url: str) -> dict[str, Any]:
    """The sandbox's own counters (``GET /_sandbox/stats``): requests, orders, shipments by status."""
    with urllib.request.urlopen(f"{url}/_sandbox/stats", timeout=10) as response:
        return json.load(response)


# --- Airflow ---------------------------------------------------------------------------------


def airflow_env(connection: str, *, poll_seconds: str | None = None) -> dict[str, str]:
    """The environment of the Airflow child processes: a private home, ``dags/``, one connection.

    Every ``AIRFLOW_*`` variable of the caller's shell is dropped first (a secrets backend or an
    ``AIRFLOW_CONN_ORDERMESH_*`` there must not decide where the demo's requests go).
    ``poll_seconds`` shortens the example DAGs' waits (60 s by default, which suits a real OrderMesh).
    """
    env = {name: value for name, value in os.environ.items() if not name.startswith("AIRFLOW")}
    env.update(
        {
            "AIRFLOW_HOME": str(DEMO_HOME),
            "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            CONN_VAR: connection,
        }
    )
    if poll_seconds is not None:
        env.setdefault(POLL_VAR, poll_seconds)
    return env


def child(args: list[str], *, env: Mapping[str, str], log_path: Path) -> int:
    """Run ``python <args>`` with this interpreter, its output in ``log_path``; its exit code."""
    with open(log_path, "w", encoding="utf-8") as log:
        return subprocess.run(
            [sys.executable, *args],
            cwd=ROOT,
            env=dict(env),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            check=False,
        ).returncode


def migrate(env: Mapping[str, str]) -> None:
    say("==> Preparing Airflow's metadata database (SQLite in .airflow-demo/)")
    log_path = DEMO_HOME / "db-migrate.log"
    airflow_cli = str(Path(sys.executable).with_name("airflow"))
    with open(log_path, "w", encoding="utf-8") as log:
        code = subprocess.run(
            [airflow_cli, "db", "migrate"],
            cwd=ROOT,
            env=dict(env),
            stdout=log,
            stderr=subprocess.STDOUT,
            check=False,
        ).returncode
    if code != 0:
        raise DemoFailed(f"airflow db migrate failed; see {_rel(log_path)}")


def run_fulfillment(env: Mapping[str, str], *, orders_file: Path | None) -> dict[str, Any]:
    """Run the DAG with ``dag.test()`` in a child process; what it returned (see ``run_dag_test``)."""
    log_path = DEMO_HOME / "dag-test.log"
    result_path = DEMO_HOME / "dag-test-result.json"
    result_path.unlink(missing_ok=True)
    say(f"==> Running {DAG_ID} with dag.test() (full log: {_rel(log_path)})")
    args = [str(Path(__file__).resolve()), "--run-dag-test", str(result_path)]
    if orders_file is not None:
        args += ["--orders-file", str(orders_file)]
    code = child(args, env=env, log_path=log_path)
    if not result_path.exists():
        raise DemoFailed(f"the DAG run ended (exit code {code}) without a result; see {_rel(log_path)}")
    result: dict[str, Any] = json.loads(result_path.read_text())
    if result.get("error"):
        raise DemoFailed(f"Airflow could not run the DAG: {result['error']}; see {_rel(log_path)}")
    return result


def run_dag_test(result_path: Path, orders_file: Path | None) -> int:
    """In the child: ``dag.test()`` the DAG and write its state, task states and summary as JSON."""
    try:
        from airflow_provider_ordermesh.compat import DagBag, register_dag

        bag = DagBag(dag_folder=str(DAG_FILE), safe_mode=False)
        if DAG_ID not in bag.dags:
            raise RuntimeError(f"{_rel(DAG_FILE)} did not parse: {bag.import_errors}")
        dag: Any = bag.dags[DAG_ID]  # a DAG; Airflow 3.4 types DagBag's values as DAG | SerializedDAG
        register_dag(dag)
        conf = {"orders_file": str(orders_file)} if orders_file is not None else None
        run = dag.test(logical_date=datetime.now(UTC), run_conf=conf)
        tasks, summary = [], None
        for ti in sorted(
            run.get_task_instances(), key=lambda t: (t.start_date or run.start_date, t.map_index)
        ):
            tasks.append(
                {
                    "task": ti.task_id if ti.map_index < 0 else f"{ti.task_id}[{ti.map_index}]",
                    "state": str(ti.state),
                    "seconds": ti.duration,
                }
            )
            if ti.task_id == SUMMARY_TASK and str(ti.state) == "success":
                summary = ti.xcom_pull(task_ids=SUMMARY_TASK)
        result = {"state": str(run.state), "tasks": tasks, "summary": summary}
    except Exception as exc:
        traceback.print_exc()
        result = {"error": f"{type(exc).__name__}: {exc}"}
    result_path.write_text(json.dumps(result, default=str))
    return 0 if result.get("state") == "success" else 1


@contextmanager
def only_demo_in_this_checkout() -> Iterator[None]:
    """Refuse to run beside another demo: both would share ``.airflow-demo/`` and its SQLite DB."""
    with open(DEMO_HOME / ".lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DemoFailed(
                "another demo is running in this checkout (.airflow-demo/ is in use); wait for it to finish"
            ) from None
        yield


# --- the report ------------------------------------------------------------------------------


def task_lines(tasks: list[Mapping[str, Any]]) -> list[str]:
    """One line per task instance: its name, its state, how long it ran."""
    lines = []
    for task in tasks:
        state = "done" if task["state"] == "success" else task["state"].upper()
        took = f"{task['seconds']:5.1f} s" if task.get("seconds") is not None else ""
        lines.append(f"    {task['task']:<24} {state:<9}{took}")
    return lines


def report(summary: Mapping[str, Any], stats: Mapping[str, Any] | None, *, seconds: float) -> list[str]:
    """The human summary: orders, shipments, reroutes, API requests."""
    orders, shipments = summary["orders"], summary["shipments"]
    statuses = ", ".join(f"{name} {count}" for name, count in shipments["by_status"].items()) or "none"
    existed = f", {orders['already_existed']} already there" if orders["already_existed"] else ""
    lines = [
        f"  orders created      {orders['created']} of {orders['requested']}{existed}",
        f"  shipments           {shipments['total']} ({statuses})",
        f"  shipped             {shipments['shipped']}, with {summary['tracking_numbers']} tracking numbers",
        (
            f"  reroutes            {counted(summary['reroutes']['rerouted'], 'shipment')} rejected by their facility, "
            "moved to a backup facility, then shipped"
        ),
    ]
    if stats is not None:
        lines.append(
            f"  API requests made   {stats['requestsTotal']} (access tokens issued: {stats['tokensIssued']})"
        )
    else:
        lines.append(
            "  API requests made   not counted here (the sandbox counts them; a real OrderMesh does not say)"
        )
    lines.append(f"  total time          {seconds:.0f} s")
    return lines


def shipped(by_status: Mapping[str, int]) -> int:
    return by_status.get("Shipped", 0) + by_status.get("Delivered", 0)


def disagreements(summary: Mapping[str, Any], stats: Mapping[str, Any]) -> list[str]:
    """Where the DAG's summary and the sandbox's own state differ (empty when they agree).

    Shipments keep moving after the DAG read them (Shipped becomes Delivered), so shipped counts
    Shipped and Delivered together.
    """
    pairs = [
        ("orders", summary["orders"]["created"] + summary["orders"]["already_existed"], stats["orders"]),
        ("shipments", summary["shipments"]["total"], stats["shipments"]),
        ("shipped shipments", summary["shipments"]["shipped"], shipped(stats["shipmentsByStatus"])),
    ]
    return [
        f"{what}: the DAG reports {ours}, the sandbox holds {theirs}"
        for what, ours, theirs in pairs
        if ours != theirs
    ]


# --- main ------------------------------------------------------------------------------------


def host_of(connection: str) -> str:
    """The host named by a connection value (JSON or URI form), never its login or password."""
    text = connection.strip()
    if text.startswith("{"):
        try:
            host = str(json.loads(text).get("host") or "")
        except (ValueError, AttributeError):
            return "(a connection value that is not valid JSON)"
        if not host:
            return "api.ordermesh.io (the default host)"
        return urlsplit(host if "://" in host else f"//{host}").hostname or "(no host)"
    return urlsplit(text).hostname or "(no host)"


def real_connection(target: str) -> str:
    """The connection for ``--against-real-ordermesh TARGET``: the shell's credentials, TARGET's host."""
    connection = os.environ.get(CONN_VAR, "").strip()
    if not connection:
        raise DemoFailed(f"--against-real-ordermesh needs the credentials in {CONN_VAR} (JSON form)")
    try:
        value = json.loads(connection)
    except ValueError:
        raise DemoFailed(f"{CONN_VAR} must be in JSON form for --against-real-ordermesh") from None
    wanted = urlsplit(target).hostname
    if not wanted or urlsplit(target).scheme != "https":
        raise DemoFailed(
            f"--against-real-ordermesh takes an https URL, e.g. https://api.ordermesh.io (got {target!r})"
        )
    named = host_of(connection)
    if value.get("host") and named != wanted:
        raise DemoFailed(f"{CONN_VAR} names {named}, the flag names {wanted}: make them agree")
    return json.dumps({**value, "host": target.rstrip("/")})


def against_real_ordermesh(target: str, *, assume_yes: bool, started: float) -> int:
    connection = real_connection(target)
    say(f"This demo runs against the OrderMesh at {host_of(connection)} (--against-real-ordermesh),")
    say("not against a local sandbox, and creates the 300 example orders there")
    say("(safeIds shop-2026-11-26-0001 to shop-2026-11-26-0300).")
    if not assume_yes:
        say(f"Press Ctrl-C within {REAL_RUN_GRACE_SECONDS} s to stop.")
        time.sleep(REAL_RUN_GRACE_SECONDS)
    env = airflow_env(connection)
    migrate(env)
    return finish(run_fulfillment(env, orders_file=None), stats=None, started=started, sample=False)


def against_sandbox(*, started: float, orders_file: Path | None, record: bool = False) -> int:
    from airflow_provider_ordermesh.sandbox.run.process import SandboxProcess, SandboxStartError

    if os.environ.get(CONN_VAR, "").strip():
        say(f"{CONN_VAR} is set in this shell ({host_of(os.environ[CONN_VAR])}): ignored. The demo uses its")
        say("own local sandbox; to run against a real OrderMesh, pass --against-real-ordermesh URL.")
    say("==> Starting a local OrderMesh sandbox")
    options = [item for option, value in SANDBOX_OPTIONS.items() for item in (f"--{option}", value)]
    sandbox = SandboxProcess(options, log_path=DEMO_HOME / "sandbox.log")
    try:
        sandbox.start()
    except SandboxStartError as exc:
        sandbox.close()
        raise DemoFailed(str(exc)) from None
    try:
        migrate(airflow_env(""))
        say(f"    sandbox listening on {sandbox.url} (5% of shipments rejected, seed 7, fast clock)")
        env = airflow_env(sandbox_connection(sandbox.url), poll_seconds=SANDBOX_POLL_SECONDS)
        result = run_fulfillment(env, orders_file=orders_file)
        return finish(
            result, stats=sandbox_stats(sandbox.url), started=started, sample=record and orders_file is None
        )
    finally:
        sandbox.close()


def finish(
    result: Mapping[str, Any], *, stats: Mapping[str, Any] | None, started: float, sample: bool
) -> int:
    """Print the tasks and the summary; 0 only if the run succeeded and agrees with the sandbox."""
    lines = task_lines(result["tasks"])
    summary = result.get("summary")
    if result["state"] != "success" or summary is None:
        failed = [t["task"] for t in result["tasks"] if t["state"] != "success"]
        for line in lines:
            say(line)
        say()
        say(
            f"FAILED: {DAG_ID} ended {result['state']}"
            + (f" ({', '.join(failed)} did not succeed)" if failed else "")
            + f"; see {_rel(DEMO_HOME / 'dag-test.log')}"
        )
        return 1
    lines += ["", f"{DAG_ID} succeeded:", *report(summary, stats, seconds=time.monotonic() - started)]
    problems = disagreements(summary, stats) if stats is not None else []
    lines += [f"MISMATCH {problem}" for problem in problems]
    for line in lines:
        say(line)
    if not problems:
        LAST_RUN.write_text("\n".join(lines) + "\n")
    if sample and not problems:  # only when asked: the README's two commands must not change tracked files
        SAMPLE_OUTPUT.write_text("\n".join(lines) + "\n")
        say(f"recorded as {_rel(SAMPLE_OUTPUT)}; run scripts/sync_readme.py to quote it in the README")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--against-real-ordermesh",
        metavar="URL",
        help=f"run against this OrderMesh (e.g. https://api.ordermesh.io), with the "
        f"credentials in {CONN_VAR}; it creates the 300 example orders there",
    )
    parser.add_argument(
        "--yes",
        action="store_true",
        help=f"with --against-real-ordermesh, start without the {REAL_RUN_GRACE_SECONDS} s pause",
    )
    parser.add_argument("--orders-file", type=Path, help="a .jsonl file of orders instead of the day's 300")
    parser.add_argument(
        "--record",
        action="store_true",
        help=f"also write this run's lines to {SAMPLE_OUTPUT.relative_to(ROOT)}, which the README quotes "
        f"(every run writes them to {LAST_RUN.name} in the demo's Airflow home)",
    )
    parser.add_argument("--run-dag-test", type=Path, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args(argv)
    if args.run_dag_test:
        return run_dag_test(args.run_dag_test, args.orders_file)
    started = time.monotonic()
    DEMO_HOME.mkdir(exist_ok=True)
    try:
        with only_demo_in_this_checkout():
            if args.against_real_ordermesh:
                return against_real_ordermesh(
                    args.against_real_ordermesh, assume_yes=args.yes, started=started
                )
            return against_sandbox(started=started, orders_file=args.orders_file, record=args.record)
    except DemoFailed as exc:
        say(f"FAILED: {exc}", out=sys.stderr)
        return 1
    except KeyboardInterrupt:
        say("stopped", out=sys.stderr)
        return 130
    except Exception as exc:
        say(f"FAILED: {type(exc).__name__}: {exc}", out=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
