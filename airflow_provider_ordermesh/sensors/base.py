"""What the wait sensors share: validation, the batched poke, the deadline, deferral and event handling.

``WaitSensorBase`` is every wait (the status sensors and the inbound-order sensor);
``StatusSensorBase`` adds what only the status sensors have: target and failure statuses, the
unknown-id grace and ``on_empty``.

A status wait's timeout raises ``AirflowSensorTimeout``, which ``soft_fail`` turns into a skip; a
real failure (a failure status, repeated API errors, an event the sensor does not understand, an
inbound order's unknown outcome at the deadline) raises ``OrderMeshWaitError``, which ``soft_fail``
leaves a failure. What each poll decides, and what the deadline means, is ``waits.step.WaitStep``,
the same step the triggers drive.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Final

from airflow_provider_ordermesh.arguments.numbers import checked_seconds
from airflow_provider_ordermesh.compat import (
    AirflowFailException,
    AirflowSensorTimeout,
    AirflowSkipException,
    BaseSensorOperator,
    PokeReturnValue,
    default_deferrable,
)
from airflow_provider_ordermesh.hooks.connection_form import DEFAULT_CONN_ID
from airflow_provider_ordermesh.lineage import OrderMeshLineageMixin
from airflow_provider_ordermesh.waits.watch import (
    DEFAULT_UNKNOWN_ID_GRACE,
    EmptyWait,
    OnEmpty,
    Watch,
    check_max_consecutive_errors,
    check_on_empty,
    check_page_size,
    check_unknown_id_grace,
    fetch,
)

if TYPE_CHECKING:
    from airflow_provider_ordermesh.compat import BaseTrigger, Context
    from airflow_provider_ordermesh.hooks.ordermesh import OrderMeshHook
    from airflow_provider_ordermesh.waits.step import Verdict, WaitStep

# ``waits.step`` loads when a wait runs (``_new_step``): DAG parsing only checks the arguments.


BACKSTOP_MARGIN_SECONDS: Final = 60.0
"""How long after the trigger's own deadline (and one more poll interval) Airflow's deferral
timeout may fire: the trigger's final poll and its timeout message, which names what is still
pending, come first; Airflow's bare timeout stays a backstop for a trigger that is not running."""


DEADLINE_SLACK: Final = 1.0
"""How long before the deadline a poke already counts as the final one, in seconds (at most half
the poke interval): the sensor's own verdict at the deadline (an inbound order's unknown outcome)
must come before Airflow's bare timeout check right after the poke, which ``soft_fail`` would turn
into a skip. A wait whose verdict at the deadline is a plain timeout leaves it to that check."""


class OrderMeshWaitError(RuntimeError):
    """A wait that cannot succeed: a failure status, repeated API errors, or an unexpected event.

    Deliberately not an ``AirflowException``: Airflow's sensors turn those into skips under
    ``soft_fail``, which must only hide timeouts, never a cancelled order.
    """


def _concrete(value: Any) -> bool:
    """True when ``value`` is final at DAG parse time (no Jinja template, no XComArg)."""
    if value is None or isinstance(value, (int, float)):
        return True
    if isinstance(value, str):
        return "{{" not in value and "{%" not in value
    if isinstance(value, (list, tuple, set, frozenset)):
        return all(_concrete(item) for item in value)
    if isinstance(value, Mapping):  # e.g. a submit operator's result written into the DAG file
        return all(_concrete(item) for item in value.values())
    return False


class WaitSensorBase(OrderMeshLineageMixin, BaseSensorOperator):
    """What every OrderMesh wait sensor shares: client settings, the batched poke, the deadline,
    deferral and event handling. A subclass says what to watch (``build_watch``) and how its
    trigger is built (``make_trigger``); ``StatusSensorBase`` adds target and failure statuses."""

    id_fields: ClassVar[tuple[str, ...]] = ()
    on_empty: OnEmpty = "fail"
    """What an empty input does; only the status sensors let it be changed."""
    unknown_id_grace: int = DEFAULT_UNKNOWN_ID_GRACE
    """Polls an id looked up by id may stay unknown; only the status sensors let it be changed."""

    def __init__(
        self,
        *,
        ordermesh_conn_id: str = DEFAULT_CONN_ID,
        deferrable: bool | None = None,
        max_consecutive_errors: int = 5,
        page_size: int = 100,
        hook_params: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        for name in ("poke_interval", "timeout"):  # Airflow itself lets NaN, inf and True through
            if name in kwargs and not isinstance(kwargs[name], timedelta):
                checked_seconds(kwargs[name], param=name)
        super().__init__(**kwargs)
        self.ordermesh_conn_id = ordermesh_conn_id
        self.deferrable = default_deferrable() if deferrable is None else bool(deferrable)
        self.max_consecutive_errors = check_max_consecutive_errors(max_consecutive_errors)
        self.page_size = check_page_size(page_size)
        self.hook_params = dict(hook_params or {})
        try:
            json.dumps(self.hook_params)
        except (TypeError, ValueError):
            raise ValueError(
                "hook_params: must be JSON (it is handed to the trigger in deferrable mode)"
            ) from None
        self._step: WaitStep | None = None
        self._deadline: float | None = None

    # --- what each sensor defines -------------------------------------------------------------

    def build_watch(self, *, at_runtime: bool) -> Watch:
        """The validated watch from the (rendered) fields; raises naming the bad field."""
        raise NotImplementedError

    def make_trigger(self, watch: Any, end_time: float) -> BaseTrigger:
        raise NotImplementedError

    # --- shared -----------------------------------------------------------------------------

    def _check_early(self) -> None:
        """Fail at DAG parse time on what is already known: bad ids."""
        if all(_concrete(getattr(self, name)) for name in self.id_fields):
            self.build_watch(at_runtime=False)

    def _common_trigger_kwargs(self, end_time: float) -> dict[str, Any]:
        return {
            "end_time": end_time,
            "ordermesh_conn_id": self.ordermesh_conn_id,
            "poll_interval": self.poke_interval,
            "max_consecutive_errors": self.max_consecutive_errors,
            "unknown_id_grace": self.unknown_id_grace,
            "page_size": self.page_size,
            "hook_params": self.hook_params,
        }

    @cached_property
    def hook(self) -> OrderMeshHook:
        from airflow_provider_ordermesh.hooks.ordermesh import OrderMeshHook

        return OrderMeshHook(self.ordermesh_conn_id, **self.hook_params)

    def execute(self, context: Context) -> Any:
        try:
            watch = self.build_watch(at_runtime=True)
        except EmptyWait as exc:
            if self.on_empty == "succeed":
                self.log.info("Nothing to wait for (on_empty='succeed'): the wait succeeds at once")
                return {}
            if self.on_empty == "skip":
                raise AirflowSkipException(f"nothing to wait for (on_empty='skip'): {exc}") from None
            raise AirflowFailException(str(exc)) from None
        except ValueError as exc:  # bad arguments after templating: a retry cannot help, nor soft_fail
            raise AirflowFailException(str(exc)) from None
        if missed := watch.statuses_missed():
            self.log.warning(
                "%s: neither a target nor a failure status, so an id that reaches one waits until "
                "the timeout; add it to target_statuses or failure_statuses if that is not meant",
                ", ".join(missed),
            )
        started = self._first_poke_at(context)
        now = datetime.now(UTC)
        self._deadline = (started or now).timestamp() + self.timeout
        self._step = self._new_step(watch, earlier_polls=self._earlier_polls(started, now))
        if not self.deferrable:
            return super().execute(context)
        first = self.poke(context)  # a wait that is already over never defers
        if isinstance(first, PokeReturnValue):
            return first.xcom_value
        self.defer(
            trigger=self.make_trigger(watch, self._deadline),
            method_name="execute_complete",
            timeout=timedelta(seconds=self.timeout + self.poke_interval + BACKSTOP_MARGIN_SECONDS),
        )

    def _first_poke_at(self, context: Context) -> datetime | None:
        """When this wait's first poke ran, in reschedule mode (each poke is a new task run); else None."""
        if not self.reschedule or "ti" not in context:
            return None
        started: datetime | None = context["ti"].get_first_reschedule_date(context)
        return started

    def _earlier_polls(self, started: datetime | None, now: datetime) -> int:
        """Polls of this wait in earlier reschedules, for the grace."""
        if started is None:
            return 0
        from airflow_provider_ordermesh.waits.step import polls_before

        return polls_before((now - started).total_seconds(), self.poke_interval)

    def _new_step(self, watch: Watch, *, earlier_polls: int = 0) -> WaitStep:
        from airflow_provider_ordermesh.waits.step import WaitStep

        return WaitStep(
            watch,
            max_consecutive_errors=self.max_consecutive_errors,
            unknown_id_grace=self.unknown_id_grace,
            earlier_polls=earlier_polls,
        )

    def poke(self, context: Context) -> PokeReturnValue | bool:
        if self._step is None:  # a poke without execute (tests; Airflow always calls execute)
            self._step = self._new_step(self.build_watch(at_runtime=True))
        step = self._step
        try:
            found = fetch(self.hook.client, step.watch, page_size=self.page_size)
        except Exception as exc:
            verdict = step.after_error(exc)
        else:
            verdict = step.after_poll(found)
        ending = None if verdict.over else self._verdict_at_deadline(step)
        if ending is not None and ending.status == "failure":  # a plain timeout stays Airflow's own
            raise OrderMeshWaitError(ending.message)
        if verdict.status == "retrying":
            self.log.warning("%s", verdict.message)
            return False
        if verdict.status == "waiting":
            self.log.info("%s", verdict.message)
            return False
        if verdict.status == "error":
            if not verdict.transient and verdict.error is not None:
                raise verdict.error
            raise OrderMeshWaitError(verdict.message) from verdict.error
        if verdict.status == "failure":
            raise OrderMeshWaitError(verdict.message)
        self.log.info("%s", verdict.message)
        return PokeReturnValue(is_done=True, xcom_value=verdict.progress.statuses if verdict.progress else {})

    def _verdict_at_deadline(self, step: WaitStep) -> Verdict | None:
        """The step's verdict at the deadline when this poke is the final one (``DEADLINE_SLACK``);
        None before it, and in a poke without ``execute``, which sets the deadline."""
        if self._deadline is None or time.time() < self._deadline - min(
            DEADLINE_SLACK, self.poke_interval / 2
        ):
            return None
        from airflow_provider_ordermesh.waits.step import when

        return step.at_deadline(when(self._deadline))

    def execute_complete(self, context: Context, event: dict[str, Any] | None = None) -> dict[str, str]:
        """Turn the trigger's event into a result or an error; any status not known fails closed."""
        status = event.get("status") if isinstance(event, dict) else None
        message = str(event.get("message") or "") if isinstance(event, dict) else ""
        if status == "success":
            self.log.info("%s", message)
            return dict(event.get("statuses") or {})  # type: ignore[union-attr]
        if status == "failure":
            raise OrderMeshWaitError(message or "an OrderMesh status wait reached a failure status")
        if status == "timeout":
            raise AirflowSensorTimeout(message or "the OrderMesh status wait timed out")
        if status == "error":
            error_type = event.get("error_type") or "unknown error"  # type: ignore[union-attr]
            raise OrderMeshWaitError(f"{message or 'the OrderMesh status wait failed'} [{error_type}]")
        shown = status if isinstance(event, dict) else type(event).__name__
        raise OrderMeshWaitError(
            f"unexpected event from the OrderMesh trigger (status {shown!r}); failing closed"
        )


class StatusSensorBase(WaitSensorBase):
    """What both status sensors add: target and failure statuses, the unknown-id grace, ``on_empty``."""

    def __init__(
        self,
        *,
        target_statuses: Any = None,
        failure_statuses: Any = None,
        unknown_id_grace: int = DEFAULT_UNKNOWN_ID_GRACE,
        on_empty: str = "fail",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.target_statuses = target_statuses
        self.failure_statuses = failure_statuses
        self.unknown_id_grace = check_unknown_id_grace(unknown_id_grace)
        self.on_empty = check_on_empty(on_empty)

    def check_statuses(self) -> None:
        """Validate the status fields alone (at parse time, when the ids are not known yet)."""
        raise NotImplementedError

    def _check_early(self) -> None:
        """Fail at DAG parse time on what is already known: bad statuses, bad ids."""
        if not _concrete(self.target_statuses) or not _concrete(self.failure_statuses):
            return
        if all(_concrete(getattr(self, name)) for name in self.id_fields):
            try:
                self.build_watch(at_runtime=False)
            except EmptyWait:
                if self.on_empty == "fail":
                    raise
                self.check_statuses()
        else:
            self.check_statuses()
