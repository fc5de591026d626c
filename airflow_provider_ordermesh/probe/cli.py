"""``ordermesh-probe`` (also ``python -m airflow_provider_ordermesh.probe``): run the probe and report.

Exit status: 0 when every read tried matches, 1 when one does not (``path missing``, ``shape
differs`` or ``failed``), 2 for bad options or settings, 3 when authentication failed.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from airflow_provider_ordermesh.client.errors import ConfigurationError
from airflow_provider_ordermesh.probe import report, settings, table
from airflow_provider_ordermesh.probe.reader import AuthenticationFailedError, Reader, ReadOnlySession
from airflow_provider_ordermesh.probe.runner import run_probe

EXIT_MATCHES, EXIT_DIFFERS, EXIT_USAGE, EXIT_AUTH = 0, 1, 2, 3


def main(argv: Sequence[str] | None = None) -> int:
    """Run the probe with these arguments; returns the exit status."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        probe_settings = settings.parse(argv)
        session = ReadOnlySession()
        client = settings.open_client(probe_settings, session)
    except (ConfigurationError, ValueError) as exc:
        print(f"ordermesh-probe: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    with client:
        try:
            checks = run_probe(Reader(client, session), probe_settings.ids)
        except AuthenticationFailedError as exc:
            print(f"ordermesh-probe: {exc}; check the credentials", file=sys.stderr)
            return EXIT_AUTH
    code = EXIT_DIFFERS if any(check.verdict.is_problem for check in checks) else EXIT_MATCHES
    print(f"OrderMesh at {client.base_url}")
    print(table.render(checks))
    print(table.summary(checks))
    if extra := table.details(checks):
        print(extra)
    if probe_settings.report is not None:
        report.write(probe_settings.report, report.build(checks, client.base_url, code))
        print(f"report written to {probe_settings.report} (no secrets, tokens or personal data)")
    return code
