"""What Airflow learns about this provider through the ``apache_airflow_provider`` entry point.

Kept import-cheap: Airflow calls it during provider discovery, before any task runs.
"""

from __future__ import annotations

from airflow_provider_ordermesh import __version__
from airflow_provider_ordermesh.hooks.connection_form import declarative_connection_type

PACKAGE = "airflow_provider_ordermesh"


def get_provider_info() -> dict:
    return {
        "package-name": "airflow-provider-ordermesh",
        "name": "OrderMesh",
        "description": "Orders, shipments, refunds and reroutes in OrderMesh, the print-on-demand "
        "order-management system; with a local sandbox.",
        "versions": [__version__],
        "integrations": [
            {
                "integration-name": "OrderMesh",
                "external-doc-url": "https://docs.ordermesh.io",
                "tags": ["service"],
            }
        ],
        "hooks": [{"integration-name": "OrderMesh", "python-modules": [f"{PACKAGE}.hooks.ordermesh"]}],
        "operators": [
            {
                "integration-name": "OrderMesh",
                "python-modules": [
                    f"{PACKAGE}.operators.orders",
                    f"{PACKAGE}.operators.shipments",
                    f"{PACKAGE}.operators.notes",
                    f"{PACKAGE}.operators.inbound",
                ],
            }
        ],
        "sensors": [
            {
                "integration-name": "OrderMesh",
                "python-modules": [f"{PACKAGE}.sensors.status", f"{PACKAGE}.sensors.inbound"],
            }
        ],
        "transfers": [
            {
                "source-integration-name": "OrderMesh",
                "target-integration-name": "Common IO",  # Airflow's object storage (ObjectStoragePath)
                "python-module": f"{PACKAGE}.transfers.object_storage",
            }
        ],
        "asset-uris": [
            {
                "schemes": ["ordermesh"],
                "handler": f"{PACKAGE}.assets.normalize",
                "to_openlineage_converter": f"{PACKAGE}.assets.to_openlineage",
            }
        ],
        "triggers": [
            {
                "integration-name": "OrderMesh",
                "python-modules": [
                    f"{PACKAGE}.triggers.status",
                    f"{PACKAGE}.triggers.events",
                    f"{PACKAGE}.triggers.inbound",
                ],
            }
        ],
        "extra-links": [
            f"{PACKAGE}.links.portal.OrderMeshOrderLink",
            f"{PACKAGE}.links.portal.OrderMeshShipmentLink",
        ],
        "connection-types": [declarative_connection_type()],
    }
