"""Settings of the operator tests: fast client retries (the shared fixtures are in support.connection)."""

from __future__ import annotations

from airflow_provider_ordermesh.client import RetryPolicy

# Client retries in these tests: a few, without waiting (the sandbox's faults are immediate).
FAST_RETRIES = {"retry_policy": RetryPolicy(max_retries=2, backoff_base=0.0, jitter=lambda ceiling: 0.0)}
