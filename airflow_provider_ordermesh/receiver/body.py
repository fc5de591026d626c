"""What a delivery's body must be before anyone looks inside: small, JSON, UTF-8, shallow, unambiguous.

Each refusal is a ``BadBody`` carrying the HTTP status to answer and a reason that quotes nothing
from the body (bodies name customers and orders).
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from typing import Any

MAX_BODY_BYTES = 64 * 1024
"""OrderMesh's payloads carry ids only (under 2 KB); anything near this limit is not one of them."""

MAX_DEPTH = 8
"""Deepest nesting of objects and arrays accepted (a payload is an object, maybe in an envelope)."""

_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")


class BadBody(Exception):
    """The body cannot be a delivery; ``status`` is the HTTP answer (400, 413 or 415)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def check_content_type(value: str | None) -> None:
    """Only ``application/json`` (with ``charset=utf-8`` at most): other types are not OrderMesh's."""
    if value is None:
        raise BadBody(415, "no Content-Type: send application/json")
    media_type, *params = (part.strip().lower() for part in value.split(";"))
    if media_type != "application/json":
        raise BadBody(415, "Content-Type is not application/json")
    for param in params:
        name, _, param_value = param.partition("=")
        if name.strip() == "charset" and param_value.strip().strip('"') not in ("utf-8", "utf8"):
            raise BadBody(415, "the only charset accepted is utf-8")


def check_declared_length(value: str | None, limit: int = MAX_BODY_BYTES) -> None:
    """Refuse before reading when ``Content-Length`` already says the body is too large."""
    if value is not None and (not value.isdigit() or int(value) > limit):
        raise BadBody(413 if value.isdigit() else 400, f"the body is over {limit} bytes")


async def read_limited(chunks: AsyncIterator[bytes], limit: int = MAX_BODY_BYTES) -> bytes:
    """The whole body, read chunk by chunk and abandoned as soon as it passes ``limit`` bytes."""
    body = bytearray()
    async for chunk in chunks:
        body += chunk
        if len(body) > limit:
            raise BadBody(413, f"the body is over {limit} bytes")
    return bytes(body)


def parse_object(body: bytes, max_depth: int = MAX_DEPTH) -> dict[str, Any]:
    """The body as a JSON object: strict UTF-8, no duplicate keys, no NaN, at most ``max_depth`` deep."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadBody(400, "the body is not UTF-8") from None
    if _depth(text) > max_depth:
        raise BadBody(400, f"the JSON is nested deeper than {max_depth} levels")
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constant)
    except json.JSONDecodeError:
        raise BadBody(400, "the body is not valid JSON") from None
    if not isinstance(value, dict):
        raise BadBody(400, "the JSON is not an object")
    return value


def _depth(text: str) -> int:
    """The deepest bracket nesting outside strings (counted before parsing, so no recursion limit is hit)."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_STRINGS.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        # two readers of the same body could each see a different value: refuse the ambiguity
        raise BadBody(400, "the JSON repeats a key in one object")
    return result


def _no_constant(name: str) -> Any:
    raise BadBody(400, "the JSON holds NaN or Infinity, which JSON does not define")
