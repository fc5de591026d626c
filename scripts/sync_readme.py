"""Keep the generated parts of the README and the docs true: the API table, quoted code, the demo's output.

    python scripts/sync_readme.py           # rewrite README.md and docs/*.md in place
    python scripts/sync_readme.py --check   # exit 1 if one is stale (a test runs this)

Generated parts sit between markers:
``<!-- api-coverage:start -->`` ... ``<!-- api-coverage:end -->``, and
``<!-- snippet: dags/FILE.py NAME -->`` ... ``<!-- /snippet -->`` for the lines between
``# [START NAME]`` and ``# [END NAME]`` in that DAG file, and
``<!-- demo-output:start -->`` ... ``<!-- demo-output:end -->`` for ``scripts/demo_output.txt``,
which ``scripts/demo.py --record`` writes after a successful run against its sandbox (a plain
``make demo`` writes only ``.airflow-demo/last-run.txt``, so that the README's two commands, in
their order, leave the tracked files as they are).
"""

from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

from airflow_provider_ordermesh.client.endpoints import ENDPOINTS

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCUMENTS = [README, *sorted((ROOT / "docs").rglob("*.md"))]

COVERAGE = re.compile(r"(<!-- api-coverage:start -->\n).*?(\n<!-- api-coverage:end -->)", re.S)
DEMO_OUTPUT_FILE = ROOT / "scripts" / "demo_output.txt"
DEMO_OUTPUT = re.compile(r"(<!-- demo-output:start -->\n).*?(<!-- demo-output:end -->)", re.DOTALL)
SNIPPET = re.compile(r"(<!-- snippet: (\S+) (\S+) -->\n).*?(\n<!-- /snippet -->)", re.S)


def client_method(name: str) -> str:
    if name.startswith("auth."):
        return "automatic (token cache)"
    suffix = " / `_page`" if ENDPOINTS[name].paged else ""
    return f"`client.{name}()`{suffix}"


def coverage_table() -> str:
    rows = ["| Operation | Method and path | Client method | Status |", "|---|---|---|---|"]
    for endpoint in ENDPOINTS.values():
        status = "reconstructed"
        if endpoint.confirmed:
            status = f"confirmed ({endpoint.confirmed_in})" if endpoint.confirmed_in else "confirmed"
        rows.append(
            f"| {endpoint.title} | `{endpoint.method} {endpoint.path}` | {client_method(endpoint.name)} | {status} |"
        )
    return "\n".join(rows)


def snippet(path: str, name: str) -> str:
    source = (ROOT / path).read_text()
    match = re.search(
        rf"# \[START {re.escape(name)}\]\n(.*?)\n[ \t]*# \[END {re.escape(name)}\]", source, re.DOTALL
    )
    if not match:
        raise SystemExit(f"{path} has no snippet {name!r}")
    return f"```python\n{textwrap.dedent(match.group(1))}\n```"


def demo_output() -> str:
    return f"```text\n{DEMO_OUTPUT_FILE.read_text()}```\n"


def render(text: str) -> str:
    text = COVERAGE.sub(lambda m: m.group(1) + coverage_table() + m.group(2), text)
    text = DEMO_OUTPUT.sub(lambda m: m.group(1) + demo_output() + m.group(2), text)
    return SNIPPET.sub(lambda m: m.group(1) + snippet(m.group(2), m.group(3)) + m.group(4), text)


if __name__ == "__main__":
    stale = []
    for document in DOCUMENTS:
        current = document.read_text()
        wanted = render(current)
        if wanted != current:
            stale.append(str(document.relative_to(ROOT)))
            if "--check" not in sys.argv:
                document.write_text(wanted)
    if "--check" in sys.argv:
        print(f"stale: {', '.join(stale)}: run python scripts/sync_readme.py" if stale else "all current")
        sys.exit(int(bool(stale)))
