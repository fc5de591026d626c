"""A local OrderMesh for developing and testing DAGs without credentials, like moto for AWS.

Start it with ``ordermesh-sandbox`` (or ``python -m airflow_provider_ordermesh.sandbox``), in
Python with ``SandboxServer``, or in tests through the ``sandbox`` pytest fixture
(``airflow_provider_ordermesh.sandbox.run.pytest_plugin``). It serves every operation of the
client's endpoint table over real HTTP, with the API's auth, error bodies, paging and bulk
shapes, plus a control API under ``/_sandbox/`` (reset, config, clock, faults, stats).

Credentials: client ``sandbox-client`` / ``sandbox-secret``, user ``sandbox-user`` /
``sandbox-password``. Orders get one shipment per facility their SKUs map to (the text before
the first ``-``); shipments then move Assigned -> Accepted -> InProduction -> Shipped ->
Delivered every ``step_seconds`` of virtual time, unless rejected (``reject_rate``).

=================  ========================  ==========================================
Facility id        Kind                      SKU prefixes
=================  ========================  ==========================================
apparel-east       apparel (default)         TSHIRT, HOODIE, APPAREL
apparel-west       apparel
drinkware-north    drinkware (default)       MUG
drinkware-south    drinkware
wallart-east       wall_art (default)        POSTER, CANVAS
wallart-west       wall_art
general-central    general (default)         any other prefix
general-coastal    general
=================  ========================  ==========================================

Its three rooms: ``backend/`` (state and behaviour, no HTTP; the request bodies it reads in
``bodies/``, spelt as the API notes spell them, and its search filters), ``http/`` (the routes,
one handler table, views and the control API), ``run/`` (server, command line, pytest plugin).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from airflow_provider_ordermesh.sandbox.backend.config import SandboxConfig
    from airflow_provider_ordermesh.sandbox.http.app import create_app
    from airflow_provider_ordermesh.sandbox.run.server import SandboxServer

__all__ = ["SandboxConfig", "SandboxServer", "create_app"]

_HOMES = {"SandboxConfig": "backend.config", "SandboxServer": "run.server", "create_app": "http.app"}


def __getattr__(name: str) -> Any:
    """Load a public name on first use.

    FastAPI and uvicorn take over a second to import; the pytest plugin lives in this package
    too, and a test run that never starts the sandbox should not pay for them.
    """
    if name in _HOMES:
        return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
