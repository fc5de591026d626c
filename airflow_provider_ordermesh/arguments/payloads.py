"""Structured task arguments: JSON text parsed, and payloads checked against the client's request models.

A rendered template gives text where a dict or list was meant; these read it, and hand the model
check to the client (``client.inputs.validated``) so that an operator accepts exactly what the
client sends. Failures are no-retry failures naming the argument.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel

from airflow_provider_ordermesh.client.errors import InvalidRequestError
from airflow_provider_ordermesh.client.inputs import validated
from airflow_provider_ordermesh.compat import AirflowFailException

M = TypeVar("M", bound=BaseModel)


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
