"""Notes attached to orders, order items and shipments (``CreateNoteModel`` and friends; fields reconstructed)."""

from __future__ import annotations

from typing import Literal

from airflow_provider_ordermesh.models._base import ApiModel, Id, LongText, RequestModel
from airflow_provider_ordermesh.models.common import ResourceReference, UserReference

NoteResourceType = Literal["Order", "OrderItem", "Shipment"]
NoteFormat = Literal["PlainText", "Markdown"]


class NoteResourceInput(RequestModel):
    """``ResourceReferenceModel``: what the note is attached to."""

    type: NoteResourceType
    id: Id


class CreateNote(RequestModel):
    text: LongText
    resource: NoteResourceInput
    format: NoteFormat = "PlainText"


class UpdateNote(RequestModel):
    text: LongText
    format: NoteFormat | None = None


class Note(ApiModel):
    id: str
    text: str | None = None
    format: str | None = None
    resource: ResourceReference | None = None
    created_by: UserReference | None = None
    created_at: str | None = None
    updated_at: str | None = None
