"""Store a delivery as an asset event exactly once per delivery id, in Airflow's metadata DB.

Airflow's asset events have no column for an outside id, so the receiver keeps one small table
beside them, ``ordermesh_webhook_delivery``, whose primary key is ``(endpoint, delivery_id)``. The
id's row and the asset event are written in one transaction: the database's unique check decides
which of two concurrent deliveries (two API-server processes, or a redelivery racing the first)
stores the event, and the other sees a duplicate. Nothing is held in memory, so a restart forgets
nothing; rows older than ``RETENTION`` are deleted as new ones arrive, which bounds the table.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from airflow_provider_ordermesh.compat import AssetModel, asset_manager, create_session

log = logging.getLogger(__name__)

RETENTION = timedelta(days=7)
"""How long a delivery id is remembered: far longer than any sender retries a delivery."""

PRUNE_EVERY = 500
"""Old ids are deleted on every this-many-th stored delivery of a process."""

_metadata = MetaData()
DELIVERIES = Table(
    "ordermesh_webhook_delivery",
    _metadata,
    Column("endpoint", String(64), primary_key=True),
    Column("delivery_id", String(160), primary_key=True),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("asset_event_id", Integer, nullable=True),
    Index("idx_ordermesh_webhook_delivery_received_at", "received_at"),
)


@dataclass(frozen=True)
class Stored:
    """What happened to one delivery: a new asset event (its id), or a duplicate of an earlier one."""

    duplicate: bool
    asset_event_id: int | None = None


class DeliveryStore:
    """Writes deliveries into the metadata DB; one per API-server process, safe across threads."""

    def __init__(self) -> None:
        self._table_ready = False
        self._lock = threading.Lock()
        self._stored = 0

    def store(self, *, endpoint: str, delivery_id: str, asset_uri: str, extra: dict[str, Any]) -> Stored:
        """Record ``delivery_id`` and an asset event on ``asset_uri`` together, or nothing if seen before."""
        self._ensure_table()
        with create_session(scoped=False) as session:
            try:
                session.execute(
                    insert(DELIVERIES).values(
                        endpoint=endpoint, delivery_id=delivery_id, received_at=datetime.now(UTC)
                    )
                )
            except IntegrityError:
                session.rollback()
                return Stored(duplicate=True)
            event_id = self._record_asset_event(session, asset_uri, extra)
            session.execute(
                update(DELIVERIES)
                .where(DELIVERIES.c.endpoint == endpoint, DELIVERIES.c.delivery_id == delivery_id)
                .values(asset_event_id=event_id)
            )
        self._prune_now_and_then()
        return Stored(duplicate=False, asset_event_id=event_id)

    def seen(self, *, endpoint: str, delivery_id: str) -> bool:
        """Whether ``delivery_id`` was stored for ``endpoint`` (and not yet pruned)."""
        self._ensure_table()
        with create_session(scoped=False) as session:
            row = session.execute(
                select(DELIVERIES.c.delivery_id).where(
                    DELIVERIES.c.endpoint == endpoint, DELIVERIES.c.delivery_id == delivery_id
                )
            ).first()
        return row is not None

    @staticmethod
    def _record_asset_event(session: Session, asset_uri: str, extra: dict[str, Any]) -> int:
        """One asset event on each asset with ``asset_uri`` (created when no DAG declared it yet)."""
        models = list(session.scalars(select(AssetModel).where(AssetModel.uri == asset_uri)))
        if not models:
            # an event type no DAG schedules on yet (or an unknown one): its own asset, so nothing is lost
            model = AssetModel(name=asset_uri, uri=asset_uri)
            session.add(model)
            session.flush()
            models = [model]
        event_ids = []
        for model in models:
            event = asset_manager.register_asset_change(asset=model, extra=extra, session=session)
            if event is None:
                raise RuntimeError(f"Airflow stored no asset event for {asset_uri}")
            event_ids.append(event.id)
        return min(event_ids)

    def _ensure_table(self) -> None:
        """Create the delivery table on first use; another process creating it at the same time is fine."""
        with self._lock:
            if self._table_ready:
                return
            with create_session(scoped=False) as session:
                try:
                    _metadata.create_all(bind=session.get_bind(), checkfirst=True)
                except (OperationalError, ProgrammingError):
                    # lost a creation race to another API-server process: the table is there now
                    _metadata.create_all(bind=session.get_bind(), checkfirst=True)
            self._table_ready = True

    def _prune_now_and_then(self) -> None:
        with self._lock:
            self._stored += 1
            due = self._stored % PRUNE_EVERY == 1
        if not due:
            return
        with create_session(scoped=False) as session:
            result = session.execute(
                delete(DELIVERIES).where(DELIVERIES.c.received_at < datetime.now(UTC) - RETENTION)
            )
            removed = cast("CursorResult[Any]", result).rowcount
        if removed:
            log.info("forgot %d webhook delivery ids older than %s", removed, RETENTION)
