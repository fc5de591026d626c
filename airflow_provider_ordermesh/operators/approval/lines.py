"""The approval lines of the two money-moving requests, and the part of each request a decision approves.

Refund lines are keyed by their marker (already in each line's reason), cancel lines by item id;
neither key depends on the order's state, so a retry finds the decision made for the same lines.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from airflow_provider_ordermesh.operators.approval.proposal import ProposedLine, money, shown_reason
from airflow_provider_ordermesh.operators.idempotency import marker_of

if TYPE_CHECKING:
    from airflow_provider_ordermesh import models
    from airflow_provider_ordermesh.operators.approval.decision import Decision

WHOLE_ORDER = "the whole order"


def item_label(item: models.OrderItem | None, item_id: str) -> str:
    """How an item is named to the approver: short id and SKU."""
    if item is None:
        return item_id
    sku = f" ({item.sku})" if item.sku else ""
    return f"{item.short_id or item.id}{sku}"


def recorded_refund_markers(order: models.Order) -> set[str]:
    """The markers of the refunds the order's items record."""
    return {
        marker
        for item in order.items
        if item.refund_data
        for record in item.refund_data.refunds
        if (marker := marker_of(record.reason))
    }


def refund_lines(request: models.AddRefund, order: models.Order, *, pending_only: bool) -> list[ProposedLine]:
    """One line per refund line of ``request`` (with ``pending_only``, those the order does not record)."""
    items = {item.id: item for item in order.items}
    recorded = recorded_refund_markers(order) if pending_only else set()
    lines: list[ProposedLine] = []
    for refund in request.refunds:
        key = marker_of(refund.reason) or ""
        if key in recorded:
            continue
        amount = money(Decimal(str(refund.amount)))
        lines.append(
            ProposedLine(
                key=key,
                number=len(lines) + 1,
                item_id=refund.item_id,
                item=item_label(items.get(refund.item_id), refund.item_id),
                kind="shipping" if refund.is_shipping_refund else "price",
                amount=amount,
                limit=amount,
                reason=shown_reason(refund.reason),
            )
        )
    return lines


def approved_refund(request: models.AddRefund, decision: Decision) -> models.AddRefund:
    """The approved refund lines at their approved amounts; each keeps its reason and marker."""
    kept = [
        line.model_copy(update={"amount": float(decision.approved[key])})
        for line in request.refunds
        if (key := marker_of(line.reason) or "") in decision.approved
    ]
    return request.model_copy(update={"refunds": kept})


def cancel_lines(
    request: models.CancelOrder, order: models.Order, *, pending_only: bool
) -> list[ProposedLine]:
    """One line per cancelled item (every item of the order for a whole-order cancel), valued at its
    unit price times the quantity cancelled; with ``pending_only``, items not cancelled already."""
    items = {item.id: item for item in order.items}
    wanted: list[tuple[str, int | None]] = (
        [(item.id, None) for item in order.items]
        if request.items is None
        else [(c.item_id, c.quantity) for c in request.items]
    )
    reason = shown_reason(request.reason)
    lines: list[ProposedLine] = []
    for item_id, quantity in wanted:
        item = items.get(item_id)
        if pending_only and item is not None and item.status == "Cancelled":
            continue
        count = quantity or (item.quantity if item is not None and item.quantity else 1)
        price = item.customer_price.amount if item is not None and item.customer_price else None
        lines.append(
            ProposedLine(
                key=item_id,
                number=len(lines) + 1,
                item_id=item_id,
                item=item_label(item, item_id),
                kind="items",
                amount=money(Decimal(str(price or 0)) * count),
                limit=str(count),
                reason=reason,
            )
        )
    return lines


def approved_cancel(
    request: models.CancelOrder, lines: list[ProposedLine], decision: Decision
) -> dict[str, Any]:
    """The approved part of a cancel as a plain request (no reason): the original request when every
    line passed untouched, else the approved items, with a quantity where one was given or lowered.

    ``lines`` are the request's lines (``cancel_lines`` without ``pending_only``).
    """
    asked = {} if request.items is None else {c.item_id: c.quantity for c in request.items}
    items: list[dict[str, Any]] = []
    for line in lines:
        if line.key not in decision.approved:
            continue
        approved = decision.approved[line.key]
        entry: dict[str, Any] = {"itemId": line.item_id}
        if asked.get(line.item_id) is not None or approved != line.limit:
            entry["quantity"] = int(approved)
        items.append(entry)
    if len(items) == len(lines) and all(
        "quantity" not in entry or asked.get(entry["itemId"]) == entry["quantity"] for entry in items
    ):
        return {key: value for key, value in request.to_api().items() if key != "reason"}
    return {"orderId": request.order_id, "items": items}
