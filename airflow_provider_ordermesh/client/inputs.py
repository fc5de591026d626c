"""Input checks before any request: request bodies against their models, ids, and rendered lists.

The one home of both checks: the resource groups, the waits behind sensors and triggers, and the
operators all call these, so every layer accepts exactly what the client sends.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Mapping
from typing import Any, Final, TypeVar

from pydantic import BaseModel, ValidationError

from airflow_provider_ordermesh.client.endpoints import ENDPOINTS
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


PATH_WORDS: Final = frozenset(
    segment.lower()
    for endpoint in ENDPOINTS.values()
    for segment in endpoint.path.split("/")
    if segment and not segment.startswith("{")
)
"""The fixed words of the API's paths (``bulk``, ``search``, ``cancel``, ...), read from the endpoint
table: an id equal to one would address another operation (``PATCH /v1/orders/bulk``)."""


def path_id_problem(value: Any) -> str | None:
    """Why ``value`` cannot be an id in a request: the models' id rule, then the API's path words."""
    problem = id_problem(value)
    if problem is None and value.lower() in PATH_WORDS:
        problem = f"{value!r} is a word of the API's paths, not an id; it would address another operation"
    return problem


def checked_id(name: str, value: Any) -> str:
    """An id for a path or body, stripped; refused before sending if it would break the request.

    The one id rule (``path_id_problem``): what ``models._base.id_problem`` refuses, and the API's
    path words. Forms the docs themselves depart from (24 hex characters, UUIDs) are not enforced.
    """
    text = value.strip() if isinstance(value, str) else value
    problem = path_id_problem(text)
    if problem:
        raise InvalidRequestError("request", {name: problem})
    return text


def rendered_value(text: str) -> Any:
    """The value a template's rendering of a list or dict holds: JSON (``| tojson``) or a Python
    literal (what ``{{ ti.xcom_pull(...) }}`` renders). ``ValueError`` when it is neither."""
    for parse in (json.loads, ast.literal_eval):
        try:
            return parse(text)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            continue
    raise ValueError(f"{text[:80]!r} is neither JSON nor a Python literal")
