"""Notes attached to orders, order items and shipments."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from pydantic import BaseModel

from airflow_provider_ordermesh.sandbox.backend.bodies.accounts import CreateNote, UpdateNote
from airflow_provider_ordermesh.sandbox.backend.bodies.fields import Text
from airflow_provider_ordermesh.sandbox.backend.filters import Filter, Filters
from airflow_provider_ordermesh.sandbox.backend.state import AuditRecord, NoteRecord, SandboxState

NOTE_FILTERS: Final = Filters[NoteRecord](
    "NoteFilter",
    Filter("resourceType", Text, lambda n: n.resource_type),
    Filter("resourceId", Text, lambda n: n.resource_id),
)
"""``GET /v1/notes``."""


class NotesBackend:
    def __init__(self, state: SandboxState) -> None:
        self._state = state
        self._resource_lookups: dict[str, Callable[[str], object]] = {
            "Order": state.order,
            "OrderItem": state.item,
            "Shipment": state.shipment,
        }

    def create(self, request: CreateNote, *, actor: str) -> NoteRecord:
        """A note on an existing order, item or shipment (a 404 names a missing one)."""
        self._resource_lookups[request.resource.type](request.resource.id)
        now = self._state.clock.now()
        note = NoteRecord(
            id=self._state.ids.hex24(),
            text=request.text,
            format=request.format,
            resource_type=request.resource.type,
            resource_id=request.resource.id,
            created_by=actor,
            created_at=now,
            updated_at=now,
        )
        self._state.notes[note.id] = note
        self._state.audit.record(
            "Note",
            note.id,
            "Created",
            f"note on {note.resource_type} {note.resource_id}",
            actor=actor,
            new=note.text,
            at=now,
        )
        return note

    def get(self, note_id: str) -> NoteRecord:
        return self._state.note(note_id)

    def update(self, note_id: str, changes: UpdateNote, *, actor: str) -> NoteRecord:
        note = self._state.note(note_id)
        previous = note.text
        note.text = changes.text
        note.format = changes.format or note.format
        note.updated_at = self._state.clock.now()
        self._state.audit.record(
            "Note",
            note.id,
            "Updated",
            "note text changed",
            actor=actor,
            old=previous,
            new=note.text,
            at=note.updated_at,
        )
        return note

    def delete(self, note_id: str, *, actor: str) -> None:
        note = self._state.note(note_id)
        del self._state.notes[note.id]
        self._state.audit.record("Note", note.id, "Deleted", "note deleted", actor=actor, old=note.text)

    def search(self, query: BaseModel) -> list[NoteRecord]:
        """The notes matching ``query``, a ``NOTE_FILTERS.query``."""
        return self._state.select(query, self._state.notes.values(), NOTE_FILTERS.tests(query))

    def audit_logs(self, note_id: str) -> list[AuditRecord]:
        return self._state.audit.events("Note", self._state.note(note_id).id)
