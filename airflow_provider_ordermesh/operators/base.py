"""What every OrderMesh operator shares: the hook, input validation, portal links, fail-fast errors.

Importing this module stays cheap (DAG parsing pays for every import): it reads the client's
error classes and its one id and model check (standard library and pydantic, which Airflow has
loaded already); the hook, and with it the client and ``requests``, loads when a task runs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

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
from airflow_provider_ordermesh.client.inputs import checked_id as client_checked_id
from airflow_provider_ordermesh.client.inputs import validated
from airflow_provider_ordermesh.compat import AirflowFailException, BaseOperator
from airflow_provider_ordermesh.hooks.connection_form import DEFAULT_CONN_ID
from airflow_provider_ordermesh.operators.rate_limits import default_rate_limit_policy

if TYPE_CHECKING:
    from airflow_provider_ordermesh.client import OrderMeshClient
    from airflow_provider_ordermesh.compat import Context
    from airflow_provider_ordermesh.hooks.ordermesh import OrderMeshHook
    from airflow_provider_ordermesh.links.portal import OrderMeshPortalLink

M = TypeVar("M", bound=BaseModel)
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


def parse_json_text(value: Any, *, param: str) -> Any:
    """``value`` itself, or the JSON it holds when it is a string (e.g. rendered by Jinja)."""
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except json.JSONDecodeError as exc:
        raise AirflowFailException(
            f"{param} is a string but not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno}); "
            "pass a dict or list, or render JSON (e.g. with the '| tojson' filter)"
        ) from None


def validated_argument(model: type[M], value: Any, *, param: str) -> M:
    """The task argument ``param`` (a model, mapping or JSON text) as ``model``, or a no-retry failure.

    The model check itself is the client's (``client.inputs.validated``); this adds what
    a rendered argument needs: JSON text parsed, another model re-read, and a failure that
    Airflow does not retry, naming each bad field under ``param``.
    """
    value = parse_json_text(value, param=param)
    if isinstance(value, model):
        return value
    if isinstance(value, BaseModel):
        value = value.model_dump(by_alias=True, exclude_none=True)
    if value is not None and not isinstance(value, Mapping):
        raise AirflowFailException(f"invalid {param}: expected an object, got {type(value).__name__}")
    try:
        return validated(model, value, what=param)
    except InvalidRequestError as exc:
        raise AirflowFailException(str(exc)) from None


def checked_id(value: Any, *, param: str) -> str:
    """An id argument checked by the client's one id check, or a no-retry failure naming the argument."""
    try:
        return client_checked_id(param, value)
    except InvalidRequestError as exc:
        raise AirflowFailException(str(exc)) from None


def is_final(exc: BaseException) -> bool:
    """True for what no retry can change: a bad setting or request refused before sending, or a
    400/403/404/409/422 answer from the API.

    A 401 reaches here only after the client re-authenticated once and was refused again, so it
    is final too. 429, 5xx and connection errors are not: Airflow's retries may help there.
    """
    return isinstance(exc, FINAL_ERRORS)


class OrderMeshBaseOperator(BaseOperator):
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
        try:
            return self.perform(context)
        except Exception as exc:
            if is_final(exc):
                raise AirflowFailException(str(exc)) from exc
            raise

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
