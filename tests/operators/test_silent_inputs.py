"""Inputs that used to pass without a word (issue 22): each is now refused naming the field and the fix,
before anything is sent or recorded."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import SecretStr
from reliability.support import reset_stats

from airflow_provider_ordermesh.client import AsyncOrderMeshClient, ClientCredentials
from airflow_provider_ordermesh.compat import AirflowFailException
from airflow_provider_ordermesh.operators.base import OrderMeshBaseOperator
from airflow_provider_ordermesh.operators.orders import OrderMeshSearchOrdersOperator
from operators.conftest import FAST_RETRIES
from operators.context import run_op

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
