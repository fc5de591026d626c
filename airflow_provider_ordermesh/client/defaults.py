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

MAX_RETRIES_LIMIT = 20
"""The most retries a connection may ask for (the form's maximum)."""
