"""Checking client settings as users write them: ``hook_params`` and the connection's extras.

A setting that cannot work (``max_retries: "lots"``, ``timeout: "sixty"``, ``verify: "maybe"``)
fails before any request with a ``ConfigurationError`` that names the setting and where it came
from, instead of a raw ``TypeError`` deep in the client. Numbers are read by ``arguments.numbers``,
like task arguments.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from airflow_provider_ordermesh.arguments.numbers import seconds_value, whole_number
from airflow_provider_ordermesh.client import ConfigurationError, RetryPolicy, Timeout
from airflow_provider_ordermesh.client.defaults import MAX_RETRIES_LIMIT

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})

CLIENT_OPTIONS = ("max_retries", "timeout", "retry_policy", "verify", "allow_insecure_http")
"""The ``hook_params`` a hook checks and passes on to its client."""

PASSED_THROUGH = ("sleep", "transport", "session", "pool_size", "on_new_token")
"""Client arguments for code and tests (not JSON), passed on as given."""


def as_bool(value: Any, *, setting: str) -> bool:
    """A boolean setting, from a bool or its usual spellings ("true", "0", "off", ...)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise ConfigurationError(f"{setting} must be true or false, got {value!r}")


def max_retries(value: Any, *, setting: str) -> int:
    """Retries per request: a whole number from 0 to ``MAX_RETRIES_LIMIT``."""
    number = whole_number(value)
    if number is None or not 0 <= number <= MAX_RETRIES_LIMIT:
        raise ConfigurationError(
            f"{setting} must be a whole number from 0 to {MAX_RETRIES_LIMIT}, got {value!r}"
        )
    return number


def seconds(value: Any, *, setting: str) -> float:
    """A timeout in seconds: a finite number above zero."""
    number = seconds_value(value)
    if number is None or number <= 0:
        raise ConfigurationError(f"{setting} must be a number of seconds above 0, got {value!r}")
    return number


def timeout(value: Any, *, setting: str) -> Timeout:
    """A ``Timeout``, a read timeout in seconds, or ``(connect, read)`` seconds."""
    if isinstance(value, Timeout):
        return Timeout(
            seconds(value.connect, setting=f"{setting}.connect"),
            seconds(value.read, setting=f"{setting}.read"),
        )
    if isinstance(value, (list, tuple)):
        if len(value) != 2:
            raise ConfigurationError(f"{setting} must be seconds or (connect, read) seconds, got {value!r}")
        return Timeout(seconds(value[0], setting=f"{setting}[0]"), seconds(value[1], setting=f"{setting}[1]"))
    read = seconds(value, setting=setting)
    return Timeout(connect=min(read, Timeout().connect), read=read)


def verify(value: Any, *, setting: str) -> bool | str:
    """TLS verification: true, false, or the path of an existing CA bundle file or folder."""
    if isinstance(value, bool):
        return value
    text = str(value).strip()
    if text.lower() in _TRUE | _FALSE:
        return text.lower() in _TRUE
    if not os.path.exists(os.path.expanduser(text)):
        raise ConfigurationError(
            f"{setting} must be true, false or the path of a CA bundle; {text!r} does not exist"
        )
    return os.path.expanduser(text)


def client_options(options: Mapping[str, Any]) -> dict[str, Any]:
    """``hook_params`` checked and converted for the client; an unknown or bad one names itself."""
    unknown = sorted(set(options) - set(CLIENT_OPTIONS) - set(PASSED_THROUGH))
    if unknown:
        raise ConfigurationError(
            f"hook_params: unknown setting(s) {', '.join(map(repr, unknown))}; known: {', '.join(CLIENT_OPTIONS)}"
        )
    checked: dict[str, Any] = {name: options[name] for name in PASSED_THROUGH if name in options}
    for name, value in options.items():
        if name in PASSED_THROUGH:
            continue
        setting = f"hook_params.{name}"
        if name == "max_retries":
            checked[name] = max_retries(value, setting=setting)
        elif name == "timeout":
            checked[name] = timeout(value, setting=setting)
        elif name == "verify":
            checked[name] = verify(value, setting=setting)
        elif name == "allow_insecure_http":
            checked[name] = as_bool(value, setting=setting)
        elif not isinstance(value, RetryPolicy):
            raise ConfigurationError(f"{setting} must be a RetryPolicy, got {type(value).__name__}")
        else:
            checked[name] = value
    return checked
