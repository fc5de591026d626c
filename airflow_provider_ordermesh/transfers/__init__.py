"""Transfers: incremental, backfill-safe exports of OrderMesh resources to object storage."""

from __future__ import annotations

from typing import TYPE_CHECKING

from airflow_provider_ordermesh._lazy import lazy_attributes

if TYPE_CHECKING:
    from airflow_provider_ordermesh.transfers.object_storage import OrderMeshToObjectStorageOperator

__getattr__ = lazy_attributes(
    __name__, {"OrderMeshToObjectStorageOperator": "airflow_provider_ordermesh.transfers.object_storage"}
)
__all__ = ["OrderMeshToObjectStorageOperator"]
