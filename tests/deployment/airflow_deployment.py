"""A real Airflow deployment for the tests: api-server, scheduler, dag-processor and triggerer.

Each component is a separate ``airflow`` process in its own process group, with a fresh
``AIRFLOW_HOME``, free loopback ports, and its output in a log file. The tests talk to it only
through public interfaces: Airflow's REST API (``/api/v2``) and signals to the component
processes. ``stop()`` ends every process group it started, also after a failure; a deployment
still running when the test process exits or is terminated is stopped then (``atexit``, SIGTERM).

Two profiles (``Profile``): ``LOCAL``, the default (SQLite, LocalExecutor, one triggerer), and
``DISTRIBUTED`` (PostgreSQL, CeleryExecutor with a Redis broker, two Celery workers and two
triggerers, each worker and triggerer with its own hostname, home, working directory and temp
folder, as on separate hosts).
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import os
import re
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
CORE_COMPONENTS = ("api-server", "scheduler", "dag-processor")
COMPONENT_ARGS = {"scheduler": ("--skip-serve-logs",), "triggerer": ("--skip-serve-logs",)}
"""Their log servers would listen on every interface; the api-server reads the log files directly."""
HOSTNAME_ENV = "ORDERMESH_DEPLOYMENT_HOSTNAME"
"""A distributed component's own hostname, which ``deployment_hostname.hostname`` gives Airflow."""
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


@dataclass(frozen=True)
class Profile:
    """Which Airflow a deployment is: executor, metadata database, and its workers and triggerers."""

    name: str
    executor: str
    workers: int = 0
    """Celery workers (``worker-1`` ...); 0 for an executor that runs tasks in the scheduler's host."""
    triggerers: int = 1
    """One is named ``triggerer``; several are ``triggerer-1``, ``triggerer-2`` ..."""

    @property
    def distributed(self) -> bool:
        """PostgreSQL and Redis instead of SQLite; every worker and triggerer as its own host."""
        return self.workers > 0

    def component_names(self) -> tuple[str, ...]:
        """Every component to start, in start order."""
        triggerers = (
            ("triggerer",)
            if self.triggerers == 1
            else tuple(f"triggerer-{i}" for i in range(1, self.triggerers + 1))
        )
        workers = tuple(f"worker-{i}" for i in range(1, self.workers + 1))
        return (*CORE_COMPONENTS, *triggerers, *workers)


LOCAL = Profile("local", "LocalExecutor")
DISTRIBUTED = Profile("distributed", "CeleryExecutor", workers=2, triggerers=2)

DISTRIBUTED_SETTINGS = {
    # A worker lost with its task: the task is failed 30 s after its last heartbeat (default 300 s),
    # looked for every 5 s, then retried (on the other worker) after 2 s.
    "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": "30",
    "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT_DETECTION_INTERVAL": "5",
    "AIRFLOW__CORE__DEFAULT_TASK_RETRIES": "1",
    "AIRFLOW__CORE__DEFAULT_TASK_RETRY_DELAY": "2",
    "AIRFLOW__CELERY__WORKER_CONCURRENCY": "8",
    "AIRFLOW__CORE__PARALLELISM": "16",
    "AIRFLOW__CORE__HOSTNAME_CALLABLE": "deployment_hostname.hostname",
}
"""The distributed profile's Airflow settings beyond the shared ones (and its services' URLs)."""


def command_of(name: str) -> str:
    """The ``airflow`` command a component runs: ``triggerer-2`` runs ``triggerer``."""
    return re.sub(r"-\d+$", "", name)


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
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signum)

    def descendant_groups(self) -> set[int]:
        """The process groups of every process this one started, however deep (from ``/proc``).

        A task runs in a process group of its own under its Celery worker, so killing the worker's
        group leaves it running; a lost host loses those groups too.
        """
        children: dict[int, list[int]] = {}
        groups: dict[int, int] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue  # the process ended meanwhile
            pid = int(stat.parent.name)
            children.setdefault(int(fields[1]), []).append(pid)
            groups[pid] = int(fields[2])
        found: set[int] = set()
        pending = list(children.get(self.pid, []))
        while pending:
            pid = pending.pop()
            found.add(groups[pid])
            pending.extend(children.get(pid, []))
        return found - {self.pid}

    def stop(self, grace: float = 10.0) -> None:
        """SIGTERM the group, then SIGKILL what is left after ``grace`` seconds; reap the leader."""
        if self.alive():
            self.signal_group(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(grace)
        self.signal_group(signal.SIGKILL)  # children that outlived their leader, too
        with contextlib.suppress(subprocess.TimeoutExpired):  # a process that ignores SIGKILL
            self.process.wait(5)


@dataclass
class Deployment:
    """A fresh Airflow home and its components; the REST API as a logged-in session."""

    home: Path
    extra_env: Mapping[str, str]
    profile: Profile = LOCAL
    api_port: int = field(default_factory=free_port)
    components: dict[str, Component] = field(default_factory=dict)
    retired: list[Component] = field(default_factory=list)
    session: requests.Session = field(default_factory=requests.Session)
    jwt_secret: str = field(default_factory=lambda: os.urandom(16).hex())
    """One secret for every component: the api-server must accept the scheduler's task tokens."""
    fernet_key: str = field(default_factory=lambda: base64.urlsafe_b64encode(os.urandom(32)).decode())
    """One key for every component: a trigger's arguments, encrypted by the component that stored
    it, must decrypt in whichever triggerer runs it (components with their own homes would each
    generate a key of their own)."""
    services: list[Any] = field(default_factory=list)
    """The distributed profile's PostgreSQL and Redis (``services.py``), in start order."""
    database_url: str = ""
    """The metadata database; SQLite in ``home`` unless the profile starts PostgreSQL."""

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
            "AIRFLOW__CORE__EXECUTOR": self.profile.executor,
            "AIRFLOW__CORE__PARALLELISM": "4",
            "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{self.base_url}/execution/",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": self.database_url
            or f"sqlite:///{self.home / 'airflow.db'}",
            "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(self.home / "logs"),
            "AIRFLOW__API__HOST": "127.0.0.1",
            "AIRFLOW__API__PORT": str(self.api_port),
            "AIRFLOW__API__BASE_URL": self.base_url,
            "AIRFLOW__API_AUTH__JWT_SECRET": self.jwt_secret,
            "AIRFLOW__CORE__FERNET_KEY": self.fernet_key,
            "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "1",
            "AIRFLOW__SCHEDULER__JOB_HEARTBEAT_SEC": "1",
            "AIRFLOW__TRIGGERER__JOB_HEARTBEAT_SEC": "1",
            "AIRFLOW__TRIGGERER__TRIGGERER_HEALTH_CHECK_THRESHOLD": "5",
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
            "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
            **(self._distributed_env() if self.profile.distributed else {}),
            **self.extra_env,
        }

    def _distributed_env(self) -> dict[str, str]:
        postgres, redis = self.services
        return {
            **DISTRIBUTED_SETTINGS,
            "AIRFLOW__CELERY__BROKER_URL": redis.url,
            "AIRFLOW__CELERY__RESULT_BACKEND": f"db+{postgres.url}",
            "PYTHONPATH": str(Path(__file__).parent),  # deployment_hostname, for HOSTNAME_CALLABLE
        }

    def host_env(self, name: str) -> dict[str, str]:
        """What makes a distributed component a host of its own: hostname, home, temp folder.

        Task logs stay in the one ``base_log_folder`` the api-server reads, standing in for the
        remote logging (S3, GCS...) a real multi-host deployment configures.
        """
        if not self.profile.distributed:
            return {}
        own = self.host_dir(name)
        (own / "tmp").mkdir(parents=True, exist_ok=True)
        return {HOSTNAME_ENV: name, "AIRFLOW_HOME": str(own), "TMPDIR": str(own / "tmp")}

    def host_dir(self, name: str) -> Path:
        """A distributed component's own folder: its home, working directory and temp folder's parent."""
        return self.home / "hosts" / name

    def prepare(self) -> None:
        """A migrated metadata database: SQLite in the fresh home, or the profile's PostgreSQL."""
        self.home.mkdir(parents=True, exist_ok=True)
        (self.home / "logs").mkdir(exist_ok=True)
        if self.profile.distributed:
            self._start_services()
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

    def _start_services(self) -> None:
        # imported here: services.py builds on this module's Component
        from services import PostgresServer, RedisServer

        postgres, redis = PostgresServer(self.home), RedisServer(self.home)
        self.services = [postgres, redis]
        postgres.start()
        redis.start()
        self.database_url = postgres.url

    def start(self, name: str) -> Component:
        """Start ``airflow <command>`` for a component of the profile (``triggerer-2``...) in a new group."""
        if name in self.components and self.components[name].alive():
            raise DeploymentError(f"{name} is already running (pid {self.components[name].pid})")
        if name in self.components:
            self.retired.append(self.components.pop(name))
        generation = sum(1 for c in self.retired if c.name == name) + 1
        log_path = self.home / f"{name}-{generation}.log"
        command = command_of(name)
        args = [AIRFLOW, command, *COMPONENT_ARGS.get(command, ())]
        if command == "api-server":
            args += ["--port", str(self.api_port), "--host", "127.0.0.1"]
        if command == "worker":
            own = self.host_dir(name)
            args = [AIRFLOW, "celery", "worker", "--celery-hostname", f"{name}@ordermesh"]
            args += ["--pid", str(own / "worker.pid"), "--skip-serve-logs"]
        env = {**self.env(), **self.host_env(name)}
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                args,
                env=env,
                cwd=self.host_dir(name) if self.profile.distributed else None,
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

    def lose_host(self, name: str) -> set[int]:
        """SIGKILL a component's group and every group it started (its tasks): a lost host.

        Returns the process groups its processes had of their own, killed with it (from 3.3 a task
        runs in a group of its own; on 3.1 and 3.2 in its worker's, which the kill takes too).
        """
        component = self.components[name]
        tasks = component.descendant_groups()
        self.kill(name)
        for group in tasks:
            with contextlib.suppress(ProcessLookupError):  # it ended with its worker
                os.killpg(group, signal.SIGKILL)
        return tasks

    def start_all(self, timeout: float = 240) -> None:
        _LIVE.append(self)
        self.prepare()
        for name in self.profile.component_names():
            self.start(name)
        wait_for("the api-server to answer /api/v2/monitor/health", self._healthy, timeout)
        self.login()

    def stop(self) -> None:
        """Stop every component this deployment ever started by process group, then its services."""
        components = [*self.components.values(), *self.retired]
        for component in components:  # all at once: SIGTERM, then each one's grace
            if component.alive():
                component.signal_group(signal.SIGTERM)
        for component in components:
            component.stop()
        for service in reversed(self.services):  # Redis after the workers, PostgreSQL last
            service.stop()
        self.session.close()
        if self in _LIVE:
            _LIVE.remove(self)

    def logs(self) -> dict[str, str]:
        """The end of every component's log, keyed by component and generation, for failure output."""
        found = {path.name: tail(path) for path in sorted(self.home.glob("*.log"))}
        return found

    def triggerer_of(self, dag_id: str, run_id: str, task_id: str) -> str | None:
        """The hostname of the triggerer running a deferred task's trigger (None if none has it yet)."""
        ti = self.call("GET", f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}")
        job = ti.get("triggerer_job") or {}
        return job.get("hostname")

    def trigger_hosts(self, classname: str) -> list[str]:
        """The hostnames of the triggerers running triggers of class ``classname`` (an asset watcher's).

        Read from the metadata database: Airflow's REST API lists no triggers that belong to no task.
        """
        from sqlalchemy import create_engine, text

        engine = create_engine(self.database_url)
        try:
            with engine.connect() as connection:
                rows = connection.execute(
                    text(
                        "SELECT job.hostname FROM trigger JOIN job ON job.id = trigger.triggerer_id "
                        "WHERE trigger.classpath LIKE :classpath"
                    ),
                    {"classpath": f"%.{classname}"},
                )
                return sorted(str(row[0]) for row in rows)
        finally:
            engine.dispose()

    def tries(self, dag_id: str, run_id: str, task_id: str) -> list[dict[str, Any]]:
        """Each try of a task, oldest first: ``try_number``, ``state`` and ``hostname`` (the worker's).

        A retry that has not started yet still shows the hostname of the try before it.
        """
        found = self.call("GET", f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/tries")
        return [
            {key: attempt[key] for key in ("try_number", "state", "hostname")}
            for attempt in found["task_instances"]
        ]

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
            params: dict[str, int | str] = {
                "asset_id": asset_id,
                "limit": 100,
                "offset": len(events),
                "order_by": "timestamp",
            }
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


_LIVE: list[Deployment] = []
"""Deployments started and not stopped yet: stopped at interpreter exit and on SIGTERM/SIGHUP."""


def running() -> list[Deployment]:
    """The deployments running now (for failure reports)."""
    return list(_LIVE)


def _stop_live() -> None:
    for deployment in list(_LIVE):
        deployment.stop()


def _stop_live_and_exit(signum: int, frame: Any) -> None:
    _stop_live()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


atexit.register(_stop_live)
for _signum in (signal.SIGTERM, signal.SIGHUP):
    if signal.getsignal(_signum) in (signal.SIG_DFL, None):
        signal.signal(_signum, _stop_live_and_exit)


def tail(path: Path, chars: int = LOG_TAIL_CHARS) -> str:
    """The last ``chars`` characters of a log file."""
    try:
        text = path.read_text(errors="replace")
    except FileNotFoundError:
        return "(no log)"
    return text if len(text) <= chars else "...\n" + text[-chars:]
