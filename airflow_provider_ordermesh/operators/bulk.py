"""The shared shape of the bulk operators: reading many items, validating them, the partial-failure policy.

Orders create, orders update and shipment reroute differ only in their request model, how an
entry gets its key, which sender runs a batch (``client.bulk``) and the names in the return
value. Everything else lives here once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from airflow_provider_ordermesh.arguments import InvalidArgument
from airflow_provider_ordermesh.arguments.numbers import checked_int
from airflow_provider_ordermesh.arguments.payloads import parse_json_text
from airflow_provider_ordermesh.client.defaults import DEFAULT_BULK_CONCURRENCY
from airflow_provider_ordermesh.compat import AirflowException, AirflowFailException
from airflow_provider_ordermesh.limits import BULK_MAX_ITEMS
from airflow_provider_ordermesh.operators.base import OrderMeshBaseOperator
from airflow_provider_ordermesh.operators.idempotency import FirstSeen
from airflow_provider_ordermesh.wording import counted

if TYPE_CHECKING:
    from pydantic import BaseModel

    from airflow_provider_ordermesh.client.bulk import BulkEntry, BulkFailure, BulkResult, SendBatch
    from airflow_provider_ordermesh.compat import Context

PartialFailurePolicy = Literal["fail", "warn", "skip-failed"]
POLICIES: tuple[str, ...] = ("fail", "warn", "skip-failed")
MAX_CONCURRENCY = 32  # batches in flight at once, at most
LISTED_FAILURES = 100  # at most this many failures are spelled out in an error message or the log
ITEM_FILE_EXTENSIONS = (".json", ".jsonl")


def iter_items(source: Any, *, param: str, storage_conn_id: str | None = None) -> Iterator[tuple[int, Any]]:
    """``(index, item)`` for each item of a list, a JSON string, or a ``.json`` / ``.jsonl`` file.

    The file is a local path or an object-storage URI (``s3://bucket/orders.jsonl`` with
    ``storage_conn_id``), read through ``files``. A ``.jsonl`` file is read line by line
    (constant memory); a blank line is skipped and a line that is not JSON becomes an item that
    fails validation, naming its line.
    """
    from airflow_provider_ordermesh.files import FileArgumentError, is_file_reference, readable_file, shown

    if is_file_reference(source, extensions=ITEM_FILE_EXTENSIONS):
        path = readable_file(source, param=param, storage_conn_id=storage_conn_id)
        if not path.name.lower().endswith(ITEM_FILE_EXTENSIONS):
            raise FileArgumentError(
                f"{param}: {shown(path)} is neither a .json nor a .jsonl file; give a JSON array (.json) or one "
                "JSON object per line (.jsonl)"
            )
        if path.name.lower().endswith(".jsonl"):
            yield from _iter_json_lines(path)
            return
        with path.open("r", encoding="utf-8") as handle:
            try:
                source = json.load(handle)
            except json.JSONDecodeError as exc:
                problem = f"{param}: {shown(path)!r} is not valid JSON ({exc.msg} at line {exc.lineno})"
                raise AirflowFailException(problem) from None
    else:
        source = parse_json_text(source, param=param)
    if isinstance(source, Mapping) or not isinstance(source, Sequence) or isinstance(source, (str, bytes)):
        raise AirflowFailException(
            f"{param} must be a list of objects, a JSON array, or the path or URI of a .json or .jsonl file; "
            f"got {type(source).__name__}"
        )
    yield from enumerate(source)


def _lineage_path(source: str) -> str:
    """The file a bulk input names, as lineage reports it (a local path made absolute)."""
    import os

    text = source.strip()
    return text if "://" in text else os.path.abspath(os.path.expanduser(text))


class _BadLine:
    def __init__(self, line: int, problem: str):
        self.problem = f"line {line} is not valid JSON ({problem})"


def _iter_json_lines(path: Any) -> Iterator[tuple[int, Any]]:
    index = 0
    with path.open("r", encoding="utf-8") as handle:
        for line_number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                item: Any = json.loads(line)
            except json.JSONDecodeError as exc:
                item = _BadLine(line_number, exc.msg)
            yield index, item
            index += 1


def _as_object(index: int, item: Any) -> Mapping[str, Any] | BulkFailure:
    """An item that is not a plain dict as an object (a JSON string parsed, a model dumped), or
    the failure saying why it is none."""
    from airflow_provider_ordermesh.client.bulk import BulkFailure

    if isinstance(item, _BadLine):
        return BulkFailure(index, None, item.problem)
    if isinstance(item, str):
        try:
            item = json.loads(item)
        except json.JSONDecodeError as exc:
            return BulkFailure(index, None, f"item is a string but not valid JSON ({exc.msg})")
    if hasattr(item, "model_dump"):
        item = item.model_dump(by_alias=True, exclude_none=True)
    if not isinstance(item, Mapping):
        return BulkFailure(index, None, f"expected an object, got {type(item).__name__}")
    return item


class OrderMeshBulkOperator(OrderMeshBaseOperator):
    """Base of the operators that send many items through a bulk endpoint.

    Items are validated first, all of them, before any request. Then they go out in batches of
    at most 100, ``max_concurrency`` batches at a time, and every batch is sent even when some
    fail. The validation pass is deliberately not overlapped with sending: with ``"fail"``, an
    invalid item must mean that nothing was sent. It is kept cheap instead (each item is
    validated once and kept in the form it is sent in). ``on_partial_failure`` decides what
    failed items mean:

    * ``"fail"`` (default): after every batch was sent, fail the task with a message listing
      each failed item (index, key and the API's message). An invalid item fails the task
      before anything is sent. Airflow's retry then re-sends only what did not succeed; when
      every failure is a refusal that a retry cannot fix (400, 404, 422), the task fails
      without retries.
    * ``"warn"``: succeed, log each failure as a warning, return them under ``failures``.
    * ``"skip-failed"``: succeed, log only how many failed, return them under ``failures``.

    The items argument is templated when it is a string (e.g. ``"{{ ti.xcom_pull('x') | tojson }}"``
    or a file path with ``{{ ds }}``); the strings inside a list of items are data, not templates.

    Everything in the input is accounted for: two items with the same key (``safeId``, order
    ``id`` or ``shipmentId``) refuse the task before anything is sent, naming both positions, as
    the second would otherwise be dropped or applied twice. An empty input is logged as a warning
    and reported (zero counts), or fails the task with ``fail_on_empty=True``.

    :param on_partial_failure: ``"fail"``, ``"warn"`` or ``"skip-failed"``.
    :param max_concurrency: Batches in flight at once (threads sharing one client), 1 to 32; default 8
        (``client.defaults.DEFAULT_BULK_CONCURRENCY`` says why).
    :param batch_size: Items per request, 1 to 100.
    :param fail_on_empty: Fail the task when the input holds no items (default: warn and report).
    :param storage_conn_id: The Airflow connection of the object store when the items argument is
        a URI such as ``s3://bucket/orders.jsonl``. A local path needs none, but must
        exist on every worker.
    """

    source_param: ClassVar[str]
    """The argument holding the items (templated)."""
    ref_field: ClassVar[str]
    """The API field that identifies an item in failure reports (e.g. ``safeId``)."""
    ref_key: ClassVar[str]
    """The name of that key in the returned failures (e.g. ``safe_id``)."""

    def __init__(
        self,
        *,
        on_partial_failure: PartialFailurePolicy = "fail",
        max_concurrency: int = DEFAULT_BULK_CONCURRENCY,
        batch_size: int = BULK_MAX_ITEMS,
        fail_on_empty: bool = False,
        storage_conn_id: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.storage_conn_id = storage_conn_id
        if on_partial_failure not in POLICIES:
            raise InvalidArgument(
                f"on_partial_failure must be one of {', '.join(POLICIES)}; got {on_partial_failure!r}"
            )
        if not isinstance(fail_on_empty, bool):
            raise InvalidArgument(f"fail_on_empty must be True or False, got {fail_on_empty!r}")
        self.on_partial_failure = on_partial_failure
        self.max_concurrency = checked_int(
            max_concurrency, param="max_concurrency", minimum=1, maximum=MAX_CONCURRENCY
        )
        self.batch_size = checked_int(batch_size, param="batch_size", minimum=1, maximum=BULK_MAX_ITEMS)
        self.fail_on_empty = fail_on_empty

    def render_template(
        self, content: Any, context: Any, jinja_env: Any = None, seen_oids: Any = None
    ) -> Any:
        """Render the items argument only when it is a string (a Jinja expression, JSON or a path).

        A list of items is data: rendering every string of thousands of orders as a template
        would cost seconds and could mangle text that happens to contain ``{{``.
        """
        if (
            content is getattr(self, self.source_param, None)
            and not isinstance(content, str)
            and not hasattr(content, "resolve")
        ):  # an XComArg still has to be resolved
            return content
        return super().render_template(content, context, jinja_env, seen_oids)

    # --- what subclasses provide ------------------------------------------------------------

    def request_model(self) -> type[BaseModel]:
        raise NotImplementedError

    def make_entry(self, context: Context, index: int, request: Any) -> BulkEntry[Any]:
        """The entry to send for a validated item."""
        from airflow_provider_ordermesh.client.bulk import BulkEntry

        return BulkEntry(index=index, ref=self.ref_of(request.to_api()), item=request)

    def sender(self, context: Context) -> SendBatch[Any]:
        raise NotImplementedError

    def summarise(self, result: BulkResult) -> dict[str, Any]:
        """The return value, without ``failures`` (added here)."""
        raise NotImplementedError

    def prepare_item(self, context: Context, raw: dict[str, Any]) -> dict[str, Any]:
        """A chance to fill defaults (e.g. the merchant id) before validation."""
        return raw

    # --- the shared flow --------------------------------------------------------------------

    def ref_of(self, raw: Any) -> str | None:
        value = raw.get(self.ref_field) if isinstance(raw, Mapping) else None
        return str(value) if value not in (None, "") else None

    def _validated_entries(self, context: Context) -> Iterator[BulkEntry[Any] | BulkFailure]:
        """Each item as an entry ready to send, or as a failure naming what is wrong with it."""
        from pydantic import ValidationError

        from airflow_provider_ordermesh.client.bulk import BulkFailure
        from airflow_provider_ordermesh.client.errors import InvalidRequestError

        model = self.request_model()
        source = getattr(self, self.source_param)
        if isinstance(source, str) and source.strip().lower().endswith(ITEM_FILE_EXTENSIONS):
            self.lineage_details["input_files"] = [_lineage_path(source)]
        for index, item in iter_items(source, param=self.source_param, storage_conn_id=self.storage_conn_id):
            # A plain dict, the usual item, needs none of the checks of ``_as_object``.
            raw = item if type(item) is dict else _as_object(index, item)
            if isinstance(raw, BulkFailure):
                yield raw
                continue
            try:
                request = model.model_validate(self.prepare_item(context, dict(raw)))
            except ValidationError as exc:
                problem = InvalidRequestError.from_pydantic(f"{self.source_param}[{index}]", exc.errors())
                yield BulkFailure(index, self.ref_of(raw), str(problem))
                continue
            yield self.make_entry(context, index, request)

    def perform(self, context: Context) -> dict[str, Any]:
        from airflow_provider_ordermesh.client.bulk import BulkEntry, BulkFailure, BulkResult, run_bulk

        checked = self._checked_items(context)
        invalid: list[BulkFailure] = []
        seen = FirstSeen()
        count = 0
        for checked_item in checked():
            count += 1
            if isinstance(checked_item, BulkFailure):
                invalid.append(checked_item)
            else:
                seen.see(checked_item.index, checked_item.ref)
        duplicates = [
            f"  index {first} and index {later} share {self.ref_field} {ref}"
            for first, later, ref in seen.repeats
        ]
        if duplicates:
            headline = (
                f"{len(duplicates)} {self.source_param} repeat the {self.ref_field} of an earlier one; "
                f"nothing was sent (each {self.ref_field} may appear once in an input):"
            )
            raise AirflowFailException("\n".join([headline, *duplicates[:LISTED_FAILURES]]))
        if count == 0:
            return self._empty(BulkResult())
        if invalid and self.on_partial_failure == "fail":
            verb = "is" if len(invalid) == 1 else "are"
            invalid_text = self._failure_text(invalid, f"{verb} invalid; nothing was sent")
            raise AirflowFailException(f"{self.source_param}: {invalid_text}")
        entries = (e for e in checked() if isinstance(e, BulkEntry))
        result = run_bulk(
            entries,
            self.sender(context),
            batch_size=self.batch_size,
            max_concurrency=self.max_concurrency,
            what=self.task_id,
        )
        failures = sorted([*invalid, *result.failures], key=lambda f: f.index)
        self.lineage_details["counts"] = dict.fromkeys(self.lineage_outputs(), result.succeeded)
        report = {
            **self.summarise(result),
            "failures": [{"index": f.index, self.ref_key: f.ref, "message": f.message} for f in failures],
        }
        self._apply_policy(
            context, report, failures, total=len(failures) + result.succeeded, batches=result.batches
        )
        return report

    def _empty(self, nothing: BulkResult) -> dict[str, Any]:
        """The report of an input without items, or a failure when ``fail_on_empty`` asks for one."""
        problem = f"{self.source_param} holds no items"
        if self.fail_on_empty:
            raise AirflowFailException(f"{problem}; nothing was sent (fail_on_empty=True)")
        self.log.warning("%s; nothing was sent (set fail_on_empty=True to fail instead)", problem)
        return {**self.summarise(nothing), "failures": []}

    def _checked_items(self, context: Context) -> Callable[[], Iterable[BulkEntry[Any] | BulkFailure]]:
        """The validated items, readable twice: every item is checked before the first is sent.

        Items given in memory are validated once and kept; a file or JSON text is read and
        validated again on the second pass instead, so that a large file never sits in memory.
        """
        if isinstance(getattr(self, self.source_param), str):
            return lambda: self._validated_entries(context)
        items = list(self._validated_entries(context))
        return lambda: items

    def _apply_policy(
        self,
        context: Context,
        report: dict[str, Any],
        failures: list[BulkFailure],
        *,
        total: int,
        batches: int,
    ) -> None:
        if not failures:
            self.log.info(
                "all %s succeeded in %s", counted(total, "item"), counted(batches, "batch", "batches")
            )
            return
        if self.on_partial_failure == "fail":
            context["ti"].xcom_push(key="failures", value=report["failures"])
            sent = counted(batches, "batch", "batches")
            headline = f"of {total} failed after every batch was sent ({sent})"
            if any(f.retryable for f in failures):
                retry = f"{headline}; a retry re-sends only these"
                raise AirflowException(self._failure_text(failures, retry))
            refused = f"{headline}; the API refused them, so retrying cannot help"
            raise AirflowFailException(self._failure_text(failures, refused))
        if self.on_partial_failure == "warn":
            self.log.warning("%s", self._failure_text(failures, f"of {total} failed"))
        else:
            self.log.info(
                "%d of %s failed and were skipped (see 'failures' in the return value)",
                len(failures),
                counted(total, "item"),
            )

    def _failure_text(self, failures: list[BulkFailure], headline: str) -> str:
        entry = self.source_param.removesuffix("s")  # each source_param names its entries in the plural
        lines = [f"{counted(len(failures), entry, self.source_param)} {headline}:"]
        lines += [
            f"  index {f.index}, {self.ref_key} {f.ref or '-'}: {f.message}"
            for f in failures[:LISTED_FAILURES]
        ]
        if len(failures) > LISTED_FAILURES:
            lines.append(f"  ... and {len(failures) - LISTED_FAILURES} more")
        return "\n".join(lines)
