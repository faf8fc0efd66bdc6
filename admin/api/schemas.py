"""Marshmallow schemas of the REST API: query arguments in, JSON out (also its OpenAPI document)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import Schema, fields, validate


class UtcDateTime(fields.DateTime):
    """An instant written with its zone (`2026-12-02T09:38:58.709837+00:00`, RFC 3339): stored
    times are UTC, SQLite hands them back without a zone."""

    def _serialize(self, value: datetime | None, attr: Any, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.isoformat()


class ListArgsSchema(Schema):
    q = fields.String(load_default=None, validate=validate.Length(max=200),
                      metadata={"description": "Words of the name, code or sector (accents ignored)"})
    sector = fields.Integer(load_default=None, strict=False, validate=validate.Range(min=1, max=2**31 - 1))
    level = fields.String(load_default=None, validate=validate.OneOf(
        ["central", "province", "district", "commune", "other"]))
    online_level = fields.Integer(load_default=None, validate=validate.Range(min=1, max=4))
    office = fields.Integer(load_default=None, strict=False, validate=validate.Range(min=1, max=2**31 - 1),
                            metadata={"description": "Only what this office receives, with its local facts"})
    include_drafts = fields.Boolean(load_default=False, metadata={
        "description": "Also procedures never published (needs the read-drafts permission)"})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class PageArgsSchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class ProcedureSummarySchema(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    sector = fields.String(required=True)
    levels = fields.List(fields.String(), required=True)
    online_level = fields.Integer(required=True)
    status = fields.String(required=True)
    published_version = fields.Integer(allow_none=True)
    latest_version = fields.Integer(required=True)
    updated_at = UtcDateTime(allow_none=True)


class ProcedureListSchema(Schema):
    count = fields.Integer(required=True)
    page = fields.Integer(required=True)
    page_size = fields.Integer(required=True)
    result = fields.List(fields.Nested(ProcedureSummarySchema), required=True)


class VersionSummarySchema(Schema):
    number = fields.Integer(required=True)
    status = fields.String(required=True)
    author = fields.String(required=True)
    created_at = UtcDateTime(allow_none=True)
    updated_at = UtcDateTime(allow_none=True)
    published_at = UtcDateTime(allow_none=True)
    decision_number = fields.String(allow_none=True)
    decision_date = fields.Date(allow_none=True)
    effective_from = fields.Date(allow_none=True)
    ended_at = UtcDateTime(allow_none=True)
    abolished_reason = fields.String(allow_none=True)
    document_hash = fields.String(required=True)


class VersionListSchema(Schema):
    code = fields.String(required=True)
    result = fields.List(fields.Nested(VersionSummarySchema), required=True)


class OfficeSummarySchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    parent_body = fields.String()
    address = fields.String()


class LocalFactSchema(Schema):
    pointer = fields.String(required=True, metadata={"description": "JSON pointer of a fact set locally"})
    basis = fields.String(required=True, metadata={"description": "Its legal basis (\"Theo Nghị quyết số …\")"})


class DocumentSchema(Schema):
    code = fields.String(required=True)
    version = fields.Nested(VersionSummarySchema, required=True)
    document = fields.Dict(required=True, metadata={
        "description": "The procedure document (JSON Schema 2020-12) as it applies: the announcing decision "
                       "entered at approval, and with `office` the province's and the office's local facts"})
    office = fields.Nested(OfficeSummarySchema, allow_none=True,
                           metadata={"description": "The office asked for with ?office=ID (null without one)"})
    local_facts = fields.List(fields.Nested(LocalFactSchema),
                              metadata={"description": "Facts a local version set, with their basis"})


class ProblemSchema(Schema):
    pointer = fields.String(required=True, metadata={"description": "JSON pointer into the document"})
    message = fields.String(required=True, metadata={"description": "Reason (Vietnamese)"})
    message_en = fields.String(required=True)


class ErrorSchema(Schema):
    message = fields.String(required=True, metadata={"description": "What went wrong (Vietnamese)"})
    message_en = fields.String(metadata={"description": "The same in English"})
    field_errors = fields.Dict(
        keys=fields.String(), values=fields.List(fields.String()), data_key="fields",
        metadata={"description": "Bad query arguments or body fields: name (dotted when nested) → reasons"})
    errors = fields.List(fields.Nested(ProblemSchema))
    warnings = fields.List(fields.Nested(ProblemSchema), metadata={
        "description": "Validation only: what the author should know but need not fix (never a reason for the error)"})


class ImportResultSchema(Schema):
    code = fields.String(required=True)
    number = fields.Integer(required=True)
    status = fields.String(required=True)
    changed = fields.Boolean(required=True)


class DossierSchema(Schema):
    code = fields.String(required=True)
    status = fields.String(required=True)
    channel = fields.String(required=True)
    applicant_name = fields.String(required=True)
    received_at = UtcDateTime(allow_none=True)
    appointment_date = fields.Date(allow_none=True)
    version = fields.Integer(allow_none=True)
    fee_due = fields.Integer(required=True)


class DossierListSchema(Schema):
    code = fields.String(required=True)
    count = fields.Integer(required=True)
    page = fields.Integer(required=True)
    page_size = fields.Integer(required=True)
    result = fields.List(fields.Nested(DossierSchema), required=True)


class NationalRowSchema(Schema):
    place = fields.String(required=True, metadata={
        "description": "Stable name of the place (items of channels/documents by mode/id); the key of `choices`"})
    pointer = fields.String(required=True, metadata={"description": "JSON pointer into the local (else national) document"})
    label = fields.String(required=True, metadata={"description": "What the place is (Vietnamese)"})
    status = fields.String(required=True, validate=validate.OneOf(["apply", "conflict", "same"]), metadata={
        "description": "apply: taken on merge; conflict: both changed it, choose; same: local already has it"})
    national_before = fields.Raw(allow_none=True, metadata={"description": "Value in the national base (null: absent)"})
    national_after = fields.Raw(allow_none=True, metadata={"description": "Value in the new national edition"})
    local = fields.Raw(allow_none=True, metadata={"description": "Value in the newest local version"})
    national_before_text = fields.String(required=True)
    national_after_text = fields.String(required=True)
    local_text = fields.String(required=True)


class NationalUpdateSchema(Schema):
    code = fields.String(required=True)
    since = UtcDateTime(allow_none=True)
    record_hash = fields.String(allow_none=True, metadata={"description": "SHA-256 of the national record"})
    base_known = fields.Boolean(required=True, metadata={
        "description": "False for a procedure modelled locally before it was linked: every difference is a conflict"})
    local_version = fields.Integer(required=True)
    conflicts = fields.Integer(required=True)
    rows = fields.List(fields.Nested(NationalRowSchema), required=True)


class MergeRequestSchema(Schema):
    choices = fields.Dict(keys=fields.String(), values=fields.String(validate=validate.OneOf(["local", "national"])),
                          load_default=dict, metadata={
                              "description": "For each conflicting place: local or national (default local)"})


class MergeResultSchema(Schema):
    code = fields.String(required=True)
    number = fields.Integer(required=True, metadata={"description": "The draft holding the merge"})
    status = fields.String(required=True)


COMPONENTS = (ProcedureSummarySchema, ProcedureListSchema, VersionSummarySchema, VersionListSchema,
              DocumentSchema, ProblemSchema, ErrorSchema, ImportResultSchema, DossierSchema,
              DossierListSchema, NationalRowSchema, NationalUpdateSchema, MergeRequestSchema,
              MergeResultSchema)
