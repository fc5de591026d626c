"""``client.packing_slips``: generate a shipment's packing slip."""

from __future__ import annotations

from typing import Literal

from airflow_provider_ordermesh.client.operation import Operation
from airflow_provider_ordermesh.client.resources._base import Resource, checked_id, unwrap, validated
from airflow_provider_ordermesh.models._base import Uuid
from airflow_provider_ordermesh.models.packing_slips import GeneratePackingSlip, PackingSlip


class PackingSlips(Resource):
    def generate(self, shipment_id: str, *, format: Literal["pdf", "html"] = "pdf") -> PackingSlip:
        """Generate the slip; the document comes inline (``document_bytes()``) or as a URL."""
        body = validated(GeneratePackingSlip, {"format": format}, what="packing slip").to_api()
        return self._execute(Operation.of("packing_slips.generate", unwrap(None, PackingSlip), body=body,
                                          path_params={"shipment_id": checked_id("shipmentId", shipment_id, Uuid)}))
