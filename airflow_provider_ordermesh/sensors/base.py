"""What both status sensors share: validation, the batched poke, deferral and event handling.

A timeout raises ``AirflowSensorTimeout``, which ``soft_fail`` turns into a skip; a real failure
(a failure status, repeated API errors, an event the sensor does not understand) raises
``OrderMeshWaitError``, which ``soft_fail`` leaves a failure.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from datetime import timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Final

from airflow_provider_ordermesh.compat import (
    AirflowFailException,
    AirflowSensorTimeout,
    BaseSensorOperator,
    PokeReturnValue,
    default_deferrable,
)
from airflow_provider_ordermesh.hooks.connection_form import DEFAULT_CONN_ID
from airflow_provider_ordermesh.lineage import OrderMeshLineageMixin
from airflow_provider_ordermesh.operators.arguments import checked_seconds
from airflow_provider_ordermesh.waits.progress import (
    ErrorBudget,
    Progress,
    UnknownIdGrace,
    is_transient,
    outcome,
)
from airflow_provider_ordermesh.waits.watch import OrderWatch, ShipmentWatch, check_page_size, fetch

if TYPE_CHECKING:
    from airflow_provider_ordermesh.compat import BaseTrigger, Context
    from airflow_provider_ordermesh.hooks.ordermesh import OrderMeshHook


BACKSTOP_MARGIN_SECONDS: Final = 60.0
"""How long after the trigger's own deadline (and one more poll interval) Airflow's deferral
timeout may fire: the trigger's final poll and its timeout message, which names what is still
pending, come first; Airflow's bare timeout stays a backstop for a trigger that is not running."""


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
    return False


class StatusSensorBase(OrderMeshLineageMixin, BaseSensorOperator):
    """What both status sensors share: validation, batched poke, deferral and event handling."""

    id_fields: ClassVar[tuple[str, ...]] = ()

    def __init__(
        self,
        *,
        target_statuses: Any = None,
        failure_statuses: Any = None,
        ordermesh_conn_id: str = DEFAULT_CONN_ID,
        deferrable: bool | None = None,
        max_consecutive_errors: int = 5,
        unknown_id_grace: int = 3,
        page_size: int = 100,
        hook_params: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        for name in ("poke_interval", "timeout"):  # Airflow itself lets NaN, inf and True through
            if name in kwargs and not isinstance(kwargs[name], timedelta):
                checked_seconds(kwargs[name], param=name)
        super().__init__(**kwargs)
        self.target_statuses = target_statuses
        self.failure_statuses = failure_statuses
        self.ordermesh_conn_id = ordermesh_conn_id
        self.deferrable = default_deferrable() if deferrable is None else bool(deferrable)
        self.max_consecutive_errors = ErrorBudget(max_consecutive_errors).limit
        self.unknown_id_grace = UnknownIdGrace(unknown_id_grace).polls
        self.page_size = check_page_size(page_size)
        self.hook_params = dict(hook_params or {})
        try:
            json.dumps(self.hook_params)
        except (TypeError, ValueError):
            raise ValueError(
                "hook_params: must be JSON (it is handed to the trigger in deferrable mode)"
            ) from None
        self._budget = ErrorBudget(self.max_consecutive_errors)
        self._grace = UnknownIdGrace(self.unknown_id_grace)
        self._active: ShipmentWatch | OrderWatch | None = None

    # --- what each sensor defines -------------------------------------------------------------

    def build_watch(self, *, at_runtime: bool) -> ShipmentWatch | OrderWatch:
        """The validated watch from the (rendered) fields; raises naming the bad field."""
        raise NotImplementedError

    def check_statuses(self) -> None:
        """Validate the status fields alone (at parse time, when the ids are not known yet)."""
        raise NotImplementedError

    def make_trigger(self, watch: Any, end_time: float) -> BaseTrigger:
        raise NotImplementedError

    # --- shared -----------------------------------------------------------------------------

    def _check_early(self) -> None:
        """Fail at DAG parse time on what is already known: bad statuses, bad ids."""
        if not _concrete(self.target_statuses) or not _concrete(self.failure_statuses):
            return
        if all(_concrete(getattr(self, name)) for name in self.id_fields):
            self.build_watch(at_runtime=False)
        else:
            self.check_statuses()

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
            self._active = self.build_watch(at_runtime=True)
        except ValueError as exc:  # bad arguments after templating: a retry cannot help, nor soft_fail
            raise AirflowFailException(str(exc)) from None
        self._budget = ErrorBudget(self.max_consecutive_errors)
        self._grace = UnknownIdGrace(self.unknown_id_grace)
        if not self.deferrable:
            return super().execute(context)
        first = self.poke(context)  # a wait that is already over never defers
        if isinstance(first, PokeReturnValue):
            return first.xcom_value
        self.defer(
            trigger=self.make_trigger(self._active, time.time() + self.timeout),
            method_name="execute_complete",
            timeout=timedelta(seconds=self.timeout + self.poke_interval + BACKSTOP_MARGIN_SECONDS),
        )

    def poke(self, context: Context) -> PokeReturnValue | bool:
        watch = self._active or self.build_watch(at_runtime=True)
        try:
            found = fetch(self.hook.client, watch.queries(), page_size=self.page_size)
        except Exception as exc:
            if not is_transient(exc):
                raise
            if not self._budget.record(exc):
                raise OrderMeshWaitError(self._budget.exhausted_message()) from exc
            self.log.warning(
                "OrderMesh poll failed (%d in a row, giving up at %d): %s",
                self._budget.consecutive,
                self._budget.limit,
                self._budget.last_error,
            )
            return False
        self._budget.reset()
        progress = watch.assess(found)
        self._fail_on_unknown_ids(watch, progress)
        finished = outcome(progress)
        if finished is None:
            self.log.info(
                "%d reached a target status; still waiting: %s",
                len(progress.reached),
                progress.pending_message(),
            )
            return False
        status, message = finished
        if status == "failure":
            raise OrderMeshWaitError(message)
        self.log.info("%s", message)
        return PokeReturnValue(is_done=True, xcom_value=progress.statuses)

    def _fail_on_unknown_ids(self, watch: ShipmentWatch | OrderWatch, progress: Progress) -> None:
        """Fail the wait once an id looked up by id stayed unknown for ``unknown_id_grace`` polls."""
        by_id = set(watch.looked_up_by_id)
        unknown = self._grace.record(i for i in progress.missing if i in by_id)
        if unknown:
            raise OrderMeshWaitError(self._grace.message(unknown, progress))

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
