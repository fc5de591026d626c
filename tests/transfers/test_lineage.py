"""OpenLineage from the transfer and the operators (issue 28), over real HTTP against the sandbox:
datasets named by ``assets``, the partition as output with schema and statistics, the window as
a run facet, error facets; and the provider info that registers the transfer and the asset URIs."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from operators.conftest import FAST_RETRIES
from operators.context import run_op
from operators.data import order, orders

from airflow_provider_ordermesh.assets import host_of
from airflow_provider_ordermesh.get_provider_info import get_provider_info

pytestmark = pytest.mark.sandbox


def _ol():
    pytest.importorskip("airflow.providers.openlineage", reason="needs apache-airflow-providers-openlineage")
    from openlineage.client.serde import Serde

    return Serde


def _datasets(items):
    return [(d.namespace, d.name) for d in items]


def _as_json(obj):
    """Facets and datasets as the OpenLineage client serialises them into an event."""
    serde = _ol()
    if isinstance(obj, list):
        return [_as_json(item) for item in obj]
    if isinstance(obj, dict):
        return {key: _as_json(value) for key, value in obj.items()}
    return json.loads(serde.to_json(obj))


def test_the_provider_registers_the_transfer_and_the_ordermesh_asset_uris():
    info = get_provider_info()
    assert info["transfers"] == [
        {
            "source-integration-name": "OrderMesh",
            "target-integration-name": "Common IO",
            "python-module": "airflow_provider_ordermesh.transfers.object_storage",
        }
    ]
    [uris] = info["asset-uris"]
    assert uris["schemes"] == ["ordermesh"]
    from airflow_provider_ordermesh.compat import import_string

    assert import_string(uris["handler"]).__name__ == "normalize"
    assert import_string(uris["to_openlineage_converter"]).__name__ == "to_openlineage"


def test_airflow_normalises_ordermesh_asset_uris_with_the_providers_handler():
    from airflow_provider_ordermesh.compat import Asset

    assert Asset(uri="ordermesh://API.OrderMesh.io/orders/").uri == "ordermesh://api.ordermesh.io/orders"
    with pytest.raises(ValueError, match="without a resource"):
        Asset(uri="ordermesh://api.ordermesh.io/")


def test_the_converter_gives_the_dataset_the_operators_report():
    _ol()
    from airflow_provider_ordermesh.assets import to_openlineage
    from airflow_provider_ordermesh.compat import Asset

    dataset = to_openlineage(Asset(uri="ordermesh://api.ordermesh.io/orders/audit_logs"))
    assert (dataset.namespace, dataset.name) == ("ordermesh://api.ordermesh.io", "orders/audit_logs")


def test_the_export_reports_its_input_partition_schema_statistics_and_window(om, api, export, tmp_path):
    _ol()
    from airflow_provider_ordermesh.transfers.resources import RESOURCES

    om.reset(speed=0, step_seconds=1_000_000)
    api.orders.create_bulk([order("MUG-11OZ-WHITE", external_id=f"ol-{i}") for i in range(3)])
    day = om.backend.state.clock.now().replace(hour=0, minute=0, second=0, microsecond=0)
    from airflow_provider_ordermesh.transfers import OrderMeshToObjectStorageOperator

    op = OrderMeshToObjectStorageOperator(
        task_id="export_orders",
        resource="order_audit_logs",
        base_path=f"file://{tmp_path}",
        file_format="csv",
        updated_since=day.isoformat(),
        updated_before=(day + timedelta(days=1)).isoformat(),
        hook_params=FAST_RETRIES,
    )
    result, _ = run_op(op)
    host = host_of(om.url)

    start = op.get_openlineage_facets_on_start()
    done = op.get_openlineage_facets_on_complete(None)

    assert _datasets(start.inputs) == [(f"ordermesh://{host}", "orders/audit_logs")] == _datasets(done.inputs)
    partition = str(Path(result["paths"][0].removeprefix("file://")).parent)
    assert _datasets(done.outputs) == [("file", partition)]
    [output] = _as_json(done.outputs)
    assert [f["name"] for f in output["facets"]["schema"]["fields"]] == [
        c.name for c in RESOURCES["order_audit_logs"].columns
    ]
    stats = output["outputFacets"]["outputStatistics"]
    assert (stats["rowCount"], stats["size"], stats["fileCount"]) == (result["rows"], result["bytes"], 1)
    assert result["rows"] == 3 and result["bytes"] > 0
    window = _as_json(done.run_facets)["ordermesh_window"]
    assert (window["since"], window["before"]) == (result["window"]["since"], result["window"]["before"])
    assert window["_schemaURL"] and window["_producer"]


def test_operators_report_what_they_wrote_and_read_without_extra_requests(om, tmp_path):
    _ol()
    from airflow_provider_ordermesh.operators.orders import (
        OrderMeshCreateOrderOperator,
        OrderMeshCreateOrdersOperator,
        OrderMeshSearchOrdersOperator,
    )
    from airflow_provider_ordermesh.sensors.status import OrderMeshShipmentStatusSensor

    host = f"ordermesh://{host_of(om.url)}"
    source = tmp_path / "orders.jsonl"
    source.write_text("".join(json.dumps(o) + "\n" for o in orders(4)))
    create = OrderMeshCreateOrderOperator(
        task_id="create", payload=order(external_id="one"), hook_params=FAST_RETRIES
    )
    bulk = OrderMeshCreateOrdersOperator(task_id="bulk", orders=str(source), hook_params=FAST_RETRIES)
    search = OrderMeshSearchOrdersOperator(
        task_id="search", filters={"status": ["Open"]}, hook_params=FAST_RETRIES
    )
    run_op(create)
    run_op(bulk)
    run_op(search)
    requests = om.stats()["requestsTotal"]

    created = _as_json(create.get_openlineage_facets_on_complete(None).outputs)
    bulk_lineage = bulk.get_openlineage_facets_on_complete(None)
    searched = search.get_openlineage_facets_on_complete(None)
    sensor = OrderMeshShipmentStatusSensor(task_id="wait", order_ids=["x"]).get_openlineage_facets_on_start()

    assert [
        (d["namespace"], d["name"], d["outputFacets"]["outputStatistics"]["rowCount"]) for d in created
    ] == [(host, "orders", 1)]
    assert _datasets(bulk_lineage.inputs) == [("file", str(source))]
    [bulk_out] = _as_json(bulk_lineage.outputs)
    assert (bulk_out["name"], bulk_out["outputFacets"]["outputStatistics"]["rowCount"]) == ("orders", 4)
    assert _datasets(searched.inputs) == [(host, "orders")] and searched.outputs == []
    assert _datasets(sensor.inputs) == [(host, "shipments")]
    assert om.stats()["requestsTotal"] == requests  # lineage made no request


def test_a_failure_reports_its_status_and_path_as_an_error_facet_without_the_secret(om):
    _ol()
    from airflow_provider_ordermesh.compat import AirflowFailException
    from airflow_provider_ordermesh.operators.orders import OrderMeshCancelOrderOperator

    cancel = OrderMeshCancelOrderOperator(
        task_id="cancel", order_id="no-such-order", hook_params=FAST_RETRIES
    )
    with pytest.raises(AirflowFailException):
        run_op(cancel)

    facets = _as_json(cancel.get_openlineage_facets_on_failure(None).run_facets)
    message = facets["errorMessage"]["message"]
    assert message.startswith("NotFoundError; HTTP 404 to POST /v1/orders/cancel; request id sbx-")
    assert om.client_secret not in message and facets["errorMessage"]["programmingLanguage"] == "python"


CUSTOMER = "Grace Hopper, 12 Harbor Rd, grace.hopper@example.com"
"""A customer's name, address and email, put where the country code belongs (a mapping slip)."""


class _UncheckedCreateOrder:
    """``OrderMeshCreateOrderOperator`` sending its payload unchecked (``make`` builds one), so that the
    sandbox's own validation answers: what an API rule the client does not know gets back."""

    @staticmethod
    def make(payload):
        from airflow_provider_ordermesh.client.operation import Operation
        from airflow_provider_ordermesh.operators.orders import OrderMeshCreateOrderOperator

        class Unchecked(OrderMeshCreateOrderOperator):
            def perform(self, context):
                return self.client.execute(Operation.of("orders.create", lambda answer: answer, body=payload))

        return Unchecked(task_id="create", payload=payload, hook_params=FAST_RETRIES)


@pytest.mark.parametrize("checked", [True, False], ids=["refused-by-the-client", "refused-by-the-api"])
def test_an_error_facet_names_the_refused_field_but_never_the_customer_data_the_message_echoes(om, checked):
    _ol()
    from airflow_provider_ordermesh.compat import AirflowFailException
    from airflow_provider_ordermesh.operators.orders import OrderMeshCreateOrderOperator

    payload = order(external_id="echo-1")
    payload["shippingAddress"] = {**payload["shippingAddress"], "countryCode": CUSTOMER}
    create = (
        OrderMeshCreateOrderOperator(task_id="create", payload=payload, hook_params=FAST_RETRIES)
        if checked
        else _UncheckedCreateOrder.make(payload)
    )
    with pytest.raises(AirflowFailException) as failed:
        run_op(create)

    message = _as_json(create.get_openlineage_facets_on_failure(None).run_facets)["errorMessage"]["message"]
    assert CUSTOMER in str(failed.value)  # the echo is real: the task log shows it to whoever runs the task
    if checked:
        assert message == (
            "AirflowFailException from InvalidRequestError; invalid payload, not sent; "
            "fields shippingAddress.countryCode"
        )
    else:
        assert message.startswith(
            "BadRequestError; HTTP 400 to POST /v1/orders; fields shippingAddress.countryCode; request id "
        )
    for part in (*CUSTOMER.split(", "), "Grace", "Hopper", "example.com", om.client_secret):
        assert part not in message
    assert om.stats()["requests"].get("orders.create", {}) == ({} if checked else {"400": 1})


def test_a_fail_event_carries_the_openlineage_providers_error_text_instead_of_the_screened_facet(om):
    """Pins the limit docs/lineage.md states: given the task's exception, the OpenLineage provider's
    adapter (as its listener calls it on 3.x) replaces the operator's ``errorMessage`` facet with
    ``str(exception)`` and the stack trace. When a provider release stops doing so, this fails and
    the limit can go."""
    _ol()
    from airflow.providers.openlineage.plugins.adapter import OpenLineageAdapter
    from openlineage.client import OpenLineageClient
    from openlineage.client.transport.transport import Transport

    from airflow_provider_ordermesh.compat import AirflowFailException

    class Kept(Transport):
        kind = "kept"

        def emit(self, event):
            return None

    payload = order(external_id="echo-fail-event")
    payload["shippingAddress"] = {**payload["shippingAddress"], "countryCode": CUSTOMER}
    create = _UncheckedCreateOrder.make(payload)
    with pytest.raises(AirflowFailException) as failed:
        run_op(create)

    event = OpenLineageAdapter(client=OpenLineageClient(transport=Kept())).fail_task(
        run_id="01900000-0000-7000-8000-000000000028",
        job_name="orders_dag.create",
        end_time="2026-11-26T00:00:00+00:00",
        task=create.get_openlineage_facets_on_failure(None),
        nominal_start_time=None,
        nominal_end_time=None,
        owners=[],
        tags=[],
        job_description=None,
        error=failed.value,
    )
    facet = _as_json(event.run.facets or {})["errorMessage"]
    assert facet["message"] == str(failed.value) and CUSTOMER in facet["message"]
    assert "BadRequestError" in facet["stackTrace"]  # the cause's traceback, the API's words with it


def test_importing_the_operators_does_not_load_openlineage():
    code = (
        "import sys; import airflow_provider_ordermesh.operators.orders, airflow_provider_ordermesh.transfers."
        "object_storage, airflow_provider_ordermesh.sensors.status; "
        "print(sorted(m for m in sys.modules if m.startswith(('openlineage', 'airflow.providers.openlineage.')) "
        "and m != 'airflow.providers.openlineage.get_provider_info'))"  # Airflow's provider discovery reads it
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
