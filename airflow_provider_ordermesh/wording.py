"""Counts in words: ``counted(1, "order")`` is "1 order", ``counted(2, "batch", "batches")`` "2 batches".

One home for plurals in logs and messages (no "1 orders"). Standard library only, like ``limits``:
every layer may use it.
"""

from __future__ import annotations


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """``number`` and ``noun``, the noun in the plural unless ``number`` is 1 (``plural`` or noun + "s")."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"
