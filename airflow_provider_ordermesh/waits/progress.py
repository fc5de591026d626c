"""How far a status wait has got: pure evaluation shared by the sensors and the triggers.

Given the ids being watched and the latest status of each, say which reached a target status,
which hit a failure status, which are still pending and which were not found; for inbound orders
(``InboundProgress``), which safeIds were found as which order and which not (yet). Also the event
payload the triggers send and the tolerance of transient API errors. No I/O and no Airflow here,
so that the sensor's poke and the trigger's loop cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from airflow_provider_ordermesh.client.errors import RateLimitError, ServerError, TransportError
from airflow_provider_ordermesh.wording import counted

EventStatus = Literal["success", "failure", "timeout", "error"]
EVENT_STATUSES: Final = ("success", "failure", "timeout", "error")

MAX_LISTED: Final = 20
"""How many ids a message names before it says "and N more"."""


@dataclass(frozen=True)
class Progress:
    """One poll's verdict. Every mapping is ``{id: status name}``; ``labels`` says what each id is."""

    reached: dict[str, str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    waiting: dict[str, str] = field(default_factory=dict)
    missing: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    """Missing ids that OrderMesh was asked for by id and did not return: the grace counts them."""
    labels: Mapping[str, str] = field(default_factory=dict)
    default_label: str = "item"
    notes: Mapping[str, str] = field(default_factory=dict)
    """Why an id may never get there, e.g. ``{order id: "shipment s1 is Rejected"}``: shown beside it."""

    @property
    def done(self) -> bool:
        """Every watched id reached a target status (and at least one id was seen)."""
        return not self.failed and not self.waiting and not self.missing and bool(self.reached)

    @property
    def statuses(self) -> dict[str, str]:
        """The latest status of every id that was found: the sensor's XCom value."""
        return {**self.reached, **self.failed, **self.waiting}

    @property
    def pending(self) -> list[str]:
        """Ids still waited for: found but not at a target status yet, or not found at all."""
        return [*self.waiting, *self.missing]

    def label(self, item_id: str) -> str:
        return self.labels.get(item_id, self.default_label)

    def _described(self, item_id: str, status: str) -> str:
        note = self.notes.get(item_id)
        return f"{self.label(item_id)} {item_id} is {status}" + (f" ({note})" if note else "")

    def failure_message(self) -> str:
        """Names each id that reached a failure status, with that status."""
        parts = [self._described(i, status) for i, status in self.failed.items()]
        return "OrderMesh wait failed: " + listed(parts)

    def pending_message(self) -> str:
        """Names what is still outstanding, for timeouts and logs."""
        parts = [self._described(i, status) for i, status in self.waiting.items()]
        parts += [f"{self.label(i)} {i} not found" for i in self.missing]
        if not parts:
            return "nothing found to wait for"
        return listed(parts)

    def success_message(self) -> str:
        return f"{len(self.reached)} reached a target status: " + listed(
            [f"{self.label(i)} {i} is {s}" for i, s in self.reached.items()]
        )

    def waiting_message(self) -> str:
        """What a poll that did not end the wait logs."""
        return f"{len(self.reached)} reached a target status; still waiting: {self.pending_message()}"


RECEIVER_HINT: Final = (
    "OrderMesh reports an inbound order that could not be created only by its OrderCreation webhook, "
    "so each of these either failed or is still queued, and this wait cannot tell which; it is not "
    "a success. Receive the webhooks to learn the outcome (the provider's webhook receiver, "
    "docs/webhooks.md), or look these safeIds up again later"
)


@dataclass(frozen=True)
class InboundProgress(Progress):
    """How far a wait for inbound orders has got: ``reached`` is ``{safeId: order id}`` of the
    orders found, ``missing`` the safeIds not found (yet). There is no status to reach or fail: an
    order exists or not, and one not found is never unknown to the grace (it may still be queued);
    only the deadline ends that wait, with ``deadline_message``."""

    default_label: str = "safeId"

    def success_message(self) -> str:
        return f"{counted(len(self.reached), 'inbound order')} created: " + listed(
            [f"safeId {safe_id} is order {order_id}" for safe_id, order_id in self.reached.items()]
        )

    def waiting_message(self) -> str:
        found = counted(len(self.reached), "inbound order")
        return (
            f"{found} of {len(self.reached) + len(self.missing)} found by safeId; not found yet: "
            + listed(list(self.missing))
        )

    def deadline_message(self, deadline: str) -> str:
        """The outcome at the deadline: the safeIds not found are unknown, never a success."""
        message = (
            f"outcome unknown at {deadline}: {counted(len(self.missing), 'inbound order')} not found by "
            f"safeId: {listed(list(self.missing))}. {RECEIVER_HINT}"
        )
        if self.reached:
            message += f". Found: {listed([f'{s} (order {o})' for s, o in self.reached.items()])}"
        return message


def listed(parts: list[str]) -> str:
    """Parts joined by "; ", the first ``MAX_LISTED`` of them, then "and N more"."""
    shown = "; ".join(parts[:MAX_LISTED])
    if len(parts) > MAX_LISTED:
        shown += f"; and {len(parts) - MAX_LISTED} more"
    return shown


def evaluate(
    *,
    observed: Mapping[str, str],
    expected: Iterable[str] = (),
    looked_up: Iterable[str] = (),
    targets: Iterable[str],
    failures: Iterable[str],
    labels: Mapping[str, str] | None = None,
    default_label: str = "item",
) -> Progress:
    """Sort ``observed`` (``{id: status name}``) by ``targets`` and ``failures``.

    ``expected`` lists ids that must be present: any of them absent from ``observed`` is missing
    (still pending: a record may appear later); those also in ``looked_up`` were asked for by
    id, so they are unknown to OrderMesh so far. A status in neither set is pending. Status names
    are compared exactly; callers normalise them first (see ``models.statuses``).
    """
    target_set, failure_set = frozenset(targets), frozenset(failures)
    reached: dict[str, str] = {}
    failed: dict[str, str] = {}
    waiting: dict[str, str] = {}
    for item_id, status in observed.items():
        bucket = failed if status in failure_set else reached if status in target_set else waiting
        bucket[item_id] = status
    missing = tuple(dict.fromkeys(i for i in expected if i not in observed))
    by_id = frozenset(looked_up)
    return Progress(
        reached=reached,
        failed=failed,
        waiting=waiting,
        missing=missing,
        unknown=tuple(i for i in missing if i in by_id),
        labels=dict(labels or {}),
        default_label=default_label,
    )


# --- transient API errors ------------------------------------------------------------------


def is_transient(exc: BaseException) -> bool:
    """An error worth polling again for: no answer, 429 or 5xx (after the client's own retries)."""
    return isinstance(exc, (TransportError, RateLimitError, ServerError))


# --- trigger events -------------------------------------------------------------------------


def event_payload(
    status: EventStatus,
    message: str,
    progress: Progress | None = None,
    *,
    error_type: str | None = None,
) -> dict[str, Any]:
    """The one JSON payload shape of every status trigger event: small, plain JSON values only."""
    if status not in EVENT_STATUSES:
        raise ValueError(f"unknown event status {status!r}")
    return {
        "status": status,
        "message": message,
        "statuses": progress.statuses if progress else {},
        "pending": progress.pending if progress else [],
        "error_type": error_type,
    }


def outcome(progress: Progress) -> tuple[EventStatus, str] | None:
    """``("failure", msg)`` or ``("success", msg)`` when the wait is over; None while it goes on."""
    if progress.failed:
        return "failure", progress.failure_message()
    if progress.done:
        return "success", progress.success_message()
    return None
