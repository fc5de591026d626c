"""Orders and order items: what we send to create, update, cancel, hold and refund, and what we read back."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator, model_validator

from airflow_provider_ordermesh.models._base import (
    Amount,
    ApiModel,
    CurrencyCode,
    Id,
    MerchantId,
    PositiveAmount,
    Quantity,
    Reason,
    RequestModel,
    ShortText,
)
from airflow_provider_ordermesh.models.common import (
    Address,
    AddressInput,
    AddressWithLocationInput,
    NameValue,
    NameValueInput,
    Price,
)

# ----------------------------------------------------------------------------------------------
# Create
# ----------------------------------------------------------------------------------------------


class OrderItemImageInput(RequestModel):
    """``CreateOrderItemImageModel``: one artwork file and where and how it is printed."""

    url: str = Field(min_length=1, max_length=2048)
    thumbnail_url: str | None = Field(default=None, max_length=2048)
    area: ShortText | None = None
    print_method: ShortText | None = None


class OrderItemInput(RequestModel):
    """``CreateOrderItemModel``: one line item (SKU, quantity, artwork, customer prices)."""

    sku: str = Field(min_length=1, max_length=255)
    quantity: Quantity
    external_id: ShortText | None = None
    images: list[OrderItemImageInput] | None = None
    options: list[NameValueInput] | None = None
    attributes: list[NameValueInput] | None = None
    customer_price: Amount | None = None
    customer_shipping_price: Amount | None = None
    customer_taxes: Amount | None = None
    customer_subtotal: Amount | None = None
    client_attributes: dict[str, str] | None = None
    meta: dict[str, str] | None = None
    is_sample: bool | None = None
    skip_img_manip: bool | None = None
    skip_image_validation: bool | None = None
    skip_sku_validation: bool | None = None


class ClientInfoInput(RequestModel):
    source: ShortText | None = None
    details: ShortText | None = None
    version: ShortText | None = None
    ip: ShortText | None = None


class CustomerTransactionInput(RequestModel):
    """``CreateOrderCustomerTransactionModel``."""

    total: Amount
    currency_code: CurrencyCode | None = None
    transaction_date: ShortText | None = None
    transaction_id: ShortText | None = None
    authorization_code: ShortText | None = None


class BillingInfoInput(RequestModel):
    full_name: ShortText | None = None
    address: AddressWithLocationInput | None = None


class PaymentMethodInput(RequestModel):
    """``CreateOrderCustomerPaymentMethodModel`` (transactions are nested here, as in the docs)."""

    method: ShortText | None = None
    sub_method: ShortText | None = None
    card_first4: str | None = Field(default=None, pattern=r"^\d{4}$", alias="cardFirst4")
    card_last4: str | None = Field(default=None, pattern=r"^\d{4}$", alias="cardLast4")
    billing_info: BillingInfoInput | None = None
    customer_transactions: list[CustomerTransactionInput] | None = None


class CreateOrder(RequestModel):
    """``CreateOrderModel``: one order to create. ``safeId`` is the idempotency key."""

    safe_id: Id | None = None
    merchant_id: MerchantId | None = None
    external_id: ShortText | None = None
    shipping_address: AddressInput
    billing_address: AddressInput | None = None
    return_address: AddressInput | None = None
    language_code: str | None = Field(default=None, pattern=r"^[A-Za-z]{2}$")
    is_test: bool | None = None
    is_sample: bool | None = None
    client: ClientInfoInput | None = None
    meta: dict[str, str] | None = None
    currency_code: CurrencyCode = "USD"
    customer_shipping_method: ShortText | None = None
    customer_total: Amount | None = None
    customer_item_total: Amount | None = None
    customer_total_shipping: Amount | None = None
    customer_total_taxes: Amount | None = None
    customer_total_discount_and_promotions: Amount | None = None
    customer_payment_methods: list[PaymentMethodInput] | None = None
    items: list[OrderItemInput] = Field(min_length=1, max_length=1000)


class InboundOrder(RequestModel):
    """Body of ``POST /v1/inbound/orders``: your own order format plus the Transformation to apply."""

    body: dict[str, Any]
    merchant_id: MerchantId
    transformation_id: Id


# ----------------------------------------------------------------------------------------------
# Read
# ----------------------------------------------------------------------------------------------


class RefundRecord(ApiModel):
    transaction_id: str | None = None
    is_shipping_refund: bool | None = None
    amount: float | None = None
    reason: str | None = None


class RefundData(ApiModel):
    """What was refunded on an item and what may still be refunded."""

    refunds: list[RefundRecord] = Field(default_factory=list)
    remaining_shipping_balance: float | None = None
    remaining_price_balance: float | None = None


class OrderItemImage(ApiModel):
    url: str | None = None
    thumbnail_url: str | None = None
    area: str | None = None
    print_method: str | None = None


class OrderItem(ApiModel):
    """``GetOrderItemModel``: an order item as read back (status is a string such as ``Open``)."""

    id: str
    short_id: str | None = None
    external_id: str | None = None
    sku: str | None = None
    original_sku: str | None = Field(default=None, alias="originalSKU")
    quantity: int | None = None
    status: str | None = None
    status_desc: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    processed_at: str | None = None
    cancelled_at: str | None = None
    images: list[OrderItemImage] | None = None
    options: list[NameValue] | None = None
    attributes: list[NameValue] | None = None
    customer_subtotal: Price | None = None
    customer_price: Price | None = None
    customer_shipping_price: Price | None = None
    customer_taxes: Price | None = None
    merchant_price: Price | None = None
    client_attributes: dict[str, str] | None = None
    meta: dict[str, str] | None = None
    is_sample: bool | None = None
    fulfillment_ready: bool | None = None
    refund_data: RefundData | None = None


class Order(ApiModel):
    """``GetOrderModel``: an order as read back, with its items and shipment ids."""

    id: str
    short_id: str | None = None
    safe_id: str | None = None
    external_id: str | None = None
    merchant_id: str | None = None
    status: str | None = None
    status_desc: str | None = None
    currency_code: str | None = None
    is_test: bool | None = None
    items: list[OrderItem] = Field(default_factory=list)
    shipping_address: Address | None = None
    billing_address: Address | None = None
    return_address: Address | None = None
    shipment_ids: list[str] = Field(default_factory=list)
    facility_names: list[str] = Field(default_factory=list)
    shipment_created_dates: list[str] = Field(default_factory=list)
    merchant_total: Price | None = None
    reprint: dict[str, Any] | None = None
    meta: dict[str, str] | None = None
    created_at: str | None = None
    updated_at: str | None = None


class CreateOrderResponse(ApiModel):
    """``CreateOrderResponse`` (reconstructed): the new order's identifiers."""

    id: str
    short_id: str | None = None
    safe_id: str | None = None
    external_id: str | None = None
    shipment_ids: list[str] = Field(default_factory=list)
    already_existed: bool = False
    """Set by the client (not the API) when the ``safeId`` existed and the existing order was returned."""


class InboundOrderReceipt(ApiModel):
    """The acknowledgement of an inbound order; the outcome arrives later by webhook."""

    request_id: str | None = None


# ----------------------------------------------------------------------------------------------
# Update, cancel, hold, refund
# ----------------------------------------------------------------------------------------------


class UpdateOrder(RequestModel):
    """``UpdateOrderModel`` (reconstructed): the fields of an order that may change after creation."""

    external_id: ShortText | None = None
    shipping_address: AddressInput | None = None
    billing_address: AddressInput | None = None
    return_address: AddressInput | None = None
    customer_shipping_method: ShortText | None = None
    meta: dict[str, str] | None = None
    is_test: bool | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> UpdateOrder:
        if not self.model_fields_set - {"id"}:
            raise ValueError("an update must change at least one field")
        return self


class BulkUpdateOrder(UpdateOrder):
    """One entry of ``UpdateOrderModelBulkModel``: an update plus the id of the order it applies to."""

    id: Id


class UpdateOrderItem(RequestModel):
    """``UpdateOrderItemModel`` (reconstructed)."""

    sku: str | None = Field(default=None, min_length=1, max_length=255)
    quantity: Quantity | None = None
    images: list[OrderItemImageInput] | None = None
    options: list[NameValueInput] | None = None
    attributes: list[NameValueInput] | None = None
    meta: dict[str, str] | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> UpdateOrderItem:
        if not self.model_fields_set:
            raise ValueError("an update must change at least one field")
        return self


class CancelItem(RequestModel):
    """``CancelOrderItemModel``: an item and how many of it to cancel (all when omitted)."""

    item_id: Id
    quantity: Quantity | None = None


class CancelOrder(RequestModel):
    """``CancelOrderModel``: cancel a whole order, or only the given items and quantities."""

    order_id: Id
    reason: Reason | None = None
    items: list[CancelItem] | None = None

    @field_validator("items")
    @classmethod
    def _items_not_empty(cls, items: list[CancelItem] | None) -> list[CancelItem] | None:
        if items is not None and not items:
            raise ValueError("give at least one item, or leave 'items' out to cancel the whole order")
        return items


class CustomerCareHold(RequestModel):
    reason: Reason | None = None


class RefundItem(RequestModel):
    """``AddRefundItemModel``: refund part of an item's price or of its shipping."""

    item_id: Id
    is_shipping_refund: bool = False
    amount: PositiveAmount
    reason: Reason


class AddRefund(RequestModel):
    """``AddRefundModel``: the body of ``POST /v1/orders/refund`` exactly as the public docs show it."""

    order_id: Id
    refunds: list[RefundItem] = Field(min_length=1, max_length=1000)
