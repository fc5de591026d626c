"""The hand-written wire fixtures (``tests/fixtures/wire``), and the checks that hold a model to the wire.

The checks look at what a model *does* with wire JSON, not at how its aliases are declared: a
request model must read a body and write back the very same body; a response model must set
each field it declares from some documented or hand-written answer. A field whose alias is
misspelt never gets set from the wire (the real key lands in the extras, or is refused), so it
shows up as a field that no sample sets.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

WIRE = Path(__file__).resolve().parent.parent / "fixtures" / "wire"

SAMPLE_IDS = {
    "$order": "65add270441de72442397b6e",
    "$item": "65aac2a2441de72442397b63",
    "$shipment": "3ed09cf5-1d2c-4c1e-9b7e-8f6a2b1c0d9e",
    "$facility": "apparel-east",
}
"""What the ``$`` placeholders stand for when a fixture is read without a sandbox."""


def load_wire(operation: str, ids: dict[str, str] | None = None) -> dict[str, Any]:
    """The fixture of one operation, placeholders replaced by ``ids`` (default: sample ids)."""
    return fill(json.loads((WIRE / f"{operation}.json").read_text()), ids or SAMPLE_IDS)


def wire_operations() -> list[str]:
    """Names of the operations that have a wire fixture."""
    return sorted(path.stem for path in WIRE.glob("*.json"))


def fill(data: Any, ids: dict[str, str]) -> Any:
    """``data`` with every ``$placeholder`` string replaced by its id."""
    if isinstance(data, dict):
        return {key: fill(value, ids) for key, value in data.items()}
    if isinstance(data, list):
        return [fill(value, ids) for value in data]
    if isinstance(data, str) and data.startswith("$"):
        return ids[data]
    return data


def models_in(parsed: BaseModel) -> Iterator[BaseModel]:
    """``parsed`` and every model nested in it, depth first."""
    yield parsed
    for name in type(parsed).model_fields:
        value = getattr(parsed, name)
        for child in value if isinstance(value, list) else [value]:
            if isinstance(child, BaseModel):
                yield from models_in(child)


def fields_never_set(
    parsed_samples: Iterable[BaseModel], *, client_side: dict[str, set[str]]
) -> dict[str, set[str]]:
    """Per model class, the declared fields that no sample set from the wire.

    ``client_side`` names fields the client fills in itself (never on the wire), per class name.
    """
    declared: dict[str, set[str]] = {}
    seen: dict[str, set[str]] = defaultdict(set)
    for sample in parsed_samples:
        for model in models_in(sample):
            name = type(model).__name__
            declared[name] = set(type(model).model_fields)
            seen[name] |= model.model_fields_set
    return {
        name: missing
        for name, fields in declared.items()
        if (missing := fields - seen[name] - client_side.get(name, set()))
    }


def round_trip_differences(model: type[BaseModel], body: dict[str, Any]) -> list[str]:
    """How ``model`` writes ``body`` back differently from how it read it (keys, per path)."""
    written = model.model_validate(body).model_dump(mode="json", by_alias=True, exclude_unset=True)
    return key_differences(body, written)


def key_differences(expected: Any, actual: Any, path: str = "") -> list[str]:
    """Keys of ``expected`` missing from ``actual`` and keys ``actual`` adds, recursively."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        found = [f"{path}{key}: missing" for key in expected.keys() - actual.keys()]
        found += [f"{path}{key}: unexpected" for key in actual.keys() - expected.keys()]
        for key in expected.keys() & actual.keys():
            found += key_differences(expected[key], actual[key], f"{path}{key}.")
        return found
    if isinstance(expected, list) and isinstance(actual, list):
        return [
            d
            for i, (e, a) in enumerate(zip(expected, actual, strict=False))
            for d in key_differences(e, a, f"{path}{i}.")
        ]
    return []


def keys_not_answered(documented: Any, answered: Any, path: str = "") -> list[str]:
    """Keys of ``documented`` that ``answered`` lacks, recursively (lists: their first entries)."""
    if isinstance(documented, dict) and isinstance(answered, dict):
        found = [f"{path}{key}" for key in documented.keys() - answered.keys()]
        for key in documented.keys() & answered.keys():
            found += keys_not_answered(documented[key], answered[key], f"{path}{key}.")
        return found
    if isinstance(documented, list) and isinstance(answered, list) and documented and answered:
        return keys_not_answered(documented[0], answered[0], f"{path}0.")
    return []
