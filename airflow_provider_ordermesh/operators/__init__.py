"""OrderMesh operators. ``MATCH_ALL`` and ``NOT_GIVEN`` are the explicit markers of the narrowing rule."""

from airflow_provider_ordermesh.arguments.narrowing import MATCH_ALL, NOT_GIVEN

__all__ = ["MATCH_ALL", "NOT_GIVEN"]
