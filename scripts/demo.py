"""``make demo``: run the fulfillment example DAG with Airflow against a local OrderMesh sandbox.

What it does, in order:

1. starts the sandbox (``python -m airflow_provider_ordermesh.sandbox``) on a free loopback port,
   with a clock fast enough that printing and shipping take seconds, and 5% of new shipments
   rejected by their facility so that the reroute step has work;
2. meanwhile prepares a private Airflow home in ``.airflow-demo/`` (SQLite, ``dags/`` as the DAG
   folder, no Airflow examples) with ``airflow db migrate``;
3. runs ``airflow dags test ordermesh_order_fulfillment`` with ``AIRFLOW_CONN_ORDERMESH_DEFAULT``
   pointing at the sandbox, printing one line per finished task;
4. prints what happened, from the DAG's summary (its last task's XCom) and the sandbox's own
   counters, stops the sandbox, and exits non-zero if anything failed or the two disagree.

If ``AIRFLOW_CONN_ORDERMESH_DEFAULT`` is already set, no sandbox is started: the DAG runs against
that OrderMesh instead, after saying so (naming the host, never the credentials).
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEMO_HOME = ROOT / ".airflow-demo"
DAG_ID = "ordermesh_order_fulfillment"
SUMMARY_TASK = "report_summary"
CONN_VAR = "AIRFLOW_CONN_ORDERMESH_DEFAULT"
POLL_VAR = "ORDERMESH_EXAMPLE_POLL_SECONDS"

# 60 virtual seconds per real second and a status step every 30 virtual seconds: a shipment moves
# one status every half second, so an order ships about 1.5 s after it is created.
SANDBOX_OPTIONS = {"speed": "60", "step-seconds": "30", "reject-rate": "0.05", "seed": "7"}
SANDBOX_CLIENT = ("sandbox-client", "sandbox-secret")  # the sandbox's fixed, public test credentials
SANDBOX_POLL_SECONDS = "2"  # the example DAGs' waits poll this often against the fast sandbox
READY_TIMEOUT = 60.0
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


class Sandbox:
    """A sandbox process: started at once, its URL known once it listens, stopped on exit."""

    def __init__(self, *, log_path: Path, scratch: Path) -> None:
        self.log_path = log_path
        self.ready_file = scratch / "ready"
        command = [
            sys.executable,
            "-m",
            "airflow_provider_ordermesh.sandbox",
            "--port",
            "0",
            "--ready-file",
            str(self.ready_file),
        ]
        for option, value in SANDBOX_OPTIONS.items():
            command += [f"--{option}", value]
        with open(log_path, "wb") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        self.url = ""

    def wait_ready(self) -> str:
        """The sandbox's base URL, once it listens (it writes the URL to the ready file then)."""
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise DemoFailed(
                    f"the sandbox exited with code {self.process.returncode}; see {_rel(self.log_path)}"
                )
            if self.ready_file.exists():
                self.url = self.ready_file.read_text(encoding="utf-8").strip().rstrip("/")
                return self.url
            time.sleep(0.1)
        raise DemoFailed(
            f"the sandbox was not listening after {READY_TIMEOUT:.0f} s; see {_rel(self.log_path)}"
        )

    @property
    def connection(self) -> str:
        """The ``AIRFLOW_CONN_ORDERMESH_DEFAULT`` value pointing at this sandbox."""
        login, password = SANDBOX_CLIENT
        return json.dumps(
            {
                "conn_type": "ordermesh",
                "host": self.url,
                "login": login,
                "password": password,
                "extra": {"portal_url": f"{self.url}/portal"},
            }
        )

    def stats(self) -> dict[str, Any]:
        """The sandbox's own counters (``GET /_sandbox/stats``): requests, orders, shipments by status."""
        with urllib.request.urlopen(f"{self.url}/_sandbox/stats", timeout=10) as response:
            return json.load(response)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextmanager
def sandbox_process(*, log_path: Path) -> Iterator[Sandbox]:
    """Start the sandbox in the background; always stop it when the block ends."""
    with tempfile.TemporaryDirectory(prefix="ordermesh-demo-") as scratch:
        sandbox = Sandbox(log_path=log_path, scratch=Path(scratch))
        try:
            yield sandbox
        finally:
            sandbox.stop()


# --- Airflow ---------------------------------------------------------------------------------


def airflow_env(connection: str, *, poll_seconds: str | None = None) -> dict[str, str]:
    """The environment of the Airflow commands: a private home, ``dags/``, and the connection.

    ``poll_seconds`` shortens the example DAGs' waits (they poll every 60 s by default, which
    suits a real OrderMesh); a value already set in the environment wins.
    """
    env = dict(os.environ)
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


def airflow(*args: str, env: Mapping[str, str], log_path: Path, on_line: Any = None) -> int:
    """Run ``airflow <args>`` with its output in ``log_path``; ``on_line(line)`` sees each line."""
    command = [str(Path(sys.executable).with_name("airflow")), *args]
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=dict(env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
        )
        assert process.stdout is not None
        for line in process.stdout:
            log.write(line)
            if on_line is not None:
                on_line(line)
        return process.wait()


class TaskProgress:
    """Turns ``airflow dags test``'s verbose log into one line per finished task (and per deferral)."""

    _START = re.compile(r"\[DAG TEST\] starting task_id=(\S+) map_index=(-?\d+)")
    _END = re.compile(r"\[DAG TEST\] end task task_id=(\S+) map_index=(-?\d+)")

    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out
        self.started: dict[str, datetime] = {}
        self.current = ""
        self.failed: list[str] = []
        self._failing = False
        self._finished = 0

    @staticmethod
    def _name(task_id: str, map_index: str) -> str:
        return task_id if int(map_index) < 0 else f"{task_id}[{map_index}]"

    @staticmethod
    def _time(line: str) -> datetime | None:
        try:
            return datetime.fromisoformat(line.split(" ", 1)[0])
        except ValueError:
            return None

    def __call__(self, line: str) -> None:
        if match := self._START.search(line):
            self.current, self._failing = self._name(*match.groups()), False
            if (at := self._time(line)) is not None:
                self.started[self.current] = at
        elif "Pausing task as DEFERRED" in line and self.current:
            say(
                f"    {self.current:<24} deferred: waiting in the triggerer, no worker slot held",
                out=self.out,
            )
        elif "new_state=failed" in line or "Task failed with exception" in line:
            self._failing = True
        elif match := self._END.search(line):
            name = self._name(*match.groups())
            start, end = self.started.get(name), self._time(line)
            took = f"{(end - start).total_seconds():5.1f} s" if start and end else ""
            if self._failing:
                self.failed.append(name)
            note = "" if self._finished else "  (includes Airflow's one-time start-up)"
            self._finished += 1
            say(f"    {name:<24} {'FAILED' if self._failing else 'done':<7}{took}{note}", out=self.out)


def read_summary(logical_date: datetime) -> dict[str, Any] | None:
    """The summary XCom of the run at ``logical_date``, if it succeeded, from the demo's metadata DB."""
    os.environ.update({"AIRFLOW_HOME": str(DEMO_HOME), "AIRFLOW__CORE__LOAD_EXAMPLES": "False"})
    from airflow.models.dagrun import DagRun
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session
    from sqlalchemy import select

    with create_session() as session:
        run = session.scalars(
            select(DagRun).where(DagRun.dag_id == DAG_ID, DagRun.logical_date == logical_date)
        ).first()
        if run is None or str(run.state) != "success":
            return None
        row = session.scalars(
            XComModel.get_many(run_id=run.run_id, dag_ids=DAG_ID, task_ids=SUMMARY_TASK, key="return_value")
        ).first()
        return XComModel.deserialize_value(row) if row is not None else None


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
            f"  reroutes            {summary['reroutes']['rerouted']} shipments rejected by their facility, "
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


def run_fulfillment(env: Mapping[str, str]) -> tuple[int, datetime]:
    """Run the DAG; its exit code and the logical date that names this run."""
    log_path = DEMO_HOME / "dags-test.log"
    say(f"==> Running {DAG_ID} with `airflow dags test` (full log: {_rel(log_path)})")
    progress = TaskProgress()
    logical_date = datetime.now(UTC)
    code = airflow(
        "dags", "test", DAG_ID, logical_date.isoformat(), env=env, log_path=log_path, on_line=progress
    )
    return code or (1 if progress.failed else 0), logical_date


def migrate(env: Mapping[str, str]) -> None:
    say("==> Preparing Airflow's metadata database (SQLite in .airflow-demo/)")
    log_path = DEMO_HOME / "db-migrate.log"
    if airflow("db", "migrate", env=env, log_path=log_path) != 0:
        raise DemoFailed(f"airflow db migrate failed; see {_rel(log_path)}")


def against_real_ordermesh(connection: str, *, assume_yes: bool, started: float) -> int:
    say(f"{CONN_VAR} is set: this demo runs against the OrderMesh at {host_of(connection)},")
    say("not against a local sandbox, and creates the 300 example orders there")
    say("(safeIds shop-2026-11-26-0001 to shop-2026-11-26-0300).")
    if not assume_yes:
        say(f"Press Ctrl-C within {REAL_RUN_GRACE_SECONDS} s to stop.")
        time.sleep(REAL_RUN_GRACE_SECONDS)
    env = airflow_env(connection)
    migrate(env)
    return finish(run_fulfillment(env), stats=None, started=started)


def against_sandbox(*, started: float) -> int:
    say("==> Starting a local OrderMesh sandbox")
    with sandbox_process(log_path=DEMO_HOME / "sandbox.log") as sandbox:
        migrate(airflow_env(""))  # while the sandbox starts
        url = sandbox.wait_ready()
        say(f"    sandbox listening on {url} (5% of shipments rejected, seed 7, fast clock)")
        run = run_fulfillment(airflow_env(sandbox.connection, poll_seconds=SANDBOX_POLL_SECONDS))
        return finish(run, stats=sandbox.stats(), started=started)


def finish(run: tuple[int, datetime], *, stats: Mapping[str, Any] | None, started: float) -> int:
    code, logical_date = run
    summary = read_summary(logical_date) if code == 0 else None
    say()
    if summary is None:
        say(f"FAILED: {DAG_ID} did not succeed; see {_rel(DEMO_HOME / 'dags-test.log')}")
        return code or 1
    say(f"{DAG_ID} succeeded:")
    for line in report(summary, stats, seconds=time.monotonic() - started):
        say(line)
    problems = disagreements(summary, stats) if stats is not None else []
    for problem in problems:
        say(f"MISMATCH {problem}")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--yes",
        action="store_true",
        help=f"with {CONN_VAR} set, start without the {REAL_RUN_GRACE_SECONDS} s pause",
    )
    args = parser.parse_args(argv)
    started = time.monotonic()
    DEMO_HOME.mkdir(exist_ok=True)
    connection = os.environ.get(CONN_VAR, "").strip()
    try:
        with only_demo_in_this_checkout():
            if connection:
                return against_real_ordermesh(connection, assume_yes=args.yes, started=started)
            return against_sandbox(started=started)
    except DemoFailed as exc:
        say(f"FAILED: {exc}", out=sys.stderr)
        return 1
    except KeyboardInterrupt:
        say("stopped", out=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
