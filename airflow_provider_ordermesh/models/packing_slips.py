"""Packing slips (``PackingSlipDto``, ``GeneratePackingSlipResponse``; fields reconstructed)."""

from __future__ import annotations

import base64
from typing import Literal

from airflow_provider_ordermesh.models._base import ApiModel, RequestModel


class GeneratePackingSlip(RequestModel):
    format: Literal["pdf", "html"] = "pdf"


class PackingSlip(ApiModel):
    """A generated slip: its id, and the document inline (base64) or at a URL."""

    packing_slip_id: str
    shipment_id: str | None = None
    format: str | None = None
    content_type: str | None = None
    document: str | None = None
    url: str | None = None

    def document_bytes(self) -> bytes | None:
        """The decoded document, when the API sent it inline."""
        return base64.b64decode(self.document) if self.document else None
