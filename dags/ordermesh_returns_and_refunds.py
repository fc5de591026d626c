"""
### Returns and refunds: cancel what has not been made, refund what went wrong, check the books

Customer service hands over two lists each day: items customers no longer want (cancel them
before they are printed) and items that arrived damaged (refund them). This DAG does both, then
reads the orders back and checks that every refunded item's remaining balances are exactly what
they should be, so that finance can trust the numbers.

1. **example_orders** and **create_orders** exist only so that the example runs on its own: they
   create four orders from `dags/data/orders_2026-11-26.jsonl` (without their `safeId`, so the
   operator derives one from the task instance: a retry never creates them twice). In your DAG,
   the order ids come from your returns system instead.
2. **read_orders** reads the orders with their items, prices and refund balances.
3. **plan_returns** decides, for the example, to cancel one item of each of two orders and to
   refund two others: half the price of one unit (a goodwill refund) and all of its shipping.
4. **cancel_items** and **refund_items** run one mapped task per order. A cancel that comes
   too late (the item shipped first) is not an error of the DAG: OrderMesh answers 409, and
   with `if_shipped="report"` the operator reads the order back, sees the item shipped and
   reports it as `shipped_first` (customer service then offers a return instead). Refunds are
   `POST /v1/orders/refund` exactly as the API documents it (price and shipping refunds are
   separate lines); the operator never applies one twice, even when its answer is lost.
   **Money waits for a person:** an order's refunds that total more than the threshold in its
   currency (the `refund_approval_above` param) wait for one of `refund_approvers` on Airflow's
   Required Actions page, who may approve every line, some or none, and lower an amount; no
   answer within `approval_timeout_seconds` rejects them all (see docs/approvals.md).
5. **read_back** and **verify_balances** read the orders again and fail unless each cancelled
   item is `Cancelled` (or shipped before the cancel, as its task reported) and each refunded
   item's `remainingPriceBalance` and `remainingShippingBalance` dropped by exactly what was
   approved and refunded. Its XCom sums the refunds per currency.

**Timing: a cancel must reach OrderMesh before the item ships.** With a real facility that is
hours after the order was placed. The sandbox ships on a fast clock: under `make demo` a
shipment moves a step every half second, so the example's items ship between its tasks and
both cancels come too late; with `ordermesh-sandbox --speed 0` nothing ships and both cancels
go through. The DAG succeeds either way, because whether it was too late is decided by
OrderMesh's own answer to the cancel, not by an earlier read that may be stale by then. In your
DAG, cancel as early as you can, straight from the list customer service hands over.

It talks to the `ordermesh_default` connection and makes no API call while the file is parsed.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

from airflow.sdk import dag, task

from airflow_provider_ordermesh.operators.orders import (
    OrderMeshCancelOrderOperator,
    OrderMeshCreateOrdersOperator,
    OrderMeshRefundOperator,
    OrderMeshSearchOrdersOperator,
)

ORDERS_FILE = Path(__file__).parent / "data" / "orders_2026-11-26.jsonl"
CENT = 0.005  # money compares equal within half a cent
REFUND_APPROVAL_ABOVE = {"USD": "100", "EUR": "90", "GBP": "80", "CAD": "140", "AUD": "150", "SEK": "1000"}
"""Refunds of one order above this, in the order's currency, wait for an approver (every currency of the feed)."""
NOT_SHIPPED = ("Open", "InProduction")  # item statuses that can still be cancelled


@dag(
    dag_id="ordermesh_returns_and_refunds",
    schedule=None,
    start_date=datetime(2026, 11, 1),
    catchup=False,
    params={
        "refund_approval_above": REFUND_APPROVAL_ABOVE,
        "refund_approvers": ["finance-lead"],
        "approval_timeout_seconds": 24 * 3600,
    },
    doc_md=__doc__,
    tags=["ordermesh", "example"],
)
def ordermesh_returns_and_refunds() -> None:
    @task
    def example_orders() -> list[dict[str, Any]]:
        """Two orders of several items (to cancel one each) and two of one item (to refund)."""
        orders = [json.loads(line) for line in ORDERS_FILE.read_text(encoding="utf-8").splitlines()]
        several = [o for o in orders if len(o["items"]) > 1][:2]
        single = [o for o in orders if len(o["items"]) == 1][:2]
        return [{k: v for k, v in order.items() if k != "safeId"} for order in several + single]

    create_orders = OrderMeshCreateOrdersOperator(
        task_id="create_orders",
        orders=example_orders(),
        multiple_outputs=True,
    )
    order_ids = create_orders.output["order_ids"]

    read_orders = OrderMeshSearchOrdersOperator(
        task_id="read_orders",
        filters={"ids": order_ids},
        fields=["id", "currencyCode", "items"],
    )

    @task
    def plan_returns(orders: list[dict[str, Any]]) -> dict[str, Any]:
        """Cancel one item of each multi-item order; refund the single-item ones."""
        cancellations, refunds, expected = [], [], {}
        for order in orders:
            items = order["items"]
            if len(items) > 1:
                cancellations.append(
                    {
                        "order_id": order["id"],
                        "items": [{"itemId": items[0]["id"]}],
                        "reason": "customer changed their mind before printing",
                    }
                )
                expected[items[0]["id"]] = {"status": "Cancelled"}
                continue
            item = items[0]
            balances = item["refundData"]
            goodwill = round(item["customerPrice"]["amount"] / 2, 2)  # half of one unit's price
            shipping = balances["remainingShippingBalance"]  # all of the shipping
            lines = [
                {
                    "itemId": item["id"],
                    "isShippingRefund": False,
                    "amount": goodwill,
                    "reason": "arrived damaged: 50% goodwill refund, customer keeps the item",
                }
            ]
            if shipping > 0:
                lines.append(
                    {
                        "itemId": item["id"],
                        "isShippingRefund": True,
                        "amount": shipping,
                        "reason": "arrived damaged: shipping refunded",
                    }
                )
            refunds.append({"order_id": order["id"], "refunds": lines})
            expected[item["id"]] = {
                "currency": order["currencyCode"],
                "remainingPriceBalance": balances["remainingPriceBalance"],  # before the refund
                "remainingShippingBalance": balances["remainingShippingBalance"],
            }
        return {"cancellations": cancellations, "refunds": refunds, "expected": expected}

    @task
    def pick(plan: dict[str, Any], part: str) -> list[dict[str, Any]]:
        """One list of the plan, to map a task over."""
        return plan[part]

    plan = plan_returns(read_orders.output)

    # [START howto_operator_ordermesh_cancel_unless_shipped]
    cancel_items = OrderMeshCancelOrderOperator.partial(
        task_id="cancel_items",
        if_shipped="report",  # a cancel refused because the item shipped first: reported, not failed
    ).expand_kwargs(pick.override(task_id="cancellations")(plan, "cancellations"))
    # [END howto_operator_ordermesh_cancel_unless_shipped]

    # [START howto_operator_ordermesh_refund]
    refund_items = OrderMeshRefundOperator.partial(
        task_id="refund_items",
        # above the threshold in the order's currency: wait for a person (see docs/approvals.md)
        require_approval_above="{{ params.refund_approval_above | tojson }}",
        approvers="{{ params.refund_approvers | tojson }}",
        approval_timeout="{{ params.approval_timeout_seconds }}",
    ).expand_kwargs(
        # [{"order_id": "...", "refunds": [{"itemId", "isShippingRefund", "amount", "reason"}, ...]}, ...]
        pick.override(task_id="refunds")(plan, "refunds"),
    )
    # [END howto_operator_ordermesh_refund]

    read_back = OrderMeshSearchOrdersOperator(
        task_id="read_back",
        filters={"ids": order_ids},
        fields=["id", "items"],
        trigger_rule="none_failed",  # also when there was nothing to cancel (or to refund)
    )

    @task
    def verify_balances(
        plan: dict[str, Any],
        cancelled: list[dict[str, Any]] | None,
        refunded_tasks: list[dict[str, Any]] | None,
        orders: list[dict[str, Any]],
    ) -> dict[str, Any]:
        """Fail unless each cancel shows (or its item shipped first) and each approved refund shows in
        the balances, and nothing else does."""
        items = {item["id"]: item for order in orders for item in order["items"]}
        shipped_first = {item_id for result in cancelled or [] for item_id in result["shipped_first"]}
        sent = approved_refunds(plan["refunds"], refunded_tasks or [])
        problems: list[str] = []
        refunded: defaultdict[str, float] = defaultdict(float)
        for item_id, want in plan["expected"].items():
            item = items[item_id]
            if "status" in want:
                if item_id in shipped_first and item["status"] not in NOT_SHIPPED:
                    continue  # too late to cancel, and indeed shipped
                if item["status"] != want["status"]:
                    problems.append(f"item {item_id} is {item['status']}, expected {want['status']}")
                continue
            for balance, shipping in (("remainingPriceBalance", False), ("remainingShippingBalance", True)):
                expected = round(want[balance] - sent[(item_id, shipping)], 2)
                actual = item["refundData"][balance]
                if abs(actual - expected) > CENT:
                    problems.append(f"item {item_id}: {balance} is {actual}, expected {expected}")
            refunded[want["currency"]] += sent[(item_id, False)] + sent[(item_id, True)]
        if problems:
            raise ValueError("refunds and cancellations do not add up:\n" + "\n".join(problems))
        return {
            "orders": len(orders),
            "items_cancelled": len(plan["cancellations"]) - len(shipped_first),
            "items_shipped_before_cancel": len(shipped_first),
            "items_refunded": len({item_id for (item_id, _), amount in sent.items() if amount}),
            "refunded": {currency: round(total, 2) for currency, total in sorted(refunded.items()) if total},
        }

    [cancel_items, refund_items] >> read_back
    verify_balances(plan, cancel_items.output, refund_items.output, read_back.output)


def approved_refunds(
    planned: list[dict[str, Any]], results: list[dict[str, Any]]
) -> defaultdict[tuple[str, bool], float]:
    """``{(item id, is shipping): amount}`` refunded: every planned line of a task that needed no
    approval, else the lines and amounts its approver let through."""
    results_by_order = {result["order_id"]: result for result in results}
    sent: defaultdict[tuple[str, bool], float] = defaultdict(float)
    for refund in planned:
        approval = results_by_order[refund["order_id"]].get("approval") or {"required": False}
        if not approval["required"]:
            for line in refund["refunds"]:
                sent[(line["itemId"], line["isShippingRefund"])] += line["amount"]
            continue
        for line in approval["approved"]:
            sent[(line["item_id"], line["kind"] == "shipping")] += float(line["approved"])
    return sent


ordermesh_returns_and_refunds()
