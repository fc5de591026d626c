"""The process environment the benchmarks run in: a private Airflow home and the connections.

Airflow reads its configuration once per process, so ``prepare`` must run before anything
imports ``airflow``; child processes inherit the same variables. Connections are plain
``AIRFLOW_CONN_*`` variables, which is how a user would point Airflow at an API too.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
import warnings
from typing import Any

ORDERMESH_CONN_ID = "ordermesh_bench"
HTTP_CONN_ID = "ordermesh_bench_http"
CLIENT_ID = "sandbox-client"
CLIENT_SECRET = "sandbox-secret"  # the sandbox's published development credentials, not a secret


def prepare() -> str:
    """Point ``AIRFLOW_HOME`` at a fresh temporary folder (unless already prepared) and quiet Airflow."""
    home = os.environ.get("ORDERMESH_BENCH_AIRFLOW_HOME")
    if not home:  # the runner makes it; its child processes inherit it through the variable
        home = tempfile.mkdtemp(prefix="ordermesh-bench-airflow-")
        os.environ["ORDERMESH_BENCH_AIRFLOW_HOME"] = home
        atexit.register(shutil.rmtree, home, ignore_errors=True)
    os.environ["AIRFLOW_HOME"] = home
    os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
    os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = os.path.join(home, "dags")
    os.environ["AIRFLOW__LOGGING__LOGGING_LEVEL"] = "WARNING"
    # The stock HTTP provider (a baseline) imports a helper that Airflow 3.3 deprecates; not ours to fix.
    warnings.filterwarnings("ignore", message=r".*airflow\.utils\.operator_helpers\.determine_kwargs")
    return home


def _conn_var(conn_id: str) -> str:
    return f"AIRFLOW_CONN_{conn_id.upper()}"


def ordermesh_connection(base_url: str, **extra: Any) -> dict[str, Any]:
    """An ``ordermesh`` connection to ``base_url`` with the sandbox's client credentials."""
    return {
        "conn_type": "ordermesh",
        "host": base_url,
        "login": CLIENT_ID,
        "password": CLIENT_SECRET,
        "extra": {"max_retries": 3, **extra},
    }


def http_connection(base_url: str) -> dict[str, Any]:
    """A stock ``http`` connection to ``base_url`` without login: the bearer token goes in a header."""
    return {"conn_type": "http", "host": base_url}


def point_connections_at(base_url: str) -> dict[str, str]:
    """Set both benchmark connections to ``base_url``; returns the variables set (for child processes)."""
    variables = {
        _conn_var(ORDERMESH_CONN_ID): json.dumps(ordermesh_connection(base_url)),
        _conn_var(HTTP_CONN_ID): json.dumps(http_connection(base_url)),
    }
    os.environ.update(variables)
    return variables
