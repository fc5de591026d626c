"""The settings of one sandbox: clock, lifecycle, tokens, credentials and fault rules.

One validated model serves the Python API (``SandboxServer(speed=10)``), the command line and the
control API (``POST /_sandbox/config`` with camelCase keys), so the three cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ConfigDict, Field

from airflow_provider_ordermesh.sandbox.backend.errors import FieldError, ValidationFailed
from airflow_provider_ordermesh.sandbox.backend.faults import FaultRule
from airflow_provider_ordermesh.sandbox.backend.validation import SandboxModel, parse


class SandboxConfig(SandboxModel):
    """How a sandbox behaves. The defaults suit tests: real-time clock and no rejections."""

    model_config = ConfigDict(frozen=True)

    speed: float = Field(1.0, ge=0, description="Virtual seconds per real second (0 freezes the clock).")
    step_seconds: float = Field(30.0, gt=0, description="Virtual seconds between two shipment statuses.")
    reject_rate: float = Field(0.0, ge=0, le=1, description="Share of new shipments the facility rejects.")
    token_lifetime_seconds: float = Field(
        86_400.0, gt=0, description="Lifetime of access tokens, real seconds."
    )
    seed: int = Field(0, description="Seeds every random choice; takes effect at the next reset.")
    faults: tuple[FaultRule, ...] = ()
    client_id: str = Field("sandbox-client", min_length=1)
    client_secret: str = Field("sandbox-secret", min_length=1)
    username: str = Field("sandbox-user", min_length=1)
    password: str = Field("sandbox-password", min_length=1)

    def updated(self, changes: Mapping[str, Any]) -> SandboxConfig:
        """A copy with ``changes`` (camelCase or snake_case keys) applied and validated as a whole."""
        merged = self.model_dump(by_alias=True)
        for key, value in changes.items():
            merged[self.wire_name(key)] = value
        return parse(SandboxConfig, merged, where="sandbox settings")

    @classmethod
    def wire_name(cls, key: str) -> str:
        """The camelCase name of a setting given in either spelling, or a 400 naming the unknown key."""
        for name, field in cls.model_fields.items():
            if key in (name, field.alias):
                return field.alias or name
        raise ValidationFailed("unknown sandbox setting", [FieldError(key, "Extra inputs are not permitted")])
