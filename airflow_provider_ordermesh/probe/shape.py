"""Does an answer have the shape the models expect, and which of its fields do they not know?

The response models accept unknown fields on purpose, so parsing alone cannot tell whether the
real API sends more than we reconstructed. ``unknown_fields`` walks the JSON beside the model's
fields and aliases (nested models, lists and dicts of models too) and names every key no model
declares, as a path such as ``packages[].trackingNo``.
"""

from __future__ import annotations

import functools
import re
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import AliasChoices, AliasPath, BaseModel, ValidationError

from airflow_provider_ordermesh.client.endpoints import Endpoint
from airflow_provider_ordermesh.models.common import Page

_FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
MASKED_KEY = "<key>"

_SEQUENCES = (list, tuple, set, frozenset, Sequence)
_MAPPINGS = (dict, Mapping)


def field_name(key: object) -> str:
    """A key as the table and report show it: a plain field name as is, anything else as ``<key>``.

    A key that is not a field name (an e-mail address, a person's name) may be personal data.
    """
    text = str(key)
    return text if _FIELD_NAME.match(text) else MASKED_KEY


@functools.cache
def known_keys(model: type[BaseModel]) -> dict[str, Any]:
    """Every key the model reads (field names and aliases), each with its field's annotation."""
    keys: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        names = {name, info.alias} | _alias_names(info.validation_alias)
        for key in names - {None}:
            keys[str(key)] = info.annotation
    return keys


def _alias_names(alias: str | AliasPath | AliasChoices | None) -> set[str]:
    if isinstance(alias, str):
        return {alias}
    if isinstance(alias, AliasPath):
        return {str(alias.path[0])}
    if isinstance(alias, AliasChoices):
        return set().union(*(_alias_names(choice) for choice in alias.choices))
    return set()


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The models an annotation holds directly (``Model | None``, ``Annotated[Model, ...]``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _models_in(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]
    return []


def _element(annotation: Any, kinds: tuple[type, ...]) -> Any:
    """The element (or value) annotation of a list or dict annotation, or ``None``."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _element(typing.get_args(annotation)[0], kinds)
    if origin in (typing.Union, types.UnionType):
        return next(
            (e for arg in typing.get_args(annotation) if (e := _element(arg, kinds)) is not None), None
        )
    if isinstance(origin, type) and issubclass(origin, kinds):
        args = typing.get_args(annotation)
        return args[-1] if args else None
    return None


def unknown_fields(value: Any, annotation: Any, path: str = "") -> set[str]:
    """Paths of the keys in ``value`` that ``annotation`` (a model, or a list/dict of them) does not declare."""
    found: set[str] = set()
    if isinstance(value, Mapping):
        models = _models_in(annotation)
        if models:
            keys: dict[str, Any] = {}
            for model in models:
                keys.update(known_keys(model))
            for key, child in value.items():
                child_path = f"{path}.{field_name(key)}" if path else field_name(key)
                if key in keys:
                    found |= unknown_fields(child, keys[key], child_path)
                else:
                    found.add(child_path)
        elif (inner := _element(annotation, _MAPPINGS)) is not None:
            for key, child in value.items():
                found |= unknown_fields(
                    child, inner, f"{path}.{field_name(key)}" if path else field_name(key)
                )
    elif isinstance(value, list) and (inner := _element(annotation, _SEQUENCES)) is not None:
        for child in value:
            found |= unknown_fields(child, inner, f"{path}[]")
    return found


@dataclass(frozen=True)
class Expected:
    """The response model of one read, and whether the answer holds one record or a list of them."""

    model: type[BaseModel]
    many: bool = False


@dataclass(frozen=True)
class ShapeCheck:
    """How an answer compares with its expected shape."""

    parsed: bool
    problem: str | None = None
    unknown: tuple[str, ...] = ()
    records: tuple[BaseModel, ...] = ()


def _envelope_keys(endpoint: Endpoint) -> set[str]:
    """The keys a paged answer carries beside its records: ``Page``'s own, from its aliases."""
    if not endpoint.paged:
        return set()
    return {key for key in known_keys(Page) if key != "items"}


def check_shape(endpoint: Endpoint, expected: Expected, data: Any) -> ShapeCheck:
    """Parse ``data`` as the endpoint's answer (wrapper key, paging, list or record) and list unknown fields."""
    key = endpoint.response_key
    unknown: set[str] = set()
    body = data
    if key:
        if not isinstance(data, Mapping) or key not in data:
            return ShapeCheck(False, f"expected an object with key {key!r}, got {_describe(data)}")
        body = data[key]
        unknown |= {field_name(k) for k in data if k != key and k not in _envelope_keys(endpoint)}
    many = expected.many or endpoint.paged
    if many and not isinstance(body, list):
        return ShapeCheck(False, f"expected a list of {expected.model.__name__}, got {_describe(body)}")
    if not many and not isinstance(body, Mapping):
        return ShapeCheck(False, f"expected one {expected.model.__name__} object, got {_describe(body)}")
    annotation = list[expected.model] if many else expected.model  # type: ignore[name-defined]
    unknown |= unknown_fields(body, annotation, key or "")
    try:
        records = tuple(expected.model.model_validate(r) for r in (body if many else [body]))
    except ValidationError as exc:
        fields = sorted({".".join(str(p) for p in e["loc"]) or "(record)" for e in exc.errors()})
        problem = f"{expected.model.__name__} did not parse: {', '.join(fields)}"
        return ShapeCheck(False, problem, tuple(sorted(unknown)))
    return ShapeCheck(True, None, tuple(sorted(unknown)), records)


def _describe(value: Any) -> str:
    """A value's JSON kind, never its content (it may hold personal data)."""
    if isinstance(value, Mapping):
        return f"an object with keys {sorted({field_name(k) for k in value})[:8]}"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    return "null" if value is None else f"a {type(value).__name__}"
