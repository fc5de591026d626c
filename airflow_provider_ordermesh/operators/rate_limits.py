"""An OrderMesh 429 that outlasted the client's own retries: the task waits as long as the API asked.

The client retries a 429 itself (``max_retries``, each wait at least the ``Retry-After`` it was
given, capped). When the API still answers 429, the operator fails with ``RateLimitError``, which
carries the last ``Retry-After``; the retry policy built here makes Airflow run the task again at
that time instead of after ``retry_delay`` (how depends on the Airflow version: see
``compat.waiting_retry_policy``; docs/versions.md has the table).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from airflow_provider_ordermesh.client.errors import RateLimitError
from airflow_provider_ordermesh.compat import waiting_retry_policy

MAX_WAIT = timedelta(hours=1)
"""The longest ``Retry-After`` obeyed as given; a longer one (a bad header, most likely) waits this long."""

MAX_RESCHEDULES = 10
"""Reschedules of one try for rate limits (Airflow 3.4+); past them a 429 takes a normal retry."""


def rate_limit_wait(exception: BaseException) -> timedelta | None:
    """The wait the 429 behind ``exception`` (itself, or what it was raised from) asked for, capped."""
    seen: set[int] = set()
    current: BaseException | None = exception
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, RateLimitError):
            if current.retry_after is None or current.retry_after <= 0:
                return None
            return min(timedelta(seconds=current.retry_after), MAX_WAIT)
        current = current.__cause__ or current.__context__
    return None


def rate_limit_retry_policy() -> Any | None:
    """The retry policy OrderMesh operators get unless given one (None before Airflow 3.3)."""
    return waiting_retry_policy(rate_limit_wait, max_reschedules=MAX_RESCHEDULES, what="OrderMesh rate limit")


def default_rate_limit_policy(operator: Any) -> None:
    """Give ``operator`` the rate-limit retry policy unless it has one (its own or from default_args)."""
    if getattr(operator, "retry_policy", None) is None and (policy := rate_limit_retry_policy()) is not None:
        operator.retry_policy = policy
