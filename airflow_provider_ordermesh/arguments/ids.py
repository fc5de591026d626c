"""Id arguments: the client's one id check, as a no-retry task failure naming the argument; and the
safeIds of submitted inbound orders, as a sensor takes them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, Final

from pydantic import ValidationError

from airflow_provider_ordermesh.arguments import InvalidArgument
from airflow_provider_ordermesh.arguments.narrowing import is_blank
from airflow_provider_ordermesh.client.errors import InvalidRequestError
from airflow_provider_ordermesh.client.inputs import checked_id as client_checked_id
from airflow_provider_ordermesh.client.inputs import rendered_value
from airflow_provider_ordermesh.compat import AirflowFailException

if TYPE_CHECKING:
    from pydantic import TypeAdapter


def checked_id(value: Any, *, param: str) -> str:
    """An id argument checked by the client's one id check, or a no-retry failure naming the argument."""
    try:
        return client_checked_id(param, value)
    except InvalidRequestError as exc:
        raise AirflowFailException(str(exc)) from None


SAFE_IDS_FIX: Final = (
    "give the safeIds of the submitted inbound orders: a list of safeId strings, or the results of "
    "OrderMeshSubmitInboundOrderOperator (e.g. safe_ids=submit.output, also when submit is mapped "
    "with .expand)"
)
"""What every refusal of a ``safe_ids`` argument tells the user to do."""

SAFE_ID_KEY: Final = "safe_id"
"""The key of the safeId in ``OrderMeshSubmitInboundOrderOperator``'s result."""


def checked_safe_ids(value: Any, *, param: str = "safe_ids") -> tuple[str, ...]:
    """The safeIds to wait for, from a list of safeIds or of the submit operator's results.

    Accepted: one safeId string; one result dict (``{"safe_id": ...}``); a list (or any sequence,
    such as the lazy sequence a mapped task's XCom resolves to) of either; and any of these as JSON
    text, as a template renders them. Refused, naming ``param`` and the fix, before any request:
    a blank value (``None``, ``""``, ``"null"``, ``[]``), another type, a blank or malformed id,
    a result without ``safe_id``, and a safeId given twice (two submissions never share one, so a
    repeat means the argument is wired to the wrong thing).
    """
    given, value = value, _parsed(value, param=param)
    if is_blank(value):
        raise InvalidArgument(
            f"{param} is {given!r} after rendering; there is nothing to wait for. {SAFE_IDS_FIX}"
        )
    if isinstance(value, str) and "," in value:
        raise InvalidArgument(
            f"{param} is {value[:80]!r}: one text is one safeId, never split on commas; give a list"
        )
    items = [value] if isinstance(value, (str, Mapping)) else value
    if not isinstance(items, Sequence) or isinstance(items, (bytes, bytearray)):
        raise InvalidArgument(f"{param}: expected a list, got {type(value).__name__}; {SAFE_IDS_FIX}")
    safe_ids: dict[str, int] = {}
    for index, item in enumerate(items):
        safe_id = _safe_id_of(item, where=f"{param}[{index}]")
        if safe_id in safe_ids:
            raise InvalidArgument(
                f"{param}: safeId {safe_id!r} is given twice ({param}[{safe_ids[safe_id]}] and "
                f"{param}[{index}]); every inbound order has its own safeId, so check what fills {param}"
            )
        safe_ids[safe_id] = index
    return tuple(safe_ids)


def _parsed(value: Any, *, param: str) -> Any:
    """A rendered list or object as the value it holds: JSON (``| tojson``) or a Python literal (what
    ``{{ ti.xcom_pull(...) }}`` renders); any other value as it is."""
    if not isinstance(value, str) or not value.strip().startswith(("[", "{")):
        return value
    try:
        return rendered_value(value.strip())
    except ValueError:
        raise InvalidArgument(
            f"{param} is {value[:80]!r}, which looks like a list or object but cannot be read; render it "
            "with the '| tojson' filter, or pass the XComArg itself"
        ) from None


def _safe_id_of(item: Any, *, where: str) -> str:
    """One entry's safeId: the string itself, or a submit result's ``safe_id``, checked as an id."""
    if isinstance(item, Mapping):
        if SAFE_ID_KEY not in item:
            raise InvalidArgument(
                f"{where} is an object without {SAFE_ID_KEY!r} (keys: {', '.join(map(str, item)) or 'none'}); "
                f"{SAFE_IDS_FIX}"
            )
        item, where = item[SAFE_ID_KEY], f"{where}[{SAFE_ID_KEY!r}]"
    if not isinstance(item, str):
        raise InvalidArgument(f"{where}: expected a safeId string, got {type(item).__name__}; {SAFE_IDS_FIX}")
    try:
        safe_id = client_checked_id(where, item)
    except InvalidRequestError as exc:
        raise InvalidArgument(f"{exc}; {SAFE_IDS_FIX}") from None
    try:
        _search_text().validate_python(safe_id)
    except ValidationError as exc:
        problem = str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
        raise InvalidArgument(f"{where}: {problem}; {SAFE_IDS_FIX}") from None
    return safe_id


@cache
def _search_text() -> TypeAdapter[str]:
    """The rule the order search applies to each safeId (``models.search.OrderSearch.safe_ids`` is a
    list of ``ShortText``: visible text, at most 255 characters), beyond the id rule; read from
    ``models._base`` so that DAG parsing does not load the API models."""
    from pydantic import TypeAdapter

    from airflow_provider_ordermesh.models._base import ShortText

    return TypeAdapter(ShortText)
