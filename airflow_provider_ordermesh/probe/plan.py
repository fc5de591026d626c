"""What the probe reads: every GET of the endpoint table, with the model its answer should fit.

The reads come from ``client/endpoints.py`` by method, so a new read endpoint joins the probe
by itself; ``EXPECTED`` names its response model (a test checks that none is missing). Ids for
by-id reads come from the command line or from the records that earlier reads returned, one
record at a time, so that ids used together (an order and one of its items) belong together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from pydantic import BaseModel

from airflow_provider_ordermesh.client.endpoints import ENDPOINTS, Endpoint
from airflow_provider_ordermesh.models import AuditEvent, Note, Order, OrderItem, Shipment, Variant
from airflow_provider_ordermesh.probe.reader import READ_METHOD
from airflow_provider_ordermesh.probe.shape import Expected

PAGE_SIZE: Final = 10
"""Records asked of each list or search: enough to find ids, cheap on the API."""

EXPECTED: Final[dict[str, Expected]] = {
    "orders.search": Expected(Order),
    "orders.list": Expected(Order),
    "orders.retrieve_bulk": Expected(Order, many=True),
    "orders.get": Expected(Order),
    "orders.get_by_safe_id": Expected(Order),
    "orders.get_item": Expected(OrderItem),
    "orders.audit_logs": Expected(AuditEvent),
    "orders.item_audit_logs": Expected(AuditEvent),
    "order_items.search": Expected(OrderItem),
    "shipments.search": Expected(Shipment),
    "shipments.get": Expected(Shipment),
    "shipments.list_for_order": Expected(Shipment, many=True),
    "shipments.get_for_order_and_vendor": Expected(Shipment),
    "shipments.get_for_order_item": Expected(Shipment),
    "shipments.audit_logs": Expected(AuditEvent),
    "shipments.package_audit_logs": Expected(AuditEvent),
    "shipments.message_audit_logs": Expected(AuditEvent),
    "notes.list": Expected(Note),
    "notes.get": Expected(Note),
    "notes.audit_logs": Expected(AuditEvent),
    "catalog.list_variants": Expected(Variant),
}
"""The response model of every read endpoint (paging and wrapper keys come from the endpoint row)."""

QUERY_IDS: Final[dict[str, dict[str, str]]] = {"orders.retrieve_bulk": {"ids": "order_id"}}
"""Reads that take ids in the query rather than the path: query parameter -> id name."""


@dataclass(frozen=True)
class Read:
    """One read the probe may try: its endpoint, the expected answer, and the ids it needs."""

    endpoint: Endpoint
    expected: Expected | None
    query_ids: Mapping[str, str] = field(default_factory=dict)

    @property
    def needs(self) -> tuple[str, ...]:
        """Names of the ids this read needs (``order_id``, ...), path first."""
        return self.endpoint.path_params + tuple(self.query_ids.values())

    def query(self, ids: Mapping[str, str]) -> dict[str, str | list[str]]:
        """The query string: ids the read takes there, and the first page of a paged read."""
        query: dict[str, str | list[str]] = {param: [ids[name]] for param, name in self.query_ids.items()}
        if self.endpoint.paged:
            query.update(page="1", pageSize=str(PAGE_SIZE))
        return query


def reads() -> list[Read]:
    """Every read endpoint, lists and searches first (they need no ids), in table order otherwise."""
    found = [
        Read(e, EXPECTED.get(e.name), QUERY_IDS.get(e.name, {}))
        for e in ENDPOINTS.values()
        if e.method == READ_METHOD
    ]
    return sorted(found, key=lambda read: len(read.needs))


def id_names() -> list[str]:
    """Every id a read can need; each one is also a command-line option (``order_id`` -> ``--order-id``)."""
    return sorted({name for read in reads() for name in read.needs})


def _first(values: Iterable[str | None]) -> str | None:
    return next((v for v in values if v), None)


def _order_ids(order: Order) -> dict[str, str | None]:
    return {
        "order_id": order.id,
        "safe_id": order.safe_id,
        "order_item_id": _first(i.id for i in order.items),
    }


def _order_item_ids(item: OrderItem) -> dict[str, str | None]:
    return {"order_item_id": item.id}


def _shipment_ids(shipment: Shipment) -> dict[str, str | None]:
    return {
        "shipment_id": shipment.id,
        "order_id": shipment.order_id,
        "vendor_id": shipment.vendor_id,
        "package_id": _first(p.id for p in shipment.packages),
        "order_item_id": _first(shipment.order_item_ids),
    }


def _note_ids(note: Note) -> dict[str, str | None]:
    return {"note_id": note.id}


_HARVEST: Final[dict[type[BaseModel], Callable[[Any], dict[str, str | None]]]] = {
    Order: _order_ids,
    OrderItem: _order_item_ids,
    Shipment: _shipment_ids,
    Note: _note_ids,
}
"""Which ids each kind of record yields, under the names of the path parameters."""


class IdSets:
    """Sets of ids that belong together: the command line's first, then one per record read."""

    def __init__(self, given: Mapping[str, str]):
        self._sets: list[dict[str, str]] = [dict(given)] if given else []

    def learn(self, records: Iterable[BaseModel]) -> None:
        """Keep the ids of each record (an order with its safe id and an item id, ...)."""
        for record in records:
            harvest = _HARVEST.get(type(record))
            if harvest:
                ids = {name: value for name, value in harvest(record).items() if value}
                if ids and ids not in self._sets:
                    self._sets.append(ids)

    def for_read(self, read: Read) -> dict[str, str] | None:
        """The first set holding every id the read needs (``{}`` if it needs none), or ``None``."""
        if not read.needs:
            return {}
        for ids in self._sets:
            if all(name in ids for name in read.needs):
                return {name: ids[name] for name in read.needs}
        return None
