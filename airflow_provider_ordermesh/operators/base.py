"""What every OrderMesh operator shares: the hook, portal links, fail-fast errors, sending once.

Argument checks live in ``arguments/``. Importing this module stays cheap (DAG parsing pays for
every import): it reads the client's error classes (standard library only); the hook, and with it
the client and ``requests``, loads when a task runs.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from airflow_provider_ordermesh.client.errors import (
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    InvalidRequestError,
    NotFoundError,
    OutcomeUnknownError,
    PermissionDeniedError,
)
from airflow_provider_ordermesh.compat import AirflowFailException, BaseOperator
from airflow_provider_ordermesh.hooks.connection_form import DEFAULT_CONN_ID
from airflow_provider_ordermesh.lineage import OrderMeshLineageMixin
from airflow_provider_ordermesh.operators.idempotency import Idempotency, Rule
from airflow_provider_ordermesh.operators.rate_limits import default_rate_limit_policy

if TYPE_CHECKING:
    from airflow_provider_ordermesh.client import OrderMeshClient
    from airflow_provider_ordermesh.compat import Context
    from airflow_provider_ordermesh.hooks.ordermesh import OrderMeshHook
    from airflow_provider_ordermesh.links.portal import OrderMeshPortalLink

R = TypeVar("R")

FINAL_ERRORS: tuple[type[Exception], ...] = (
    InvalidRequestError,
    ConfigurationError,
    BadRequestError,
    AuthenticationError,
    PermissionDeniedError,
    NotFoundError,
    ConflictError,
)
"""What no retry can change (see ``is_final``)."""


def is_final(exc: BaseException) -> bool:
    """True for what no retry can change: a bad setting or request refused before sending, or a
    400/403/404/409/422 answer from the API.

    A 401 reaches here only after the client re-authenticated once and was refused again, so it
    is final too. 429, 5xx and connection errors are not: Airflow's retries may help there.
    """
    return isinstance(exc, FINAL_ERRORS)


class OrderMeshBaseOperator(OrderMeshLineageMixin, BaseOperator):
    """Base of the OrderMesh operators.

    Subclasses implement ``perform(context)``. A request refused before sending (bad input), or
    an answer no retry can change (400, 401 after a re-authentication, 403, 404, 409, 422; see
    ``is_final``), fails the task without Airflow retries, with the API's message and the path
    (which holds the id). 429, 5xx and connection errors keep Airflow's retries; a 429 that
    outlasted the client's own retries runs the task again at the time the API named, without
    using a retry on Airflow 3.4+ (``operators.rate_limits``; a ``retry_policy`` given to the
    task replaces this).

    :param ordermesh_conn_id: The ``ordermesh`` connection to use.
    :param hook_params: Keyword arguments for ``OrderMeshHook`` (client options such as
        ``max_retries``, ``timeout`` or ``retry_policy``).
    """

    template_fields: tuple[str, ...] = ("ordermesh_conn_id",)
    ui_color = "#e8f1fb"
    idempotency: ClassVar[Rule]
    """This operator's class under the idempotency rule (``operators.idempotency``), declared by each."""

    def __init__(
        self,
        *,
        ordermesh_conn_id: str = DEFAULT_CONN_ID,
        hook_params: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.ordermesh_conn_id = ordermesh_conn_id
        self.hook_params = hook_params
        default_rate_limit_policy(self)

    @cached_property
    def hook(self) -> OrderMeshHook:
        # The one import inside a method: the hook brings the client, the models and ``requests``
        # (~120 ms), which DAG parsing would pay for every file that uses an operator.
        from airflow_provider_ordermesh.hooks.ordermesh import OrderMeshHook

        return OrderMeshHook(ordermesh_conn_id=self.ordermesh_conn_id, **(self.hook_params or {}))

    @property
    def client(self) -> OrderMeshClient:
        return self.hook.client

    def execute(self, context: Context) -> Any:
        return self.fail_fast(lambda: self.perform(context))

    def fail_fast(self, work: Callable[[], R]) -> R:
        """``work()``, its final errors (``is_final``) turned into failures Airflow does not retry.

        A lost answer of an unguardable action fails without retries too, naming what to check by
        hand; an awaitable result (an async call nobody awaited) fails, since nothing was sent.
        """
        try:
            result = work()
        except OutcomeUnknownError as exc:
            self.record_failure(exc)
            if self.idempotency.kind is Idempotency.UNGUARDABLE:
                raise AirflowFailException(self.lost_answer_text(exc)) from exc
            raise
        except Exception as exc:
            self.record_failure(exc)
            if is_final(exc):
                raise AirflowFailException(str(exc)) from exc
            raise
        if inspect.isawaitable(result):  # an async call nobody awaited: nothing was sent, never green
            close = getattr(result, "close", None)
            if callable(close):
                close()
            raise AirflowFailException(
                f"{type(self).__name__}.perform returned an awaitable ({type(result).__name__}) instead of "
                "a result: an async client call was not awaited, so nothing was sent. Await it inside an "
                "async function (asyncio.run), or use the sync client (self.client)"
            )
        self.lineage_details.setdefault(
            "counts", dict.fromkeys(self.lineage_outputs(), 1)
        )  # one object acted on
        return result

    def lost_answer_text(self, exc: OutcomeUnknownError) -> str:
        """Why an unguardable action whose answer was lost is not retried, and what to check by hand."""
        check = self.idempotency.check_by_hand.format_map(vars(self))
        return (
            f"{exc}. OrderMesh may or may not have applied it, and no read can tell, so it is not sent "
            f"again (no Airflow retry): check by hand {check}, then clear the task only if it was not applied"
        )

    def perform(self, context: Context) -> Any:
        """The operator's work; its return value becomes the task's XCom."""
        raise NotImplementedError

    def push_link(self, context: Context, link: type[OrderMeshPortalLink], resource_id: str) -> None:
        """Store the portal URL of ``resource_id`` for ``link`` now, before anything can fail."""
        url = link.persist(context, portal_url=self.hook.portal_url, resource_id=resource_id)
        self.log.info("%s: %s", link.name, url)

    @staticmethod
    def try_number(context: Context) -> int:
        return int(getattr(context["ti"], "try_number", 1) or 1)

    def may_be_done(self, context: Context) -> bool:
        """Whether to look for an earlier application before sending: on a retried try, and on
        any try of an operator given an ``idempotency_key`` (a re-run may have applied it)."""
        return self.try_number(context) > 1 or getattr(self, "idempotency_key", None) is not None

    def send_once(self, context: Context, send: Callable[[], R], applied: Callable[[], R | None]) -> R:
        """``send()``, for an action unsafe to repeat: unless ``applied()`` finds it done already.

        ``applied`` returns what ``send`` would have (or None when it finds no sign of the
        action); it is asked before sending when ``may_be_done``, and after a request whose
        answer was lost (``OutcomeUnknownError``): found, the action counts as done; not found,
        the error stands and the retry checks again before sending.
        """
        if self.may_be_done(context):
            done = applied()
            if done is not None:
                self.log.info("an earlier try already applied this; nothing sent")
                return done
        try:
            return send()
        except OutcomeUnknownError:
            done = applied()
            if done is None:
                raise
            self.log.warning("the answer was lost, but the action is recorded as applied")
            return done
