"""Shapes shared across resources: money, addresses, name/value pairs, pages, bulk results, audit logs."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import Field

from airflow_provider_ordermesh.models._base import ApiModel, CountryCode, Quantity, RequestModel, ShortText

T = TypeVar("T")


class Price(ApiModel):
    """Money as the API returns it: ``{"currency": "USD", "amount": 12}`` (shipments add ``tax``)."""

    currency: str | None = None
    amount: float | None = None
    tax: float | None = None


class Coordinates(ApiModel):
    longitude: float | None = None
    latitude: float | None = None


class Address(ApiModel):
    """A postal address as read back from the API (``location`` may be present)."""

    first_name: str | None = None
    last_name: str | None = None
    line1: str | None = None
    line2: str | None = None
    line3: str | None = None
    city: str | None = None
    state: str | None = None
    zip: str | None = None
    country_code: str | None = None
    phone: str | None = None
    email: str | None = None
    location: Coordinates | None = None


class AddressInput(RequestModel):
    """A postal address we send (``BaseAddressModel``): the country must be an ISO alpha-2 code."""

    first_name: ShortText
    last_name: ShortText | None = None
    line1: ShortText
    line2: ShortText | None = None
    line3: ShortText | None = None
    city: ShortText
    state: ShortText | None = None
    zip: ShortText | None = None
    country_code: CountryCode
    phone: ShortText | None = None
    email: ShortText | None = None


class CoordinatesInput(RequestModel):
    longitude: float = Field(ge=-180, le=180)
    latitude: float = Field(ge=-90, le=90)


class AddressWithLocationInput(AddressInput):
    """``AddressModel``: a base address plus optional coordinates (used in billing info)."""

    location: CoordinatesInput | None = None


class NameValue(ApiModel):
    """``AttributeModel`` / ``OptionModel``: a ``{name, value}`` pair such as Size=M."""

    name: str | None = None
    value: str | None = None


class NameValueInput(RequestModel):
    name: ShortText
    value: ShortText


class ItemQuantity(RequestModel):
    """An order item and how many of it an action applies to (``RerouteOrderItem`` and friends)."""

    id: str = Field(min_length=1, max_length=64)
    quantity: Quantity


class Page(ApiModel, Generic[T]):
    """One page of a list or search answer: the page's records and where it sits in the whole."""

    items: list[T] = Field(default_factory=list)
    page: int = 1
    page_size: int = 0
    total_count: int | None = None

    @property
    def is_last(self) -> bool:
        """True when no further page can hold records."""
        if self.total_count is not None:
            return self.page * self.page_size >= self.total_count or not self.items
        return len(self.items) < self.page_size or not self.items


class BulkResultItem(ApiModel):
    """``BulkResponseItem``: the outcome of one entry of a ``{"bulk": [...]}`` request."""

    index: int
    is_successful: bool
    status_code: int | None = None
    id: str | None = None
    short_id: str | None = None
    safe_id: str | None = None
    message: str | None = None
    errors: list[dict[str, Any]] = Field(default_factory=list)


class BulkResponse(ApiModel):
    """``BulkResponse``: one result per entry, in request order."""

    results: list[BulkResultItem] = Field(default_factory=list)

    @property
    def failed(self) -> list[BulkResultItem]:
        return [item for item in self.results if not item.is_successful]

    @property
    def succeeded(self) -> list[BulkResultItem]:
        return [item for item in self.results if item.is_successful]


class ResourceReference(ApiModel):
    """``ResourceReferenceModel``: the type and id of the resource something refers to."""

    type: str | None = None
    id: str | None = None


class UserReference(ApiModel):
    """``UserReferenceModel``: who made a change."""

    id: str | None = None
    name: str | None = None


class AuditEvent(ApiModel):
    """``StringAuditEvent``: one recorded change of a resource."""

    id: str | None = None
    resource: ResourceReference | None = None
    action: str | None = None
    description: str | None = None
    old_value: str | None = None
    new_value: str | None = None
    user: UserReference | None = None
    created_at: str | None = None
