"""Where the docs' JSON examples live, and how to read one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

EXAMPLES = Path(__file__).resolve().parent.parent / "fixtures" / "api_examples"


def load_example(name: str) -> Any:
    """One example file of ``tests/fixtures/api_examples`` (``name`` without ``.json``)."""
    return json.loads((EXAMPLES / f"{name}.json").read_text())
