"""The decision after each poll of a status wait, as a pure step that both drivers call.

``WaitStep`` holds what one wait remembers between polls (the error budget and the unknown-id
grace) and turns each poll's answer, or its error, into a ``Verdict``: go on waiting, succeed,
fail, or end in an error. The sensor's poke (sync, in a worker) and the trigger's loop (async,
in the triggerer) only fetch, log and act on the verdict, like the client's
``client.operation.call_flow`` and its two drivers. No I/O and no Airflow here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, cast

from airflow_provider_ordermesh.waits.progress import (
    EventStatus,
    InboundProgress,
    Progress,
    event_payload,
    is_transient,
    listed,
    outcome,
)
from airflow_provider_ordermesh.waits.watch import (
    Watch,
    check_max_consecutive_errors,
    check_unknown_id_grace,
)
from airflow_provider_ordermesh.wording import counted


@dataclass(frozen=True)
class Verdict:
    """What one poll decided: ``waiting`` and ``retrying`` go on; the others end the wait.

    ``retrying`` is a poll that failed within the error budget (drivers log it as a warning).
    ``error`` carries the exception: ``transient`` says whether it was the budget running out
    (a run of 429s, 5xx, no answer) rather than an answer no retry can fix.
    """

    status: Literal["waiting", "retrying"] | EventStatus
    message: str
    progress: Progress | None = None
    error: BaseException | None = None

    @property
    def over(self) -> bool:
        return self.status not in ("waiting", "retrying")

    @property
    def transient(self) -> bool:
        return self.error is not None and is_transient(self.error)

    def event(self) -> dict[str, Any]:
        """The trigger event of a verdict that ends the wait (``event_payload``'s one shape)."""
        if not self.over:
            raise ValueError(f"a {self.status!r} verdict does not end the wait")
        error_type = type(self.error).__name__ if self.error is not None else None
        status = cast("EventStatus", self.status)
        return event_payload(status, self.message, self.progress, error_type=error_type)


@dataclass
class ErrorBudget:
    """Counts consecutive failed polls; a successful poll resets the count.

    ``record`` returns True while the wait may go on, False once ``limit`` polls in a row failed.
    """

    limit: int
    consecutive: int = 0
    last_error: str = ""

    def __post_init__(self) -> None:
        check_max_consecutive_errors(self.limit)

    def record(self, exc: BaseException) -> bool:
        self.consecutive += 1
        self.last_error = f"{type(exc).__name__}: {exc}"
        return self.consecutive < self.limit

    def reset(self) -> None:
        self.consecutive = 0
        self.last_error = ""

    def exhausted_message(self) -> str:
        return (
            f"gave up after {self.consecutive} consecutive failed polls of the OrderMesh API "
            f"(max_consecutive_errors={self.limit}); last error: {self.last_error}"
        )


@dataclass
class UnknownIdGrace:
    """Counts the polls in a row in which each id looked up by id was not found at all.

    ``record`` returns the ids that stayed unknown for ``polls`` polls: a typo, or an id of
    another kind, which no amount of waiting will find. A short grace covers an id the API
    does not list yet right after it was created.

    ``earlier_polls`` counts polls made before this counter existed (a sensor's earlier
    reschedules): an id unknown at the first ``record`` is taken to have been unknown in them
    too, since an id OrderMesh listed once does not go away.
    """

    polls: int
    misses: dict[str, int] = field(default_factory=dict)
    earlier_polls: int = 0

    def __post_init__(self) -> None:
        check_unknown_id_grace(self.polls)

    def record(self, missing: Iterable[str]) -> list[str]:
        earlier, self.earlier_polls = self.earlier_polls, 0
        self.misses = {item_id: self.misses.get(item_id, earlier) + 1 for item_id in missing}
        return [item_id for item_id, count in self.misses.items() if count >= self.polls]

    def message(self, unknown: Iterable[str], progress: Progress) -> str:
        parts = [f"{progress.label(i)} {i}" for i in unknown]
        return (
            f"OrderMesh does not know {listed(parts)}: not found in {counted(self.polls, 'poll')} in a row "
            f"(unknown_id_grace={self.polls}); check the id and its kind"
        )


class WaitStep:
    """One wait's memory between polls and the verdict on each poll; see the module docstring.

    ``earlier_polls`` says how many polls this wait already made in earlier runs whose counts
    are lost (a sensor in reschedule mode starts each poke as a new task run): an id still
    unknown now counts those polls too, so the grace ends the wait in every mode.
    """

    def __init__(
        self,
        watch: Watch,
        *,
        max_consecutive_errors: int,
        unknown_id_grace: int,
        earlier_polls: int = 0,
    ) -> None:
        self.watch = watch
        self.budget = ErrorBudget(max_consecutive_errors)
        self.grace = UnknownIdGrace(unknown_id_grace, earlier_polls=earlier_polls)
        self.progress: Progress | None = None

    def after_poll(self, found: Mapping[str, Sequence[Any]]) -> Verdict:
        """The verdict on a poll that answered: unknown ids past their grace, an outcome, or wait on."""
        self.budget.reset()
        progress = self.progress = self.watch.assess(found)
        if unknown := self.grace.record(progress.unknown):
            return Verdict("failure", self.grace.message(unknown, progress), progress)
        if finished := outcome(progress):
            status, message = finished
            return Verdict(status, message, progress)
        return Verdict("waiting", progress.waiting_message(), progress)

    def after_error(self, exc: BaseException) -> Verdict:
        """The verdict on a poll that failed: retry within the error budget, else end in an error."""
        if not is_transient(exc):
            return Verdict("error", f"polling OrderMesh failed: {exc}", self.progress, exc)
        if not self.budget.record(exc):
            return Verdict("error", self.budget.exhausted_message(), self.progress, exc)
        return Verdict(
            "retrying",
            f"OrderMesh poll failed ({self.budget.consecutive} in a row, giving up at "
            f"{self.budget.limit}): {self.budget.last_error}",
            self.progress,
        )

    def at_deadline(self, deadline: str) -> Verdict:
        """The verdict once the deadline has passed (after a final poll): a ``timeout`` naming what
        is pending; for inbound orders, whose missing ones have no outcome to wait for here, a
        ``failure`` saying the outcome is unknown (``InboundProgress.deadline_message``)."""
        progress = self.progress if self.progress is not None else self.watch.assess({})
        if not isinstance(progress, InboundProgress):
            return Verdict("timeout", self.timeout_message(deadline), self.progress)
        message = progress.deadline_message(deadline)
        if self.budget.consecutive:
            message += f" (the last poll failed: {self.budget.last_error})"
        return Verdict("failure", message, progress)

    def timeout_message(self, deadline: str) -> str:
        """What a wait that ran out of time reports: what is still pending and the last error."""
        message = f"timed out at {deadline} while waiting"
        if self.progress is not None:
            message += f": {self.progress.pending_message()}"
        if self.budget.consecutive:
            message += f" (the last poll failed: {self.budget.last_error})"
        return message


def when(epoch: float) -> str:
    """A deadline (a UNIX epoch) as messages show it: an ISO time in UTC, to the second."""
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds")


def polls_before(waited_seconds: float, poll_interval: float) -> int:
    """How many polls a wait that started ``waited_seconds`` ago has made before this one."""
    if waited_seconds <= 0 or poll_interval <= 0:
        return 0
    return int(waited_seconds // poll_interval)
