"""Test-session setup shared by every test area.

Airflow reads its configuration once per process, so ``AIRFLOW_HOME`` must point at a private
temporary folder before anything imports ``airflow``: this module runs first and sets it.
"""

from __future__ import annotations

import os
import tempfile

_AIRFLOW_HOME = tempfile.mkdtemp(prefix="ordermesh-tests-airflow-")
os.environ["AIRFLOW_HOME"] = _AIRFLOW_HOME
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = os.path.join(_AIRFLOW_HOME, "dags")
os.environ.setdefault("AIRFLOW__CORE__UNIT_TEST_MODE", "False")

pytest_plugins = [
    "support.dag_runner",
    "airflow_provider_ordermesh.sandbox.run.pytest_plugin",
    "support.connection",
    "support.s3",
    "support.proofs",
]
