"""The sandbox's pytest plugin under its documented name.

Enable it with ``pytest_plugins = ["airflow_provider_ordermesh.sandbox.pytest_plugin"]``; the code
lives in :mod:`airflow_provider_ordermesh.sandbox.run.pytest_plugin`.
"""

from airflow_provider_ordermesh.sandbox.run.pytest_plugin import *  # noqa: F403
from airflow_provider_ordermesh.sandbox.run.pytest_plugin import __all__  # noqa: F401
