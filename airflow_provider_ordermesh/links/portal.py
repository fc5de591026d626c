"""Extra links from a task to the order or shipment it acted on, in the OrderMesh portal.

In Airflow 3 the UI reads a link from XCom (the key is the link's ``xcom_key``); the task
runner fills it when the task ends by calling ``get_link``. An operator therefore stores the
URL itself, with ``persist``, as early as it knows the id: before any request that may fail,
so the link is there even when the task fails. ``get_link`` is then a cheap XCom read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from airflow_provider_ordermesh.compat import BaseOperatorLink, XCom

if TYPE_CHECKING:
    from airflow_provider_ordermesh.compat import BaseOperator, Context


class OrderMeshPortalLink(BaseOperatorLink):
    """A link to one resource page of the portal, ``{portal_url}/{section}/{id}``."""

    section: ClassVar[str] = ""

    @classmethod
    def url(cls, portal_url: str, resource_id: str) -> str:
        from urllib.parse import quote

        return f"{portal_url.rstrip('/')}/{cls.section}/{quote(str(resource_id), safe='')}"

    @classmethod
    def persist(cls, context: Context, *, portal_url: str, resource_id: str) -> str:
        """Store the URL in XCom under this link's key and return it."""
        link_url = cls.url(portal_url, resource_id)
        context["ti"].xcom_push(key=cls().xcom_key, value=link_url)
        return link_url

    def get_link(self, operator: BaseOperator, *, ti_key: Any) -> str:
        return XCom.get_value(ti_key=ti_key, key=self.xcom_key) or ""


class OrderMeshOrderLink(OrderMeshPortalLink):
    """``{portal_url}/orders/{order_id}``."""

    name = "OrderMesh order"
    section = "orders"


class OrderMeshShipmentLink(OrderMeshPortalLink):
    """``{portal_url}/shipments/{shipment_id}``."""

    name = "OrderMesh shipment"
    section = "shipments"
