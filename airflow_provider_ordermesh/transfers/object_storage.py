"""``OrderMeshToObjectStorageOperator``: export one resource for one window to object storage.

One task exports one resource (orders, order items, shipments, order or shipment audit logs)
changed in a half-open window ``[updated_since, updated_before)`` to one partition file under a
base ``ObjectStoragePath`` (``file://``, ``s3://``, ``gs://``: any fsspec backend Airflow knows).
Re-running a window replaces its partition atomically (``transfers.publish``). Pages stream
straight into the file, so memory does not grow with the number of rows; the XCom is small.
"""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from airflow_provider_ordermesh.compat import AirflowFailException, BaseOperator
from airflow_provider_ordermesh.hooks.connection_form import DEFAULT_CONN_ID
from airflow_provider_ordermesh.operators.rate_limits import default_rate_limit_policy
from airflow_provider_ordermesh.transfers.publish import publish
from airflow_provider_ordermesh.transfers.resources import RESOURCES
from airflow_provider_ordermesh.transfers.window import Window, WindowError, incremental_window
from airflow_provider_ordermesh.transfers.writers import FORMATS

if TYPE_CHECKING:
    from airflow_provider_ordermesh.compat import Context

CURSOR_KEY = "ordermesh_export_cursor"
"""Key of the incremental cursor in the asset state store."""


def _choice(value: str, known: dict[str, Any], param: str) -> str:
    if value not in known:
        raise ValueError(f"{param}={value!r} is not supported; use one of: {', '.join(known)}")
    return value


class OrderMeshToObjectStorageOperator(BaseOperator):
    """Export an OrderMesh resource changed in a window to a partition in object storage.

    :param resource: ``orders``, ``order_items``, ``shipments``, ``order_audit_logs`` or
        ``shipment_audit_logs`` (audit events of the orders/shipments updated in the window,
        made in the window).
    :param base_path: templated base URL, e.g. ``s3://lake/ordermesh``; the file goes to
        ``{base_path}/resource={resource}/date=YYYY-MM-DD/part-00000.{ext}``.
    :param file_format: ``jsonl.gz`` (default), ``jsonl``, ``csv`` or ``parquet`` (needs ``pyarrow``).
    :param updated_since: templated window start (default: the run's data interval start).
    :param updated_before: templated window end, excluded (default: the data interval end).
    :param incremental: read from the cursor kept in Airflow (the outlet asset's state store, or
        the previous run's XCom) up to now minus ``lag`` instead of the data interval.
    :param lag: in incremental mode, how recent a change may be and still wait for the next run.
    :param partition: override of the partition name, a ``str.format`` template with ``since`` and
        ``before`` (e.g. ``"date={since:%Y-%m-%d}/hour={since:%H}"``).
    :param storage_conn_id: Airflow connection of the object store (e.g. an AWS connection).
    """

    template_fields = ("base_path", "updated_since", "updated_before")
    ui_color = "#e8f0ff"

    def __init__(
        self,
        *,
        resource: str,
        base_path: str,
        file_format: str = "jsonl.gz",
        updated_since: Any = "{{ data_interval_start }}",
        updated_before: Any = "{{ data_interval_end }}",
        incremental: bool = False,
        lag: timedelta = timedelta(minutes=5),
        partition: str | None = None,
        storage_conn_id: str | None = None,
        ordermesh_conn_id: str = DEFAULT_CONN_ID,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        default_rate_limit_policy(self)  # a 429 beyond the client's retries waits as the API asked
        self.resource = _choice(resource, RESOURCES, "resource")
        self.file_format = _choice(file_format, FORMATS, "file_format")
        if lag < timedelta(0):
            raise ValueError("lag must be zero or positive, e.g. timedelta(minutes=5)")
        self.base_path = base_path
        self.updated_since = updated_since
        self.updated_before = updated_before
        self.incremental = incremental
        self.lag = lag
        self.partition = partition
        self.storage_conn_id = storage_conn_id
        self.ordermesh_conn_id = ordermesh_conn_id
        if "{{" not in str(base_path):
            self._check_scheme(str(base_path))

    # --- checks made before any request ---------------------------------------------------------

    @staticmethod
    def _check_scheme(base_path: str) -> str:
        from airflow_provider_ordermesh.compat import has_fs

        scheme = base_path.split("://", 1)[0] if "://" in base_path else "file"
        if not has_fs(scheme):
            hint = {
                "s3": "apache-airflow-providers-amazon[s3fs]",
                "gs": "apache-airflow-providers-google",
                "gcs": "apache-airflow-providers-google",
                "abfs": "apache-airflow-providers-microsoft-azure",
            }
            raise ValueError(
                f"base_path={base_path!r}: no filesystem is registered for {scheme}://; install "
                f"{hint.get(scheme, 'the Airflow provider (and fsspec backend) for that scheme')}"
            )
        return scheme

    def _check_format_dependency(self) -> None:
        needs = FORMATS[self.file_format].needs
        if needs and importlib.util.find_spec(needs) is None:
            raise AirflowFailException(
                f"file_format={self.file_format!r} needs {needs}: pip install 'airflow-provider-ordermesh[parquet]'"
            )

    def _window(self, context: Context) -> Window:
        try:
            if self.incremental:
                return incremental_window(
                    self._load_cursor(context),
                    first_since=self.updated_since,
                    now=datetime.now(UTC),
                    lag=self.lag,
                )
            return Window.of(self.updated_since, self.updated_before)
        except WindowError as exc:
            raise AirflowFailException(
                f"{exc} (templates default to the run's data interval, which a manual run may lack)"
            ) from None

    # --- cursor: asset state store when there is one, the previous run's XCom otherwise ------------

    def _asset_store(self, context: Context) -> Any:
        from airflow_provider_ordermesh.compat import Asset

        stores = context.get("asset_state_store")
        asset = next((o for o in self.outlets if isinstance(o, Asset)), None)
        return stores[asset] if stores is not None and asset is not None else None

    def _load_cursor(self, context: Context) -> str | None:
        store = self._asset_store(context)
        if store is not None:
            return store.get(f"{CURSOR_KEY}:{self.resource}")
        previous = context["ti"].xcom_pull(task_ids=self.task_id, include_prior_dates=True)
        return previous.get("cursor") if isinstance(previous, dict) else None

    def _save_cursor(self, context: Context, cursor: str) -> None:
        store = self._asset_store(context)
        if store is not None:
            store.set(f"{CURSOR_KEY}:{self.resource}", cursor)

    # --- the export ------------------------------------------------------------------------------

    def execute(self, context: Context) -> dict[str, Any]:
        from airflow_provider_ordermesh.compat import ObjectStoragePath
        from airflow_provider_ordermesh.hooks.ordermesh import OrderMeshHook

        try:
            self._check_scheme(str(self.base_path))
        except ValueError as exc:
            raise AirflowFailException(str(exc)) from None
        self._check_format_dependency()
        window = self._window(context)
        base = ObjectStoragePath(str(self.base_path).rstrip("/"), conn_id=self.storage_conn_id)
        resource, fmt = RESOURCES[self.resource], FORMATS[self.file_format]
        partition = (
            self.partition.format(since=window.since, before=window.before)
            if self.partition
            else window.partition()
        )

        client = OrderMeshHook(self.ordermesh_conn_id).get_conn()
        records = resource.read(client, window)
        path, rows = publish(
            base,
            resource.name,
            partition,
            fmt.extension,
            lambda stream: fmt.write(stream, records, resource.columns),
        )
        cursor = window.before.isoformat()
        if self.incremental:
            self._save_cursor(context, cursor)
        self.log.info(
            "Exported %d %s updated in [%s, %s) to %s",
            rows,
            resource.name,
            window.since.isoformat(),
            window.before.isoformat(),
            path,
        )
        result = {
            "resource": resource.name,
            "format": fmt.name,
            "paths": [str(path)],
            "rows": rows,
            "window": window.to_json(),
            "partition": partition,
            "cursor": cursor,
        }
        self._emit_asset_events(context, result)
        return result

    def _emit_asset_events(self, context: Context, result: dict[str, Any]) -> None:
        from airflow_provider_ordermesh.compat import Asset

        events = context.get("outlet_events")
        if events is None:
            return
        for outlet in self.outlets:
            if isinstance(outlet, Asset):
                events[outlet].extra = {
                    k: result[k] for k in ("resource", "rows", "window", "partition", "paths")
                }
