"""Packing slips as real documents: a small HTML page, or a one-page PDF that any viewer opens."""

from __future__ import annotations

import html

from airflow_provider_ordermesh.sandbox.backend.state import ShipmentRecord

CONTENT_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


def render_packing_slip(shipment: ShipmentRecord, document_format: str) -> tuple[str, bytes]:
    """The content type and bytes of ``shipment``'s packing slip in ``document_format`` (pdf or html)."""
    lines = _slip_lines(shipment)
    if document_format == "html":
        return CONTENT_TYPES["html"], _html(lines[0], lines[1:]).encode()
    return CONTENT_TYPES["pdf"], _pdf(lines)


def _slip_lines(shipment: ShipmentRecord) -> list[str]:
    address = shipment.order.submitted.shipping_address
    ship_to = ", ".join(
        part
        for part in (
            address.first_name,
            address.last_name,
            address.line1,
            address.city,
            address.state,
            address.zip,
            address.country_code,
        )
        if part
    )
    facility = shipment.facility.name if shipment.facility else "unassigned"
    return [
        f"Packing slip for shipment {shipment.short_id}",
        f"Order {shipment.order.short_id} ({shipment.order.safe_id})",
        f"From: {facility}",
        f"Ship to: {ship_to}",
        *(
            f"{quantity} x {item.submitted.sku} ({item.short_id})"
            for item, quantity in shipment.lines.items()
        ),
    ]


def _html(title: str, lines: list[str]) -> str:
    body = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return f"<!doctype html><title>{html.escape(title)}</title><h1>{html.escape(title)}</h1><ul>{body}</ul>"


def _pdf(lines: list[str]) -> bytes:
    """A valid single-page PDF 1.4 showing ``lines`` in Helvetica, with a correct xref table."""
    text = " ".join(f"({_pdf_escape(line)}) '" for line in lines)
    stream = f"BT /F1 11 Tf 50 760 Td 16 TL {text} ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>"
        ),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    document = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(document))
        document += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(document)
    document += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    document += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    document += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref_at)
    return bytes(document)


def _pdf_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
