"""Send many items through a ``{"bulk": [...]}`` endpoint: batches, bounded concurrency, per-item results.

``run_bulk`` takes the items lazily, cuts them into batches of at most ``BULK_MAX_ITEMS``, and
keeps at most ``max_concurrency`` batches in flight on a thread pool that shares the one
(thread-safe) client. Memory stays bounded by ``max_concurrency`` batches plus one small
record per item. Every item ends as an ``ItemOutcome``; a batch whose request failed as a
whole (after the client's own retries) makes each of its items a failure carrying the error,
and the remaining batches are still sent. What a failure means for the caller (fail, warn,
skip) is not decided here.

The ``*_batch`` functions are the senders for the three bulk operations: they know the
endpoint, how to read its answer, and how to avoid re-applying what an earlier attempt did.
No Airflow import here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from airflow_provider_ordermesh.client.defaults import DEFAULT_BULK_CONCURRENCY
from airflow_provider_ordermesh.client.errors import BadRequestError, InvalidRequestError, OrderMeshError
from airflow_provider_ordermesh.limits import BULK_MAX_ITEMS
from airflow_provider_ordermesh.wording import counted

if TYPE_CHECKING:
    from airflow_provider_ordermesh.client.client import OrderMeshClient
    from airflow_provider_ordermesh.client.resources.orders import EncodedOrder
    from airflow_provider_ordermesh.models.common import BulkResponse, BulkResultItem
    from airflow_provider_ordermesh.models.orders import BulkUpdateOrder, CreateOrder, Order
    from airflow_provider_ordermesh.models.shipments import Reroute

log = logging.getLogger(__name__)

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


@dataclass(frozen=True)
class BulkEntry(Generic[T_co]):
    """One input item: its position in the whole input, its key (safeId or id) and the request.

    Read-only, so an entry of a narrower request type may go where a wider one is accepted.
    """

    index: int
    ref: str | None
    item: T_co


@dataclass(frozen=True)
class ItemOutcome:
    """What happened to one item. ``message`` is None on success."""

    index: int
    ref: str | None
    id: str | None = None
    already_existed: bool = False
    message: str | None = None
    retryable: bool = False

    @property
    def ok(self) -> bool:
        """True when the item succeeded (no failure message)."""
        return self.message is None


@dataclass(frozen=True)
class BulkFailure:
    """An item that did not succeed: where it was in the input, its key, and the API's message.

    ``retryable`` says whether sending it again may succeed (the request failed as a whole, or
    the API answered 429 or 5xx for it); a refused item (400, 404, 422) will be refused again.
    """

    index: int
    ref: str | None
    message: str
    retryable: bool = False


@dataclass
class BulkResult:
    """The outcome of a whole bulk run, small enough to report.

    ``ids`` are the ids of the items that succeeded (created, updated or rerouted, and those
    that already existed), in input order.
    """

    ids: list[str] = field(default_factory=list)
    succeeded: int = 0
    already_existed: int = 0
    failures: list[BulkFailure] = field(default_factory=list)
    batches: int = 0

    @property
    def total(self) -> int:
        """How many items were handled: succeeded plus failed."""
        return self.succeeded + len(self.failures)

    @property
    def applied(self) -> int:
        """Items this run changed (succeeded minus those found already done)."""
        return self.succeeded - self.already_existed


SendBatch = Callable[[Sequence[BulkEntry[T]]], Iterable[ItemOutcome]]


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of at most ``size`` items, pulled lazily."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _outcomes_of(send_batch: SendBatch[T], batch: Sequence[BulkEntry[T]]) -> list[ItemOutcome]:
    """Send one batch on a worker thread and collect its outcomes there."""
    return list(send_batch(batch))


def run_bulk(
    entries: Iterable[BulkEntry[T]],
    send_batch: SendBatch[T],
    *,
    batch_size: int = BULK_MAX_ITEMS,
    max_concurrency: int = DEFAULT_BULK_CONCURRENCY,
    what: str = "bulk request",
) -> BulkResult:
    """Send every entry in batches, at most ``max_concurrency`` batches at a time.

    Only ``OrderMeshError`` is turned into per-item failures; any other exception (a bug, an
    interrupt) cancels the batches not yet started and propagates.
    """
    if not 1 <= batch_size <= BULK_MAX_ITEMS:
        raise ValueError(f"batch_size must be between 1 and {BULK_MAX_ITEMS}, got {batch_size}")
    if max_concurrency < 1:
        raise ValueError(f"max_concurrency must be 1 or more, got {max_concurrency}")
    result = BulkResult()
    found: list[tuple[int, str]] = []

    def collect(future: Future[list[ItemOutcome]], batch: Sequence[BulkEntry[T]]) -> None:
        try:
            outcomes = future.result()
        except OrderMeshError as exc:
            log.warning(
                "%s: batch of %s starting at index %d failed as a whole: %s",
                what,
                counted(len(batch), "item"),
                batch[0].index,
                exc,
            )
            retryable = not isinstance(exc, (InvalidRequestError, BadRequestError))
            outcomes = [
                ItemOutcome(
                    index=e.index, ref=e.ref, message=f"the batch request failed: {exc}", retryable=retryable
                )
                for e in batch
            ]
        result.batches += 1
        failed = 0
        for outcome in outcomes:
            if outcome.ok:
                result.succeeded += 1
                result.already_existed += outcome.already_existed
                if outcome.id:
                    found.append((outcome.index, outcome.id))
            else:
                failed += 1
                result.failures.append(
                    BulkFailure(outcome.index, outcome.ref, outcome.message or "failed", outcome.retryable)
                )
        log.info(
            "%s: batch %d done (%s, %d failed)", what, result.batches, counted(len(batch), "item"), failed
        )

    with ThreadPoolExecutor(max_workers=max_concurrency, thread_name_prefix="ordermesh-bulk") as pool:
        in_flight: dict[Future[list[ItemOutcome]], Sequence[BulkEntry[T]]] = {}
        try:
            for batch in batched(entries, batch_size):
                while len(in_flight) >= max_concurrency:
                    done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                    for future in done:
                        collect(future, in_flight.pop(future))
                in_flight[pool.submit(_outcomes_of, send_batch, batch)] = batch
            while in_flight:
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in done:
                    collect(future, in_flight.pop(future))
        except BaseException:
            for future in in_flight:
                future.cancel()
            raise

    found.sort()
    result.ids = [order_id for _, order_id in found]
    result.failures.sort(key=lambda failure: failure.index)
    return result


def describe_failure(item: BulkResultItem) -> str:
    """The API's message for one failed entry, with its field errors."""
    parts = [item.message] if item.message else []
    for error in item.errors:
        field_name = error.get("field") or error.get("name")
        message = error.get("message") or error.get("msg") or error.get("detail")
        if field_name or message:
            parts.append(f"{field_name}: {message}" if field_name else str(message))
    text = "; ".join(p for p in parts if p) or "failed"
    return f"{text} (HTTP {item.status_code})" if item.status_code else text


def outcomes_from_response(
    batch: Sequence[BulkEntry[Any]],
    response: BulkResponse,
    *,
    conflict_is_success: bool = False,
    ref_is_id: bool = True,
) -> list[ItemOutcome]:
    """One outcome per entry of ``batch`` from the API's per-item results (matched by index).

    With ``conflict_is_success``, a 409 on an entry means it was already done (a create whose
    safeId exists): it counts as success with ``already_existed`` and, if the answer carries
    none, no id yet. ``ref_is_id`` says the entry's key is the resource id (updates,
    reroutes), to use when a result carries no id.
    """
    by_index = {item.index: item for item in response.results}
    outcomes: list[ItemOutcome] = []
    for position, entry in enumerate(batch):
        item = by_index.get(position)
        if item is None:
            outcomes.append(
                ItemOutcome(entry.index, entry.ref, message="the API answered with no result for this item")
            )
        elif item.is_successful:
            fallback = entry.ref if ref_is_id else None
            outcomes.append(ItemOutcome(entry.index, entry.ref, id=item.id or fallback))
        elif conflict_is_success and item.status_code == 409:
            outcomes.append(ItemOutcome(entry.index, entry.ref, id=item.id, already_existed=True))
        else:
            retryable = item.status_code is None or item.status_code == 429 or item.status_code >= 500
            outcomes.append(
                ItemOutcome(entry.index, entry.ref, message=describe_failure(item), retryable=retryable)
            )
    return outcomes


# --------------------------------------------------------------------------------------------
# Senders
# --------------------------------------------------------------------------------------------


def existing_orders(client: OrderMeshClient, safe_ids: Sequence[str]) -> dict[str, Order]:
    """``{safeId: order}`` for those of ``safe_ids`` (at most 100) that exist: one search request.

    Exactly one page is read: an API that ignored the filter would otherwise make this page
    through the whole account. Anything missed is still safe: re-sent, it is answered 409 and
    resolved to the existing order.
    """
    if not safe_ids:
        return {}
    wanted = set(safe_ids)
    page = client.orders.search_page({"safeIds": list(wanted)}, page_size=BULK_MAX_ITEMS)
    return {order.safe_id: order for order in page.items if order.safe_id in wanted}


ContentDifferences = Callable[["Order", str], list[str]]
"""``(existing order, wanted content record)`` -> what differs (empty when it is the same operation)."""


def _refuse_other_content(
    client: OrderMeshClient,
    batch: Sequence[BulkEntry[CreateOrder | EncodedOrder]],
    outcomes: dict[int, ItemOutcome],
    differences: ContentDifferences,
    *,
    known: dict[str, Order],
) -> None:
    """Turn each "already existed" outcome whose order records other content into a refusal.

    Only entries whose safeId comes from a key carry a content record (``EncodedOrder.fingerprint``):
    the same key with other content is another operation, which no retry may report as done.
    ``known`` holds the orders already read (by safeId); only the others are looked up.
    """
    keyed = {
        entry.index: fingerprint
        for entry in batch
        if (fingerprint := getattr(entry.item, "fingerprint", None)) and outcomes[entry.index].already_existed
    }
    if not keyed:
        return
    unknown = [ref for index in keyed if (ref := outcomes[index].ref or "") not in known]
    found = {**known, **(existing_orders(client, unknown) if unknown else {})}
    for index, wanted in keyed.items():
        outcome = outcomes[index]
        order = found.get(outcome.ref or "")
        differs = ["the order was not found"] if order is None else differences(order, wanted)
        if differs:
            outcomes[index] = ItemOutcome(
                index,
                outcome.ref,
                message=f"safeId {outcome.ref} already names an order with other content "
                f"({', '.join(differs)} differ); nothing was sent for it",
            )


def create_orders_batch(
    client: OrderMeshClient,
    batch: Sequence[BulkEntry[CreateOrder | EncodedOrder]],
    *,
    skip_existing: bool,
    differences: ContentDifferences | None = None,
) -> list[ItemOutcome]:
    """Create one batch of orders (each with its safeId set, or already encoded with it).

    With ``skip_existing`` (an earlier attempt may have created some), first look up which
    safeIds exist and send only the others, so nothing is sent twice. A 409 on an entry also
    means "already created"; the ids of such entries are then looked up. With ``differences``, an
    existing order under a key's safeId with other content is a refused entry, not a success.
    """
    outcomes: dict[int, ItemOutcome] = {}
    existing = existing_orders(client, [e.ref for e in batch if e.ref]) if skip_existing else {}
    for entry in batch:
        if entry.ref in existing:
            outcomes[entry.index] = ItemOutcome(
                entry.index, entry.ref, id=existing[entry.ref].id, already_existed=True
            )
    to_send = [entry for entry in batch if entry.index not in outcomes]
    if to_send:
        response = client.orders.create_bulk([entry.item for entry in to_send])
        sent = outcomes_from_response(to_send, response, conflict_is_success=True, ref_is_id=False)
        unresolved = [o.ref for o in sent if o.ok and not o.id and o.ref]
        resolved = existing_orders(client, unresolved) if unresolved else {}
        existing.update(resolved)
        for outcome in sent:
            if outcome.ok and not outcome.id:
                found = resolved.get(outcome.ref or "")
                order_id = found.id if found else None
                outcome = ItemOutcome(
                    outcome.index,
                    outcome.ref,
                    id=order_id,
                    already_existed=outcome.already_existed,
                    message=None
                    if order_id
                    else "the API reported success or a duplicate "
                    "safeId but no order with that safeId was found",
                )
            outcomes[outcome.index] = outcome
    if differences is not None:
        _refuse_other_content(client, batch, outcomes, differences, known=existing)
    return [outcomes[entry.index] for entry in batch]


def update_orders_batch(
    client: OrderMeshClient, batch: Sequence[BulkEntry[BulkUpdateOrder]]
) -> list[ItemOutcome]:
    """Update one batch of orders; an update is a PATCH, so sending it again is harmless."""
    return outcomes_from_response(batch, client.orders.update_bulk([entry.item for entry in batch]))


def reroute_shipments_batch(
    client: OrderMeshClient,
    batch: Sequence[BulkEntry[Reroute]],
    *,
    skip_applied: bool,
    partial_applied: Callable[[Reroute], bool] | None = None,
) -> list[ItemOutcome]:
    """Reroute one batch of shipments.

    With ``skip_applied``, whole-shipment reroutes whose shipment already sits at the target
    facility are not sent again (one search request per batch). Partial reroutes (chosen items)
    cannot be recognised as done from the shipment alone: ``partial_applied`` (the caller's read,
    e.g. of a marker in the shipment's audit log) says which are; without it they are sent again.
    """
    outcomes: dict[int, ItemOutcome] = {}
    if skip_applied and partial_applied is not None:
        for entry in batch:
            if entry.item.order_items and partial_applied(entry.item):
                outcomes[entry.index] = ItemOutcome(
                    entry.index, entry.ref, id=entry.item.shipment_id, already_existed=True
                )
    if skip_applied:
        whole = [e for e in batch if not e.item.order_items]
        ids = sorted({e.item.shipment_id for e in whole})
        found = client.shipments.search({"ids": ids}, page_size=BULK_MAX_ITEMS) if ids else []
        facilities = {shipment.id: shipment.facility_id for shipment in found}
        for entry in whole:
            if facilities.get(entry.item.shipment_id) == entry.item.facility_id:
                outcomes[entry.index] = ItemOutcome(
                    entry.index, entry.ref, id=entry.item.shipment_id, already_existed=True
                )
    to_send = [entry for entry in batch if entry.index not in outcomes]
    if to_send:
        response = client.shipments.reroute_bulk([entry.item for entry in to_send])
        for outcome in outcomes_from_response(to_send, response):
            outcomes[outcome.index] = outcome
    return [outcomes[entry.index] for entry in batch]
