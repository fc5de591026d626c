"""File path arguments: a path to read or write, checked before anything is fetched, generated or sent.

Airflow renders Jinja only in an operator's own templated fields: a ``{{ ds }}`` inside a Param's
value, or in text pulled from elsewhere, arrives unrendered and would name a file literally called
``{{ ds }}``. A path to write must name a file, not an existing folder.
"""

from __future__ import annotations

import os
from typing import Any

from airflow_provider_ordermesh.arguments import InvalidArgument
from airflow_provider_ordermesh.arguments.narrowing import is_blank

_TEMPLATE_MARKS = ("{{", "{%")


def refuse_unrendered(text: str, *, param: str) -> None:
    """Fail naming ``param`` when ``text`` still holds Jinja (it came through a value Airflow does not render)."""
    if any(mark in text for mark in _TEMPLATE_MARKS):
        raise InvalidArgument(
            f"{param} is {text!r}: it still holds a Jinja template, so it came through a value Airflow does "
            f"not render (a Param's value, an XCom, a file). Write the template into {param} itself "
            "(it is templated), or pass the final path"
        )


def checked_output_path(value: Any, *, param: str) -> str:
    """The absolute path of the file to write for ``param``: a rendered, non-blank path that is not a folder."""
    if not isinstance(value, str) or is_blank(value):
        raise InvalidArgument(f"{param} must be the path of the file to write, got {value!r}")
    text = value.strip()
    refuse_unrendered(text, param=param)
    path = os.path.abspath(os.path.expanduser(text))
    if os.path.isdir(path) or text.endswith(("/", os.sep)):
        raise InvalidArgument(
            f"{param} {text!r} is a folder; give the path of the file to write in it, "
            f"e.g. {os.path.join(text, 'packing-slip.pdf')!r}"
        )
    return path


def checked_input_path(value: str, *, param: str) -> str:
    """The path of an existing file to read for ``param`` (rendered, present), user folder expanded."""
    text = value.strip()
    refuse_unrendered(text, param=param)
    path = os.path.expanduser(text)
    if not os.path.isfile(path):
        raise InvalidArgument(f"{param}: no such file {path!r}")
    return path
