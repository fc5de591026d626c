"""Operator for OrderMesh notes: attach a note to an order, an order item or a shipment."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from airflow_provider_ordermesh import models
from airflow_provider_ordermesh.arguments.payloads import validated_argument
from airflow_provider_ordermesh.links.portal import OrderMeshOrderLink, OrderMeshShipmentLink
from airflow_provider_ordermesh.operators.base import OrderMeshBaseOperator
from airflow_provider_ordermesh.operators.idempotency import guarded

if TYPE_CHECKING:
    from airflow_provider_ordermesh.compat import Context

# ``models`` loads each model on first use, in a task: building them at DAG parse took ~60 ms.

_LINKS: dict[str, type[OrderMeshOrderLink] | type[OrderMeshShipmentLink]] = {
    "Order": OrderMeshOrderLink,
    "Shipment": OrderMeshShipmentLink,
}


class OrderMeshCreateNoteOperator(OrderMeshBaseOperator):
    """Attach a note to an order, an order item or a shipment.

    Creating a note is not repeated blindly: on a retried task, and after a lost answer, a note
    with the same text already on the resource is returned instead of adding a second one.

    :param resource_type: ``"Order"``, ``"OrderItem"`` or ``"Shipment"``.
    :param resource_id: The id of that resource.
    :param text: The note (1 to 4,000 characters).
    :param format: ``"PlainText"`` or ``"Markdown"``.
    :return: ``{"note_id", "resource_type", "resource_id", "already_existed"}``.
    """

    idempotency = guarded("the resource's notes: one with the same text means done")
    lineage_writes = ("notes",)

    template_fields: tuple[str, ...] = (
        *OrderMeshBaseOperator.template_fields,
        "resource_type",
        "resource_id",
        "text",
        "format",
    )
    template_fields_renderers: ClassVar[dict[str, str]] = {"text": "md"}
    operator_extra_links = (OrderMeshOrderLink(), OrderMeshShipmentLink())

    def __init__(
        self, *, resource_type: str, resource_id: str, text: str, format: str = "PlainText", **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.resource_type = resource_type
        self.resource_id = resource_id
        self.text = text
        self.format = format

    def _push_links(self, context: Context, resource_type: str, resource_id: str) -> None:
        """The link of the noted resource, and an empty one for the other declared link.

        Both links are declared (the resource type may be templated or mapped), and Airflow reads
        every declared link's XCom when the task ends; an absent one is logged as an error.
        """
        for kind, link in _LINKS.items():
            if kind == resource_type:
                self.push_link(context, link, resource_id)
            else:
                context["ti"].xcom_push(key=link().xcom_key, value="")

    def _existing(self, note: models.CreateNote) -> models.Note | None:
        filters = {"resourceType": note.resource.type, "resourceId": note.resource.id}
        return next((n for n in self.client.notes.list(filters) if n.text == note.text), None)

    def perform(self, context: Context) -> dict[str, Any]:
        request = validated_argument(
            models.CreateNote,
            {
                "text": self.text,
                "format": self.format,
                "resource": {"type": self.resource_type, "id": self.resource_id},
            },
            param="note",
        )
        self._push_links(context, request.resource.type, request.resource.id)
        note, existed = self.send_once(
            context,
            send=lambda: (self.client.notes.create(request), False),
            applied=lambda: self._found(request),
        )
        return {
            "note_id": note.id,
            "resource_type": request.resource.type,
            "resource_id": request.resource.id,
            "already_existed": existed,
        }

    def _found(self, request: models.CreateNote) -> tuple[models.Note, bool] | None:
        note = self._existing(request)
        return None if note is None else (note, True)
