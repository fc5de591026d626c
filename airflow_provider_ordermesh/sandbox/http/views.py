"""Records rendered as the API's JSON, written out key by key: the sandbox's own view of the wire.

The answers do not go through the provider's response models on purpose: the sandbox is what
the client is tested against, so a misspelt alias in ``models/`` must not be copied into the
sandbox's answers too. The wire fixtures in ``tests/fixtures/wire`` and the docs' examples hold
both sides to the same keys. Fields the public examples show and the sandbox does not simulate
(merchant-side totals and the like) are null, so that every answer has every key the docs show.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Final

from airflow_provider_ordermesh.models.statuses import OrderStatus
from airflow_provider_ordermesh.sandbox.backend.auth import IssuedToken
from airflow_provider_ordermesh.sandbox.backend.bodies.orders import Address, NameValue
from airflow_provider_ordermesh.sandbox.backend.catalog import CatalogVariant
from airflow_provider_ordermesh.sandbox.backend.clock import iso
from airflow_provider_ordermesh.sandbox.backend.errors import SandboxError
from airflow_provider_ordermesh.sandbox.backend.shipments import RerouteOutcome
from airflow_provider_ordermesh.sandbox.backend.state import (
    AuditRecord,
    InboundRecord,
    ItemRecord,
    NoteRecord,
    OrderRecord,
    PackageRecord,
    PackingSlipRecord,
    ShipmentRecord,
)

JSON = dict[str, Any]


_ORDER_NOT_SIMULATED: Final = dict.fromkeys(
    ("merchantItemTotal", "merchantTaxTotal", "merchantShippingTotal")
)
_ITEM_NOT_SIMULATED: Final = dict.fromkeys(
    ("merchantShippingPrice", "merchantTax", "merchantSubTotal", "merchantItemTotal")
)
_SHIPMENT_NOT_SIMULATED: Final = dict.fromkeys(
    (
        "merchantName",
        "customerId",
        "customerShippingAddressId",
        "merchantPaymentId",
        "shippingCountryCodeISO",
        "languageCodeISO",
        "transactionalCostModel",
        "merchantOrderTotal",
        "merchantPackageTotal",
        "merchantTaxTotal",
        "merchantShippingTotal",
        "packageTotal",
        "taxTotal",
        "shippingTotal",
        "total",
        "costTotal",
        "costTaxTotal",
        "costShippingTotal",
        "costShippingTaxTotal",
        "selectedShippingMapping",
    )
)


def order(record: OrderRecord) -> JSON:
    """``{...}`` of ``GET /v1/orders/{id}``'s ``order``."""
    submitted = record.submitted
    return {
        "id": record.id,
        "shortId": record.short_id,
        "safeId": record.safe_id,
        "externalId": submitted.external_id,
        "merchantId": submitted.merchant_id,
        "status": record.status.value,
        "statusDesc": None,
        "currencyCode": submitted.currency_code,
        "isTest": submitted.is_test,
        "items": [order_item(item) for item in record.items],
        "shippingAddress": _address(submitted.shipping_address),
        "billingAddress": _address(submitted.billing_address),
        "returnAddress": _address(submitted.return_address),
        "shipmentIds": [shipment.id for shipment in record.shipments],
        "facilityNames": list(dict.fromkeys(s.facility.name for s in record.shipments if s.facility)),
        "shipmentCreatedDates": [iso(shipment.created_at) for shipment in record.shipments],
        "merchantTotal": None,
        "reprint": None,
        "meta": submitted.meta,
        "createdAt": iso(record.created_at),
        "updatedAt": iso(record.updated_at),
        **_ORDER_NOT_SIMULATED,
    }


def create_order_response(record: OrderRecord) -> JSON:
    return {
        "id": record.id,
        "shortId": record.short_id,
        "safeId": record.safe_id,
        "externalId": record.submitted.external_id,
        "shipmentIds": [shipment.id for shipment in record.shipments],
    }


def order_item(record: ItemRecord) -> JSON:
    submitted = record.submitted
    currency = record.order.submitted.currency_code
    return {
        "id": record.id,
        "shortId": record.short_id,
        "externalId": submitted.external_id,
        "sku": submitted.sku,
        "originalSKU": submitted.sku,
        "quantity": submitted.quantity,
        "status": record.status.value,
        "statusDesc": None,
        "createdAt": iso(record.created_at),
        "updatedAt": iso(record.updated_at),
        "processedAt": _optional_time(record.processed_at),
        "cancelledAt": _optional_time(record.cancelled_at),
        "images": [
            {
                "url": image.url,
                "thumbnailUrl": image.thumbnail_url,
                "area": image.area,
                "printMethod": image.print_method,
            }
            for image in submitted.images or []
        ]
        or None,
        "options": _name_values(submitted.options),
        "attributes": _name_values(submitted.attributes),
        "customerSubtotal": _price(submitted.customer_subtotal, currency),
        "customerPrice": _price(submitted.customer_price, currency),
        "customerShippingPrice": _price(submitted.customer_shipping_price, currency),
        "customerTaxes": _price(submitted.customer_taxes, currency),
        "merchantPrice": None,
        "clientAttributes": submitted.client_attributes,
        "meta": submitted.meta,
        "isSample": bool(submitted.is_sample),
        "fulfillmentReady": record.status is not OrderStatus.CANCELLED,
        "refundData": {
            "refunds": [
                {
                    "transactionId": refund.transaction_id,
                    "isShippingRefund": refund.is_shipping_refund,
                    "amount": refund.amount,
                    "reason": refund.reason,
                }
                for refund in record.refunds
            ],
            "remainingShippingBalance": record.refundable(shipping=True),
            "remainingPriceBalance": record.refundable(shipping=False),
        },
        "skipImgManip": bool(submitted.skip_img_manip),
        "skipImageValidation": bool(submitted.skip_image_validation),
        "skipSkuValidation": bool(submitted.skip_sku_validation),
        **_ITEM_NOT_SIMULATED,
    }


def shipment(record: ShipmentRecord) -> JSON:
    order_record = record.order
    submitted = order_record.submitted
    facility = record.facility
    return {
        "id": record.id,
        "shortId": record.short_id,
        "merchantId": submitted.merchant_id,
        "vendorId": facility.vendor_id if facility else None,
        "vendorName": facility.vendor_name if facility else None,
        "facilityId": facility.id if facility else None,
        "facilityName": facility.name if facility else None,
        "orderId": order_record.id,
        "orderExternalId": submitted.external_id,
        "safeId": order_record.safe_id,
        "shipmentStatus": record.status.value,
        "isRejectedByVendor": record.is_rejected_by_vendor,
        "isPollingStopped": record.is_polling_stopped,
        "shippingMethod": record.shipping_method or submitted.customer_shipping_method,
        "shippingCountryCode": submitted.shipping_address.country_code,
        "currencyCode": submitted.currency_code,
        "createdDate": iso(record.created_at),
        "lastModifiedDate": iso(record.updated_at),
        "packages": [package(p) for p in record.packages],
        "orderItemIDs": [item.id for item in record.lines],
        "orderItems": [
            {
                "id": item.id,
                "sku": item.submitted.sku,
                "vendorSku": item.submitted.sku,
                "quantity": quantity,
                "merchantPrice": None,
                "price": _price(item.submitted.customer_price, submitted.currency_code),
                "shortId": item.short_id,
                "status": item.status.value,
            }
            for item, quantity in record.lines.items()
        ],
        "orderCreatedDate": iso(order_record.created_at),
        "languageCode": submitted.language_code,
        **_SHIPMENT_NOT_SIMULATED,
    }


def package(record: PackageRecord) -> JSON:
    details = record.details
    item_ids = list(details.order_item_ids or [])
    carried = {item.id: quantity for item, quantity in record.shipment.lines.items()}
    return {
        "id": record.id,
        "shortId": record.short_id,
        "shipmentId": record.shipment.id,
        "carrierName": details.carrier_name,
        "carrierMethodName": details.carrier_method_name,
        "shippedDate": details.shipped_date,
        "fulfilledDate": details.fulfilled_date,
        "carrierTrackingNumber": details.carrier_tracking_number,
        "carrierLink": details.carrier_link,
        "carrierAccount": details.carrier_account,
        "orderItemIDs": item_ids,
        "packageOrderItems": [
            {"orderItemId": item_id, "quantity": carried.get(item_id, 0)} for item_id in item_ids
        ],
        "packingSlipId": record.packing_slip_id,
    }


def reroute(outcome: RerouteOutcome) -> JSON:
    return {
        "shipmentId": outcome.shipment.id,
        "facilityId": outcome.facility.id,
        "newShipmentIds": [new.id for new in outcome.new_shipments],
    }


def packing_slip(record: PackingSlipRecord, base_url: str) -> JSON:
    return {
        "packingSlipId": record.id,
        "shipmentId": record.shipment.id,
        "format": record.format,
        "contentType": record.content_type,
        "document": base64.b64encode(record.document).decode("ascii"),
        "url": f"{base_url.rstrip('/')}/portal/packingSlips/{record.id}",
    }


def note(record: NoteRecord) -> JSON:
    return {
        "id": record.id,
        "text": record.text,
        "format": record.format,
        "resource": {"type": record.resource_type, "id": record.resource_id},
        "createdBy": {"id": record.created_by, "name": record.created_by},
        "createdAt": iso(record.created_at),
        "updatedAt": iso(record.updated_at),
    }


def audit_event(record: AuditRecord) -> JSON:
    return {
        "id": f"{record.sequence:024x}",
        "resource": {"type": record.resource_type, "id": record.resource_id},
        "action": record.action,
        "description": record.description,
        "oldValue": record.old_value,
        "newValue": record.new_value,
        "user": {"id": record.actor, "name": record.actor},
        "createdAt": iso(record.created_at),
    }


def variant(record: CatalogVariant) -> JSON:
    """An effective catalog variant, in the shape of the docs' example (prices in USD)."""
    return {
        "sku": record.sku,
        "merchantPrice": _catalog_price(record.price),
        "decorations": [
            {
                "area": record.area,
                "width": record.width,
                "height": record.height,
                "dpi": 300,
                "method": record.method,
                "price": _catalog_price(0.0),
            }
        ],
        "attributes": [{"name": "FileType", "value": "png"}],
    }


def inbound_receipt(record: InboundRecord) -> JSON:
    return {"requestId": record.request_id}


def bulk_success(index: int, status_code: int, record: OrderRecord | ShipmentRecord, message: str) -> JSON:
    """A succeeded entry of a ``{"results": [...]}`` answer, naming what it created or changed."""
    order_record = record if isinstance(record, OrderRecord) else record.order
    return {
        "index": index,
        "isSuccessful": True,
        "statusCode": status_code,
        "id": record.id,
        "shortId": record.short_id,
        "safeId": order_record.safe_id,
        "message": message,
        "errors": [],
    }


def bulk_failure(index: int, error: SandboxError) -> JSON:
    """A failed entry, with the status and error body it would have had on its own."""
    return {
        "index": index,
        "isSuccessful": False,
        "statusCode": error.status_code,
        "id": None,
        "shortId": None,
        "safeId": None,
        "message": error.message,
        "errors": [field.to_api() for field in error.errors],
    }


def token(issued: IssuedToken) -> JSON:
    lifetime = issued.expires_in
    expires_in = int(lifetime) if float(lifetime).is_integer() else lifetime  # 86400, as the API writes it
    answer: JSON = {"accessToken": issued.access_token, "expiresIn": expires_in, "tokenType": "Bearer"}
    if issued.refresh_token is not None:
        answer["refreshToken"] = issued.refresh_token
    return answer


def _address(address: Address | None) -> JSON | None:
    if address is None:
        return None
    return {
        "firstName": address.first_name,
        "lastName": address.last_name,
        "line1": address.line1,
        "line2": address.line2,
        "line3": address.line3,
        "city": address.city,
        "state": address.state,
        "zip": address.zip,
        "countryCode": address.country_code,
        "phone": address.phone,
        "email": address.email,
        "location": None,
    }


def _price(amount: float | None, currency: str) -> JSON | None:
    return {"currency": currency, "amount": amount, "tax": None} if amount is not None else None


def _name_values(pairs: Iterable[NameValue] | None) -> list[JSON] | None:
    return [{"name": pair.name, "value": pair.value} for pair in pairs] if pairs else None


def _catalog_price(amount: float) -> JSON:
    return {"amount": amount, "currency": "USD", "currencies": []}


def _optional_time(moment: datetime | None) -> str | None:
    return iso(moment) if moment is not None else None
