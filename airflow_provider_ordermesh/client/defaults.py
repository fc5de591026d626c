"""Default client settings, defined once: the client, the hook and the connection form read them here.

No imports at all, so that the operators and the connection form (loaded by provider discovery)
can use them without pulling in the client.
"""

from __future__ import annotations

DEFAULT_MAX_RETRIES = 5
"""Retries of a request on connection errors, 429, 502, 503 and 504."""

DEFAULT_CONNECT_TIMEOUT = 10.0
"""Seconds to wait for a connection."""

DEFAULT_READ_TIMEOUT = 60.0
"""Seconds to wait for each read of an answer."""

TEST_CONNECTION_TIMEOUT = (5.0, 10.0)
"""``(connect, read)`` seconds of ``OrderMeshHook.test_connection()``: a UI check must answer soon."""

DEFAULT_BULK_CONCURRENCY = 8
"""Bulk batches in flight at once, by default (the bulk engine and the bulk operators).

Over the internet a batch waits a round trip for its answer, and batches in flight wait
together: at 100 ms per request, 5,000 orders take about 2 s with 8 in flight against 2.6 s
with 4, where one at a time takes 7 s (``benchmarks``, ``bulk_create``). OrderMesh documents no
rate limit and none was seen, so the default stays modest: 8 requests at once from one task,
within the client's pool of 16 connections; a 429 is retried after its ``Retry-After``, and
``max_concurrency`` sets it per task (up to 32)."""

MAX_RETRIES_LIMIT = 20
"""The most retries a connection may ask for (the form's maximum)."""
