"""The JSON report for a bug report: what each read found, with nothing secret or personal in it.

It keeps operation names, path templates (never filled-in paths), statuses, verdicts, the
probe's own reasons and the names of unknown fields. Ids are replaced by a short hash, so two
rows can be seen to use the same record without showing it; the API's own messages, tokens,
credentials, names and addresses never enter it. Field names that do not look like field names
(a key holding an e-mail address, say) are replaced by ``<key>``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from airflow_provider_ordermesh import __version__
from airflow_provider_ordermesh.probe.runner import Check, count_verdicts

_FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


def hashed_id(value: str) -> str:
    """A short, stable stand-in for an id: the first 12 hex digits of its SHA-256."""
    return "sha256:" + hashlib.sha256(value.encode()).hexdigest()[:12]


def safe_field_path(path: str) -> str:
    """A field path such as ``packages[].trackingNo``, with any segment that is not a plain name masked."""
    segments = path.split(".")
    return ".".join(s if _FIELD_NAME.match(s.removesuffix("[]")) else "<key>" for s in segments)


def _entry(check: Check) -> dict[str, Any]:
    return {
        "operation": check.operation,
        "method": check.method,
        "path": check.path,
        "status": check.status,
        "parsed": check.parsed,
        "unknownFields": [safe_field_path(f) for f in check.unknown_fields],
        "verdict": str(check.verdict),
        "why": _masked_why(check.why),
        "ids": {name: hashed_id(value) for name, value in sorted(check.ids.items())},
    }


def _masked_why(why: str) -> str:
    """A shape problem quotes keys of the answer: mask those that are not plain field names."""
    return re.sub(r"'([^']*)'", lambda m: f"'{safe_field_path(m.group(1))}'", why)


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
