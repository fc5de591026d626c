"""``client.notes``: notes attached to orders, order items and shipments.

Every method checks its input before sending (``InvalidRequestError``, naming the field), and
may raise an ``ApiError`` subclass for an error answer, ``TransportError`` when no answer came,
and ``UnexpectedAnswerError`` for an answer in an unknown shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from airflow_provider_ordermesh.client.answers import no_content, unwrap
from airflow_provider_ordermesh.client.operation import Operation
from airflow_provider_ordermesh.client.resources._base import (
    AsyncGroup,
    Group,
    PagedRead,
    SyncGroup,
    api_call,
    checked_id,
    every_page,
    page_operation,
    paged_read,
    validated,
)
from airflow_provider_ordermesh.models.common import AuditEvent, Page
from airflow_provider_ordermesh.models.notes import CreateNote, Note, UpdateNote
from airflow_provider_ordermesh.models.search import NoteFilter

_note = unwrap("note", Note)


def _note_path(note_id: str) -> dict[str, str]:
    return {"note_id": checked_id("noteId", note_id)}


class NotesApi(Group):
    """Notes, declared once for ``Notes`` and ``AsyncNotes``."""

    @api_call
    def create(self, note: CreateNote | Mapping[str, Any]) -> Operation[Note]:
        """Attach a note to an order, order item or shipment; returns the new ``Note``."""
        body = validated(CreateNote, note, what="note").to_api()
        return Operation.of("notes.create", _note, body=body)

    @api_call
    def get(self, note_id: str) -> Operation[Note]:
        """Read one note; raises ``NotFoundError`` if there is none with this id."""
        return Operation.of("notes.get", _note, path_params=_note_path(note_id))

    @api_call
    def update(self, note_id: str, changes: UpdateNote | Mapping[str, Any]) -> Operation[Note]:
        """Replace a note's text or format; returns the updated ``Note``."""
        body = validated(UpdateNote, changes, what="note update").to_api()
        return Operation.of("notes.update", _note, body=body, path_params=_note_path(note_id))

    @api_call
    def delete(self, note_id: str) -> Operation[None]:
        """Delete a note; returns None."""
        return Operation.of("notes.delete", no_content, path_params=_note_path(note_id))

    @api_call
    def list_page(
        self, filters: NoteFilter | Mapping[str, Any] | None = None, *, page: int = 1, page_size: int = 100
    ) -> Operation[Page[Note]]:
        """One ``Page`` of the notes matching the filters (resource type and id)."""
        query = validated(NoteFilter, filters, what="note filter").to_query()
        return page_operation("notes.list", Note, page=page, page_size=page_size, query=query)

    @paged_read
    def list(
        self, filters: NoteFilter | Mapping[str, Any] | None = None, *, max_items: int | None = None
    ) -> PagedRead[Note]:
        """Every note matching the filters (at most ``max_items``), page by page."""
        checked = validated(NoteFilter, filters, what="note filter")
        return every_page(NotesApi.list_page, self, checked, max_items=max_items)

    @api_call
    def audit_logs_page(
        self, note_id: str, *, page: int = 1, page_size: int = 100
    ) -> Operation[Page[AuditEvent]]:
        """One ``Page`` of a note's audit log."""
        return page_operation(
            "notes.audit_logs", AuditEvent, page=page, page_size=page_size, path_params=_note_path(note_id)
        )

    @paged_read
    def audit_logs(self, note_id: str, *, max_items: int | None = None) -> PagedRead[AuditEvent]:
        """Every ``AuditEvent`` of a note, page by page."""
        _note_path(note_id)
        return every_page(NotesApi.audit_logs_page, self, note_id, max_items=max_items)


class Notes(NotesApi, SyncGroup):
    """``client.notes`` of ``OrderMeshClient``."""


class AsyncNotes(NotesApi, AsyncGroup):
    """``client.notes`` of ``AsyncOrderMeshClient``: the same methods, awaited."""
