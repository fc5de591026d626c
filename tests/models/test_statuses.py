"""The status vocabulary: shipment codes and names, order status strings, terminal and failure sets."""

from __future__ import annotations

import pytest

from airflow_provider_ordermesh.models import (
    DEFAULT_ORDER_STATUSES,
    DEFAULT_SHIPMENT_STATUSES,
    OrderStatuses,
    ShipmentStatuses,
    UnknownStatusError,
)

SHIPMENT = DEFAULT_SHIPMENT_STATUSES

DOCUMENTED_CODES = {
    0: "Unassigned",
    1: "Assigned",
    2: "Accepted",
    3: "InProduction",
    4: "Shipped",
    5: "Delivered",
    6: "Rejected",
    7: "Cancelled",
}


@pytest.mark.parametrize(("code", "name"), sorted(DOCUMENTED_CODES.items()))
def test_shipment_codes_and_names_map_both_ways(code: int, name: str) -> None:
    assert SHIPMENT.name(code) == name
    assert SHIPMENT.code(name) == code
    assert SHIPMENT.code(code) == code


@pytest.mark.parametrize("spelling", ["shipped", "SHIPPED", " Shipped ", "sHiPpEd", "4", 4])
def test_shipment_names_are_case_insensitive_and_codes_may_be_text(spelling: str | int) -> None:
    assert SHIPMENT.code(spelling) == 4


@pytest.mark.parametrize("unknown", ["Lost", "", 42, "-1", True])
def test_an_unknown_shipment_status_lists_the_choices(unknown: str | int) -> None:
    with pytest.raises(UnknownStatusError) as caught:
        SHIPMENT.code(unknown)
    message = str(caught.value)
    assert str(unknown) in message
    assert all(f"{name} ({code})" in message for code, name in DOCUMENTED_CODES.items())


def test_unknown_codes_read_back_without_failing() -> None:
    """A status the vocabulary lacks (a new API value) stays readable in logs and XCom."""
    assert SHIPMENT.name(99) == "Unknown(99)"
    assert SHIPMENT.name(None) == "Unknown"


def test_terminal_failure_and_shipped_sets_use_known_names() -> None:
    names = set(SHIPMENT.names.values())
    assert SHIPMENT.terminal <= names and SHIPMENT.failures <= names and SHIPMENT.shipped <= names
    assert "Cancelled" in SHIPMENT.terminal and "Cancelled" in SHIPMENT.failures
    assert "Rejected" in SHIPMENT.failures
    assert not SHIPMENT.shipped & SHIPMENT.failures, "a failure is never success"


def test_codes_of_several_statuses() -> None:
    assert SHIPMENT.codes(["shipped", 5, "6"]) == frozenset({4, 5, 6})
    assert SHIPMENT.codes_named(SHIPMENT.failures) == frozenset({6, 7})
    assert SHIPMENT.codes_named(["NoSuchStatus"]) == frozenset()


def test_overrides_rename_and_add_codes() -> None:
    overrides: dict[int | str, str] = {"8": "OnHold", 4: "Dispatched"}
    custom = ShipmentStatuses.from_overrides(overrides)
    assert custom.code("onhold") == 8
    assert custom.name(4) == "Dispatched"
    assert custom.code("Dispatched") == 4
    with pytest.raises(UnknownStatusError):
        custom.code("Shipped")
    assert custom.name(1) == "Assigned", "codes not overridden keep their names"
    assert SHIPMENT.name(4) == "Shipped", "the default vocabulary is untouched"


@pytest.mark.parametrize("overrides", [None, {}])
def test_no_overrides_means_the_defaults(overrides: dict[str, str] | None) -> None:
    assert ShipmentStatuses.from_overrides(overrides) == SHIPMENT


def test_a_non_integer_override_key_is_refused() -> None:
    with pytest.raises(UnknownStatusError, match="'eight'"):
        ShipmentStatuses.from_overrides({"eight": "OnHold"})


# --- order and order-item statuses -------------------------------------------------------------

ORDER_STATUSES = ["Open", "InProduction", "PartiallyFulfilled", "Fulfilled", "Cancelled", "CustomerCareHold"]


@pytest.mark.parametrize("status", ORDER_STATUSES)
def test_order_statuses_normalise_case_insensitively(status: str) -> None:
    assert DEFAULT_ORDER_STATUSES.normalise(status.upper()) == status
    assert DEFAULT_ORDER_STATUSES.normalise(f" {status.lower()} ") == status


def test_an_unknown_order_status_lists_the_choices() -> None:
    with pytest.raises(UnknownStatusError) as caught:
        DEFAULT_ORDER_STATUSES.normalise("Shipped")
    assert all(status in str(caught.value) for status in ORDER_STATUSES)


def test_order_terminal_and_failure_sets() -> None:
    assert DEFAULT_ORDER_STATUSES.terminal == {"Fulfilled", "Cancelled"}
    assert DEFAULT_ORDER_STATUSES.failures == {"Cancelled"}
    assert DEFAULT_ORDER_STATUSES.normalise_all(["open", "FULFILLED"]) == {"Open", "Fulfilled"}


def test_order_statuses_can_be_extended() -> None:
    custom = OrderStatuses(known=DEFAULT_ORDER_STATUSES.known | {"Refunded"})
    assert custom.normalise("refunded") == "Refunded"
