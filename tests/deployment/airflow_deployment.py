"""A real Airflow deployment for the tests: api-server, scheduler, dag-processor and triggerer.

Each component is a separate ``airflow`` process in its own process group, with a fresh
``AIRFLOW_HOME`` (SQLite, LocalExecutor), free loopback ports, and its output in a log file. The
tests talk to it only through public interfaces: Airflow's REST API (``/api/v2``) and signals to
the component processes. ``stop()`` ends every process group it started, also after a failure.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import requests

REPO = Path(__file__).resolve().parents[2]
DAGS_DIR = REPO / "dags"
AIRFLOW = str(Path(sys.executable).with_name("airflow"))
COMPONENTS = ("api-server", "scheduler", "dag-processor", "triggerer")
COMPONENT_ARGS = {"scheduler": ("--skip-serve-logs",), "triggerer": ("--skip-serve-logs",)}
"""Their log servers would listen on every interface; the api-server reads the log files directly."""
FINISHED_RUN_STATES = frozenset({"success", "failed"})
LOG_TAIL_CHARS = 6000

T = TypeVar("T")


class DeploymentError(AssertionError):
    """The deployment did not do what a test waited for; the message says what and where to look."""


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(what: str, probe: Callable[[], T | None], timeout: float, interval: float = 0.5) -> T:
    """Call ``probe`` until it returns something truthy; fail naming ``what`` after ``timeout`` seconds."""
    deadline = time.time() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.time() > deadline:
            raise DeploymentError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


@dataclass
class Component:
    """One running ``airflow <command>`` process, leader of its own process group."""

    name: str
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def signal_group(self, signum: int) -> None:
        """Send ``signum`` to the component and every process it started (its process group)."""
        try:
            os.killpg(self.process.pid, signum)
        except ProcessLookupError:
            pass

    def stop(self, grace: float = 10.0) -> None:
        """SIGTERM the group, then SIGKILL what is left after ``grace`` seconds; reap the leader."""
        if self.alive():
            self.signal_group(signal.SIGTERM)
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                pass
        self.signal_group(signal.SIGKILL)  # children that outlived their leader, too
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:  # pragma: no cover - a process that ignores SIGKILL
            pass


@dataclass
class Deployment:
    """A fresh Airflow home and its components; the REST API as a logged-in session."""

    home: Path
    extra_env: Mapping[str, str]
    api_port: int = field(default_factory=free_port)
    components: dict[str, Component] = field(default_factory=dict)
    retired: list[Component] = field(default_factory=list)
    session: requests.Session = field(default_factory=requests.Session)
    jwt_secret: str = field(default_factory=lambda: os.urandom(16).hex())
    """One secret for every component: the api-server must accept the scheduler's task tokens."""

    # --- processes -------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    def env(self) -> dict[str, str]:
        """The components' environment: ours, not the test process's Airflow settings."""
        inherited = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "PYTEST"))}
        return {
            **inherited,
            "AIRFLOW_HOME": str(self.home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_DIR),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__CORE__PARALLELISM": "4",
            "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{self.base_url}/execution/",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{self.home / 'airflow.db'}",
            "AIRFLOW__API__HOST": "127.0.0.1",
            "AIRFLOW__API__PORT": str(self.api_port),
            "AIRFLOW__API__BASE_URL": self.base_url,
            "AIRFLOW__API_AUTH__JWT_SECRET": self.jwt_secret,
            "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "1",
            "AIRFLOW__SCHEDULER__JOB_HEARTBEAT_SEC": "1",
            "AIRFLOW__TRIGGERER__JOB_HEARTBEAT_SEC": "1",
            "AIRFLOW__TRIGGERER__TRIGGERER_HEALTH_CHECK_THRESHOLD": "5",
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
            "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
            **self.extra_env,
        }

    def prepare(self) -> None:
        """A migrated SQLite metadata database in the fresh home."""
        self.home.mkdir(parents=True, exist_ok=True)
        (self.home / "logs").mkdir(exist_ok=True)
        log_path = self.home / "db-migrate.log"
        with log_path.open("wb") as log:
            result = subprocess.run(
                [AIRFLOW, "db", "migrate"],
                env=self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=300,
                check=False,
            )
        if result.returncode != 0:
            raise DeploymentError(f"airflow db migrate failed:\n{tail(log_path)}")

    def start(self, name: str) -> Component:
        """Start ``airflow <name>`` (api-server, scheduler, dag-processor, triggerer) in a new group."""
        if name in self.components and self.components[name].alive():
            raise DeploymentError(f"{name} is already running (pid {self.components[name].pid})")
        if name in self.components:
            self.retired.append(self.components.pop(name))
        generation = sum(1 for c in self.retired if c.name == name) + 1
        log_path = self.home / f"{name}-{generation}.log"
        args = [AIRFLOW, name, *COMPONENT_ARGS.get(name, ())]
        if name == "api-server":
            args += ["--port", str(self.api_port), "--host", "127.0.0.1"]
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                args,
                env=self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        component = Component(name, process, log_path)
        self.components[name] = component
        return component

    def kill(self, name: str) -> None:
        """SIGKILL a component's whole process group, as a crash or an OOM kill would."""
        component = self.components[name]
        component.signal_group(signal.SIGKILL)
        component.process.wait(10)

    def start_all(self, timeout: float = 240) -> None:
        self.prepare()
        for name in COMPONENTS:
            self.start(name)
        wait_for("the api-server to answer /api/v2/monitor/health", self._healthy, timeout)
        self.login()

    def stop(self) -> None:
        """Stop every component this deployment ever started, by process group."""
        for component in [*self.components.values(), *self.retired]:
            component.stop()
        self.session.close()

    def logs(self) -> dict[str, str]:
        """The end of every component's log, keyed by component and generation, for failure output."""
        found = {path.name: tail(path) for path in sorted(self.home.glob("*.log"))}
        return found

    def _healthy(self) -> bool:
        for component in self.components.values():
            if not component.alive():
                raise DeploymentError(
                    f"{component.name} exited with {component.process.returncode}:\n"
                    f"{tail(component.log_path)}"
                )
        try:
            answer = requests.get(f"{self.base_url}/api/v2/monitor/health", timeout=5)
        except requests.RequestException:
            return False
        return answer.ok

    # --- REST API ----------------------------------------------------------------------------

    def login(self) -> None:
        """A token from the simple auth manager (every user is admin in this deployment)."""
        answer = requests.get(f"{self.base_url}/auth/token", timeout=30)
        answer.raise_for_status()
        self.session.headers["Authorization"] = f"Bearer {answer.json()['access_token']}"

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        answer = self.session.request(method, f"{self.base_url}/api/v2{path}", timeout=60, **kwargs)
        if not answer.ok:
            raise DeploymentError(f"{method} {path} answered {answer.status_code}: {answer.text[:500]}")
        return answer.json() if answer.content else None

    def wait_for_dag(self, dag_id: str, timeout: float = 120) -> dict[str, Any]:
        """The DAG once the dag-processor has put it in the database."""

        def parsed() -> dict[str, Any] | None:
            answer = self.session.get(f"{self.base_url}/api/v2/dags/{dag_id}", timeout=30)
            return answer.json() if answer.ok else None

        return wait_for(f"the dag-processor to parse {dag_id}", parsed, timeout)

    def unpause(self, dag_id: str) -> None:
        self.wait_for_dag(dag_id)
        self.call("PATCH", f"/dags/{dag_id}", json={"is_paused": False})

    def trigger(
        self,
        dag_id: str,
        conf: Mapping[str, Any] | None = None,
        data_interval: tuple[datetime, datetime] | None = None,
    ) -> str:
        """Start a run of ``dag_id`` (unpausing it) and return its run id.

        With ``data_interval`` the run covers that interval (its logical date is the start), as a
        scheduled run of it would; without, it is a manual run with no logical date.
        """
        self.unpause(dag_id)
        body: dict[str, Any] = {"logical_date": None, "conf": dict(conf or {})}
        if data_interval is not None:
            start, end = (moment.isoformat() for moment in data_interval)
            body.update(logical_date=start, data_interval_start=start, data_interval_end=end)
        run = self.call("POST", f"/dags/{dag_id}/dagRuns", json=body)
        return str(run["dag_run_id"])

    def clear(self, dag_id: str, run_id: str) -> None:
        """Clear a finished run, as a user does to re-run it: every task runs again."""
        self.call("POST", f"/dags/{dag_id}/dagRuns/{run_id}/clear", json={"dry_run": False})

    def run_state(self, dag_id: str, run_id: str) -> str:
        return str(self.call("GET", f"/dags/{dag_id}/dagRuns/{run_id}")["state"])

    def wait_for_run(self, dag_id: str, run_id: str, timeout: float = 180) -> str:
        """The final state of a run (success or failed)."""
        return wait_for(
            f"run {run_id} of {dag_id} to finish",
            lambda: state if (state := self.run_state(dag_id, run_id)) in FINISHED_RUN_STATES else None,
            timeout,
        )

    def runs(self, dag_id: str) -> list[dict[str, Any]]:
        return list(self.call("GET", f"/dags/{dag_id}/dagRuns", params={"limit": 100})["dag_runs"])

    def task_states(self, dag_id: str, run_id: str) -> dict[str, str]:
        """``{task_id or task_id[map_index]: state}`` of a run."""
        found = self.call("GET", f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances", params={"limit": 100})
        return {
            (ti["task_id"] if ti["map_index"] < 0 else f"{ti['task_id']}[{ti['map_index']}]"): ti["state"]
            for ti in found["task_instances"]
        }

    def explain(self, dag_id: str, run_id: str) -> str:
        """A run's task states, and the error lines of each failed task's log: for assertion messages."""
        found = self.call("GET", f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances", params={"limit": 100})
        lines = [f"{ti['task_id']}[{ti['map_index']}]: {ti['state']}" for ti in found["task_instances"]]
        for ti in found["task_instances"]:
            if ti["state"] == "failed":
                log = self.task_log(dag_id, run_id, ti["task_id"], max(1, ti["try_number"]), ti["map_index"])
                errors = [
                    str(line.get("event")) + " " + str(line.get("error_detail", ""))[:1500]
                    for line in log
                    if line.get("level") in ("error", "critical")
                ]
                lines.append(f"--- {ti['task_id']}[{ti['map_index']}] errors:\n" + "\n".join(errors))
        return "\n".join(lines)

    def task_state(self, dag_id: str, run_id: str, task_id: str) -> str | None:
        ti = self.call("GET", f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}")
        return ti["state"]

    def xcom(self, dag_id: str, run_id: str, task_id: str, map_index: int = -1) -> Any:
        path = f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/xcomEntries/return_value"
        return self.call("GET", path, params={"map_index": map_index})["value"]

    def links(self, dag_id: str, run_id: str, task_id: str, map_index: int = -1) -> dict[str, str | None]:
        path = f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/links"
        return dict(self.call("GET", path, params={"map_index": map_index})["extra_links"])

    def task_log(
        self, dag_id: str, run_id: str, task_id: str, try_number: int = 1, map_index: int = -1
    ) -> list[dict[str, Any]]:
        """A task instance's log lines, structured (the workers' and the triggerer's parts, in time order)."""
        path = f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/logs/{try_number}"
        found = self.call(
            "GET",
            path,
            params={"map_index": map_index, "full_content": True},
            headers={"Accept": "application/json"},
        )
        return [
            line if isinstance(line, dict) else {"event": str(line)} for line in found.get("content") or []
        ]

    def asset_id(self, name: str) -> int | None:
        """The id of the asset named ``name``, once the dag-processor has registered it."""
        found = self.call("GET", "/assets", params={"name_pattern": name})["assets"]
        return next((int(asset["id"]) for asset in found if asset["name"] == name), None)

    def asset_events(self, asset_id: int, timeout: float = 90) -> list[dict[str, Any]]:
        """Every event of an asset, oldest first.

        Airflow 3.3.2 answers 500 here while a run an event created is queued without a start
        date yet (its response model requires one), so a 500 is waited out, not reported.
        """
        (events,) = wait_for("GET /assets/events to answer", lambda: self._asset_events(asset_id), timeout)
        return events

    def _asset_events(self, asset_id: int) -> tuple[list[dict[str, Any]]] | None:
        events: list[dict[str, Any]] = []
        while True:
            params = {"asset_id": asset_id, "limit": 100, "offset": len(events), "order_by": "timestamp"}
            answer = self.session.get(f"{self.base_url}/api/v2/assets/events", params=params, timeout=60)
            if answer.status_code == 500:
                return None
            if not answer.ok:
                raise DeploymentError(
                    f"GET /assets/events answered {answer.status_code}: {answer.text[:500]}"
                )
            page = answer.json()
            events.extend(page["asset_events"])
            if not page["asset_events"] or len(events) >= page["total_entries"]:
                return (events,)

    def asset_state(self, asset_id: int) -> dict[str, Any]:
        """The asset's state store, ``{key: value}``."""
        found = self.call("GET", f"/assets/{asset_id}/state-store", params={"limit": 100})
        return {entry["key"]: entry["value"] for entry in found["asset_state_store"]}


def tail(path: Path, chars: int = LOG_TAIL_CHARS) -> str:
    """The last ``chars`` characters of a log file."""
    try:
        text = path.read_text(errors="replace")
    except FileNotFoundError:
        return "(no log)"
    return text if len(text) <= chars else "...\n" + text[-chars:]
