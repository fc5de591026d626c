"""Print the README's API coverage table from the endpoint table, or check the README against it.

    python scripts/api_coverage.py           # print the table
    python scripts/api_coverage.py --check   # exit 1 if README.md's table is stale
"""

from __future__ import annotations

import sys
from pathlib import Path

from airflow_provider_ordermesh.client.endpoints import ENDPOINTS

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- api-coverage:start -->", "<!-- api-coverage:end -->"


def client_method(name: str) -> str:
    if name.startswith("auth."):
        return "automatic (token cache)"
    group, method = name.split(".", 1)
    suffix = " / `_page`" if ENDPOINTS[name].paged else ""
    return f"`client.{group}.{method}()`{suffix}"


def table() -> str:
    rows = [
        "| Operation | Method and path | Client method | Status |",
        "|---|---|---|---|",
    ]
    for endpoint in ENDPOINTS.values():
        status = "confirmed" if endpoint.confirmed else "reconstructed"
        rows.append(f"| {endpoint.title} | `{endpoint.method} {endpoint.path}` | {client_method(endpoint.name)} | {status} |")
    return "\n".join(rows)


def readme_table(text: str) -> str:
    return text.split(START, 1)[1].split(END, 1)[0].strip()


if __name__ == "__main__":
    if "--check" in sys.argv:
        stale = readme_table(README.read_text()) != table()
        print("README API coverage table is stale: regenerate it" if stale else "README API coverage table is current")
        sys.exit(1 if stale else 0)
    print(table())
