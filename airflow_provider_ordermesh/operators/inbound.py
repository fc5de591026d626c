"""Submit orders in your own format through an OrderMesh Transformation (``POST /v1/inbound/orders``).

OrderMesh queues an inbound order and reports its outcome, success or failure, **only** by an
``OrderCreation`` webhook: with the provider's receiver (docs/webhooks.md) a DAG scheduled on the
``OrderCreation`` asset learns it within seconds. The operator returns the ``safeId`` each outcome
will carry, so the two can be matched.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from airflow_provider_ordermesh.arguments import InvalidArgument
from airflow_provider_ordermesh.arguments.ids import checked_id
from airflow_provider_ordermesh.arguments.payloads import parse_json_text
from airflow_provider_ordermesh.client.errors import NotFoundError
from airflow_provider_ordermesh.operators.base import OrderMeshBaseOperator
from airflow_provider_ordermesh.operators.idempotency import TaskIdentity, guarded
from airflow_provider_ordermesh.operators.orders import checked_key

if TYPE_CHECKING:
    from airflow_provider_ordermesh.compat import Context


class OrderMeshSubmitInboundOrderOperator(OrderMeshBaseOperator):
    """Submit one order in your own format through a Transformation, idempotently.

    The order's ``safeId`` (at ``safe_id_field`` of ``body``) is its idempotency key: the body's own,
    or one derived from the task instance and the body (the recipe in ``operators.idempotency``),
    written into the body before it is sent, so your Transformation must map that field to
    ``safeId``. Before sending, the operator looks the safeId up: an order OrderMesh already created
    from an earlier try is not submitted again. (One still queued is submitted again, and OrderMesh
    refuses the duplicate safeId, which its failure webhook reports.) Map it over many orders with
    ``.expand(body=...)``.

    :param body: Your order (a dict or a JSON string), templated.
    :param transformation_id: The Transformation that turns it into an OrderMesh order (templated).
    :param safe_id_field: Where ``body`` carries the safeId (default ``safeId``).
    :param idempotency_key: Optional, templated: replaces the run in the derived safeId.
    :return: ``{"safe_id", "submitted", "order_id", "request_id"}``: ``submitted`` False with the
        ``order_id`` when the order already existed.
    """

    idempotency = guarded(
        "the safeId (the body's own, or derived from the task instance or idempotency_key and the body), "
        "looked up before submitting; OrderMesh refuses a second order with that safeId, so a "
        "re-submitted queued order fails in processing instead of creating a twin"
    )
    lineage_writes = ("orders",)

    template_fields: tuple[str, ...] = (
        *OrderMeshBaseOperator.template_fields,
        "body",
        "transformation_id",
        "idempotency_key",
    )
    template_fields_renderers: ClassVar[dict[str, str]] = {"body": "json"}

    def __init__(
        self,
        *,
        body: dict[str, Any] | str,
        transformation_id: str,
        safe_id_field: str = "safeId",
        idempotency_key: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if not safe_id_field or not isinstance(safe_id_field, str):
            raise InvalidArgument(
                "safe_id_field must name the body's field that carries the safeId, e.g. 'safeId'"
            )
        self.body = body
        self.transformation_id = transformation_id
        self.safe_id_field = safe_id_field
        self.idempotency_key = idempotency_key

    def perform(self, context: Context) -> dict[str, Any]:
        raw = parse_json_text(self.body, param="body")
        if not isinstance(raw, dict) or not raw:
            raise InvalidArgument("body must be your order as a non-empty JSON object")
        transformation_id = checked_id(self.transformation_id, param="transformation_id")
        safe_id = raw.get(self.safe_id_field)
        if not safe_id:
            identity = TaskIdentity.from_context(context, checked_key(self.idempotency_key))
            safe_id = identity.safe_id({k: v for k, v in raw.items() if k != self.safe_id_field})
        try:
            existing = self.client.orders.get_by_safe_id(str(safe_id))
        except NotFoundError:
            existing = None
        if existing is not None:
            self.log.info(
                "an order with safeId %s already exists: %s (not submitted again)", safe_id, existing.id
            )
            return {"safe_id": safe_id, "submitted": False, "order_id": existing.id, "request_id": None}
        receipt = self.client.orders.submit_inbound(
            {
                "body": {**raw, self.safe_id_field: safe_id},
                "merchantId": self.hook.merchant_id,
                "transformationId": transformation_id,
            }
        )
        self.log.info("submitted inbound order with safeId %s; its outcome arrives by webhook", safe_id)
        return {"safe_id": safe_id, "submitted": True, "order_id": None, "request_id": receipt.request_id}
