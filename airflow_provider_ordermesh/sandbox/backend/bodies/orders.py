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

    firstName: Text
    lastName: Text | None = None
    line1: Text
    line2: Text | None = None
    line3: Text | None = None
    city: Text
    state: Text | None = None
    zip: Text | None = None
    countryCode: CountryCode
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
    thumbnailUrl: Url | None = None
    area: Text | None = None
    printMethod: Text | None = None


class OrderItem(WireBody):
    """``CreateOrderItemModel`` (§3.4; the fields after ``images`` mirror ``GetOrderItemModel``)."""

    sku: Text
    quantity: Quantity
    externalId: Text | None = None
    images: list[Image] | None = None
    options: list[NameValue] | None = None
    attributes: list[NameValue] | None = None
    customerPrice: Amount | None = None
    customerShippingPrice: Amount | None = None
    customerTaxes: Amount | None = None
    customerSubtotal: Amount | None = None
    clientAttributes: dict[str, str] | None = None
    meta: dict[str, str] | None = None
    isSample: bool | None = None
    skipImgManip: bool | None = None
    skipImageValidation: bool | None = None
    skipSkuValidation: bool | None = None


class Client(WireBody):
    """The ``client`` object of an order: what submitted it."""

    source: Text | None = None
    details: Text | None = None
    version: Text | None = None
    ip: Text | None = None


class Transaction(WireBody):
    """``CreateOrderCustomerTransactionModel`` (§3.3)."""

    total: Amount
    currencyCode: CurrencyCode | None = None
    transactionDate: Text | None = None
    transactionId: Text | None = None
    authorizationCode: Text | None = None


class BillingInfo(WireBody):
    """``BillingInfoModel`` (§3.10)."""

    fullName: Text | None = None
    address: LocatedAddress | None = None


class PaymentMethod(WireBody):
    """``CreateOrderCustomerPaymentMethodModel`` (§3.2), its transactions nested as the docs show."""

    method: Text | None = None
    subMethod: Text | None = None
    cardFirst4: str | None = Field(default=None, pattern=r"^\d{4}$")
    cardLast4: str | None = Field(default=None, pattern=r"^\d{4}$")
    billingInfo: BillingInfo | None = None
    customerTransactions: list[Transaction] | None = None


class CreateOrder(WireBody):
    """``CreateOrderModel`` (§3.1), one order or one entry of ``CreateOrderModelBulkModel``."""

    safeId: Id | None = None
    merchantId: Id | None = None
    externalId: Text | None = None
    shippingAddress: Address
    billingAddress: Address | None = None
    returnAddress: Address | None = None
    languageCode: str | None = Field(default=None, pattern=r"^[A-Za-z]{2}$")
    isTest: bool | None = None
    isSample: bool | None = None
    client: Client | None = None
    meta: dict[str, str] | None = None
    currencyCode: CurrencyCode = "USD"
    customerShippingMethod: Text | None = None
    customerTotal: Amount | None = None
    customerItemTotal: Amount | None = None
    customerTotalShipping: Amount | None = None
    customerTotalTaxes: Amount | None = None
    customerTotalDiscountAndPromotions: Amount | None = None
    customerPaymentMethods: list[PaymentMethod] | None = None
    items: list[OrderItem] = Field(min_length=1, max_length=1000)


class InboundOrder(WireBody):
    """``POST /v1/inbound/orders``: the merchant's own order format and the Transformation to apply."""

    body: dict[str, Any]
    merchantId: Id
    transformationId: Id


class _Change(WireBody):
    """A change of some fields: at least one of them must be given."""

    @model_validator(mode="after")
    def _changes_something(self) -> _Change:
        if not self.model_fields_set - {"id"}:
            raise ValueError("an update must change at least one field")
        return self


class UpdateOrder(_Change):
    """``UpdateOrderModel`` (reconstructed): what may change on an order after creation."""

    externalId: Text | None = None
    shippingAddress: Address | None = None
    billingAddress: Address | None = None
    returnAddress: Address | None = None
    customerShippingMethod: Text | None = None
    meta: dict[str, str] | None = None
    isTest: bool | None = None


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

    itemId: Id
    quantity: Quantity | None = None


class CancelOrder(WireBody):
    """``CancelOrderModel``: the whole order, or only ``items`` (which, when given, is not empty)."""

    orderId: Id
    reason: Reason | None = None
    items: list[CancelItem] | None = Field(default=None, min_length=1)


class CustomerCareHold(WireBody):
    reason: Reason | None = None


class RefundLine(WireBody):
    """``AddRefundItemModel`` (§3.17): part of an item's price, or of its shipping."""

    itemId: Id
    isShippingRefund: bool = False
    amount: PositiveAmount
    reason: Reason


class AddRefund(WireBody):
    """``AddRefundModel``: the body of ``POST /v1/orders/refund`` as the docs' example shows it."""

    orderId: Id
    refunds: list[RefundLine] = Field(min_length=1, max_length=1000)
