"""When to try a request again, and how long to wait first: pure functions, no I/O.

Retried: connection failures (when repeating is safe), 429, 502, 503 and 504. Never retried:
other 4xx (409 included: for a create it means "already done") and 500, which usually repeats.
The wait is exponential with full jitter, and never shorter than the server's ``Retry-After``
(seconds or HTTP date), which is itself capped so that a bad header cannot stall a task.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from airflow_provider_ordermesh.client.defaults import DEFAULT_MAX_RETRIES

RETRY_STATUSES = frozenset({429, 502, 503, 504})

__all__ = ["DEFAULT_MAX_RETRIES", "RETRY_STATUSES", "RetryPolicy", "parse_retry_after"]


@dataclass(frozen=True)
class RetryPolicy:
    """How many times to retry and how to space the attempts."""

    max_retries: int = DEFAULT_MAX_RETRIES
    backoff_base: float = 0.5
    backoff_cap: float = 30.0
    retry_after_cap: float = 120.0
    jitter: Callable[[float], float] = field(default=lambda ceiling: random.uniform(0, ceiling), repr=False)

    def should_retry_status(self, status: int, attempt: int) -> bool:
        """Whether an HTTP error answer on attempt ``attempt`` (0-based) is worth another try."""
        return status in RETRY_STATUSES and attempt < self.max_retries

    def should_retry_transport(
        self, *, retryable: bool, maybe_applied: bool, retry_safe: bool, attempt: int
    ) -> bool:
        """Whether a failure without an HTTP answer is worth another try."""
        if attempt >= self.max_retries or not retryable:
            return False
        return retry_safe or not maybe_applied

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before attempt ``attempt + 1``: jittered backoff, at least ``Retry-After``."""
        backoff = self.jitter(min(self.backoff_cap, self.backoff_base * 2**attempt))
        if retry_after is None:
            return backoff
        return max(backoff, min(retry_after, self.retry_after_cap))


def parse_retry_after(headers: Mapping[str, str], now: Callable[[], datetime] | None = None) -> float | None:
    """The ``Retry-After`` header in seconds (it may be a number or an HTTP date), or None."""
    value = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = now() if now else datetime.now(UTC)
    return max(0.0, (when - current).total_seconds())
