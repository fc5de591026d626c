"""Identifiers in OrderMesh's shapes, drawn from a seeded RNG so that a seed replays the same ids.

Orders and order items get 24 hex characters and short ids ``O``/``I`` + 8 digits; shipments and
packages get UUIDs and short ids ``S``/``P`` + 10 digits. Short ids count up, so they never collide.
"""

from __future__ import annotations

import uuid
from collections import Counter
from random import Random


class IdFactory:
    """Makes every id of one sandbox state."""

    def __init__(self, rng: Random) -> None:
        self._rng = rng
        self._issued: Counter[str] = Counter()

    def hex24(self) -> str:
        """An ObjectId-like id: 24 lowercase hex characters."""
        return f"{self._rng.getrandbits(96):024x}"

    def uuid(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def short(self, prefix: str, digits: int) -> str:
        """The next short id with this prefix, e.g. ``O00000001``."""
        self._issued[prefix] += 1
        return f"{prefix}{self._issued[prefix]:0{digits}d}"

    def token(self, length: int = 12) -> str:
        """An opaque alphanumeric reference, e.g. a transaction id or a generated safeId."""
        alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"
        return "".join(self._rng.choice(alphabet) for _ in range(length))

    def digits(self, length: int) -> str:
        return "".join(self._rng.choice("0123456789") for _ in range(length))
