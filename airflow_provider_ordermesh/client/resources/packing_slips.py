"""``client.packing_slips``: generate a shipment's packing slip."""

from __future__ import annotations

from typing import Literal

from airflow_provider_ordermesh.client.answers import bare
from airflow_provider_ordermesh.client.operation import Operation
from airflow_provider_ordermesh.client.resources._base import (
    AsyncGroup,
    Group,
    SyncGroup,
    api_call,
    checked_id,
    validated,
)
from airflow_provider_ordermesh.models.packing_slips import GeneratePackingSlip, PackingSlip


class PackingSlipsApi(Group):
    """Packing slips, declared once for ``PackingSlips`` and ``AsyncPackingSlips``."""

    @api_call
    def generate(self, shipment_id: str, *, format: Literal["pdf", "html"] = "pdf") -> Operation[PackingSlip]:
        """Generate a shipment's slip; returns a ``PackingSlip`` (inline ``document_bytes()`` or a URL).

        Raises ``InvalidRequestError`` for a bad id or format, ``NotFoundError`` for an unknown shipment.
        """
        body = validated(GeneratePackingSlip, {"format": format}, what="packing slip").to_api()
        return Operation.of(
            "packing_slips.generate",
            bare(PackingSlip),
            body=body,
            path_params={"shipment_id": checked_id("shipmentId", shipment_id)},
        )


class PackingSlips(PackingSlipsApi, SyncGroup):
    """``client.packing_slips`` of ``OrderMeshClient``."""


class AsyncPackingSlips(PackingSlipsApi, AsyncGroup):
    """``client.packing_slips`` of ``AsyncOrderMeshClient``: the same method, awaited."""
