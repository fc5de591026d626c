"""File arguments take object-storage URIs as well as local paths (issue 23, item 3), against moto's
S3 server on loopback and the sandbox over HTTP; what cannot work is refused before any request."""

from __future__ import annotations

import json

import pytest
from support.s3 import BUCKET, STORAGE_CONN_ID

from airflow_provider_ordermesh.compat import AirflowFailException
from airflow_provider_ordermesh.operators.orders import (
    OrderMeshCreateOrderOperator,
    OrderMeshCreateOrdersOperator,
)
from airflow_provider_ordermesh.operators.shipments import OrderMeshGeneratePackingSlipOperator
from operators.conftest import FAST_RETRIES
from operators.context import run_op
from operators.data import order, orders

pytest.importorskip("moto.server", reason="needs the test extra: moto[server]")
pytest.importorskip("s3fs", reason="needs the test extra: apache-airflow-providers-amazon[s3fs]")

pytestmark = pytest.mark.sandbox


def _requests(om) -> int:
    return int(om.stats()["requestsTotal"])


def _bulk(source, **kwargs):
    return OrderMeshCreateOrdersOperator(
        task_id="create_orders", orders=source, hook_params=FAST_RETRIES, **kwargs
    )


def test_bulk_orders_from_a_jsonl_and_a_json_object_on_s3(om, api, s3):
    lines = "".join(json.dumps(o) + "\n" for o in orders(3, isTest=True))
    s3.put_object(Bucket=BUCKET, Key="in/orders.jsonl", Body=lines.encode())
    s3.put_object(Bucket=BUCKET, Key="in/more.json", Body=json.dumps([order(external_id="json-1")]).encode())

    first, _ = run_op(_bulk(f"s3://{BUCKET}/in/orders.jsonl", storage_conn_id=STORAGE_CONN_ID))
    second, _ = run_op(_bulk(f"s3://{STORAGE_CONN_ID}@{BUCKET}/in/more.json"))  # the connection in the URI

    stored = {api.orders.get(i).external_id for i in [*first["order_ids"], *second["order_ids"]]}
    assert stored == {"shop-0", "shop-1", "shop-2", "json-1"}
    assert len(first["order_ids"]) == 3 and len(second["order_ids"]) == 1


def test_a_packing_slip_written_to_s3(om, api, s3):
    created, _ = run_op(
        OrderMeshCreateOrderOperator(task_id="create", payload=order(), hook_params=FAST_RETRIES)
    )
    [shipment] = api.shipments.list_for_order(created["order_id"])

    result, _ = run_op(
        OrderMeshGeneratePackingSlipOperator(
            task_id="slip",
            shipment_id=shipment.id,
            format="html",
            output_path=f"s3://{BUCKET}/slips/{{{{ ds }}}}/slip.html",
            storage_conn_id=STORAGE_CONN_ID,
            hook_params=FAST_RETRIES,
        )
    )

    body = s3.get_object(Bucket=BUCKET, Key="slips/2026-11-26/slip.html")["Body"].read()
    assert body.lower().startswith(b"<!doctype html") and shipment.short_id.encode() in body
    assert result["path"] == f"s3://{STORAGE_CONN_ID}@{BUCKET}/slips/2026-11-26/slip.html"


def test_a_plain_local_path_and_a_file_uri_keep_working(om, tmp_path):
    path = tmp_path / "orders.json"
    path.write_text(json.dumps(orders(2)))

    local, _ = run_op(_bulk(str(path)))
    uri, _ = run_op(_bulk(f"file://{path}"))

    assert len(local["order_ids"]) == len(uri["order_ids"]) == 2


@pytest.mark.parametrize(
    ("source", "kwargs", "message"),
    [
        (
            "nosuch://bucket/orders.jsonl",
            {},
            r"orders='nosuch://bucket/orders\.jsonl': no filesystem is registered for nosuch://",
        ),
        (
            f"s3://{BUCKET}/in/orders.jsonl",
            {},
            r"is on s3://, which needs an Airflow connection to the store: pass storage_conn_id",
        ),
        (
            f"s3://{BUCKET}/in/missing.jsonl",
            {"storage_conn_id": STORAGE_CONN_ID},
            r"orders: no such file s3://.*check the URI",
        ),
        (
            "/nowhere/orders.jsonl",
            {},
            r"orders: no such file /nowhere/orders\.jsonl; a local path must exist on the worker that runs the task "
            r"\(every worker\)",
        ),
        ("file://nowhere/orders.jsonl", {}, r"orders='file://nowhere/orders\.jsonl' is relative"),
        ("/data/{{ ds }}/orders.jsonl", {}, r"still holds a template: it was not rendered"),
        (
            f"s3://{BUCKET}/in/orders.csv",
            {"storage_conn_id": STORAGE_CONN_ID},
            r"is neither a \.json nor a \.jsonl file",
        ),
    ],
)
def test_a_file_argument_that_cannot_work_is_refused_before_any_request(om, s3, source, kwargs, message):
    s3.put_object(Bucket=BUCKET, Key="in/orders.csv", Body=b"id\n1\n")
    op = _bulk("{{ params.source }}", **kwargs)
    before = _requests(om)

    with pytest.raises(AirflowFailException, match=message):
        _render_and_run(op, source)

    assert _requests(om) == before


def _render_and_run(op, source):
    """Render the argument from a Param, as a DAG passing a file name at trigger time would."""
    from operators.context import make_context

    context = {**make_context(task_id=op.task_id), "params": {"source": source}}
    op.render_template_fields(context)
    return op.execute(context)


def test_an_output_path_that_is_a_directory_is_refused_before_the_slip_is_generated(om, api, tmp_path):
    created, _ = run_op(
        OrderMeshCreateOrderOperator(task_id="create", payload=order(), hook_params=FAST_RETRIES)
    )
    [shipment] = api.shipments.list_for_order(created["order_id"])
    before = _requests(om)

    with pytest.raises(
        AirflowFailException, match=r"output_path='.*' is a directory; give the file to write"
    ):
        run_op(
            OrderMeshGeneratePackingSlipOperator(
                task_id="slip", shipment_id=shipment.id, output_path=str(tmp_path), hook_params=FAST_RETRIES
            )
        )
    assert _requests(om) == before  # the slip was not generated
