"""What every benchmark receives: the run's mode (sizes) and a way to get a fresh sandbox."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from benchmarks.harness import environment
from benchmarks.harness.report import progress
from benchmarks.harness.sandbox_process import SandboxProcess

SANDBOX_ARGS: tuple[str, ...] = ("--speed", "0", "--reject-rate", "0", "--seed", "7")
"""The lifecycle clock is frozen and no shipment is rejected: only explicit clock moves change statuses."""


class Context:
    """``quick`` selects the smoke-run sizes; ``size(full=..., quick=...)`` picks one.

    In full mode every benchmark gets its own new sandbox process. In quick mode one process
    serves the whole run and is reset (state, counters, faults) before each benchmark, which
    saves a few seconds of start-up per benchmark; ``close()`` stops it.
    """

    def __init__(self, *, quick: bool = False):
        self.quick = quick
        self._shared: SandboxProcess | None = None

    @property
    def mode(self) -> str:
        return "quick" if self.quick else "full"

    def size(self, *, full: int, quick: int) -> int:
        return quick if self.quick else full

    def seconds(self, *, full: float, quick: float) -> float:
        return quick if self.quick else full

    @staticmethod
    def log(message: str) -> None:
        progress(message)

    @staticmethod
    def _new_sandbox() -> SandboxProcess:
        from airflow_provider_ordermesh.client.auth import TokenCache

        return SandboxProcess(args=SANDBOX_ARGS, after_reset=TokenCache.clear_all)

    @contextlib.contextmanager
    def sandbox(self) -> Iterator[SandboxProcess]:
        """A sandbox with empty state, both benchmark connections pointed at it.

        The per-process token cache is emptied now and after every ``reset()``, so that token
        counts start from zero and every run fetches its own token.
        """
        from airflow_provider_ordermesh.client.auth import TokenCache

        TokenCache.clear_all()
        if not self.quick:
            with self._new_sandbox() as sandbox:
                environment.point_connections_at(sandbox.url)
                yield sandbox
            return
        if self._shared is None:
            self._shared = self._new_sandbox().__enter__()
        else:
            self._shared.reset()
        environment.point_connections_at(self._shared.url)
        yield self._shared

    def close(self) -> None:
        """Stop the shared sandbox, if one was started."""
        shared, self._shared = self._shared, None
        if shared is not None:
            shared.__exit__()
