"""
### Handle shipment exceptions: reroute what can move, escalate what cannot

An hourly sweep over the shipments that are not moving. It finds every shipment a facility
rejected, and every shipment stuck before shipping (no update for `stuck_after_minutes`), then:

1. **find_exceptions** searches the shipments in those statuses (one paged search, at most
   `max_results=1000` shipments a sweep: raise it if you have more in flight).
2. **find_held_orders** looks up which of their orders are already on customer-care hold
   (one search per 100 orders): an earlier sweep, or a person, handed those to customer care,
   so this sweep leaves their shipments alone. That is what makes the sweep act only on what is
   new since the last one: a rejected shipment stays Rejected after its order was held, and
   without this every hourly sweep would hold the order and add the same note again.
3. **triage** sorts the rest: a shipment can be rerouted when its facility has a backup in the
   `backup_facilities` param and production has not started; an order with a shipment that
   cannot be rerouted goes to customer care instead.
4. **reroute_shipment** moves each reroutable shipment to its backup facility: one mapped task
   per shipment (`.partial().expand_kwargs()`), each with its own log, retries and portal link.
5. **hold_order** puts each of the other orders on customer-care hold (production pauses), and
   **explain_hold** attaches a note to it saying which shipments and why, for the agent who
   picks it up.
6. **report** returns what was found, rerouted, held, and left alone because its order was
   already held (its XCom).

A sweep that finds nothing succeeds with nothing to do: the mapped tasks are skipped.

It needs shipments to look at, so run it where orders exist: your OrderMesh, or a sandbox that
rejects many (`ordermesh-sandbox --reject-rate 0.3`) after `ordermesh_returns_and_refunds` created
a few orders there. It talks to the `ordermesh_default` connection and makes no API call while
the file is parsed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from airflow.sdk import Param, dag, task

from airflow_provider_ordermesh.operators.notes import OrderMeshCreateNoteOperator
from airflow_provider_ordermesh.operators.orders import (
    OrderMeshCustomerCareHoldOperator,
    OrderMeshSearchOrdersOperator,
)
from airflow_provider_ordermesh.operators.shipments import (
    OrderMeshRerouteShipmentOperator,
    OrderMeshSearchShipmentsOperator,
)

# Rerouting only works before production starts; a stuck InProduction shipment needs a human.
BEFORE_PRODUCTION = ("Rejected", "Assigned", "Accepted")
WATCHED = (*BEFORE_PRODUCTION, "InProduction")
ORDERS_PER_SEARCH = 100  # the API takes at most 100 order ids in one search

# Where a facility's work may go instead (the sandbox's facilities; use your own ids). Wall art is
# printed only at Wall Art East, whose colour profiles the shop approved, so a rejected poster or
# canvas goes to customer care rather than to another facility.
BACKUP_FACILITIES = {
    "apparel-east": "apparel-west",
    "apparel-west": "apparel-east",
    "drinkware-north": "drinkware-south",
    "drinkware-south": "drinkware-north",
}


@dag(
    dag_id="ordermesh_shipment_exceptions",
    schedule=timedelta(hours=1),
    start_date=datetime(2026, 11, 1),
    catchup=False,
    max_active_runs=1,
    doc_md=__doc__,
    tags=["ordermesh", "example"],
    params={
        "stuck_after_minutes": Param(
            24 * 60, type="integer", minimum=0, description="A shipment not updated for this long is stuck."
        ),
        "backup_facilities": Param(
            BACKUP_FACILITIES,
            type="object",
            description="Facility id -> the facility its shipments may move to.",
        ),
    },
)
def ordermesh_shipment_exceptions() -> None:
    find_exceptions = OrderMeshSearchShipmentsOperator(
        task_id="find_exceptions",
        filters={"status": list(WATCHED)},
        fields=["id", "orderId", "facilityId", "status", "lastModifiedDate"],
        max_results=1000,
    )

    @task
    def held_order_searches(shipments: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Order searches for the held ones among the exceptions' orders, 100 orders per search."""
        order_ids = list(dict.fromkeys(s["orderId"] for s in shipments))
        return [
            {"ids": order_ids[i : i + ORDERS_PER_SEARCH], "status": ["CustomerCareHold"]}
            for i in range(0, len(order_ids), ORDERS_PER_SEARCH)
        ]

    find_held_orders = OrderMeshSearchOrdersOperator.partial(
        task_id="find_held_orders",
        fields=["id"],
        max_results=None,
    ).expand(filters=held_order_searches(find_exceptions.output))

    @task(trigger_rule="none_failed")  # also when there was nothing to look up
    def triage(
        shipments: list[dict[str, Any]],
        held: list[list[dict[str, Any]]] | None,
        params: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Split new exceptions into reroutes (one per shipment) and holds with notes (one per order)."""
        settings = params or {}
        already_held = {order["id"] for batch in held or [] for order in batch}
        left_alone = [s for s in shipments if s["orderId"] in already_held]
        shipments = [s for s in shipments if s["orderId"] not in already_held]
        backups: dict[str, str] = settings["backup_facilities"]
        stuck_before = datetime.now(UTC) - timedelta(minutes=int(settings["stuck_after_minutes"]))
        reroutes: list[dict[str, str]] = []
        to_hold: dict[str, list[str]] = {}
        for shipment in shipments:
            rejected = shipment["status"] == "Rejected"
            if not rejected and _updated_at(shipment) > stuck_before:
                continue  # moving normally
            problem = "rejected by its facility" if rejected else f"stuck in {shipment['status']}"
            backup = backups.get(shipment["facilityId"] or "")
            if backup and shipment["status"] in BEFORE_PRODUCTION:
                reroutes.append(
                    {
                        "shipment_id": shipment["id"],
                        "facility_id": backup,
                        "reason": f"{problem} at {shipment['facilityId']}",
                    }
                )
                continue
            why = "production has started" if shipment["status"] == "InProduction" else "no backup facility"
            to_hold.setdefault(shipment["orderId"], []).append(
                f"shipment {shipment['id']} is {problem} at {shipment['facilityId']} and cannot be rerouted ({why})"
            )
        return {
            "reroutes": reroutes,
            "holds": [
                {"order_id": order_id, "reason": "shipment exception: " + "; ".join(problems)}
                for order_id, problems in to_hold.items()
            ],
            "notes": [
                {
                    "resource_id": order_id,
                    "text": "Put on customer-care hold by the exceptions sweep:\n"
                    + "\n".join(f"- {p}" for p in problems)
                    + "\nPlease contact the customer or pick another facility by hand.",
                }
                for order_id, problems in to_hold.items()
            ],
            "checked": len(shipments) + len(left_alone),
            "already_held": len(already_held),
        }

    @task
    def pick(plan: dict[str, Any], part: str) -> list[dict[str, str]]:
        """One list of the plan, to map a task over (Airflow maps over a task's whole return value)."""
        return plan[part]

    plan = triage(find_exceptions.output, find_held_orders.output)

    # [START howto_operator_ordermesh_reroute_mapped]
    reroute = OrderMeshRerouteShipmentOperator.partial(
        task_id="reroute_shipment",
    ).expand_kwargs(
        # [{"shipment_id", "facility_id", "reason"}, ...]: one task instance per shipment
        pick.override(task_id="reroutes")(plan, "reroutes"),
    )
    # [END howto_operator_ordermesh_reroute_mapped]

    # [START howto_operator_ordermesh_hold_and_note]
    hold = OrderMeshCustomerCareHoldOperator.partial(
        task_id="hold_order",
    ).expand_kwargs(pick.override(task_id="holds")(plan, "holds"))  # [{"order_id", "reason"}, ...]

    explain = OrderMeshCreateNoteOperator.partial(
        task_id="explain_hold",
        resource_type="Order",
        format="Markdown",
    ).expand_kwargs(pick.override(task_id="notes")(plan, "notes"))  # [{"resource_id", "text"}, ...]
    hold >> explain
    # [END howto_operator_ordermesh_hold_and_note]

    @task(trigger_rule="none_failed")
    def report(plan: dict[str, Any]) -> dict[str, int]:
        """What the sweep did; runs when the mapped tasks were skipped for lack of work, not on failure."""
        return {
            "checked": plan["checked"],
            "rerouted": len(plan["reroutes"]),
            "held": len(plan["holds"]),
            "already_held": plan["already_held"],
        }

    [reroute, explain] >> report(plan)


def _updated_at(shipment: dict[str, Any]) -> datetime:
    """When a shipment last changed (``lastModifiedDate``, ISO 8601); unknown counts as long ago."""
    text = shipment.get("lastModifiedDate")
    if not text:
        return datetime.min.replace(tzinfo=UTC)
    moment = datetime.fromisoformat(str(text))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


ordermesh_shipment_exceptions()
