"""Records rendered as the API's JSON, through the provider's own response models.

Going through ``Order``, ``Shipment`` and friends keeps the sandbox's answers parseable by the
client by construction. Fields the public examples show but the models do not declare ride along
as the models' extra fields; the ones the sandbox does not simulate (merchant-side totals and
the like) are null, so that every answer has every key the docs show.
"""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any, Final

from pydantic import BaseModel

from airflow_provider_ordermesh.models import (
    Address,
    AuditEvent,
    BulkResultItem,
    Note,
    Order,
    OrderItem,
    Package,
    PackingSlip,
    Price,
    RerouteResponse,
    Shipment,
    Variant,
)
from airflow_provider_ordermesh.models.common import (
    AddressInput,
    NameValue,
    NameValueInput,
    ResourceReference,
    UserReference,
)
from airflow_provider_ordermesh.models.orders import OrderItemImage, RefundData
from airflow_provider_ordermesh.models.shipments import ShipmentOrderItem
from airflow_provider_ordermesh.models.statuses import OrderStatus
from airflow_provider_ordermesh.sandbox.backend.auth import IssuedToken
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


def dump(model: BaseModel) -> JSON:
    """A response model as wire JSON: camelCase keys, nulls kept (as the real API sends them)."""
    return model.model_dump(mode="json", by_alias=True)


def order(record: OrderRecord) -> JSON:
    submitted = record.submitted
    model = Order(
        id=record.id,
        short_id=record.short_id,
        safe_id=record.safe_id,
        external_id=submitted.external_id,
        merchant_id=submitted.merchant_id,
        status=record.status,
        currency_code=submitted.currency_code,
        is_test=submitted.is_test,
        items=[_order_item(item) for item in record.items],
        shipping_address=_address(submitted.shipping_address),
        billing_address=_address(submitted.billing_address),
        return_address=_address(submitted.return_address),
        shipment_ids=[shipment.id for shipment in record.shipments],
        facility_names=list(dict.fromkeys(s.facility.name for s in record.shipments if s.facility)),
        shipment_created_dates=[iso(shipment.created_at) for shipment in record.shipments],
        meta=submitted.meta,
        created_at=iso(record.created_at),
        updated_at=iso(record.updated_at),
        **_ORDER_NOT_SIMULATED,
    )
    return dump(model)


def create_order_response(record: OrderRecord) -> JSON:
    return {
        "id": record.id,
        "shortId": record.short_id,
        "safeId": record.safe_id,
        "externalId": record.submitted.external_id,
        "shipmentIds": [shipment.id for shipment in record.shipments],
    }


def order_item(record: ItemRecord) -> JSON:
    return dump(_order_item(record))


def _order_item(record: ItemRecord) -> OrderItem:
    submitted = record.submitted
    currency = record.order.submitted.currency_code
    return OrderItem(
        id=record.id,
        short_id=record.short_id,
        external_id=submitted.external_id,
        sku=submitted.sku,
        original_sku=submitted.sku,
        quantity=submitted.quantity,
        status=record.status,
        created_at=iso(record.created_at),
        updated_at=iso(record.updated_at),
        processed_at=_optional_time(record.processed_at),
        cancelled_at=_optional_time(record.cancelled_at),
        images=[OrderItemImage.model_validate(image.to_api()) for image in submitted.images or []] or None,
        options=_name_values(submitted.options),
        attributes=_name_values(submitted.attributes),
        customer_subtotal=_price(submitted.customer_subtotal, currency),
        customer_price=_price(submitted.customer_price, currency),
        customer_shipping_price=_price(submitted.customer_shipping_price, currency),
        customer_taxes=_price(submitted.customer_taxes, currency),
        client_attributes=submitted.client_attributes,
        meta=submitted.meta,
        is_sample=bool(submitted.is_sample),
        fulfillment_ready=record.status is not OrderStatus.CANCELLED,
        refund_data=RefundData(
            refunds=record.refunds,
            remaining_price_balance=record.refundable(shipping=False),
            remaining_shipping_balance=record.refundable(shipping=True),
        ),
        skipImgManip=bool(submitted.skip_img_manip),
        skipImageValidation=bool(submitted.skip_image_validation),
        skipSkuValidation=bool(submitted.skip_sku_validation),
        **_ITEM_NOT_SIMULATED,
    )


def shipment(record: ShipmentRecord) -> JSON:
    order_record = record.order
    submitted = order_record.submitted
    model = Shipment(
        id=record.id,
        short_id=record.short_id,
        merchant_id=submitted.merchant_id,
        vendor_id=record.facility.vendor_id if record.facility else None,
        vendor_name=record.facility.vendor_name if record.facility else None,
        facility_id=record.facility.id if record.facility else None,
        facility_name=record.facility.name if record.facility else None,
        order_id=order_record.id,
        order_external_id=submitted.external_id,
        safe_id=order_record.safe_id,
        shipment_status=record.status.value,
        is_rejected_by_vendor=record.is_rejected_by_vendor,
        is_polling_stopped=record.is_polling_stopped,
        shipping_method=record.shipping_method or submitted.customer_shipping_method,
        shipping_country_code=submitted.shipping_address.country_code,
        currency_code=submitted.currency_code,
        created_date=iso(record.created_at),
        last_modified_date=iso(record.updated_at),
        packages=[_package(package) for package in record.packages],
        order_item_ids=[item.id for item in record.lines],
        order_items=[
            ShipmentOrderItem(
                id=item.id,
                short_id=item.short_id,
                sku=item.submitted.sku,
                vendor_sku=item.submitted.sku,
                quantity=quantity,
                price=_price(item.submitted.customer_price, submitted.currency_code),
                status=item.status,
            )
            for item, quantity in record.lines.items()
        ],
        orderCreatedDate=iso(order_record.created_at),
        languageCode=submitted.language_code,
        **_SHIPMENT_NOT_SIMULATED,
    )
    return dump(model)


def package(record: PackageRecord) -> JSON:
    return dump(_package(record))


def _package(record: PackageRecord) -> Package:
    details = record.details
    item_ids = details.order_item_ids or []
    carried = {item.id: quantity for item, quantity in record.shipment.lines.items()}
    return Package(
        id=record.id,
        short_id=record.short_id,
        shipment_id=record.shipment.id,
        carrier_name=details.carrier_name,
        carrier_method_name=details.carrier_method_name,
        shipped_date=details.shipped_date,
        fulfilled_date=details.fulfilled_date,
        carrier_tracking_number=details.carrier_tracking_number,
        carrier_link=details.carrier_link,
        carrier_account=details.carrier_account,
        order_item_ids=item_ids,
        package_order_items=[
            {"orderItemId": item_id, "quantity": carried.get(item_id, 0)} for item_id in item_ids
        ],
        packing_slip_id=record.packing_slip_id,
    )


def reroute(outcome: RerouteOutcome) -> JSON:
    return dump(
        RerouteResponse(
            shipment_id=outcome.shipment.id,
            facility_id=outcome.facility.id,
            new_shipment_ids=[new.id for new in outcome.new_shipments],
        )
    )


def packing_slip(record: PackingSlipRecord, base_url: str) -> JSON:
    return dump(
        PackingSlip(
            packing_slip_id=record.id,
            shipment_id=record.shipment.id,
            format=record.format,
            content_type=record.content_type,
            document=base64.b64encode(record.document).decode("ascii"),
            url=f"{base_url.rstrip('/')}/portal/packingSlips/{record.id}",
        )
    )


def note(record: NoteRecord) -> JSON:
    return dump(
        Note(
            id=record.id,
            text=record.text,
            format=record.format,
            resource=ResourceReference(type=record.resource_type, id=record.resource_id),
            created_by=UserReference(id=record.created_by, name=record.created_by),
            created_at=iso(record.created_at),
            updated_at=iso(record.updated_at),
        )
    )


def audit_event(record: AuditRecord) -> JSON:
    return dump(
        AuditEvent(
            id=f"{record.sequence:024x}",
            resource=ResourceReference(type=record.resource_type, id=record.resource_id),
            action=record.action,
            description=record.description,
            old_value=record.old_value,
            new_value=record.new_value,
            user=UserReference(id=record.actor, name=record.actor),
            created_at=iso(record.created_at),
        )
    )


def variant(model: Variant) -> JSON:
    return dump(model)


def inbound_receipt(record: InboundRecord) -> JSON:
    return {"requestId": record.request_id}


def bulk_success(index: int, status_code: int, record: OrderRecord | ShipmentRecord, message: str) -> JSON:
    """A succeeded entry of a ``{"results": [...]}`` answer, naming what it created or changed."""
    order_record = record if isinstance(record, OrderRecord) else record.order
    return dump(
        BulkResultItem(
            index=index,
            is_successful=True,
            status_code=status_code,
            id=record.id,
            short_id=record.short_id,
            safe_id=order_record.safe_id,
            message=message,
        )
    )


def bulk_failure(index: int, error: SandboxError) -> JSON:
    """A failed entry, with the status and error body it would have had on its own."""
    return dump(
        BulkResultItem(
            index=index,
            is_successful=False,
            status_code=error.status_code,
            message=error.message,
            errors=[field.to_api() for field in error.errors],
        )
    )


def token(issued: IssuedToken) -> JSON:
    lifetime = issued.expires_in
    expires_in = int(lifetime) if float(lifetime).is_integer() else lifetime  # 86400, as the API writes it
    answer: JSON = {"accessToken": issued.access_token, "expiresIn": expires_in, "tokenType": "Bearer"}
    if issued.refresh_token is not None:
        answer["refreshToken"] = issued.refresh_token
    return answer


def _address(address: AddressInput | None) -> Address | None:
    return Address.model_validate(address.model_dump(by_alias=True)) if address is not None else None


def _price(amount: float | None, currency: str) -> Price | None:
    return Price(currency=currency, amount=amount) if amount is not None else None


def _name_values(pairs: list[NameValueInput] | None) -> list[NameValue] | None:
    return [NameValue(name=pair.name, value=pair.value) for pair in pairs] if pairs else None


def _optional_time(moment: datetime | None) -> str | None:
    return iso(moment) if moment is not None else None
