"""OpenLineage from the OrderMesh operators, sensors and the transfer, through one mixin.

Datasets are named once, by ``assets``: namespace ``ordermesh://{api host}``, name the resource
(``orders``, ``shipments``, ``orders/audit_logs``). Each operator class says which resources it
reads and writes (``lineage_reads`` / ``lineage_writes``); what a run adds (a file it read, the
partition the transfer wrote, counts, the window) comes from ``lineage_details``, which the task
fills from what it already knows: lineage never makes an OrderMesh request. A failure's error
facet holds only ``client.errors.screened`` facts. The OpenLineage provider is imported inside the
three ``get_openlineage_facets_*`` methods only, so the provider imports and runs without it, and
DAG parsing pays nothing for lineage.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from airflow_provider_ordermesh.assets import host_of, namespace_and_name, resource_uri
from airflow_provider_ordermesh.client.errors import screened

PRODUCER = "https://github.com/ordermesh/airflow-provider-ordermesh"
"""The ``_producer`` of the facets this provider builds."""

_COLUMN_TYPES = {"string": "string", "json": "string", "int": "int64", "float": "double", "bool": "boolean"}


def storage_dataset(path: str) -> tuple[str, str]:
    """OpenLineage's (namespace, name) for an object-storage path: ``s3://bucket`` and the key, or
    ``file`` and the absolute path (its naming spec); a ``conn_id@`` in the URI is not part of it."""
    scheme, sep, rest = path.partition("://")
    if not sep:
        return "file", path
    if scheme in ("file", "local"):
        return "file", "/" + rest.lstrip("/")
    authority, _, key = rest.partition("/")
    return f"{scheme}://{authority.rpartition('@')[2]}", key or "/"


class OrderMeshLineageMixin:
    """``get_openlineage_facets_on_start/complete/failure`` for an operator that says what it touches.

    :cvar lineage_reads: OrderMesh resources the operator reads (inputs), e.g. ``("orders",)``.
    :cvar lineage_writes: OrderMesh resources it changes (outputs), e.g. ``("orders",)``.
    """

    lineage_reads: ClassVar[tuple[str, ...]] = ()
    lineage_writes: ClassVar[tuple[str, ...]] = ()

    def lineage_inputs(self) -> tuple[str, ...]:
        """The OrderMesh resources read (``lineage_reads`` unless an operator knows better)."""
        return self.lineage_reads

    def lineage_outputs(self) -> tuple[str, ...]:
        """The OrderMesh resources changed (``lineage_writes`` unless an operator knows better)."""
        return self.lineage_writes

    @property
    def lineage_details(self) -> dict[str, Any]:
        """What this try learnt for lineage: ``input_files``, ``output_files`` (paths), ``counts`` (per
        written resource), ``columns`` (name, kind), ``window`` ({since, before}), ``error`` (the
        failure's ``screened`` facts)."""
        details: dict[str, Any] = self.__dict__.setdefault("_lineage_details", {})
        return details

    def _lineage_host(self) -> str:
        """The API host of the operator's connection (read from the connection, no request)."""
        try:
            hook: Any = getattr(self, "hook")  # noqa: B009  (the operator's hook; a mixin has none of its own)
            return host_of(hook.client_settings(hook.connection).get("base_url"))
        except Exception:  # lineage must never fail a task: an unreadable connection names the default host
            return host_of(None)

    def _lineage(self, *, complete: bool) -> Any:
        from openlineage.client.event_v2 import InputDataset, OutputDataset
        from openlineage.client.facet_v2 import output_statistics_output_dataset, schema_dataset

        from airflow_provider_ordermesh.compat import OperatorLineage  # the OpenLineage provider's

        details = self.lineage_details if complete else {}
        host = self._lineage_host()
        inputs = [
            InputDataset(*namespace_and_name(resource_uri(r, host=host))) for r in self.lineage_inputs()
        ]
        inputs += [InputDataset(*storage_dataset(p)) for p in details.get("input_files", [])]
        counts: Mapping[str, int] = details.get("counts", {})
        outputs = [
            OutputDataset(
                *namespace_and_name(resource_uri(r, host=host)),
                outputFacets=_statistics(output_statistics_output_dataset, rows=counts.get(r)),
            )
            for r in self.lineage_outputs()
        ]
        for path in details.get("output_files", []):
            facets: dict[str, Any] = {}
            if columns := details.get("columns"):
                facets["schema"] = schema_dataset.SchemaDatasetFacet(
                    fields=[
                        schema_dataset.SchemaDatasetFacetFields(name=name, type=_COLUMN_TYPES.get(kind, kind))
                        for name, kind in columns
                    ],
                    producer=PRODUCER,
                )
            outputs.append(
                OutputDataset(
                    *storage_dataset(path),
                    facets=facets,
                    outputFacets=_statistics(
                        output_statistics_output_dataset,
                        rows=details.get("rows"),
                        size=details.get("bytes"),
                        files=1,
                    ),
                )
            )
        run_facets: dict[str, Any] = {}
        if window := details.get("window"):
            run_facets["ordermesh_window"] = _window_facet(window)
        if error := details.get("error"):
            from openlineage.client.facet_v2 import error_message_run

            run_facets["errorMessage"] = error_message_run.ErrorMessageRunFacet(
                message=error, programmingLanguage="python", producer=PRODUCER
            )
        return OperatorLineage(inputs=inputs, outputs=outputs, run_facets=run_facets)

    def get_openlineage_facets_on_start(self) -> Any:
        """The datasets the operator reads and writes, known before it runs."""
        return self._lineage(complete=False)

    def get_openlineage_facets_on_complete(self, task_instance: Any) -> Any:
        """The same datasets, with what the run learnt: files, counts, schema, window."""
        return self._lineage(complete=True)

    def get_openlineage_facets_on_failure(self, task_instance: Any) -> Any:
        """The datasets, with an error facet holding the failure's facts (see ``record_failure``)."""
        return self._lineage(complete=True)

    def record_failure(self, exc: BaseException) -> None:
        """Keep the failure for the error facet, screened (``client.errors.screened``): type, status,
        path, field names, codes, request id; never the API's or our own free text, which can echo a
        customer's name, address or email (the task log keeps it)."""
        self.lineage_details["error"] = screened(exc)[:2000]


def _statistics(
    module: Any, *, rows: int | None, size: int | None = None, files: int | None = None
) -> dict[str, Any]:
    if rows is None and size is None and files is None:
        return {}
    return {
        "outputStatistics": module.OutputStatisticsOutputDatasetFacet(
            rowCount=rows, size=size, fileCount=files, producer=PRODUCER
        )
    }


def _window_facet(window: Mapping[str, str]) -> Any:
    """A custom run facet: the export's half-open window ``[since, before)``."""
    return _window_facet_class()(since=window["since"], before=window["before"], producer=PRODUCER)


_WINDOW_FACET: list[Any] = []


def _window_facet_class() -> Any:
    if not _WINDOW_FACET:
        import attr
        from openlineage.client.facet_v2 import RunFacet

        @attr.define
        class OrderMeshWindowRunFacet(RunFacet):
            """The window an OrderMesh export covered: changes with ``since <= updatedAt < before``."""

            since: str
            before: str

        _WINDOW_FACET.append(OrderMeshWindowRunFacet)
    return _WINDOW_FACET[0]
