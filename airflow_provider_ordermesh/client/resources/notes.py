"""``client.notes``: notes attached to orders, order items and shipments."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, TypedDict

from airflow_provider_ordermesh.client.operation import Operation
from airflow_provider_ordermesh.client.resources._base import Resource, checked_id, no_content, unwrap, validated
from airflow_provider_ordermesh.models.common import AuditEvent, Page
from airflow_provider_ordermesh.models.notes import CreateNote, Note, UpdateNote
from airflow_provider_ordermesh.models.search import NoteFilter

_note = unwrap("note", Note)


class _NotePath(TypedDict):
    """The path parameter of a note's endpoints, checked."""

    note_id: str


def _note_path(note_id: str) -> _NotePath:
    return {"note_id": checked_id("noteId", note_id)}


class Notes(Resource):
    def create(self, note: CreateNote | Mapping[str, Any]) -> Note:
        body = validated(CreateNote, note, what="note").to_api()
        return self._execute(Operation.of("notes.create", _note, body=body))

    def get(self, note_id: str) -> Note:
        return self._execute(Operation.of("notes.get", _note, path_params=_note_path(note_id)))

    def update(self, note_id: str, changes: UpdateNote | Mapping[str, Any]) -> Note:
        body = validated(UpdateNote, changes, what="note update").to_api()
        return self._execute(Operation.of("notes.update", _note, body=body, path_params=_note_path(note_id)))

    def delete(self, note_id: str) -> None:
        return self._execute(Operation.of("notes.delete", no_content, path_params=_note_path(note_id)))

    def list_page(self, filters: NoteFilter | Mapping[str, Any] | None = None, *, page: int = 1,
                  page_size: int = 100) -> Page[Note]:
        query = validated(NoteFilter, filters, what="note filter").to_query()
        return self._page("notes.list", Note, page=page, page_size=page_size, query=query)

    def list(self, filters: NoteFilter | Mapping[str, Any] | None = None, *,
             max_items: int | None = None) -> Iterator[Note]:
        model = validated(NoteFilter, filters, what="note filter")
        return self._iterate(lambda page: self.list_page(model, page=page), max_items)

    def audit_logs_page(self, note_id: str, *, page: int = 1, page_size: int = 100) -> Page[AuditEvent]:
        return self._page("notes.audit_logs", AuditEvent, page=page, page_size=page_size, **_note_path(note_id))

    def audit_logs(self, note_id: str, *, max_items: int | None = None) -> Iterator[AuditEvent]:
        return self._iterate(lambda page: self.audit_logs_page(note_id, page=page), max_items)
