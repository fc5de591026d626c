"""A 429 that outlasts the client's own retries: the task runs again when the API said, per Airflow minor.

3.4+: rescheduled at the ``Retry-After`` without using a retry; 3.3: retried after that delay;
3.1/3.2: retried after the task's ``retry_delay`` (no retry policies there). A 404 still fails
at once, whatever the retries. Run for real: ``dag.test()`` with the sandbox answering 429 over HTTP.
"""

from __future__ import annotations

import datetime
from typing import cast

import pytest
from support.dag_runner import run_dag, task_states

from airflow_provider_ordermesh import compat
from airflow_provider_ordermesh.client.errors import RateLimitError, ServerError
from airflow_provider_ordermesh.operators.rate_limits import (
    MAX_WAIT,
    rate_limit_retry_policy,
    rate_limit_wait,
)
from operators.conftest import FAST_RETRIES
from operators.data import order

pytestmark = [pytest.mark.sandbox, pytest.mark.airflow_db]

RETRY_AFTER = 2
"""Seconds the sandbox's 429s ask for; the client (FAST_RETRIES: 2 retries) gives up after 3."""


def rate_limited(retry_after: float | None) -> RateLimitError:
    return RateLimitError(
        status=429, method="POST", path="/v1/orders", api_message="slow down", retry_after=retry_after
    )


def test_the_wait_is_the_retry_after_of_the_429_behind_the_failure_capped():
    assert rate_limit_wait(rate_limited(7)) == datetime.timedelta(seconds=7)
    try:
        raise RuntimeError("bulk create failed") from rate_limited(3)
    except RuntimeError as wrapped:
        assert rate_limit_wait(wrapped) == datetime.timedelta(seconds=3)
    assert rate_limit_wait(rate_limited(10 * 24 * 3600)) == MAX_WAIT
    assert rate_limit_wait(rate_limited(None)) is None  # no hint: the task's own retry_delay applies
    assert rate_limit_wait(ServerError(status=503, method="GET", path="/v1/orders")) is None


def test_the_policy_each_minor_gets():
    policy = rate_limit_retry_policy()
    if not compat.has_retry_policy():
        assert policy is None  # 3.1 and 3.2: today's behaviour, Airflow's retries
        return
    from airflow.sdk.definitions.retry_policy import RetryAction

    assert policy is not None
    decision = policy.evaluate(rate_limited(RETRY_AFTER), try_number=1, max_tries=1)
    expected = RetryAction.RESCHEDULE if compat.can_reschedule_on_failure() else RetryAction.RETRY
    assert (decision.action, decision.retry_delay) == (expected, datetime.timedelta(seconds=RETRY_AFTER))
    assert "OrderMesh rate limit" in decision.reason
    other = policy.evaluate(
        ServerError(status=503, method="GET", path="/v1/orders"), try_number=1, max_tries=1
    )
    assert other.action == RetryAction.DEFAULT


def test_a_policy_given_to_the_task_is_kept():
    from airflow_provider_ordermesh.operators.orders import OrderMeshCreateOrderOperator

    op = OrderMeshCreateOrderOperator(task_id="create", payload=order())
    if not compat.has_retry_policy():
        assert getattr(op, "retry_policy", None) is None
    else:
        assert repr(op.retry_policy) == repr(rate_limit_retry_policy())
        from airflow.sdk import ExceptionRetryPolicy

        own = ExceptionRetryPolicy(rules=[])
        assert (
            OrderMeshCreateOrderOperator(task_id="c2", payload=order(), retry_policy=own).retry_policy is own
        )


def test_a_429_beyond_the_client_retries_runs_the_task_again_when_the_api_said(om, api, airflow_db):
    from airflow.sdk import DAG

    from airflow_provider_ordermesh.operators.orders import (
        OrderMeshCreateOrderOperator,
        OrderMeshCustomerCareHoldOperator,
    )

    # Exactly the create's first three requests (the first try and the client's two retries) get 429.
    om.set_faults(
        [{"route": "orders.create", "kind": "status", "status": 429, "retryAfter": RETRY_AFTER, "count": 3}]
    )
    with DAG(
        dag_id="ordermesh_rate_limited",
        schedule=None,
        start_date=datetime.datetime(2026, 1, 1),
        catchup=False,
    ) as dag:
        OrderMeshCreateOrderOperator(
            task_id="create",
            payload=order(external_id="rate-limited"),
            hook_params=FAST_RETRIES,
            retries=1,
            retry_delay=datetime.timedelta(seconds=0),
        )
        OrderMeshCustomerCareHoldOperator(
            task_id="hold_missing",
            order_id="00000000-no-such-order",
            reason="x",
            retries=3,
            hook_params=FAST_RETRIES,
        )

    dag_run = run_dag(dag)

    states = task_states(dag_run)
    assert states == {"create": "success", "hold_missing": "failed"}, states
    tis = {ti.task_id: ti for ti in dag_run.get_task_instances()}
    assert tis["hold_missing"].try_number == 1  # a 404: failed at once, no retry used
    assert [o.external_id for o in api.orders.list()] == ["rate-limited"]  # created once
    assert om.stats()["requests"]["orders.create"] == {"429": 3, "201": 1}

    create = tis["create"]
    if compat.can_reschedule_on_failure():
        # rescheduled once, RETRY_AFTER after the failed try ended; the retry was not used
        assert create.try_number == 1
        reschedules = _reschedules(create)
        assert len(reschedules) == 1
        _start, end, at = reschedules[0]
        assert at - end == datetime.timedelta(seconds=RETRY_AFTER)
    else:
        assert create.try_number == 2  # a retry was used
        if compat.has_retry_policy():  # 3.3: it waited RETRY_AFTER, not the task's retry_delay of 0
            assert create.start_date - _first_try_end(create) >= datetime.timedelta(seconds=RETRY_AFTER)


def _reschedules(ti) -> list[tuple[datetime.datetime, datetime.datetime, datetime.datetime]]:
    from airflow.models.taskreschedule import TaskReschedule
    from airflow.utils.session import create_session
    from sqlalchemy import select

    with create_session() as session:
        rows = session.scalars(select(TaskReschedule).where(TaskReschedule.ti_id == ti.id))
        return [(row.start_date, row.end_date, row.reschedule_date) for row in rows]


def _first_try_end(ti) -> datetime.datetime:
    from airflow.models.taskinstancehistory import TaskInstanceHistory
    from airflow.utils.session import create_session
    from sqlalchemy import select

    with create_session() as session:
        end = session.scalar(
            select(TaskInstanceHistory.end_date).where(
                TaskInstanceHistory.dag_id == ti.dag_id,
                TaskInstanceHistory.run_id == ti.run_id,
                TaskInstanceHistory.task_id == ti.task_id,
                TaskInstanceHistory.try_number == 1,
            )
        )
        return cast(datetime.datetime, end)  # the first try has ended: the retry came after it
