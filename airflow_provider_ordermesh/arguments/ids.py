"""Id arguments: the client's one id check, as a no-retry task failure naming the argument."""

from __future__ import annotations

from typing import Any

from airflow_provider_ordermesh.client.errors import InvalidRequestError
from airflow_provider_ordermesh.client.inputs import checked_id as client_checked_id
from airflow_provider_ordermesh.compat import AirflowFailException


def checked_id(value: Any, *, param: str) -> str:
    """An id argument checked by the client's one id check, or a no-retry failure naming the argument."""
    try:
        return client_checked_id(param, value)
    except InvalidRequestError as exc:
        raise AirflowFailException(str(exc)) from None
