"""Order bodies: create (``CreateOrderModel``, orders.md §3.1-3.10), inbound, update, cancel, hold, refund (§3.17)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from airflow_provider_ordermesh.sandbox.backend.bodies.fields import (
    Amount,
    CountryCode,
    CurrencyCode,
    Id,
    PositiveAmount,
    Quantity,
    Reason,
    Text,
    Url,
    WireBody,
)


class Address(WireBody):
    """``BaseAddressModel`` (§3.8); the country is an ISO alpha-2 code."""

    first_name: Text
    last_name: Text | None = None
    line1: Text
    line2: Text | None = None
    line3: Text | None = None
    city: Text
    state: Text | None = None
    zip: Text | None = None
    country_code: CountryCode
    phone: Text | None = None
    email: Text | None = None


class Coordinates(WireBody):
    """``CoordinatesModel`` (§3.9)."""

    longitude: float = Field(ge=-180, le=180)
    latitude: float = Field(ge=-90, le=90)


class LocatedAddress(Address):
    """``AddressModel``: a base address with its ``location`` (only in billing info)."""

    location: Coordinates | None = None


class NameValue(WireBody):
    """``OptionModel`` / ``AttributeModel`` (§3.16)."""

    name: Text
    value: Text


class Image(WireBody):
    """``CreateOrderItemImageModel`` (§3.5)."""

    url: Url
    thumbnail_url: Url | None = None
    area: Text | None = None
    print_method: Text | None = None


class OrderItem(WireBody):
    """``CreateOrderItemModel`` (§3.4; the fields after ``images`` mirror ``GetOrderItemModel``)."""

    sku: Text
    quantity: Quantity
    external_id: Text | None = None
    images: list[Image] | None = None
    options: list[NameValue] | None = None
    attributes: list[NameValue] | None = None
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


class Client(WireBody):
    """The ``client`` object of an order: what submitted it."""

    source: Text | None = None
    details: Text | None = None
    version: Text | None = None
    ip: Text | None = None


class Transaction(WireBody):
    """``CreateOrderCustomerTransactionModel`` (§3.3)."""

    total: Amount
    currency_code: CurrencyCode | None = None
    transaction_date: Text | None = None
    transaction_id: Text | None = None
    authorization_code: Text | None = None


class BillingInfo(WireBody):
    """``BillingInfoModel`` (§3.10)."""

    full_name: Text | None = None
    address: LocatedAddress | None = None


class PaymentMethod(WireBody):
    """``CreateOrderCustomerPaymentMethodModel`` (§3.2), its transactions nested as the docs show."""

    method: Text | None = None
    sub_method: Text | None = None
    card_first4: str | None = Field(default=None, alias="cardFirst4", pattern=r"^\d{4}$")
    card_last4: str | None = Field(default=None, alias="cardLast4", pattern=r"^\d{4}$")
    billing_info: BillingInfo | None = None
    customer_transactions: list[Transaction] | None = None


class CreateOrder(WireBody):
    """``CreateOrderModel`` (§3.1), one order or one entry of ``CreateOrderModelBulkModel``."""

    safe_id: Id | None = None
    merchant_id: Id | None = None
    external_id: Text | None = None
    shipping_address: Address
    billing_address: Address | None = None
    return_address: Address | None = None
    language_code: str | None = Field(default=None, pattern=r"^[A-Za-z]{2}$")
    is_test: bool | None = None
    is_sample: bool | None = None
    client: Client | None = None
    meta: dict[str, str] | None = None
    currency_code: CurrencyCode = "USD"
    customer_shipping_method: Text | None = None
    customer_total: Amount | None = None
    customer_item_total: Amount | None = None
    customer_total_shipping: Amount | None = None
    customer_total_taxes: Amount | None = None
    customer_total_discount_and_promotions: Amount | None = None
    customer_payment_methods: list[PaymentMethod] | None = None
    items: list[OrderItem] = Field(min_length=1, max_length=1000)


class InboundOrder(WireBody):
    """``POST /v1/inbound/orders``: the merchant's own order format and the Transformation to apply."""

    body: dict[str, Any]
    merchant_id: Id
    transformation_id: Id


class _Change(WireBody):
    """A change of some fields: at least one of them must be given."""

    @model_validator(mode="after")
    def _changes_something(self) -> _Change:
        if not self.model_fields_set - {"id"}:
            raise ValueError("an update must change at least one field")
        return self


class UpdateOrder(_Change):
    """``UpdateOrderModel`` (reconstructed): what may change on an order after creation."""

    external_id: Text | None = None
    shipping_address: Address | None = None
    billing_address: Address | None = None
    return_address: Address | None = None
    customer_shipping_method: Text | None = None
    meta: dict[str, str] | None = None
    is_test: bool | None = None


class BulkUpdateOrder(UpdateOrder):
    """One entry of ``UpdateOrderModelBulkModel``: an update and the order it applies to."""

    id: Id


class UpdateOrderItem(_Change):
    """``UpdateOrderItemModel`` (reconstructed)."""

    sku: Text | None = None
    quantity: Quantity | None = None
    images: list[Image] | None = None
    options: list[NameValue] | None = None
    attributes: list[NameValue] | None = None
    meta: dict[str, str] | None = None


class CancelItem(WireBody):
    """``CancelOrderItemModel``: an item and how many of it to cancel (all, when left out)."""

    item_id: Id
    quantity: Quantity | None = None


class CancelOrder(WireBody):
    """``CancelOrderModel``: the whole order, or only ``items`` (which, when given, is not empty)."""

    order_id: Id
    reason: Reason | None = None
    items: list[CancelItem] | None = Field(default=None, min_length=1)


class CustomerCareHold(WireBody):
    reason: Reason | None = None


class RefundLine(WireBody):
    """``AddRefundItemModel`` (§3.17): part of an item's price, or of its shipping."""

    item_id: Id
    is_shipping_refund: bool = False
    amount: PositiveAmount
    reason: Reason


class AddRefund(WireBody):
    """``AddRefundModel``: the body of ``POST /v1/orders/refund`` as the docs' example shows it."""

    order_id: Id
    refunds: list[RefundLine] = Field(min_length=1, max_length=1000)
