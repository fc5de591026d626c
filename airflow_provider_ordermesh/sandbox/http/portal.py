"""Tiny portal pages, so that the links the operators push (``portal_url``) open something real."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import NamedTuple

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from airflow_provider_ordermesh.sandbox.backend.backend import OrderMeshBackend

router = APIRouter(prefix="/portal", include_in_schema=False)


class _Link(NamedTuple):
    href: str
    text: str


Cell = str | int | _Link


@router.get("/orders/{order_id}")
async def order_page(order_id: str, request: Request) -> HTMLResponse:
    order = _backend(request).orders.get(order_id)
    items = [(item.short_id, item.submitted.sku, item.quantity, item.status) for item in order.items]
    shipments = [
        (
            _Link(f"../shipments/{s.id}", s.short_id),
            s.facility.name if s.facility else "unassigned",
            s.status.label,
        )
        for s in order.shipments
    ]
    return _page(
        f"Order {order.short_id}",
        f"{order.status}, safeId {order.safe_id}",
        _table(("Item", "SKU", "Quantity", "Status"), items),
        _table(("Shipment", "Facility", "Status"), shipments),
    )


@router.get("/shipments/{shipment_id}")
async def shipment_page(shipment_id: str, request: Request) -> HTMLResponse:
    shipment = _backend(request).shipments.get(shipment_id)
    facility = shipment.facility.name if shipment.facility else "unassigned"
    order = (_Link(f"../orders/{shipment.order.id}", shipment.order.short_id),)
    packages = [
        (
            p.details.carrier_name,
            _Link(p.details.carrier_link or "#", p.details.carrier_tracking_number or "-"),
        )
        for p in shipment.packages
    ]
    return _page(
        f"Shipment {shipment.short_id}",
        f"{shipment.status.label} at {facility}",
        _table(("Order",), [order]),
        _table(("Carrier", "Tracking"), packages),
    )


@router.get("/packingSlips/{slip_id}")
async def packing_slip_document(slip_id: str, request: Request) -> Response:
    slip = _backend(request).state.packing_slip(slip_id)
    return Response(slip.document, media_type=slip.content_type)


def _backend(request: Request) -> OrderMeshBackend:
    backend: OrderMeshBackend = request.app.state.sandbox.backend
    return backend


def _page(title: str, summary: str, *tables: str) -> HTMLResponse:
    return HTMLResponse(
        f"<!doctype html><title>{html.escape(title)} - OrderMesh sandbox</title>"
        f"<h1>{html.escape(title)}</h1><p>{html.escape(summary)}</p>{''.join(tables)}"
    )


def _table(headings: Sequence[str], rows: Sequence[Sequence[Cell]]) -> str:
    head = "".join(f"<th>{html.escape(heading)}</th>" for heading in headings)
    body = "".join("<tr>" + "".join(f"<td>{_cell(cell)}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _cell(value: Cell) -> str:
    if isinstance(value, _Link):
        return f'<a href="{html.escape(value.href)}">{html.escape(value.text)}</a>'
    return html.escape(str(value))
