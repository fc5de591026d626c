"""Request bodies and query strings validated with pydantic models, failing as a 400 that names each field.

Field paths are the wire's camelCase names joined with dots (``items.0.quantity``): pydantic
reports locations the way the input spelled them. The OrderMesh bodies are in ``bodies/``;
``SandboxModel`` is the base of the sandbox's own settings and control-API bodies.
"""

from __future__ import annotations

import json
import types
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Annotated, Any, Protocol, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic.alias_generators import to_camel

from airflow_provider_ordermesh.sandbox.backend.errors import FieldError, ValidationFailed

M = TypeVar("M", bound=BaseModel)

_PYDANTIC_PREFIXES = ("Value error, ", "Assertion failed, ")


class SandboxModel(BaseModel):
    """Base of the sandbox's settings and control-API bodies (not OrderMesh's): camelCase keys, snake_case names."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class QueryParams(Protocol):
    """The multi-valued view of a query string that ``parse_query`` needs (Starlette's fits it)."""

    def getlist(self, key: str) -> list[str]: ...

    def __iter__(self) -> Iterator[str]: ...


def parse_json(raw: bytes) -> Any:
    """A JSON request body; an empty body reads as ``{}``."""
    if not raw.strip():
        return {}
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise ValidationFailed(f"the request body is not valid JSON: {exc}") from None


def parse(model: type[M], data: Any, *, where: str = "request body") -> M:
    """``data`` validated as ``model``, or ``ValidationFailed`` listing every bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(f"invalid {where}", field_errors(exc)) from None


def parse_query(model: type[M], query: QueryParams, *, ignore: Iterable[str] = ()) -> M:
    """Query parameters validated as ``model``: list fields take every repeat of their key."""
    list_fields = _list_fields(model)
    skipped = set(ignore)
    data: dict[str, Any] = {}
    for key in query:
        if key in skipped:
            continue
        values = query.getlist(key)
        data[key] = values if key in list_fields else values[-1]
    return parse(model, data, where="query string")


def field_errors(exc: ValidationError) -> list[FieldError]:
    """One ``FieldError`` per pydantic error; model-wide errors get no field."""
    return [
        FieldError(".".join(str(part) for part in error["loc"]) or None, _readable(error["msg"]))
        for error in exc.errors()
    ]


def _readable(message: str) -> str:
    for prefix in _PYDANTIC_PREFIXES:
        if message.startswith(prefix):
            return message[len(prefix) :]
    return message


@cache
def _list_fields(model: type[BaseModel]) -> frozenset[str]:
    """Both spellings of every field of ``model`` that holds a list."""
    names: set[str] = set()
    for name, field in model.model_fields.items():
        if _holds_list(field.annotation):
            names.update({name, field.alias or name})
    return frozenset(names)


def _holds_list(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin is Annotated:
        return _holds_list(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return any(_holds_list(arg) for arg in get_args(annotation))
    return origin is list
