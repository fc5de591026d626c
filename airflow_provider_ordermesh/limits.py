"""The API's size limits, written once: the models, the client, the operators and the sandbox read them here.

Import-free on purpose, so that operators can check their arguments when a DAG is parsed without
loading the client or the models. The values are reconstructed (the docs give none); a correction
is one line here.
"""

from typing import Final

BULK_MAX_ITEMS: Final[int] = 100
"""Largest ``{"bulk": [...]}`` the API takes in one request (the sandbox enforces it)."""

PAGE_SIZE_MAX: Final[int] = 100
"""Largest ``pageSize`` of list and search operations."""

IDS_PER_SEARCH_MAX: Final[int] = 100
"""Most ids (or safe ids) one search filter may list."""
