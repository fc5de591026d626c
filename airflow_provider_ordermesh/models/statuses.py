"""The one place that knows what OrderMesh statuses mean.

Shipment status is an integer code whose names the docs do not give (1 and 4 were seen), so the
names below are this provider's reconstruction of the lifecycle. Order and order-item statuses
are strings (``Open`` and ``Fulfilled`` were seen). Every vocabulary says which statuses are
terminal (nothing further will happen) and which are failures (waiting for success is pointless).

A deployment whose codes differ overrides them without a code change: pass
``ShipmentStatuses.from_overrides({...})`` to a sensor, or set the connection extra
``shipment_statuses`` to a JSON object such as ``{"8": "OnHold"}``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

# Shipment lifecycle, as reconstructed: created and assigned to a facility, accepted, produced,
# shipped, delivered; or rejected by the facility (reroute it), or cancelled.
SHIPMENT_STATUS_NAMES: Final[Mapping[int, str]] = {
    0: "Unassigned",
    1: "Assigned",
    2: "Accepted",
    3: "InProduction",
    4: "Shipped",
    5: "Delivered",
    6: "Rejected",
    7: "Cancelled",
}


class UnknownStatusError(ValueError):
    """A status name or code that the vocabulary does not know."""


@dataclass(frozen=True)
class ShipmentStatuses:
    """Shipment status codes and names, with the terminal and failure sets."""

    names: Mapping[int, str] = field(default_factory=lambda: dict(SHIPMENT_STATUS_NAMES))
    terminal: frozenset[str] = frozenset({"Delivered", "Cancelled"})
    failures: frozenset[str] = frozenset({"Rejected", "Cancelled"})
    shipped: frozenset[str] = frozenset({"Shipped", "Delivered"})

    @classmethod
    def from_overrides(
        cls, overrides: Mapping[int, str] | Mapping[str, str] | Mapping[int | str, str] | None
    ) -> ShipmentStatuses:
        """The default vocabulary with some codes renamed or added (keys may be JSON strings)."""
        names = dict(SHIPMENT_STATUS_NAMES)
        for code, name in (overrides or {}).items():
            try:
                names[int(code)] = str(name)
            except (TypeError, ValueError):
                raise UnknownStatusError(
                    f"shipment status override key {code!r} is not an integer code"
                ) from None
        return cls(names=names)

    def name(self, code: int | None) -> str:
        """The name of a code; an unknown code keeps a readable form instead of failing."""
        if code is None:
            return "Unknown"
        return self.names.get(code, f"Unknown({code})")

    def code(self, status: int | str) -> int:
        """The code of a name or code (case-insensitive), or a clear error naming the choices."""
        if isinstance(status, int) and not isinstance(status, bool):
            if status in self.names:
                return status
        elif isinstance(status, str):
            if status.strip().lstrip("-").isdigit():
                return self.code(int(status))
            wanted = status.strip().lower()
            for code, name in self.names.items():
                if name.lower() == wanted:
                    return code
        choices = ", ".join(f"{name} ({code})" for code, name in sorted(self.names.items()))
        raise UnknownStatusError(f"unknown shipment status {status!r}; known statuses: {choices}")

    def codes(self, statuses: Iterable[int | str]) -> frozenset[int]:
        return frozenset(self.code(s) for s in statuses)

    def codes_named(self, names: Iterable[str]) -> frozenset[int]:
        """Codes of the given names, ignoring names this vocabulary lacks."""
        wanted = {n.lower() for n in names}
        return frozenset(c for c, n in self.names.items() if n.lower() in wanted)


class OrderStatus(StrEnum):
    """Statuses of orders and of order items (the API spells both as strings)."""

    OPEN = "Open"
    IN_PRODUCTION = "InProduction"
    PARTIALLY_FULFILLED = "PartiallyFulfilled"
    FULFILLED = "Fulfilled"
    CANCELLED = "Cancelled"
    CUSTOMER_CARE_HOLD = "CustomerCareHold"


@dataclass(frozen=True)
class OrderStatuses:
    """Order and order-item status strings (reconstructed beyond ``Open`` and ``Fulfilled``)."""

    known: frozenset[str] = frozenset(OrderStatus)
    terminal: frozenset[str] = frozenset({OrderStatus.FULFILLED, OrderStatus.CANCELLED})
    failures: frozenset[str] = frozenset({OrderStatus.CANCELLED})
    shipped: frozenset[str] = frozenset({OrderStatus.PARTIALLY_FULFILLED, OrderStatus.FULFILLED})
    """Some quantity has shipped: too late to cancel that part."""

    def normalise(self, status: str) -> str:
        """The canonical spelling of a status name (case-insensitive), or a clear error."""
        if isinstance(status, str):
            for known in self.known:
                if known.lower() == status.strip().lower():
                    return known
        raise UnknownStatusError(
            f"unknown order status {status!r}; known statuses: {', '.join(sorted(self.known))}"
        )

    def normalise_all(self, statuses: Iterable[str]) -> frozenset[str]:
        return frozenset(self.normalise(s) for s in statuses)


DEFAULT_SHIPMENT_STATUSES: Final = ShipmentStatuses()
DEFAULT_ORDER_STATUSES: Final = OrderStatuses()
