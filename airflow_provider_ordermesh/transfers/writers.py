"""File formats: JSONL (optionally gzip), CSV and Parquet, each written row by row to a binary stream.

JSONL keeps every field the API sent. CSV and Parquet use the resource's documented column list
(``resources.COLUMNS``): the same columns in the same order with the same types whatever the data;
nested values (items, packages, addresses) are JSON text. Parquet needs the optional ``pyarrow``.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from airflow_provider_ordermesh.transfers.resources import Column, Record

PARQUET_ROW_GROUP = 10_000
"""Rows buffered per Parquet row group: bounds memory whatever the number of rows."""


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def cell(record: Record, column: Column) -> Any:
    """The value of ``column`` in ``record``, in the column's type (None when absent)."""
    value = record.get(column.source)
    if value is None:
        return None
    if column.kind == "json":
        return _dumps(value)
    if column.kind == "int":
        return int(value)
    if column.kind == "float":
        return float(value)
    if column.kind == "bool":
        return bool(value)
    return (
        value if isinstance(value, str) else _dumps(value) if isinstance(value, (dict, list)) else str(value)
    )


def write_jsonl(
    stream: IO[bytes], records: Iterable[Record], columns: tuple[Column, ...], *, gzipped: bool
) -> int:
    target: IO[bytes] | gzip.GzipFile = (
        gzip.GzipFile(fileobj=stream, mode="wb", compresslevel=6, mtime=0) if gzipped else stream
    )
    rows = 0
    try:
        buffer: list[str] = []
        for record in records:
            buffer.append(_dumps(record))
            rows += 1
            if len(buffer) >= 1000:
                target.write(("\n".join(buffer) + "\n").encode())
                buffer.clear()
        if buffer:
            target.write(("\n".join(buffer) + "\n").encode())
    finally:
        if gzipped:
            target.close()  # writes the gzip trailer; the caller's stream stays open
    return rows


def write_csv(stream: IO[bytes], records: Iterable[Record], columns: tuple[Column, ...]) -> int:
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow([c.name for c in columns])
    rows = 0
    for record in records:
        writer.writerow(["" if (v := cell(record, c)) is None else v for c in columns])
        rows += 1
    text.flush()
    text.detach()
    return rows


def parquet_schema(columns: tuple[Column, ...]) -> Any:
    """The Arrow schema of a column list: fixed by the columns, never inferred from the data."""
    import pyarrow as pa

    types = {
        "string": pa.string(),
        "json": pa.string(),
        "int": pa.int64(),
        "float": pa.float64(),
        "bool": pa.bool_(),
    }
    return pa.schema([pa.field(c.name, types[c.kind]) for c in columns])


def write_parquet(stream: IO[bytes], records: Iterable[Record], columns: tuple[Column, ...]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema(columns)
    rows = 0
    with pq.ParquetWriter(stream, schema) as writer:
        batch: list[Record] = []

        def flush() -> None:
            data = {c.name: [cell(r, c) for r in batch] for c in columns}
            writer.write_table(pa.Table.from_pydict(data, schema=schema))
            batch.clear()

        for record in records:
            batch.append(record)
            rows += 1
            if len(batch) >= PARQUET_ROW_GROUP:
                flush()
        if batch or rows == 0:
            flush()
    return rows


@dataclass(frozen=True)
class Format:
    """An output format: its file extension, its writer, and the package it needs, if any."""

    name: str
    extension: str
    needs: str | None = None

    def write(self, stream: IO[bytes], records: Iterable[Record], columns: tuple[Column, ...]) -> int:
        """Write every record; the number of rows written."""
        if self.name in ("jsonl", "jsonl.gz"):
            return write_jsonl(stream, records, columns, gzipped=self.name == "jsonl.gz")
        if self.name == "csv":
            return write_csv(stream, records, columns)
        return write_parquet(stream, records, columns)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("jsonl", "jsonl"),
        Format("jsonl.gz", "jsonl.gz"),
        Format("csv", "csv"),
        Format("parquet", "parquet", needs="pyarrow"),
    )
}
"""Every output format by name."""
