"""Fixtures of the model tests: the API's documented JSON examples."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from models.api_examples import load_example


@pytest.fixture
def example() -> Callable[[str], Any]:
    return load_example
