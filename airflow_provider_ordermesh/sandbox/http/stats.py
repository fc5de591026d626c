"""Counts of API requests by endpoint name and outcome, for ``GET /_sandbox/stats``.

Only API routes are counted (not ``/_sandbox`` or ``/portal``), fault-injected answers included;
a dropped connection counts under the outcome ``"dropped"``. Totals are derived when asked.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any, Final

from airflow_provider_ordermesh.client.endpoints import ENDPOINTS

DROPPED: Final = "dropped"

_TOKEN_ENDPOINTS: Final = frozenset(
    name for name, endpoint in ENDPOINTS.items() if not endpoint.authenticated
)


class Stats:
    def __init__(self) -> None:
        self._outcomes: defaultdict[str, Counter[str]] = defaultdict(Counter)
        self._clients: set[tuple[str, int]] = set()

    def record(self, endpoint_name: str, outcome: int | str, client: tuple[str, int] | None) -> None:
        """One request to ``endpoint_name`` that ended with a status code or ``DROPPED``."""
        self._outcomes[endpoint_name][str(outcome)] += 1
        if client is not None:
            self._clients.add((client[0], client[1]))

    def snapshot(self) -> dict[str, Any]:
        requests = {name: dict(outcomes) for name, outcomes in sorted(self._outcomes.items())}
        return {
            "requestsTotal": sum(sum(outcomes.values()) for outcomes in requests.values()),
            "requests": requests,
            "attempts": {name: sum(outcomes.values()) for name, outcomes in requests.items()},
            "tokensIssued": sum(requests.get(name, {}).get("200", 0) for name in _TOKEN_ENDPOINTS),
            "connectionsOpened": len(self._clients),
            "droppedConnections": sum(outcomes.get(DROPPED, 0) for outcomes in requests.values()),
        }
