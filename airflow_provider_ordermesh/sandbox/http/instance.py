"""One running sandbox: its config, backend, tokens, fault rules and request counts.

The app keeps one on ``app.state.sandbox``, so two apps in one process are two isolated
sandboxes. The config is what the sandbox starts with and returns to: reset rebuilds the
state, the counts and the fault rules from it (moto: reset = rebuild). Tokens outlive resets.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

from airflow_provider_ordermesh.sandbox.backend.auth import TokenStore
from airflow_provider_ordermesh.sandbox.backend.backend import OrderMeshBackend
from airflow_provider_ordermesh.sandbox.backend.config import SandboxConfig
from airflow_provider_ordermesh.sandbox.backend.faults import FaultInjector, FaultRule
from airflow_provider_ordermesh.sandbox.backend.webhooks import WebhookHub
from airflow_provider_ordermesh.sandbox.http.stats import Stats


class SandboxInstance:
    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.tokens = TokenStore(config)
        self._request_numbers = itertools.count(1)
        self.webhooks = WebhookHub()
        """Webhook subscriptions and deliveries: like tokens, they outlive resets."""
        self._rebuild()

    def reset(self, overrides: Mapping[str, Any] | None = None) -> None:
        """Fresh state, counts and fault counters, under the current config with ``overrides`` applied."""
        self.config = self.config.updated(overrides or {})
        self.tokens.reconfigure(self.config)
        self._rebuild()

    def configure(self, changes: Mapping[str, Any]) -> None:
        """Change settings now and for later resets, without losing state."""
        self.config = self.config.updated(changes)
        self.backend.reconfigure(self.config)
        self.tokens.reconfigure(self.config)
        if any(SandboxConfig.wire_name(key) == "faults" for key in changes):
            self.set_faults(self.config.faults)

    def set_faults(self, rules: Sequence[FaultRule]) -> None:
        """Replace the live fault rules until the next reset; their counts start afresh."""
        self.faults = FaultInjector(rules, self.config.seed)

    def reset_stats(self) -> None:
        """Zero the request counts, keeping the data."""
        self.stats = Stats()

    def next_request_id(self) -> str:
        return f"sbx-{next(self._request_numbers):08d}"

    def stats_snapshot(self) -> dict[str, Any]:
        return {**self.stats.snapshot(), **self.backend.counts()}

    def _rebuild(self) -> None:
        self.backend = OrderMeshBackend(self.config)
        self.backend.state.audit.listeners.append(self.webhooks.observe(self.backend.state))
        self.set_faults(self.config.faults)
        self.reset_stats()
