"""``ordermesh-sandbox`` (also ``python -m airflow_provider_ordermesh.sandbox``): a local OrderMesh.

Prints the base URL and an ``AIRFLOW_CONN_ORDERMESH_DEFAULT`` line to paste, serves until SIGINT
or SIGTERM, then exits 0. ``--ready-file`` receives the URL once the server listens, so a script
can start the sandbox in the background and wait for the file.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import threading
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from airflow_provider_ordermesh.sandbox.backend.faults import FaultRule, parse_fault_spec
from airflow_provider_ordermesh.sandbox.run.server import SandboxServer


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        faults = list(args.fault)
        if args.latency_ms:
            faults.append(FaultRule(kind="latency", latency_ms=args.latency_ms))
        server = SandboxServer(
            args.host,
            args.port,
            log_level="info",
            access_log=True,
            speed=args.speed,
            step_seconds=args.step_seconds,
            reject_rate=args.reject_rate,
            token_lifetime_seconds=args.token_lifetime,
            seed=args.seed,
            faults=faults,
        )
    except ValidationError as exc:
        parser.error(str(exc))
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    with server:
        for url in args.webhook:
            server.instance.webhooks.subscribe(
                url, token=args.webhook_token, signing_secret=args.webhook_secret
            )
        print(_banner(server), flush=True)
        if args.ready_file:
            _write_atomically(args.ready_file, server.url + "\n")
        try:
            stop.wait()
        finally:
            if args.ready_file:
                args.ready_file.unlink(missing_ok=True)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ordermesh-sandbox", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default %(default)s)")
    parser.add_argument("--port", type=int, default=0, help="port to listen on; 0 picks a free one (default)")
    parser.add_argument(
        "--speed",
        type=float,
        default=1.0,
        help="virtual seconds per real second for the shipment lifecycle (default %(default)s)",
    )
    parser.add_argument(
        "--step-seconds",
        type=float,
        default=30.0,
        help="virtual seconds between two shipment statuses (default %(default)s)",
    )
    parser.add_argument(
        "--reject-rate",
        type=float,
        default=0.1,
        help="share of new shipments their facility rejects (default %(default)s)",
    )
    parser.add_argument(
        "--token-lifetime",
        type=float,
        default=86_400,
        help="access token lifetime in seconds (default %(default)s)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of every random choice (default %(default)s)"
    )
    parser.add_argument(
        "--fault",
        type=_fault_rule,
        action="append",
        default=[],
        metavar="RULE",
        help="fault rule ROUTE:KIND[=VALUE][:option=value...], e.g. 'orders.*:status=503:rate=0.1'; "
        "repeatable",
    )
    parser.add_argument(
        "--webhook",
        action="append",
        default=[],
        metavar="URL",
        help="deliver every webhook event to URL (repeatable), e.g. an Airflow API server's "
        "http://127.0.0.1:8080/ordermesh/webhooks/shop",
    )
    parser.add_argument(
        "--webhook-token", help="send this token in X-OrderMesh-Webhook-Token with each delivery"
    )
    parser.add_argument(
        "--webhook-secret", help="sign deliveries the Standard Webhooks way with this whsec_ secret"
    )
    parser.add_argument("--latency-ms", type=int, default=0, help="extra latency on every API request")
    parser.add_argument("--ready-file", type=Path, help="write the base URL to this file once listening")
    return parser


def _fault_rule(spec: str) -> FaultRule:
    try:
        return parse_fault_spec(spec)
    except (ValueError, ValidationError) as exc:
        raise argparse.ArgumentTypeError(f"{spec!r}: {exc}") from None


def _banner(server: SandboxServer) -> str:
    return "\n".join(
        [
            f"OrderMesh sandbox listening on {server.url}",
            f"  client credentials: {server.config.client_id} / {server.config.client_secret}",
            f"  control API: {server.url}/_sandbox/ (reference at {server.url}/_sandbox/docs)",
            "Point Airflow at it with:",
            f"export AIRFLOW_CONN_ORDERMESH_DEFAULT='{server.connection_json()}'",
            "Press Ctrl+C to stop.",
        ]
    )


def _write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text)
    os.replace(partial, path)
