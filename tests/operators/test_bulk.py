"""Bulk operators against the sandbox: batching, partial failures under each policy, safe retries."""

from __future__ import annotations

import json

import pytest
from support.connection import MERCHANT_ID

from airflow_provider_ordermesh.client import bulk as bulk_client
from airflow_provider_ordermesh.compat import AirflowException, AirflowFailException
from airflow_provider_ordermesh.operators.orders import (
    OrderMeshCancelOrderOperator,
    OrderMeshCreateOrdersOperator,
    OrderMeshUpdateOrdersOperator,
)
from operators.conftest import FAST_RETRIES
from operators.context import run_op
from operators.data import order, orders

pytestmark = pytest.mark.sandbox


def requests_to(om, endpoint: str) -> dict[str, int]:
    return om.stats()["requests"].get(endpoint, {})


def create_orders(source, **kwargs):
    return OrderMeshCreateOrdersOperator(
        task_id="create_orders", orders=source, hook_params=FAST_RETRIES, **kwargs
    )


# --- create -----------------------------------------------------------------------------------


def test_create_orders_sends_batches_of_100_and_returns_every_id_in_input_order(om, api):
    source = orders(250)

    result, _ = run_op(create_orders(source, max_concurrency=3))

    assert (result["created"], result["already_existed"], result["failures"]) == (250, 0, [])
    assert len(result["order_ids"]) == len(set(result["order_ids"])) == 250
    assert requests_to(om, "orders.create_bulk") == {"200": 3}
    assert om.stats()["orders"] == 250
    assert [o.external_id for o in api.orders.retrieve_bulk(result["order_ids"][:3])] == [
        "shop-0",
        "shop-1",
        "shop-2",
    ]


def test_create_orders_streams_a_jsonl_file(om, tmp_path):
    path = tmp_path / "orders.jsonl"
    path.write_text("".join(json.dumps(o) + "\n" for o in orders(120)))

    result, _ = run_op(create_orders(str(path)))

    assert result["created"] == 120 and om.stats()["orders"] == 120


def test_create_orders_from_an_xcom_rendered_as_json(om):
    op = create_orders("{{ ti.xcom_pull(task_ids='extract') | tojson }}")

    result, _ = run_op(op, pulled={"extract": orders(3)})

    assert result["created"] == 3 and om.stats()["orders"] == 3


def test_the_same_task_instance_twice_creates_each_order_once(om):
    source = orders(150)
    first, _ = run_op(create_orders(source))

    second, _ = run_op(create_orders(source), try_number=2)

    assert second["order_ids"] == first["order_ids"]
    assert (second["created"], second["already_existed"]) == (0, 150)
    assert requests_to(om, "orders.create_bulk") == {"200": 2}  # the retry sent no create at all
    assert om.stats()["orders"] == 150 and om.stats()["duplicateSafeIdAttempts"] == 0


def test_an_invalid_order_fails_the_task_before_anything_is_sent(om):
    source = orders(5)
    source[3]["items"][0]["quantity"] = -1

    with pytest.raises(
        AirflowFailException, match=r"index 3, safe_id -: invalid orders\[3\]: items\.0\.quantity"
    ):
        run_op(create_orders(source))
    assert om.stats()["requestsTotal"] == 0


@pytest.mark.parametrize("policy", ["warn", "skip-failed"])
def test_with_warn_or_skip_failed_invalid_orders_are_reported_and_the_rest_created(om, policy):
    source = orders(5)
    source[1]["shippingAddress"] = {**source[1]["shippingAddress"], "countryCode": "ZZ"}

    result, _ = run_op(create_orders(source, on_partial_failure=policy))

    assert result["created"] == 4 and len(result["order_ids"]) == 4
    assert [(f["index"], f["safe_id"]) for f in result["failures"]] == [(1, None)]
    assert "shippingAddress.countryCode" in result["failures"][0]["message"]
    assert om.stats()["orders"] == 4


REAL_CREATE_BATCH = bulk_client.create_orders_batch


def interrupt_after(monkeypatch, batches: int, action):
    """Run ``action`` once ``batches`` batches have been sent (the next batch sees its effect)."""
    real = REAL_CREATE_BATCH
    sent: list[int] = []

    def counting(client, batch, **kwargs):
        if len(sent) == batches:
            action()
        sent.append(len(batch))
        return real(client, batch, **kwargs)

    monkeypatch.setattr(bulk_client, "create_orders_batch", counting)
    return sent


def test_a_batch_lost_to_dropped_connections_fails_the_task_after_all_batches_and_the_retry_sends_only_it(
    om, monkeypatch
):
    source = orders(500)
    # Batch 3 meets three dropped connections: the first try and both client retries.
    interrupt_after(
        monkeypatch,
        2,
        lambda: om.set_faults(
            [{"route": "orders.create_bulk", "kind": "drop", "when": "before", "count": 3}]
        ),
    )

    with pytest.raises(AirflowException) as raised:
        run_op(create_orders(source, max_concurrency=1))
    assert not isinstance(raised.value, AirflowFailException)  # retryable: Airflow will retry
    message = str(raised.value)
    assert message.startswith(
        "100 orders of 500 failed after every batch was sent (5 batches); a retry re-sends only these:"
    )
    assert "index 200, safe_id ext-" in message and "index 299, safe_id ext-" in message
    assert om.stats()["orders"] == 400

    monkeypatch.setattr(bulk_client, "create_orders_batch", REAL_CREATE_BATCH)
    om.clear_faults()
    retried, _ = run_op(create_orders(source, max_concurrency=1), try_number=2)

    assert (retried["created"], retried["already_existed"], retried["failures"]) == (100, 400, [])
    assert len(retried["order_ids"]) == 500
    assert om.stats()["orders"] == 500 and om.stats()["duplicateSafeIdAttempts"] == 0


def test_a_worker_killed_mid_run_is_resumed_by_the_retry_without_duplicates(om, monkeypatch):
    source = orders(400)

    def killed():
        raise SystemExit("worker killed")

    sent = interrupt_after(monkeypatch, 2, killed)
    with pytest.raises(SystemExit):
        run_op(create_orders(source, max_concurrency=1))
    assert sent == [100, 100] and om.stats()["orders"] == 200

    monkeypatch.setattr(bulk_client, "create_orders_batch", REAL_CREATE_BATCH)
    retried, _ = run_op(create_orders(source, max_concurrency=4), try_number=2)

    assert (retried["created"], retried["already_existed"]) == (200, 200)
    assert om.stats()["orders"] == 400 and om.stats()["duplicateSafeIdAttempts"] == 0


# --- update: per-item refusals under each policy -----------------------------------------------


@pytest.fixture
def three_orders(om):
    result, _ = run_op(create_orders(orders(3)))
    ids = result["order_ids"]
    run_op(OrderMeshCancelOrderOperator(task_id="cancel", order_id=ids[1], hook_params=FAST_RETRIES))
    unknown = "aaaaaaaaaaaaaaaaaaaaaaaa"
    return [
        {"id": ids[0], "externalId": "u-0"},
        {"id": ids[1], "externalId": "u-1"},
        {"id": unknown, "externalId": "u-2"},
        {"id": ids[2], "externalId": "u-3"},
    ]


def update_orders(updates, **kwargs):
    return OrderMeshUpdateOrdersOperator(
        task_id="update_orders", updates=updates, hook_params=FAST_RETRIES, **kwargs
    )


def test_update_orders_fail_policy_lists_each_refused_item_after_sending_all_and_does_not_retry(
    om, api, three_orders
):
    with pytest.raises(AirflowFailException) as raised:
        run_op(update_orders(three_orders))

    lines = str(raised.value).splitlines()
    assert (
        lines[0] == "2 updates of 4 failed after every batch was sent (1 batch); the API refused them, so "
        "retrying cannot help:"
    )
    assert lines[1].startswith(f"  index 1, order_id {three_orders[1]['id']}: ") and "(HTTP 409)" in lines[1]
    assert lines[2].startswith("  index 2, order_id aaaaaaaaaaaaaaaaaaaaaaaa: ") and "(HTTP 404)" in lines[2]
    assert [api.orders.get(u["id"]).external_id for u in (three_orders[0], three_orders[3])] == ["u-0", "u-3"]


@pytest.mark.parametrize("policy", ["warn", "skip-failed"])
def test_update_orders_warn_and_skip_failed_succeed_and_report_the_failures(
    om, api, three_orders, policy, capsys
):
    capsys.readouterr()
    result, _ = run_op(update_orders(three_orders, on_partial_failure=policy))
    log = capsys.readouterr().out  # the task logger (structlog) writes to stdout

    assert result["updated"] == 2
    assert result["order_ids"] == [three_orders[0]["id"], three_orders[3]["id"]]
    assert [(f["index"], f["order_id"]) for f in result["failures"]] == [
        (1, three_orders[1]["id"]),
        (2, "aaaaaaaaaaaaaaaaaaaaaaaa"),
    ]
    assert api.orders.get(three_orders[3]["id"]).external_id == "u-3"
    warned = [line for line in log.splitlines() if "[warning" in line and "2 updates of 4 failed" in line]
    assert bool(warned) == (policy == "warn")
    assert ("2 of 4 items failed and were skipped" in log) == (policy == "skip-failed")


def test_update_orders_rejects_an_entry_without_an_id_before_sending(om):
    with pytest.raises(AirflowFailException, match=r"index 0, order_id -: invalid updates\[0\]: id"):
        run_op(update_orders([{"externalId": "x"}]))
    assert om.stats()["requestsTotal"] == 0


def test_create_orders_keeps_a_payload_safe_id(om, api):
    result, _ = run_op(create_orders([order(safeId="mine-1"), order(safeId="mine-2")]))

    assert result["created"] == 2
    assert [api.orders.get(i).safe_id for i in result["order_ids"]] == ["mine-1", "mine-2"]


def test_derived_safe_ids_follow_the_recipe_and_the_orders_arrive_as_validated(om, api):
    """The bulk operator encodes an order with a derived safeId once (the hashed text is sent):
    the safeId is still the documented one, and what the API stored is the validated order."""
    from airflow_provider_ordermesh.models.orders import CreateOrder
    from airflow_provider_ordermesh.operators.idempotency import TaskIdentity, natural_safe_id

    source = [
        {k: v for k, v in order(currencyCode="eur").items() if k != "externalId"},
        order(external_id="shop-1"),
    ]
    result, context = run_op(create_orders(source))

    identity = TaskIdentity.from_context(context)
    for index, (raw, order_id) in enumerate(zip(source, result["order_ids"], strict=True)):
        sent = CreateOrder.model_validate({**raw, "merchantId": MERCHANT_ID})  # the connection's default
        stored = api.orders.get(order_id)
        expected = (
            natural_safe_id(MERCHANT_ID, sent.external_id)
            if sent.external_id
            else identity.safe_id(sent.to_api(), index=index)
        )
        assert stored.safe_id == expected
        assert (stored.external_id, stored.currency_code) == (sent.external_id, sent.currency_code)
        assert [(i.sku, i.quantity) for i in stored.items] == [(i.sku, i.quantity) for i in sent.items]
