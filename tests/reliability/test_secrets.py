"""No secret leaks through the Airflow-facing layer: an example DAG run and the failure paths.

The sandbox is given a distinctive client secret and password; every access and refresh token
it issues is recorded as the client receives it. Then everything a user or a log shipper could
see is searched for those values: log records at DEBUG (root logger), what the task runner
prints (stdout/stderr), task log files under ``AIRFLOW_HOME/logs``, XCom values, exception
messages with their causes and tracebacks, the reprs of hooks, clients, operators and triggers
(and a trigger's ``serialize()`` output), and what each operator keeps for OpenLineage (its
``lineage_details``, the error facet's text included).
"""

from __future__ import annotations

import json
import logging
import os
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from operators.context import make_context
from operators.data import order
from support.dag_runner import run_dag, task_states

from airflow_provider_ordermesh.client import auth
from airflow_provider_ordermesh.compat import TaskDeferred
from airflow_provider_ordermesh.hooks.ordermesh import OrderMeshHook
from airflow_provider_ordermesh.operators.orders import (
    OrderMeshCreateOrderOperator,
    OrderMeshRefundOperator,
    OrderMeshSearchOrdersOperator,
)
from airflow_provider_ordermesh.sensors.status import OrderMeshShipmentStatusSensor
from reliability.support import place_order

pytestmark = pytest.mark.sandbox

CLIENT_SECRET = "cs-Zq9X-never-log-me-7Tb3"
PASSWORD = "pw-Lm4R-never-log-me-8Hs2"
WRONG_SECRET = "ws-Yy7T-never-log-me-g2Kp"
NO_RETRIES = {"max_retries": 0}
ROOT = Path(__file__).resolve().parents[2]


class Evidence:
    """Every text a secret could leak into, by where it came from; ``assert_no_secret`` searches them."""

    def __init__(
        self,
        caplog: pytest.LogCaptureFixture,
        capfd: pytest.CaptureFixture[str],
        tokens: list[str],
        record: Callable[[str, object], None],
    ) -> None:
        self.texts: dict[str, str] = {}
        self._caplog = caplog
        self._capfd = capfd
        self._tokens = tokens
        self._record = record

    def add(self, where: str, value: Any) -> None:
        text = value if isinstance(value, str) else f"{value!r} {json.dumps(value, default=repr)}"
        self.texts[where] = self.texts.get(where, "") + "\n" + text

    def add_error(self, where: str, error: BaseException) -> None:
        self.add(f"{where}: message", str(error))
        self.add(f"{where}: repr", repr(error))
        self.add(f"{where}: traceback with causes", "".join(traceback.format_exception(error)))

    def add_task(self, where: str, task: Any, context: dict[str, Any]) -> None:
        """The operator's repr, its hook's and client's (when built), the XComs it pushed, and what it
        keeps for its OpenLineage facets (a failure's error facet included)."""
        self.add(f"{where}: operator repr", repr(task))
        self.add(f"{where}: lineage details", task.lineage_details)
        hook = task.__dict__.get("hook")
        if hook is not None:
            self.add(f"{where}: hook repr", repr(hook))
            if "client" in hook.__dict__:
                self.add(f"{where}: client repr", repr(hook.client))
        self.add(f"{where}: xcom", context["ti"].xcoms)

    def assert_no_secret(self) -> None:
        """Add the logs, the output and the log files so far, then search everything for every secret."""
        records = [*self._caplog.get_records("setup"), *self._caplog.get_records("call")]
        self.add("log records (root, DEBUG)", "\n".join(self._caplog.handler.format(r) for r in records))
        out, err = self._capfd.readouterr()
        self.add("stdout", out)
        self.add("stderr", err)
        for path in sorted(Path(os.environ["AIRFLOW_HOME"], "logs").rglob("*")):
            if path.is_file():
                self.add(f"log file {path}", path.read_text(errors="replace"))
        assert self._tokens, "no token was issued: the search would prove nothing"
        assert any(r.levelno == logging.DEBUG for r in records), "no DEBUG record was captured"
        secrets = {
            "client secret": CLIENT_SECRET,
            "password": PASSWORD,
            "wrong secret": WRONG_SECRET,
            **{f"token {i}": token for i, token in enumerate(self._tokens)},
        }
        leaks = [
            f"{name} in {where}"
            for where, text in self.texts.items()
            for name, secret in secrets.items()
            if secret in text
        ]
        assert leaks == []
        self._record("texts searched (logs, log files, output, XComs, reprs, messages)", len(self.texts))
        self._record("secrets and tokens searched for", len(secrets))
        self._record("appearances found", len(leaks))


@pytest.fixture
def tokens(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every access and refresh token the provider receives, recorded as the token cache gets it."""
    issued: list[str] = []
    accept = auth.TokenManager.accept

    def recording(manager: auth.TokenManager, answer: Any) -> str:
        issued.append(answer.access_token.get_secret_value())
        if answer.refresh_token is not None:
            issued.append(answer.refresh_token.get_secret_value())
        return accept(manager, answer)

    monkeypatch.setattr(auth.TokenManager, "accept", recording)
    return issued


@pytest.fixture
def connect(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Point ``ordermesh_default`` at the sandbox with a chosen password (and extras)."""

    def set_connection(password: str, **changes: Any) -> None:
        conn = {**json.loads(sandbox.connection_json()), "password": password, **changes}
        monkeypatch.setenv("AIRFLOW_CONN_ORDERMESH_DEFAULT", json.dumps(conn))

    return set_connection


@pytest.fixture
def secret_sandbox(sandbox: Any, connect: Callable[..., None]) -> Any:
    """The sandbox with the distinctive secret and password (the next test's reset restores its own)."""
    sandbox.reset(client_secret=CLIENT_SECRET, password=PASSWORD)
    connect(CLIENT_SECRET)
    return sandbox


@pytest.fixture
def evidence(
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    tokens: list[str],
    record_property: Callable[[str, object], None],
) -> Evidence:
    caplog.set_level(logging.DEBUG)
    return Evidence(caplog, capfd, tokens, record_property)


def run_task(task: Any, evidence: Evidence, where: str, **ti_fields: Any) -> Any:
    """Render and execute ``task``; record its reprs, XComs and any error; return its result or error."""
    context = make_context(task_id=task.task_id, **ti_fields)
    try:
        task.render_template_fields(context)
        result = task.execute(context)
    except Exception as exc:
        evidence.add_error(where, exc)
        result = exc
    else:
        evidence.add(f"{where}: return value", result)
    evidence.add_task(where, task, context)
    return result


# --- an example DAG, end to end ---------------------------------------------------------------


@pytest.mark.airflow_db
def test_the_fulfillment_example_dag_leaks_no_secret(airflow_db, secret_sandbox, evidence, monkeypatch):
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session

    from airflow_provider_ordermesh.compat import DagBag

    secret_sandbox.configure(speed=600)  # shipments ship within a second or two
    monkeypatch.setenv("ORDERMESH_EXAMPLE_POLL_SECONDS", "1")
    bag = DagBag(dag_folder=str(ROOT / "dags" / "ordermesh_order_fulfillment.py"), safe_mode=False)
    dag = bag.dags["ordermesh_order_fulfillment"]

    run = run_dag(dag)

    assert str(run.state) == "success", task_states(run)
    with create_session() as session:
        rows = session.scalars(XComModel.get_many(run_id=run.run_id, dag_ids=dag.dag_id)).all()
        for row in rows:
            evidence.add(f"xcom {row.task_id}[{row.map_index}].{row.key}", XComModel.deserialize_value(row))
    assert rows, "the run pushed no XCom"
    for task in dag.tasks:
        evidence.add(f"repr of {task.task_id}", repr(task))
    evidence.assert_no_secret()


# --- failure paths through operators ----------------------------------------------------------


ORDER = order(external_id="shop-secret-1")
"""One business order: a second create of it finds the first."""


def _create() -> OrderMeshCreateOrderOperator:
    return OrderMeshCreateOrderOperator(task_id="create_order", payload=ORDER, hook_params=NO_RETRIES)


def test_a_401_for_a_wrong_secret_leaks_neither_it_nor_the_right_one(secret_sandbox, connect, evidence):
    connect(WRONG_SECRET)
    refused_task = _create()
    refused = run_task(refused_task, evidence, "wrong secret")
    connect(CLIENT_SECRET)  # the right one is used too, so that a leak of it would show
    created = run_task(_create(), evidence, "right secret")

    assert "OrderMesh answered 401 to POST /user/v1/clients/token" in str(refused)
    error_facet = refused_task.lineage_details["error"]  # what OpenLineage's error facet would carry
    assert error_facet.startswith("AuthenticationError; HTTP 401 to POST /user/v1/clients/token")
    assert created["already_existed"] is False
    evidence.assert_no_secret()


@pytest.mark.parametrize("status", [403, 500])
def test_403_and_500_answers_leak_no_secret(secret_sandbox, evidence, status):
    secret_sandbox.set_faults([{"route": "orders.*", "kind": "status", "status": status, "count": 1}])

    error = run_task(
        OrderMeshSearchOrdersOperator(task_id="search", filters={"status": ["Open"]}, hook_params=NO_RETRIES),
        evidence,
        str(status),
    )

    assert f"OrderMesh answered {status} to GET /v1/orders/search" in str(error)
    evidence.assert_no_secret()


def test_validation_errors_leak_no_secret_before_or_from_the_api(secret_sandbox, evidence):
    placed = place_order(secret_sandbox)
    too_much = [{"itemId": placed.items[0].id, "amount": 1000, "reason": "refund all"}]

    bad_currency = OrderMeshCreateOrderOperator(task_id="bad", payload=order(currencyCode="ABC"))
    too_large = OrderMeshRefundOperator(task_id="refund", order_id=placed.id, refunds=too_much)

    local = run_task(bad_currency, evidence, "refused before sending")
    api = run_task(too_large, evidence, "refused by the API")

    assert "currencyCode" in str(local)
    assert "OrderMesh answered 400" in str(api) and "refunds.0.amount" in str(api)
    evidence.assert_no_secret()


def test_a_password_login_its_refresh_and_a_lost_answer_leak_no_secret(secret_sandbox, connect, evidence):
    connect(PASSWORD, login="sandbox-user", extra={"auth_type": "password"})
    placed = place_order(secret_sandbox)
    refunds = [{"itemId": placed.items[0].id, "amount": 1, "reason": "late"}]

    created = run_task(_create(), evidence, "password login")
    secret_sandbox.expire_tokens()  # the next request gets a 401, and the client uses its refresh token
    refreshed = run_task(_create(), evidence, "refreshed")
    secret_sandbox.set_faults(
        [
            {"route": "orders.refund", "kind": "drop", "when": "after", "count": 1},
            {"route": "orders.get", "kind": "status", "status": 500, "count": 1, "skip": 1},
        ]
    )
    lost = run_task(
        OrderMeshRefundOperator(
            task_id="refund", order_id=placed.id, refunds=refunds, hook_params=NO_RETRIES
        ),
        evidence,
        "lost answer",
    )

    assert created["already_existed"] is False and refreshed["already_existed"] is True
    assert "OrderMesh answered 500" in str(lost) and "may have been applied" in str(lost.__context__)
    assert secret_sandbox.stats()["requests"]["auth.refresh"] == {"200": 1}
    evidence.assert_no_secret()


async def test_a_deferred_wait_its_trigger_and_serialize_output_leak_no_secret(secret_sandbox, evidence):
    from support.orders import create_orders, shipment_ids_of

    with OrderMeshHook().client as client:
        shipments = shipment_ids_of(client, create_orders(client, 2))
        evidence.add("client repr", repr(client))
    wait = OrderMeshShipmentStatusSensor(
        task_id="wait", shipment_ids=shipments, deferrable=True, timeout=60, hook_params=NO_RETRIES
    )
    with pytest.raises(TaskDeferred) as deferred:
        wait.execute({})
    trigger = deferred.value.trigger
    secret_sandbox.expire_tokens()  # the trigger's client gets a 401 and fetches a token of its own
    secret_sandbox.advance_shipments(to_status="Shipped")

    event = await trigger.run().__anext__()

    assert event.payload["status"] == "success"
    evidence.add("trigger repr", repr(trigger))
    evidence.add("trigger serialize()", trigger.serialize())
    evidence.add("trigger event", event.payload)
    evidence.add("sensor repr", repr(wait))
    evidence.add("sensor result", wait.execute_complete({}, event.payload))
    evidence.add("hook repr", repr(OrderMeshHook()))
    evidence.add("async client repr", repr(await OrderMeshHook().get_async_client()))
    evidence.assert_no_secret()
