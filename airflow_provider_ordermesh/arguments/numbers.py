"""Numbers as users write them: whole numbers, seconds and money, parsed here once for arguments and settings.

``whole_number`` and ``seconds_value`` read a value (a number, or text after Jinja rendering) and
return None for anything else; ``checked_int`` and ``checked_seconds`` turn that into a task
argument check. The client settings (``arguments.settings``) read their numbers through the same
two parsers. ``money_decimals_problem`` says when an amount has more decimals than its currency.
"""

from __future__ import annotations

import math
import re
from typing import Any

from airflow_provider_ordermesh.arguments import InvalidArgument
from airflow_provider_ordermesh.models.codes import decimals_of

_WHOLE = re.compile(r"[+-]?[0-9]+")


def whole_number(value: Any) -> int | None:
    """``value`` as an int (an int, an integral finite float, or digits), else None; never a bool."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _WHOLE.fullmatch(value.strip()):
        return int(value.strip())
    return None


def seconds_value(value: Any) -> float | None:
    """``value`` as finite seconds (a number or its text), else None; never a bool, NaN or infinity."""
    number: Any = value
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    if isinstance(number, bool) or not isinstance(number, (int, float)) or not math.isfinite(number):
        return None
    return float(number)


def checked_int(value: Any, *, param: str, minimum: int, maximum: int | None = None) -> int:
    """``value`` as an int in range (an integral number or digits), or a no-retry failure naming ``param``.

    Booleans are not numbers here, and neither are NaN, infinities or fractions.
    """
    number = whole_number(value)
    if number is None:
        raise InvalidArgument(f"{param} must be a whole number, got {value!r}")
    if number < minimum or (maximum is not None and number > maximum):
        bounds = f"from {minimum} to {maximum}" if maximum is not None else f"of at least {minimum}"
        raise InvalidArgument(f"{param} must be a whole number {bounds}, got {value!r}")
    return number


def checked_seconds(value: Any, *, param: str, minimum: float = 0.0) -> float:
    """``value`` as finite seconds of at least ``minimum``, or a no-retry failure naming ``param``."""
    number = seconds_value(value)
    if number is None:
        raise InvalidArgument(f"{param} must be a number of seconds, got {value!r}")
    if number < minimum:
        raise InvalidArgument(f"{param} must be at least {minimum:g} seconds, got {value!r}")
    return number


def money_decimals_problem(amount: float, currency: str) -> str | None:
    """Why ``amount`` cannot be an amount in ``currency`` (more decimals than it has), or None.

    4.995 USD is refused (USD has 2), 5.5 JPY too (JPY has none); float noise such as
    ``0.1 + 0.2`` is not a decimal too many.
    """
    places = decimals_of(currency)
    if abs(round(amount, places) - amount) < 1e-9:
        return None
    return (
        f"{amount!r} has more decimals than {currency.upper()} has ({places}); round it, "
        f"e.g. to {round(amount, places)!r}"
    )
