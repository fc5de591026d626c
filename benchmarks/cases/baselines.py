"""What users write without this provider: the code every baseline runs.

Written the way the Airflow docs and common DAGs do it, with nothing made slower on purpose:
Airflow's stock ``HttpHook`` and ``HttpSensor`` against an ``http`` connection, a bearer token
fetched first, and, for the practical limit, a bare ``requests.Session``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import requests

from benchmarks.harness.environment import CLIENT_ID, CLIENT_SECRET, HTTP_CONN_ID

TOKEN_PATH = "/user/v1/clients/token"
TOKEN_BODY = {"clientId": CLIENT_ID, "clientSecret": CLIENT_SECRET}
SHIPPED_CODES = frozenset({4, 5})  # Shipped, Delivered


def http_hook(method: str) -> Any:
    from airflow.providers.http.hooks.http import HttpHook

    return HttpHook(method=method, http_conn_id=HTTP_CONN_ID)


def token_with_http_hook() -> str:
    """A client-credentials token through ``HttpHook``, as a DAG author would fetch it."""
    answer = http_hook("POST").run(
        TOKEN_PATH, data=json.dumps(TOKEN_BODY), headers={"Content-Type": "application/json"}
    )
    return answer.json()["accessToken"]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


def create_orders_one_by_one(orders: Iterable[dict[str, Any]]) -> int:
    """Baseline A: one ``POST /v1/orders`` per order through ``HttpHook.run``; returns orders created."""
    hook = http_hook("POST")
    headers = bearer(token_with_http_hook())
    created = 0
    for order in orders:
        hook.run("/v1/orders", data=json.dumps(order), headers=headers)  # raises on a 4xx/5xx answer
        created += 1
    return created


def create_orders_bulk_with_requests(
    base_url: str, orders: Sequence[dict[str, Any]], *, batch_size: int = 100
) -> int:
    """Baseline B: a bare ``requests.Session`` posting ``{"bulk": [...]}`` batches back to back.

    No validation, no retries, no per-item bookkeeping beyond counting successes: the practical
    limit of the wire. Returns orders created.
    """
    created = 0
    with requests.Session() as session:
        answer = session.post(base_url + TOKEN_PATH, json=TOKEN_BODY, timeout=30)
        answer.raise_for_status()
        session.headers.update(bearer(answer.json()["accessToken"]))
        for start in range(0, len(orders), batch_size):
            answer = session.post(
                f"{base_url}/v1/orders/bulk",
                json={"bulk": list(orders[start : start + batch_size])},
                timeout=60,
            )
            answer.raise_for_status()
            created += sum(1 for result in answer.json()["results"] if result.get("isSuccessful"))
    return created


def shipment_sensors(shipment_ids: Sequence[str], token: str, *, poke_interval: float) -> list[Any]:
    """One stock ``HttpSensor`` per shipment, each GETting its shipment until it is shipped."""
    from airflow.providers.http.sensors.http import HttpSensor

    def shipped(response: requests.Response) -> bool:
        return response.json().get("shipmentStatus") in SHIPPED_CODES

    return [
        HttpSensor(
            task_id=f"wait_for_shipment_{index}",
            http_conn_id=HTTP_CONN_ID,
            method="GET",
            endpoint=f"/shipment/v1/{shipment_id}",
            headers=bearer(token),
            response_check=shipped,
            poke_interval=poke_interval,
            mode="poke",
        )
        for index, shipment_id in enumerate(shipment_ids)
    ]


def get_with_fresh_token(session: requests.Session, base_url: str, path: str) -> dict[str, Any]:
    """The token-per-call pattern: fetch a token, then make the call with it."""
    token = session.post(base_url + TOKEN_PATH, json=TOKEN_BODY, timeout=30)
    token.raise_for_status()
    answer = session.get(base_url + path, headers=bearer(token.json()["accessToken"]), timeout=30)
    answer.raise_for_status()
    return answer.json()
