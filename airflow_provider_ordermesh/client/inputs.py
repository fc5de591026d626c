"""Input checks before any request: request bodies against their models, and ids.

The one home of both checks: the resource groups, the waits behind sensors and triggers, and the
operators all call these, so every layer accepts exactly what the client sends.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from airflow_provider_ordermesh.client.errors import InvalidRequestError
from airflow_provider_ordermesh.models._base import id_problem

M = TypeVar("M", bound=BaseModel)


def validated(model: type[M], value: M | Mapping[str, Any] | None, *, what: str | None = None) -> M:
    """``value`` as a ``model``: a model passes through, a mapping is validated, failures name the field."""
    if isinstance(value, model):
        return value
    try:
        return model.model_validate(value if value is not None else {})
    except ValidationError as exc:
        raise InvalidRequestError.from_pydantic(what or model.__name__, exc.errors()) from None


def checked_id(name: str, value: Any) -> str:
    """An id for a path or body, stripped; refused before sending if it would break the request.

    Only what would break a path or a request is refused (see ``models._base.id_problem``), not
    forms the docs themselves depart from.
    """
    text = value.strip() if isinstance(value, str) else value
    problem = id_problem(text)
    if problem:
        raise InvalidRequestError("request", {name: problem})
    return text
