"""Order bodies: create (``CreateOrderModel``, orders.md §3.1-3.10), inbound, update, cancel, hold, refund (§3.17)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from airflow_provider_ordermesh.sandbox.backend.bodies.fields import (
    Amount,
    CountryCode,
    CurrencyCode,
    Id,
    Link,
    MerchantUuid,
    PositiveAmount,
    Quantity,
    Reason,
    Text,
    Url,
    WireBody,
)


class Address(WireBody):
    """``BaseAddressModel`` (§3.8); the country is an ISO alpha-2 code."""

    first_name: Text = Field(alias="firstName")
    last_name: Text | None = Field(None, alias="lastName")
    line1: Text
    line2: Text | None = None
    line3: Text | None = None
    city: Text
    state: Text | None = None
    zip: Text | None = None
    country_code: CountryCode = Field(alias="countryCode")
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
    thumbnail_url: Link | None = Field(None, alias="thumbnailUrl")
    area: Text | None = None
    print_method: Text | None = Field(None, alias="printMethod")


class OrderItem(WireBody):
    """``CreateOrderItemModel`` (§3.4; the fields after ``images`` mirror ``GetOrderItemModel``)."""

    sku: Text
    quantity: Quantity
    external_id: Text | None = Field(None, alias="externalId")
    images: list[Image] | None = None
    options: list[NameValue] | None = None
    attributes: list[NameValue] | None = None
    customer_price: Amount | None = Field(None, alias="customerPrice")
    customer_shipping_price: Amount | None = Field(None, alias="customerShippingPrice")
    customer_taxes: Amount | None = Field(None, alias="customerTaxes")
    customer_subtotal: Amount | None = Field(None, alias="customerSubtotal")
    client_attributes: dict[str, str] | None = Field(None, alias="clientAttributes")
    meta: dict[str, str] | None = None
    is_sample: bool | None = Field(None, alias="isSample")
    skip_img_manip: bool | None = Field(None, alias="skipImgManip")
    skip_image_validation: bool | None = Field(None, alias="skipImageValidation")
    skip_sku_validation: bool | None = Field(None, alias="skipSkuValidation")


class Client(WireBody):
    """The ``client`` object of an order: what submitted it."""

    source: Text | None = None
    details: Text | None = None
    version: Text | None = None
    ip: Text | None = None


class Transaction(WireBody):
    """``CreateOrderCustomerTransactionModel`` (§3.3)."""

    total: Amount
    currency_code: CurrencyCode | None = Field(None, alias="currencyCode")
    transaction_date: Text | None = Field(None, alias="transactionDate")
    transaction_id: Text | None = Field(None, alias="transactionId")
    authorization_code: Text | None = Field(None, alias="authorizationCode")


class BillingInfo(WireBody):
    """``BillingInfoModel`` (§3.10)."""

    full_name: Text | None = Field(None, alias="fullName")
    address: LocatedAddress | None = None


class PaymentMethod(WireBody):
    """``CreateOrderCustomerPaymentMethodModel`` (§3.2), its transactions nested as the docs show."""

    method: Text | None = None
    sub_method: Text | None = Field(None, alias="subMethod")
    card_first4: str | None = Field(alias="cardFirst4", default=None, pattern=r"^\d{4}$")
    card_last4: str | None = Field(alias="cardLast4", default=None, pattern=r"^\d{4}$")
    billing_info: BillingInfo | None = Field(None, alias="billingInfo")
    customer_transactions: list[Transaction] | None = Field(None, alias="customerTransactions")


class CreateOrder(WireBody):
    """``CreateOrderModel`` (§3.1), one order or one entry of ``CreateOrderModelBulkModel``."""

    safe_id: Id | None = Field(None, alias="safeId")
    merchant_id: MerchantUuid | None = Field(None, alias="merchantId")
    external_id: Text | None = Field(None, alias="externalId")
    shipping_address: Address = Field(alias="shippingAddress")
    billing_address: Address | None = Field(None, alias="billingAddress")
    return_address: Address | None = Field(None, alias="returnAddress")
    language_code: str | None = Field(alias="languageCode", default=None, pattern=r"^[A-Za-z]{2}$")
    is_test: bool | None = Field(None, alias="isTest")
    is_sample: bool | None = Field(None, alias="isSample")
    client: Client | None = None
    meta: dict[str, str] | None = None
    currency_code: CurrencyCode = Field("USD", alias="currencyCode")
    customer_shipping_method: Text | None = Field(None, alias="customerShippingMethod")
    customer_total: Amount | None = Field(None, alias="customerTotal")
    customer_item_total: Amount | None = Field(None, alias="customerItemTotal")
    customer_total_shipping: Amount | None = Field(None, alias="customerTotalShipping")
    customer_total_taxes: Amount | None = Field(None, alias="customerTotalTaxes")
    customer_total_discount_and_promotions: Amount | None = Field(
        None, alias="customerTotalDiscountAndPromotions"
    )
    customer_payment_methods: list[PaymentMethod] | None = Field(None, alias="customerPaymentMethods")
    items: list[OrderItem] = Field(min_length=1, max_length=1000)


class InboundOrder(WireBody):
    """``POST /v1/inbound/orders``: the merchant's own order format and the Transformation to apply."""

    body: dict[str, Any]
    merchant_id: MerchantUuid = Field(alias="merchantId")
    transformation_id: Id = Field(alias="transformationId")


class _Change(WireBody):
    """A change of some fields: at least one of them must be given."""

    @model_validator(mode="after")
    def _changes_something(self) -> _Change:
        if not self.model_fields_set - {"id"}:
            raise ValueError("an update must change at least one field")
        return self


class UpdateOrder(_Change):
    """``UpdateOrderModel`` (reconstructed): what may change on an order after creation."""

    external_id: Text | None = Field(None, alias="externalId")
    shipping_address: Address | None = Field(None, alias="shippingAddress")
    billing_address: Address | None = Field(None, alias="billingAddress")
    return_address: Address | None = Field(None, alias="returnAddress")
    customer_shipping_method: Text | None = Field(None, alias="customerShippingMethod")
    meta: dict[str, str] | None = None
    is_test: bool | None = Field(None, alias="isTest")


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

    item_id: Id = Field(alias="itemId")
    quantity: Quantity | None = None


class CancelOrder(WireBody):
    """``CancelOrderModel``: the whole order, or only ``items`` (which, when given, is not empty)."""

    order_id: Id = Field(alias="orderId")
    reason: Reason | None = None
    items: list[CancelItem] | None = Field(default=None, min_length=1)


class CustomerCareHold(WireBody):
    reason: Reason | None = None


class RefundLine(WireBody):
    """``AddRefundItemModel`` (§3.17): part of an item's price, or of its shipping."""

    item_id: Id = Field(alias="itemId")
    is_shipping_refund: bool = Field(False, alias="isShippingRefund")
    amount: PositiveAmount
    reason: Reason


class AddRefund(WireBody):
    """``AddRefundModel``: the body of ``POST /v1/orders/refund`` as the docs' example shows it."""

    order_id: Id = Field(alias="orderId")
    refunds: list[RefundLine] = Field(min_length=1, max_length=1000)
