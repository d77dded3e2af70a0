"""What the producing apps append, and how each leaf is rebuilt from its source row.

Each ``record_*`` function is the one call a producer makes, inside its own transaction; each
``*_payload`` function builds the leaf from the row alone, so ``verify_ledger`` can rebuild it.
Files are listed as ``{"name", "storage_path", "sha256"}`` and re-hashed by ``verify_ledger``.
"""

from __future__ import annotations

import hashlib

from . import rules, services
from .registry import register


def case_event_payload(event) -> dict:
    case = event.case
    return {
        "case": case.pk,
        "sequence": event.sequence,
        "action": event.action,
        "stage_before": event.stage_before,
        "stage_after": event.stage_after,
        "actor": event.actor_id,
        "occurred_at": event.occurred_at.isoformat(),
        "case_version": event.case_version,
        "data": event.data,
    }


def record_case_event(event) -> None:
    """Called by the case engine right after it records an event (cases.engine._record)."""
    payload = case_event_payload(event)
    services.append("case_event", event, payload, organization_id=event.case.agency_id)


def document_payload(document) -> dict:
    """文书 as issued: 文号, kind, case, the data snapshot's hash and the Word file's hash."""
    return {
        "document": document.pk,
        "kind": document.kind,
        "number": document.number,
        "agency": document.agency_id,
        "case": document.case_id,
        "issued_on": document.issued_on.isoformat(),
        "template_version": document.template_version,
        "replaces": document.replaces_id,
        "created_by": document.created_by_id,
        "created_at": document.created_at.isoformat(),
        "context_sha256": hashlib.sha256(
            rules.canonical_json(services.json_native(document.context))
        ).hexdigest(),
        "files": [{"name": "docx", "storage_path": document.docx.name, "sha256": document.docx_sha256}],
    }


def document_pdf_payload(document) -> dict:
    """The PDF of a 文书, which may be rendered after the document was issued: its own leaf."""
    return {
        "document": document.pk,
        "number": document.number,
        "files": [{"name": "pdf", "storage_path": document.pdf.name, "sha256": document.pdf_sha256}],
    }


def record_document(document) -> None:
    """Called by records.services when a document is issued (and its PDF, when rendered at once)."""
    agency = document.agency_id
    services.append("document", document, document_payload(document), organization_id=agency)
    if document.pdf:
        services.append("document_pdf", document, document_pdf_payload(document), organization_id=agency)


def record_document_pdf(document) -> None:
    """Called by records.services when a pending PDF has been stored."""
    payload = document_pdf_payload(document)
    services.append("document_pdf", document, payload, organization_id=document.agency_id)


def _register() -> None:
    from zhifa.cases.models import CaseEvent
    from zhifa.records import archive, evidence
    from zhifa.records.models import CaseArchive, Document, Evidence, EvidenceAccess
    from zhifa.review.models import ReviewRound
    from zhifa.review.services import opinion_payload

    register("case_event", CaseEvent, case_event_payload, select_related=("case",))
    register("document", Document, document_payload)
    register("document_pdf", Document, document_pdf_payload)
    # supplied by the apps that append them
    register("evidence", Evidence, evidence.ledger_payload, select_related=("case", "blob"))
    register("evidence_retirement", EvidenceAccess, evidence.retirement_payload)
    register("review_opinion", ReviewRound, opinion_payload, select_related=("review",))
    register("case_archive", CaseArchive, archive.archive_payload, select_related=("dossier",))


_register()
