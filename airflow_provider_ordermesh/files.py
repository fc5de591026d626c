"""Files named by task arguments: a local path or an object-storage URI, one rule for every argument.

An argument that reads or writes a file (a bulk operator's ``orders``, ``updates`` or
``reroutes`` given as a path, the packing slip's ``output_path``) takes either a local path or a
URI that Airflow's ``ObjectStoragePath`` knows (``s3://``, ``gs://``, ``file://``, ...), with
``storage_conn_id`` naming the Airflow connection of the store. A local path is read on the
worker that runs the task, so it must exist on every worker; a URI on shared storage works from
any. What cannot work (an unknown scheme, a remote URI without a connection, a template left
unrendered, a missing file, a directory given as the file to write) is refused before any
OrderMesh request, naming the argument and the fix. Airflow loads only when a task runs.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Any

from airflow_provider_ordermesh.compat import AirflowFailException

if TYPE_CHECKING:
    from airflow_provider_ordermesh.compat import ObjectStoragePath

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_LOCAL_SCHEMES = frozenset({"file", "local"})
_PROVIDER_HINTS = {
    "s3": "apache-airflow-providers-amazon[s3fs]",
    "gs": "apache-airflow-providers-google",
    "gcs": "apache-airflow-providers-google",
    "abfs": "apache-airflow-providers-microsoft-azure",
}


class FileArgumentError(AirflowFailException, ValueError):
    """A file argument that cannot work: fails the task without retries (no retry changes it)."""


def scheme_of(value: str) -> str | None:
    """The URI scheme of ``value`` (lower case), or None for a plain path."""
    match = _SCHEME.match(value.strip())
    return match.group(1).lower() if match else None


def is_file_reference(value: Any, *, extensions: tuple[str, ...]) -> bool:
    """Whether a string argument names a file (a URI, or a path ending in one of ``extensions``)
    rather than holding the data itself (JSON text)."""
    if not isinstance(value, str):
        return False
    text = value.strip()
    return scheme_of(text) is not None or text.lower().endswith(extensions)


def file_path(value: str, *, param: str, storage_conn_id: str | None = None) -> ObjectStoragePath:
    """``value`` as an ``ObjectStoragePath``, or a refusal naming ``param`` and the fix.

    Checks only what needs no I/O: the scheme has a filesystem, a remote URI has a connection
    (``storage_conn_id``, or Airflow's ``s3://conn_id@bucket/key`` form), nothing is left of a
    template, and a ``file://`` path is absolute.
    """
    from airflow_provider_ordermesh.compat import ObjectStoragePath, has_fs

    text = value.strip()
    if "{{" in text or "{%" in text:
        raise FileArgumentError(
            f"{param}={text!r} still holds a template: it was not rendered (a Param's value is not a template); "
            "render it in a templated argument, or pass the final path"
        )
    scheme = scheme_of(text)
    if scheme is None:
        local = os.path.abspath(os.path.expanduser(text))
        return ObjectStoragePath(f"file://{local}")
    if not has_fs(scheme):
        hint = _PROVIDER_HINTS.get(scheme, "the Airflow provider (and fsspec backend) for that scheme")
        raise FileArgumentError(
            f"{param}={text!r}: no filesystem is registered for {scheme}://; install {hint}"
        )
    rest = text[len(scheme) + 3 :]
    if scheme in _LOCAL_SCHEMES:
        if not rest.startswith("/"):
            raise FileArgumentError(
                f"{param}={text!r} is relative; write an absolute path, e.g. file:///data/orders.jsonl"
            )
        return ObjectStoragePath(text)
    netloc, _, key = rest.partition("/")
    if "@" in netloc:  # Airflow's s3://conn_id@bucket/key form, read here: Airflow 3.1 does not
        in_uri, _, bucket = netloc.rpartition("@")
        storage_conn_id, text = storage_conn_id or in_uri, f"{scheme}://{bucket}/{key}"
    if not storage_conn_id:
        raise FileArgumentError(
            f"{param}={text!r} is on {scheme}://, which needs an Airflow connection to the store: pass "
            f"storage_conn_id='<connection id>' (e.g. an AWS connection for s3://)"
        )
    return ObjectStoragePath(text, conn_id=storage_conn_id)


def readable_file(value: str, *, param: str, storage_conn_id: str | None = None) -> ObjectStoragePath:
    """The existing file ``value`` names, checked before any OrderMesh request."""
    path = file_path(value, param=param, storage_conn_id=storage_conn_id)
    if not _probe(path, param, "is_file"):
        where = (
            "a local path must exist on the worker that runs the task (every worker): put the file on shared "
            "storage and give its URI (e.g. s3://bucket/orders.jsonl) with storage_conn_id"
            if scheme_of(value) is None
            else "check the URI and that storage_conn_id can read it"
        )
        raise FileArgumentError(f"{param}: no such file {shown(path)}; {where}")
    return path


def writable_file(value: str, *, param: str, storage_conn_id: str | None = None) -> ObjectStoragePath:
    """The file ``value`` names, to be written: refused before any request when it is a directory."""
    path = file_path(value, param=param, storage_conn_id=storage_conn_id)
    if _probe(path, param, "is_dir"):
        folder = value.strip().rstrip("/")
        raise FileArgumentError(
            f"{param}={folder!r} is a directory; give the file to write, e.g. {folder}/slip.pdf"
        )
    return path


def write_bytes(path: ObjectStoragePath, data: bytes) -> None:
    """Write ``data`` to ``path``, creating its folder where the store has folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as stream:
        stream.write(data)


def shown(path: ObjectStoragePath) -> str:
    """How a path reads in messages and return values: a plain path for local files, else the URI."""
    return str(path.path) if path.protocol in _LOCAL_SCHEMES else str(path)


def _probe(path: ObjectStoragePath, param: str, check: str) -> bool:
    """``path.is_file()`` / ``path.is_dir()``; a store that cannot be reached is named, not leaked
    (a storage error can carry request details, so only its type is shown)."""
    try:
        return bool(getattr(path, check)())
    except Exception as exc:
        raise FileArgumentError(
            f"{param}: could not reach {shown(path)} ({type(exc).__name__}); check storage_conn_id and the URI"
        ) from None
