"""Response parsing: turn an answer's JSON into the operation's models, or fail loudly naming the shape.

Each parser states the shape it expects, and anything else fails loudly.

An answer in a shape the client did not expect must never become an empty or partial result
(downstream code would read "no shipments" where the API said something else). Parsers raise
``ShapeMismatch`` with the shape they expected; ``read_answer`` turns that, or a model that does
not validate, into ``UnexpectedAnswerError``, which names the operation, the expected shape and
what arrived. What arrived is described by its structure only (types, keys, field locations),
never by its values, which may hold personal data.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from airflow_provider_ordermesh.client.endpoints import Endpoint
from airflow_provider_ordermesh.client.errors import OrderMeshError
from airflow_provider_ordermesh.models.common import Page

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")

Parse = Callable[[Any], T]


class ShapeMismatch(Exception):
    """Raised by a parser: the answer is not ``expected``; ``read_answer`` adds the operation."""

    def __init__(self, expected: str, data: Any):
        super().__init__(expected)
        self.expected = expected
        self.arrived = shape_of(data)


class UnexpectedAnswerError(OrderMeshError):
    """The API answered with success but in a shape the client does not know; nothing was guessed."""

    def __init__(self, *, operation: str, method: str, path: str, expected: str, arrived: str):
        self.operation = operation
        self.method = method
        self.path = path
        self.expected = expected
        self.arrived = arrived
        super().__init__(
            f"OrderMesh answered {operation} ({method} {path}) in an unexpected shape: expected {expected}, "
            f"got {arrived}. The API may have changed; please report it (ordermesh-probe shows which operations differ)"
        )


def shape_of(data: Any) -> str:
    """The structure of a JSON value in a few words, without any of its values."""
    if data is None:
        return "no body"
    if isinstance(data, dict):
        keys = sorted(str(k) for k in data)
        shown = ", ".join(keys[:12]) + (", ..." if len(keys) > 12 else "")
        return f"an object with keys [{shown}]" if keys else "an empty object"
    if isinstance(data, list):
        first = f" (the first is {shape_of(data[0])})" if data else ""
        return f"a list of {len(data)} item{'s' if len(data) != 1 else ''}{first}"
    return f"a JSON {type(data).__name__}"


def _problems(exc: ValidationError) -> str:
    """Where a model refused the answer, by field location and error type (never the values)."""
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or '(root)'} ({e['type']})" for e in exc.errors()[:5]
    )


def read_answer(parse: Parse[T], content: bytes, *, endpoint: Endpoint, path: str) -> T:
    """``parse`` of the answer's JSON, or ``UnexpectedAnswerError`` naming the operation (its
    endpoint and ``path``), the shape expected and what arrived."""

    def unexpected(expected: str, arrived: str) -> UnexpectedAnswerError:
        return UnexpectedAnswerError(
            operation=endpoint.name, method=endpoint.method, path=path, expected=expected, arrived=arrived
        )

    try:
        data = json.loads(content) if content else None
    except ValueError:
        raise unexpected("a JSON body", f"{len(content)} bytes that are not JSON") from None
    try:
        return parse(data)
    except ShapeMismatch as mismatch:
        raise unexpected(mismatch.expected, mismatch.arrived) from None
    except ValidationError as exc:
        raise unexpected(
            f"a valid {exc.title}", f"{shape_of(data)} with problems at {_problems(exc)}"
        ) from None


def bare(model_type: type[M]) -> Parse[M]:
    """A bare object as ``model_type``."""

    def parse(data: Any) -> M:
        if not isinstance(data, dict):
            raise ShapeMismatch(f"a {model_type.__name__} object", data)
        return model_type.model_validate(data)

    return parse


def unwrap(key: str | None, model_type: type[M]) -> Parse[M]:
    """``{key: {...}}`` as ``model_type`` (a bare object when ``key`` is None)."""
    if key is None:
        return bare(model_type)

    def parse(data: Any) -> M:
        if not isinstance(data, dict) or not isinstance(data.get(key), dict):
            raise ShapeMismatch(f'{{"{key}": {model_type.__name__}}}', data)
        return model_type.model_validate(data[key])

    return parse


def listing(key: str, model_type: type[M]) -> Parse[list[M]]:
    """``{key: [...]}`` as a list of ``model_type``; an absent key is an error, not an empty list."""

    def parse(data: Any) -> list[M]:
        if not isinstance(data, dict) or not isinstance(data.get(key), list):
            raise ShapeMismatch(f'{{"{key}": [{model_type.__name__}, ...]}}', data)
        return [model_type.model_validate(item) for item in data[key]]

    return parse


def one_or_many(key: str, model_type: type[M]) -> Parse[list[M]]:
    """A list of ``model_type`` from ``{key: [...]}``, a bare list, or one bare object.

    For operations whose documented example differs from the reconstruction (the docs show one
    unwrapped ``ShipmentDTO`` for "Get all shipments for an order"): each plausible shape is
    read, and any other fails.
    """
    name = model_type.__name__
    expected = f'{{"{key}": [{name}, ...]}}, a list of {name} or a single {name}'

    def parse(data: Any) -> list[M]:
        if isinstance(data, list):
            items = data
        elif isinstance(data, dict) and isinstance(data.get(key), list):
            items = data[key]
        elif isinstance(data, dict) and key not in data and "id" in data:
            items = [data]
        else:
            raise ShapeMismatch(expected, data)
        if not all(isinstance(item, dict) for item in items):
            raise ShapeMismatch(expected, data)
        return [model_type.model_validate(item) for item in items]

    return parse


def page_of(key: str, model_type: type[M], page: int, page_size: int) -> Parse[Page[M]]:
    """``{key: [...], "page", "pageSize", "totalCount"}`` as a typed ``Page``.

    The records' key must be there (an answer without it is an error, never an empty page);
    where the paging fields are left out, the requested ones stand in.
    """

    page_type = _page_type(model_type)

    def parse(data: Any) -> Page[M]:
        if not isinstance(data, dict) or not isinstance(data.get(key), list):
            raise ShapeMismatch(
                f'{{"{key}": [{model_type.__name__}, ...], "page", "pageSize", "totalCount"}}', data
            )
        return page_type.model_validate(
            {
                "items": data[key],
                "page": data.get("page", page),
                "pageSize": data.get("pageSize", page_size),
                "totalCount": data.get("totalCount"),
            }
        )

    return parse


@cache
def _page_type(model_type: type[M]) -> type[Page[M]]:
    """``Page[model_type]``, made once: pydantic's own lookup of a parametrised model takes ~2 ms,
    which a paged read paid on every page (a tenth of an export's client CPU)."""
    return Page[model_type]  # type: ignore[valid-type]


def no_content(data: Any) -> None:
    """An answer without a body (204); a body is ignored, as the docs show none."""
    return


def passthrough(data: Any) -> dict[str, Any]:
    """A JSON object the client does not model (catalog replacement answers); no body is ``{}``."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ShapeMismatch("a JSON object", data)
    return data
