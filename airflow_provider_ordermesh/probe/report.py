"""The JSON report for a bug report: what each read found, with nothing secret or personal in it.

It keeps operation names, path templates (never filled-in paths), statuses, verdicts, the
probe's own reasons and the names of unknown fields. Ids are replaced by a short hash, so two
rows can be seen to use the same record without showing it; the API's own messages, tokens,
credentials, names and addresses never enter it (keys that are not plain field names are already
masked by ``shape.field_name``; reasons are the probe's own words).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from airflow_provider_ordermesh import __version__
from airflow_provider_ordermesh.probe.runner import Check, count_verdicts


def hashed_id(value: str) -> str:
    """A short, stable stand-in for an id: the first 12 hex digits of its SHA-256."""
    return "sha256:" + hashlib.sha256(value.encode()).hexdigest()[:12]


def _entry(check: Check) -> dict[str, Any]:
    return {
        "operation": check.operation,
        "method": check.method,
        "path": check.path,
        "status": check.status,
        "parsed": check.parsed,
        "unknownFields": list(check.unknown_fields),
        "verdict": str(check.verdict),
        "why": check.why,
        "ids": {name: hashed_id(value) for name, value in sorted(check.ids.items())},
    }


def build(checks: Sequence[Check], base_url: str, exit_code: int) -> dict[str, Any]:
    """The report as a JSON-ready dict."""
    return {
        "tool": "ordermesh-probe",
        "providerVersion": __version__,
        "createdAt": datetime.now(UTC).isoformat(timespec="seconds"),
        "apiHost": urlsplit(base_url).hostname,
        "exitCode": exit_code,
        "verdicts": count_verdicts(checks),
        "checks": [_entry(check) for check in checks],
    }


def write(path: Path, report: Mapping[str, Any]) -> None:
    """Write the report as indented JSON."""
    path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
