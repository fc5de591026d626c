"""What a status wait asks the API, and how it reads the answers.

A watch turns the watched ids into batched search queries (100 ids per query, paged), and the
records those queries return into a ``Progress``. ``fetch`` and ``afetch`` run the queries
through the sync or async client, so the sensor and the trigger poll in exactly the same way:
requests per poll = pages, never one request per id. Only orders watched for their shipments
that have none yet cost one more search (are they known to OrderMesh at all?).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Final, Literal, TypeVar

from airflow_provider_ordermesh.client.inputs import checked_id, rendered_value
from airflow_provider_ordermesh.limits import PAGE_SIZE_MAX
from airflow_provider_ordermesh.models.statuses import (
    DEFAULT_ORDER_STATUSES,
    DEFAULT_SHIPMENT_STATUSES,
    OrderStatuses,
    ShipmentStatuses,
    UnknownStatusError,
)

if TYPE_CHECKING:
    from airflow_provider_ordermesh.waits.progress import InboundProgress, Progress

# ``progress`` (the verdict on a poll) and ``coalesce`` (the triggers' shared searches) load when
# a wait runs: DAG parsing only builds a watch to check the arguments.

T = TypeVar("T")

IDS_PER_QUERY: Final = 100
"""Ids per search query: the ``max_length`` of the ``ids``/``orderIds`` filters in ``models.search``."""

Group = Literal["shipments", "orders", "order_items"]


class EmptyWait(ValueError):
    """Every id field is empty: nothing to wait for (the sensors' ``on_empty`` decides what then)."""

    def __init__(self, fields: Sequence[str]) -> None:
        super().__init__(
            f"{' and '.join(fields)} are empty: there is nothing to wait for; give at least one id, "
            "or set on_empty='skip' or on_empty='succeed' when an upstream task may find nothing"
        )


def _end_states_missed(known: Iterable[str], targets: Iterable[str], failures: Iterable[str]) -> list[str]:
    """Statuses an item does not leave by itself that are neither a target nor a failure."""
    covered = {*targets, *failures}
    return sorted(status for status in known if status not in covered)


@dataclass(frozen=True)
class Query:
    """One search: the client's resource group and its filters (API names)."""

    group: Group
    filters: dict[str, Any]


# --- input normalisation ---------------------------------------------------------------------


def id_list(value: Any, *, field: str) -> list[str]:
    """Ids as a de-duplicated list, from a list, one id, or a rendered template.

    A template renders to a string: ``"a,b"``, ``'["a", "b"]'`` and ``"['a', 'b']"`` all work.
    """
    if value is None:
        return []
    if isinstance(value, str):
        text = value.strip()
        value = _parse_list(text, field=field) if text.startswith("[") else text.split(",")
    if not isinstance(value, (list, tuple, set, frozenset)):
        raise ValueError(f"{field}: expected a list of ids, got {type(value).__name__}")
    ids: list[str] = []
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise ValueError(f"{field}[{index}]: expected a non-blank id string, got {item!r}")
        ids.append(item.strip())
    return list(dict.fromkeys(ids))


def _parse_list(text: str, *, field: str) -> list[Any]:
    try:
        parsed = rendered_value(text)
    except ValueError:
        parsed = None
    if isinstance(parsed, list):
        return parsed
    raise ValueError(f"{field}: {text[:80]!r} is not a list")


def status_list(value: Any, *, field: str) -> list[int | str]:
    """Statuses (codes or names) as a list, from a list, one status, or a rendered template."""
    if isinstance(value, str):
        text = value.strip()
        return (
            _parse_list(text, field=field) if text.startswith("[") else [p.strip() for p in text.split(",")]
        )
    if isinstance(value, int) and not isinstance(value, bool):
        return [value]
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(value)
    raise ValueError(f"{field}: expected a list of status names or codes, got {type(value).__name__}")


def _checked(ids: Sequence[str], *, field: str) -> tuple[str, ...]:
    return tuple(checked_id(f"{field}[{index}]", item) for index, item in enumerate(ids))


def _chunks(ids: Sequence[str]) -> list[list[str]]:
    return [list(ids[start : start + IDS_PER_QUERY]) for start in range(0, len(ids), IDS_PER_QUERY)]


def check_page_size(page_size: Any) -> int:
    if isinstance(page_size, bool) or not isinstance(page_size, int) or not 1 <= page_size <= PAGE_SIZE_MAX:
        raise ValueError(f"page_size: must be an integer from 1 to {PAGE_SIZE_MAX}, got {page_size!r}")
    return page_size


# --- the wait's own settings, checked when the sensor is built ---------------------------------


def _whole_number_of_at_least_one(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def check_max_consecutive_errors(value: Any) -> int:
    """How many failed polls in a row a wait survives: a whole number of at least 1."""
    if not _whole_number_of_at_least_one(value):
        raise ValueError(f"max_consecutive_errors must be an integer of at least 1, got {value!r}")
    return int(value)


DEFAULT_UNKNOWN_ID_GRACE: Final = 3
"""Polls in a row an id looked up by id may stay unknown before the wait fails naming it."""


def check_unknown_id_grace(value: Any) -> int:
    """How many polls in a row an id may stay unknown: a whole number of at least 1."""
    if not _whole_number_of_at_least_one(value):
        raise ValueError(f"unknown_id_grace must be a whole number of polls of at least 1, got {value!r}")
    return int(value)


OnEmpty = Literal["fail", "skip", "succeed"]
ON_EMPTY_CHOICES: Final[tuple[OnEmpty, ...]] = ("fail", "skip", "succeed")


def check_on_empty(value: Any) -> OnEmpty:
    """``on_empty`` as given, or an error listing the choices."""
    if value not in ON_EMPTY_CHOICES:
        raise ValueError(f"on_empty: must be one of {', '.join(map(repr, ON_EMPTY_CHOICES))}, got {value!r}")
    return value


def check_status_sets(targets: Iterable[str], failures: Iterable[str], *, what: str) -> None:
    """Refuse an empty target set, or a status that is both a target and a failure."""
    target_set, failure_set = set(targets), set(failures)
    if not target_set:
        raise ValueError(f"target_statuses: give at least one {what} status to wait for")
    if overlap := target_set & failure_set:
        raise ValueError(
            f"target_statuses and failure_statuses both contain {', '.join(sorted(map(str, overlap)))}; "
            "a status cannot be both"
        )


def _naming_field(field: str, convert: Callable[[Iterable[Any]], T], statuses: Iterable[Any]) -> T:
    """``convert(statuses)``, with an unknown status reported under the parameter's name."""
    try:
        return convert(statuses)
    except UnknownStatusError as exc:
        raise UnknownStatusError(f"{field}: {exc}") from None


def shipment_status_codes(
    targets: Iterable[int | str], failures: Iterable[int | str], vocabulary: ShipmentStatuses
) -> tuple[frozenset[int], frozenset[int]]:
    """Target and failure codes from codes or names; unknown ones fail listing the known names."""
    target_codes = _naming_field("target_statuses", vocabulary.codes, targets)
    failure_codes = _naming_field("failure_statuses", vocabulary.codes, failures)
    check_status_sets(
        [vocabulary.name(c) for c in target_codes],
        [vocabulary.name(c) for c in failure_codes],
        what="shipment",
    )
    return target_codes, failure_codes


def order_status_names(
    targets: Iterable[str], failures: Iterable[str], vocabulary: OrderStatuses
) -> tuple[frozenset[str], frozenset[str]]:
    """Canonical target and failure names; unknown ones fail listing the known names."""
    target_names = _naming_field("target_statuses", vocabulary.normalise_all, targets)
    failure_names = _naming_field("failure_statuses", vocabulary.normalise_all, failures)
    check_status_sets(target_names, failure_names, what="order")
    return target_names, failure_names


# --- shipments -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShipmentWatch:
    """Shipments by id and/or every shipment of some orders, against target and failure codes."""

    shipment_ids: tuple[str, ...]
    order_ids: tuple[str, ...]
    targets: frozenset[int]
    failures: frozenset[int]
    vocabulary: ShipmentStatuses

    @classmethod
    def build(
        cls,
        *,
        shipment_ids: Iterable[str],
        order_ids: Iterable[str],
        targets: Iterable[int | str],
        failures: Iterable[int | str],
        vocabulary: ShipmentStatuses,
    ) -> ShipmentWatch:
        """Validate ids and statuses (codes or names) before anything is sent; errors name the field."""
        target_codes, failure_codes = shipment_status_codes(targets, failures, vocabulary)
        shipments = _checked(list(shipment_ids), field="shipment_ids")
        orders = _checked(list(order_ids), field="order_ids")
        if not shipments and not orders:
            raise EmptyWait(("shipment_ids", "order_ids"))
        return cls(shipments, orders, target_codes, failure_codes, vocabulary)

    def queries(self) -> list[Query]:
        return [Query("shipments", {"ids": chunk}) for chunk in _chunks(self.shipment_ids)] + [
            Query("shipments", {"orderIds": chunk}) for chunk in _chunks(self.order_ids)
        ]

    def _orders_without_shipments(self, found: Mapping[str, Sequence[Any]]) -> list[str]:
        seen = {shipment.order_id for shipment in found.get("shipments", ()) if shipment.order_id}
        return [order_id for order_id in self.order_ids if order_id not in seen]

    def follow_up(self, found: Mapping[str, Sequence[Any]]) -> list[Query]:
        """After ``queries``: look up the watched orders that have no shipments, to tell "none yet"
        from an order OrderMesh does not know (which the unknown-id grace then ends)."""
        return [Query("orders", {"ids": chunk}) for chunk in _chunks(self._orders_without_shipments(found))]

    def statuses_missed(self) -> list[str]:
        """Terminal and failure statuses that end the wait neither way: a shipment there waits to the timeout."""
        vocabulary = self.vocabulary
        return _end_states_missed(
            sorted(vocabulary.terminal | vocabulary.failures),
            (vocabulary.name(code) for code in self.targets),
            (vocabulary.name(code) for code in self.failures),
        )

    def assess(self, found: Mapping[str, Sequence[Any]]) -> Progress:
        """Statuses of the shipments found; listed ids not found, and orders without shipments, pend.

        A listed shipment id not found is unknown; so is an order without shipments that the
        follow-up lookup (when it ran: ``found`` has ``orders``) did not find either.
        """
        from airflow_provider_ordermesh.waits.progress import evaluate

        observed: dict[str, str] = {}
        listed, orders = set(self.shipment_ids), set(self.order_ids)
        for shipment in found.get("shipments", ()):
            if shipment.id not in listed and shipment.order_id not in orders:
                continue  # not asked for (an API that ignored a filter must not decide the wait)
            observed[shipment.id] = self.vocabulary.name(shipment.shipment_status)
        empty_orders = self._orders_without_shipments(found)
        unknown_orders: list[str] = []
        if "orders" in found:
            known = {order.id for order in found["orders"]}
            unknown_orders = [order_id for order_id in empty_orders if order_id not in known]
        labels = dict.fromkeys(empty_orders, "shipments of order")
        labels.update(dict.fromkeys(unknown_orders, "order"))
        return evaluate(
            observed=observed,
            expected=[*self.shipment_ids, *empty_orders],
            looked_up=[*self.shipment_ids, *unknown_orders],
            targets={self.vocabulary.name(code) for code in self.targets},
            failures={self.vocabulary.name(code) for code in self.failures},
            labels=labels,
            default_label="shipment",
        )


# --- orders and order items --------------------------------------------------------------------


REJECTED: Final = "Rejected"
"""The shipment status a facility gives what it will not make: the order stays open, waiting on it."""


@dataclass(frozen=True)
class OrderWatch:
    """Orders and/or order items by id, against target and failure status names.

    The rejected shipments of the watched orders are looked up too (one more search per 100
    orders): an order whose shipment was rejected stays open, so they are named beside it in
    the waiting log and the timeout message, and with ``fail_on_rejected_shipments`` they fail
    the wait at once.
    """

    order_ids: tuple[str, ...]
    order_item_ids: tuple[str, ...]
    targets: frozenset[str]
    failures: frozenset[str]
    vocabulary: OrderStatuses = DEFAULT_ORDER_STATUSES
    fail_on_rejected_shipments: bool = False

    @classmethod
    def build(
        cls,
        *,
        order_ids: Iterable[str],
        order_item_ids: Iterable[str],
        targets: Iterable[str],
        failures: Iterable[str],
        vocabulary: OrderStatuses = DEFAULT_ORDER_STATUSES,
        fail_on_rejected_shipments: bool = False,
    ) -> OrderWatch:
        """Validate ids and status names before anything is sent; errors name the field."""
        target_names, failure_names = order_status_names(targets, failures, vocabulary)
        orders = _checked(list(order_ids), field="order_ids")
        items = _checked(list(order_item_ids), field="order_item_ids")
        if not orders and not items:
            raise EmptyWait(("order_ids", "order_item_ids"))
        if not isinstance(fail_on_rejected_shipments, bool):
            raise ValueError(
                f"fail_on_rejected_shipments: must be True or False, got {fail_on_rejected_shipments!r}"
            )
        return cls(orders, items, target_names, failure_names, vocabulary, fail_on_rejected_shipments)

    def queries(self) -> list[Query]:
        rejected = sorted(DEFAULT_SHIPMENT_STATUSES.codes([REJECTED]))
        return (
            [Query("orders", {"ids": chunk}) for chunk in _chunks(self.order_ids)]
            + [Query("order_items", {"ids": chunk}) for chunk in _chunks(self.order_item_ids)]
            + [
                Query("shipments", {"orderIds": chunk, "status": rejected})
                for chunk in _chunks(self.order_ids)
            ]
        )

    def follow_up(self, found: Mapping[str, Sequence[Any]]) -> list[Query]:
        """Nothing more: every id watched was asked for by id."""
        return []

    def statuses_missed(self) -> list[str]:
        """Terminal and failure statuses that end neither way: an order there waits to the timeout."""
        vocabulary = self.vocabulary
        return _end_states_missed(
            sorted(vocabulary.terminal | vocabulary.failures), self.targets, self.failures
        )

    def _rejected_shipments(self, found: Mapping[str, Sequence[Any]]) -> dict[str, list[str]]:
        """``{order id: [rejected shipment ids]}`` among the watched orders."""
        wanted = set(self.order_ids)
        rejected: dict[str, list[str]] = {}
        for shipment in found.get("shipments", ()):
            if (
                shipment.order_id in wanted
                and DEFAULT_SHIPMENT_STATUSES.name(shipment.shipment_status) == REJECTED
            ):
                rejected.setdefault(shipment.order_id, []).append(shipment.id)
        return rejected

    def _name(self, status: str | None) -> str:
        """The canonical spelling of a status; one the vocabulary lacks is kept as sent."""
        if not status:
            return "Unknown"
        return next((known for known in self.vocabulary.known if known.lower() == status.lower()), status)

    def assess(self, found: Mapping[str, Sequence[Any]]) -> Progress:
        from airflow_provider_ordermesh.waits.progress import evaluate

        observed: dict[str, str] = {}
        labels: dict[str, str] = {}
        for group, label, wanted in (
            ("orders", "order", set(self.order_ids)),
            ("order_items", "order item", set(self.order_item_ids)),
        ):
            for record in found.get(group, ()):
                if record.id not in wanted:
                    continue  # not asked for (an API that ignored a filter must not decide the wait)
                observed[record.id] = self._name(record.status)
                labels[record.id] = label
        labels.update((i, "order item") for i in self.order_item_ids if i not in labels)
        progress = evaluate(
            observed=observed,
            expected=[*self.order_ids, *self.order_item_ids],
            looked_up=[*self.order_ids, *self.order_item_ids],
            targets=self.targets,
            failures=self.failures,
            labels=labels,
            default_label="order",
        )
        rejected = {
            order_id: shipments
            for order_id, shipments in self._rejected_shipments(found).items()
            if order_id in progress.waiting
        }
        if not rejected:
            return progress
        notes = {
            order_id: "; ".join(f"shipment {s} is {REJECTED}" for s in shipments)
            for order_id, shipments in rejected.items()
        }
        if not self.fail_on_rejected_shipments:
            return replace(progress, notes=notes)
        return replace(
            progress,
            notes=notes,
            failed={**progress.failed, **{i: progress.waiting[i] for i in rejected}},
            waiting={i: s for i, s in progress.waiting.items() if i not in rejected},
        )


# --- inbound orders by safeId ------------------------------------------------------------------------


@dataclass(frozen=True)
class InboundWatch:
    """Inbound orders (``POST /v1/inbound/orders``) by their safeIds: each is done once an order
    with that safeId exists, which is all a search can tell.

    OrderMesh reports an inbound order that could not be created only by webhook, so a safeId not
    found is never a failure or an unknown id here: it may still be queued. It waits until the
    deadline, where ``WaitStep.at_deadline`` reports its outcome as unknown.
    """

    safe_ids: tuple[str, ...]

    @classmethod
    def build(cls, *, safe_ids: Iterable[str]) -> InboundWatch:
        """Validate the safeIds (the client's id rule) before anything is sent; errors name them."""
        checked = _checked(list(safe_ids), field="safe_ids")
        if not checked:
            raise EmptyWait(("safe_ids",))
        return cls(tuple(dict.fromkeys(checked)))

    def queries(self) -> list[Query]:
        return [Query("orders", {"safeIds": chunk}) for chunk in _chunks(self.safe_ids)]

    def follow_up(self, found: Mapping[str, Sequence[Any]]) -> list[Query]:
        """Nothing more: every safeId was asked for."""
        return []

    def statuses_missed(self) -> list[str]:
        """No statuses: an order that exists is done whatever its status."""
        return []

    def assess(self, found: Mapping[str, Sequence[Any]]) -> InboundProgress:
        """``{safeId: order id}`` of the orders found; the other safeIds are missing, never unknown."""
        from airflow_provider_ordermesh.waits.progress import InboundProgress

        wanted = set(self.safe_ids)
        created = {
            order.safe_id: order.id
            for order in found.get("orders", ())
            if order.safe_id in wanted  # not asked for: an API that ignored the filter must not decide
        }
        return InboundProgress(
            reached={safe_id: created[safe_id] for safe_id in self.safe_ids if safe_id in created},
            missing=tuple(safe_id for safe_id in self.safe_ids if safe_id not in created),
        )


Watch = ShipmentWatch | OrderWatch | InboundWatch
"""Any status wait's watch: what the sensors' poke and the triggers' loop drive alike."""


# --- running the queries -----------------------------------------------------------------------


def fetch(client: Any, watch: Watch, *, page_size: int) -> dict[str, list[Any]]:
    """Every record the watch's queries, then its follow-up queries, match, through the sync client."""
    found: dict[str, list[Any]] = {}
    for query in watch.queries():
        found.setdefault(query.group, []).extend(_search(client, query, page_size))
    for query in watch.follow_up(found):
        found.setdefault(query.group, []).extend(_search(client, query, page_size))
    return found


def _search(client: Any, query: Query, page_size: int) -> Any:
    return getattr(client, query.group).search(query.filters, page_size=page_size)


async def afetch(
    client: Any, watch: Watch, *, page_size: int, linger: float | None = None
) -> dict[str, list[Any]]:
    """The same as ``fetch``, through the async client.

    With ``linger`` (seconds), each query is a search shared with the other waits of the event
    loop that ask the same within that time (``coalesce.SharedSearches``), with the same result.
    """
    found: dict[str, list[Any]] = {}
    for query in watch.queries():
        found.setdefault(query.group, []).extend(await _asearch(client, query, page_size, linger))
    for query in watch.follow_up(found):
        found.setdefault(query.group, []).extend(await _asearch(client, query, page_size, linger))
    return found


async def _asearch(client: Any, query: Query, page_size: int, linger: float | None) -> list[Any]:
    if linger is not None:
        from airflow_provider_ordermesh.waits.coalesce import SharedSearches

        shared = SharedSearches.for_running_loop()
        return await shared.search(client, query.group, query.filters, page_size=page_size, linger=linger)
    return [record async for record in _search(client, query, page_size)]
