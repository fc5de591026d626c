"""Who must approve what: a threshold per currency, the approvers, and how long to wait for them.

Each setting is checked when the operator is built (a literal) and again after templating (any
value), so a bad one fails naming its argument before anything is read or sent.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from airflow_provider_ordermesh.arguments import InvalidArgument
from airflow_provider_ordermesh.arguments.narrowing import is_blank

DEFAULT_APPROVAL_TIMEOUT = timedelta(days=1)
"""How long a request waits for an answer unless ``approval_timeout`` says otherwise; then every line is rejected."""

_CURRENCY = re.compile(r"^[A-Z]{3}$")
_TEMPLATE = re.compile(r"\{\{|\{%")


def is_template(value: Any) -> bool:
    """Whether ``value`` is Jinja text that Airflow renders before the task runs."""
    return isinstance(value, str) and _TEMPLATE.search(value) is not None


def _from_json(value: Any, *, param: str) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        raise InvalidArgument(f"{param} is text but not JSON: {value[:80]!r}") from None


def checked_thresholds(value: Any) -> dict[str, Decimal]:
    """``require_approval_above`` as ``{currency: amount}``: an amount of an order in that currency
    above it waits for an approval.

    A bare number is refused: a threshold without its currency would compare 50 JPY with 50 USD.
    """
    param = "require_approval_above"
    value = _from_json(value, param=param)
    if not isinstance(value, Mapping):
        raise InvalidArgument(
            f"{param} must map each currency to its threshold, e.g. {{'USD': '50', 'EUR': '45'}}; "
            f"got {type(value).__name__} {value!r} (a bare number would ignore the order's currency)"
        )
    if not value:
        raise InvalidArgument(f"{param} is empty: give a threshold per currency, e.g. {{'USD': '50'}}")
    thresholds: dict[str, Decimal] = {}
    for currency, amount in value.items():
        if not isinstance(currency, str) or not _CURRENCY.match(currency):
            raise InvalidArgument(f"{param}: {currency!r} is not an ISO 4217 currency code such as 'USD'")
        thresholds[currency] = checked_amount(amount, param=f"{param}[{currency!r}]")
    return thresholds


def checked_amount(value: Any, *, param: str) -> Decimal:
    """A finite, non-negative money amount (int, Decimal, float or digits), as a ``Decimal``."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise InvalidArgument(f"{param} must be a number, got {type(value).__name__} {value!r}")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidArgument(f"{param} must be a number, got {value!r}") from None
    if not amount.is_finite():
        raise InvalidArgument(f"{param} must be a finite number, got {value!r}")
    if amount < 0:
        raise InvalidArgument(f"{param} must not be negative, got {value!r}")
    return amount


def checked_approvers(value: Any) -> list[dict[str, str]]:
    """``approvers`` as Airflow's assigned users ``[{"id", "name"}]``: user ids, or dicts with an id.

    Empty (also after templating) is refused: a request nobody may answer can only time out.
    """
    param = "approvers"
    if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
        value = _from_json(value, param=param)
    if isinstance(value, Mapping) or (isinstance(value, str) and not is_blank(value)):
        value = [value]
    if is_blank(value) or not isinstance(value, (list, tuple)) or not value:
        raise InvalidArgument(
            f"{param} is empty ({value!r}): name the Airflow users who may approve, e.g. ['alice']"
        )
    users: list[dict[str, str]] = []
    for index, entry in enumerate(value):
        user_id, name = (entry.get("id"), entry.get("name")) if isinstance(entry, Mapping) else (entry, None)
        if not isinstance(user_id, str) or not user_id.strip():
            raise InvalidArgument(f"{param}[{index}] must be an Airflow user id (text), got {entry!r}")
        users.append({"id": user_id.strip(), "name": str(name or user_id).strip()})
    return users


def checked_timeout(value: Any) -> timedelta:
    """``approval_timeout``: a positive ``timedelta``, or seconds (a number or digits, e.g. rendered)."""
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
    elif isinstance(value, (int, float, str)) and not isinstance(value, bool):
        try:
            seconds = float(value)
        except ValueError:
            raise InvalidArgument(f"approval_timeout must be a timedelta or seconds, got {value!r}") from None
    else:
        raise InvalidArgument(f"approval_timeout must be a timedelta or seconds, got {value!r}")
    if not seconds > 0 or seconds != seconds:
        raise InvalidArgument(f"approval_timeout must be positive, got {value!r}")
    return timedelta(seconds=seconds)


@dataclass(frozen=True)
class ApprovalPolicy:
    """The rendered approval settings of one task."""

    thresholds: dict[str, Decimal]
    approvers: list[dict[str, str]]
    timeout: timedelta

    @classmethod
    def of(cls, thresholds: Any, approvers: Any, timeout: Any) -> ApprovalPolicy:
        return cls(checked_thresholds(thresholds), checked_approvers(approvers), checked_timeout(timeout))

    def threshold_for(self, currency: str | None, *, order_id: str) -> Decimal:
        """The threshold in the order's currency; refused when the policy has none for it."""
        if currency not in self.thresholds:
            raise InvalidArgument(
                f"require_approval_above has no threshold in {currency or 'an unknown currency'}, the "
                f"currency of order {order_id} (it has {', '.join(sorted(self.thresholds))}); add one "
                f"for {currency}, never compare amounts across currencies"
            )
        return self.thresholds[currency]
