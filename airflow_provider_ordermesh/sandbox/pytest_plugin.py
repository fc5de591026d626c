"""The sandbox's pytest plugin under its public name: ``pytest_plugins = ["airflow_provider_ordermesh.sandbox.pytest_plugin"]``.

It lives in :mod:`airflow_provider_ordermesh.sandbox.run.pytest_plugin`; this module keeps the documented path.
"""

from airflow_provider_ordermesh.sandbox.run.pytest_plugin import *  # noqa: F403
from airflow_provider_ordermesh.sandbox.run.pytest_plugin import __all__  # noqa: F401
