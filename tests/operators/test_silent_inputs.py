"""Inputs that used to pass without a word (issue 22): each is now refused naming the field and the fix,
before anything is sent or recorded."""

from __future__ import annotations

import gc
import inspect
from typing import Any

import pytest
from pydantic import SecretStr
from reliability.support import place_order, reset_stats, sent

from airflow_provider_ordermesh.client import AsyncOrderMeshClient, ClientCredentials
from airflow_provider_ordermesh.compat import AirflowFailException
from airflow_provider_ordermesh.operators.base import OrderMeshBaseOperator
from airflow_provider_ordermesh.operators.orders import (
    OrderMeshCreateOrderOperator,
    OrderMeshRefundOperator,
    OrderMeshSearchOrdersOperator,
)
from operators.conftest import FAST_RETRIES
from operators.context import run_op
from operators.data import order

pytestmark = pytest.mark.sandbox


def test_a_naive_datetime_in_search_filters_is_refused_naming_the_filter(om):
    reset_stats(om)
    search = OrderMeshSearchOrdersOperator(
        task_id="search", filters={"createdFrom": "2026-11-26T00:00:00"}, hook_params=FAST_RETRIES
    )

    with pytest.raises(
        AirflowFailException,
        match=r"createdFrom: 2026-11-26T00:00:00 has no time zone.*'2026-11-26T00:00:00Z'",
    ):
        run_op(search)

    assert om.stats()["requestsTotal"] == 0
    aware = OrderMeshSearchOrdersOperator(
        task_id="search", filters={"createdFrom": "2026-11-26T00:00:00Z"}, hook_params=FAST_RETRIES
    )
    assert run_op(aware)[0] is not None


def refund(order_id: str, item_id: str, amount: float) -> OrderMeshRefundOperator:
    lines = [{"itemId": item_id, "amount": amount, "reason": "damaged"}]
    return OrderMeshRefundOperator(
        task_id="refund", order_id=order_id, refunds=lines, hook_params=FAST_RETRIES
    )


def test_a_refund_with_more_decimals_than_the_currency_has_is_refused_before_sending(om, api):
    placed = place_order(om)
    item = placed.items[0].id
    reset_stats(om)

    with pytest.raises(
        AirflowFailException, match=r"refunds.0.amount: 4.995 has more decimals than USD has \(2\); round it"
    ):
        run_op(refund(placed.id, item, 4.995))

    assert sent(om.stats(), "orders.refund") == 0
    assert not any(i.refund_data and i.refund_data.refunds for i in api.orders.get(placed.id).items)
    assert run_op(refund(placed.id, item, 4.99))[0]["refunds_sent"] == 1


def test_the_decimals_allowed_are_the_order_currencys(om, api):
    create = OrderMeshCreateOrderOperator(
        task_id="create", payload=order(currencyCode="JPY"), hook_params=FAST_RETRIES
    )
    order_id = run_op(create)[0]["order_id"]
    item = api.orders.get(order_id).items[0].id

    with pytest.raises(AirflowFailException, match=r"5.5 has more decimals than JPY has \(0\)"):
        run_op(refund(order_id, item, 5.5))

    assert run_op(refund(order_id, item, 5))[0]["refunds_sent"] == 1


def async_client(om: Any) -> AsyncOrderMeshClient:
    return AsyncOrderMeshClient(
        om.url, ClientCredentials(om.client_id, SecretStr(om.client_secret)), allow_insecure_http=True
    )


def test_an_operator_never_goes_green_on_a_coroutine(om):
    class ForgotAwait(OrderMeshBaseOperator):
        def perform(self, context: Any) -> Any:
            return async_client(om).orders.get("65add270441de72442397b6e")

    reset_stats(om)
    with pytest.raises(AirflowFailException, match=r"returned an awaitable \(coroutine\).*nothing was sent"):
        run_op(ForgotAwait(task_id="forgot"))
    assert om.stats()["requestsTotal"] == 0


def test_an_async_client_call_nobody_awaits_sends_nothing_and_python_warns(om):
    """Kept on purpose (docs/client.md): the async methods stay coroutine functions, so that
    ``asyncio.create_task`` takes their calls; a forgotten ``await`` is Python's RuntimeWarning."""
    client = async_client(om)
    assert inspect.iscoroutinefunction(client.orders.create)
    reset_stats(om)

    with pytest.warns(RuntimeWarning, match=r"coroutine .*create.* was never awaited"):
        client.orders.create(order())  # type: ignore[unused-coroutine]  # the forgotten await is the point
        gc.collect()

    assert om.stats()["requestsTotal"] == 0
