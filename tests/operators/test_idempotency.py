"""The deterministic keys behind idempotent retries: derived safeIds and refund markers."""

from __future__ import annotations

import json
import re

from airflow_provider_ordermesh.models.orders import CreateOrder
from airflow_provider_ordermesh.operators.idempotency import (
    TaskIdentity,
    canonical_content,
    canonical_json,
    marker_of,
    markers_in,
    with_safe_id_json,
)

ORDER = {
    "shippingAddress": {"firstName": "Ada", "line1": "1 Main St", "city": "Austin", "countryCode": "US"},
    "items": [{"sku": "TS-1", "quantity": 2}],
}
TI = TaskIdentity(dag_id="d", task_id="t", run_id="r", map_index=-1)
SAFE_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")


def test_safe_id_is_deterministic_short_and_in_the_allowed_alphabet():
    first = TI.safe_id(ORDER)
    again = TaskIdentity("d", "t", "r", -1).safe_id(dict(reversed(list(ORDER.items()))))

    assert first == again  # key order does not matter: the payload is canonicalised
    assert SAFE_ID.match(first) and len(first) == 44
    assert first.startswith("af-")


def test_safe_id_changes_with_every_part_of_the_task_instance_and_with_the_content():
    variants = {
        TI.safe_id(ORDER),
        TaskIdentity("d2", "t", "r").safe_id(ORDER),
        TaskIdentity("d", "t2", "r").safe_id(ORDER),
        TaskIdentity("d", "t", "r2").safe_id(ORDER),
        TaskIdentity("d", "t", "r", 3).safe_id(ORDER),
        TI.safe_id(ORDER, index=0),
        TI.safe_id(ORDER, index=1),
        TI.safe_id({**ORDER, "externalId": "x"}),
    }
    assert len(variants) == 8


def test_a_given_safe_id_is_not_part_of_the_content_hash():
    assert TI.safe_id({**ORDER, "safeId": "mine"}) == TI.safe_id(ORDER)


PINNED = {
    "shippingAddress": {"firstName": "Ada", "line1": "1 Main St", "city": "Austin", "countryCode": "US"},
    "items": [{"sku": "TS-1", "quantity": 2, "customerPrice": 12.5}],
    "externalId": "Zoë-1",
}


def test_the_safe_id_recipe_is_pinned():
    """Values from the recipe as first released: a change would make the retry of a task that
    started before an upgrade create its orders a second time."""
    order = CreateOrder.model_validate(PINNED).to_api()

    assert TI.safe_id(order, index=3) == "af-2462393e0cd3e409416dd8b2-13da175543c1fac4"
    assert TI.safe_id(order) == "af-e1b0369d8c98f7d756bff129-13da175543c1fac4"


def test_an_order_with_a_derived_safe_id_is_sent_as_the_hashed_text_plus_its_safe_id():
    order = CreateOrder.model_validate(PINNED).to_api()
    canonical = canonical_content(order)
    safe_id = TI.safe_id_of_canonical(canonical, index=3)

    body = with_safe_id_json(canonical, safe_id)

    assert safe_id == TI.safe_id(order, index=3)
    assert json.loads(body) == {**order, "safeId": safe_id}
    assert body.decode().endswith(canonical[1:])  # the very text that was hashed
    assert with_safe_id_json("{}", "s-1") == b'{"safeId":"s-1"}'


def test_orders_of_one_task_instance_share_a_prefix():
    assert TI.safe_id(ORDER, index=5)[:27] == TI.safe_id({**ORDER, "externalId": "y"}, index=5)[:27]


def test_refund_marker_round_trips_and_differs_per_line():
    line = {"itemId": "i1", "isShippingRefund": False, "amount": 5.0, "reason": "damaged"}
    marker = TI.marker("refund", 0, line)

    assert re.fullmatch(r" \[om:[0-9a-f]{12}\]", marker)
    assert marker_of("damaged" + marker) == marker[5:-1]
    assert marker_of("damaged") is None
    assert TI.marker("refund", 1, line) != marker
    assert TI.marker("refund", 0, {**line, "amount": 6.0}) != marker
    assert TaskIdentity("d", "t", "r2").marker("refund", 0, line) != marker


def test_canonical_json_is_compact_and_sorted():
    assert canonical_json({"b": 1, "a": [1, {"d": 2, "c": "é"}]}) == '{"a":[1,{"c":"é","d":2}],"b":1}'


def test_action_markers_are_found_inside_the_text_that_quotes_them():
    cancel = {"orderId": "65add270441de72442397b6e", "items": [{"itemId": "i1", "quantity": 1}]}
    marker = TI.marker("cancel", cancel)

    assert marker == TaskIdentity("d", "t", "r").marker("cancel", dict(reversed(list(cancel.items()))))
    assert marker != TI.marker("cancel", {**cancel, "items": [{"itemId": "i1", "quantity": 2}]})
    assert markers_in(f"1 units cancelled: damaged{marker} (by support)") == {marker[5:-1]}
    assert markers_in("nothing here") == set()
