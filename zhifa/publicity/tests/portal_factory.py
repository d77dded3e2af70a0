"""Build published decisions for portal tests without running the whole pipeline: a
``Publication`` on a real case, approved ``PublicationVersion`` rows and the ``PortalEntry`` the
services would write (same columns, ``search_text`` from :func:`search.document_text`)."""

from __future__ import annotations

import itertools
import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from zhifa.cases.models import CaseEvent
from zhifa.publicity import search
from zhifa.publicity.models import Category, PortalEntry, Publication, PublicationVersion, Status

_sequence = itertools.count(1000)


def penalty_fields(
    *,
    party: str,
    number: str,
    facts: str,
    basis: str,
    decided_on: date,
    agency_name: str,
    fine: str = "",
    party_kind: str = "法人及非法人组织",
    credit_code: str = "",
    **extra,
) -> dict:
    fields = {
        "title": f"{party}行政处罚决定",
        "category": "penalty",
        "category_label": "行政处罚",
        "party_name": party,
        "party_kind": party_kind,
        "credit_code": credit_code,
        "document_title": "行政处罚决定书",
        "document_number": number,
        "decided_on": decided_on.isoformat(),
        "display_until": (decided_on + timedelta(days=365)).isoformat(),
        "agency_name": agency_name,
        "field_name": "市场监管",
        "violation_type": "违反市场监管法律法规",
        "facts": facts,
        "basis": basis,
        "penalty_kinds": ["警告", "罚款"] if fine else ["警告"],
        "penalty_content": f"警告，罚款{fine}元" if fine else "警告",
        "fine_yuan": fine,
    }
    fields.update(extra)
    return {k: v for k, v in fields.items() if v not in ("", None)}


def publish(
    case,
    user,
    fields: dict,
    *,
    agency=None,
    category: str = Category.PENALTY,
    decided_on: date | None = None,
    corrections: tuple[str, ...] = (),
    ledger_index: int | None = None,
    field=None,
) -> PortalEntry:
    """One decision on the portal; each correction reason adds an approved version (G5)."""
    agency = agency or case.agency
    decided_on = decided_on or date.fromisoformat(fields["decided_on"])
    seq = next(_sequence)
    event = CaseEvent.objects.create(
        case=case,
        sequence=seq,
        action="decide",
        action_name="作出处罚决定",
        stage_before="decided",
        stage_after="decided",
        actor=user,
        data={},
        request_key=uuid.uuid4().hex,
        case_version=seq,
    )
    now = timezone.now()
    display_until = date.fromisoformat(fields["display_until"]) if fields.get("display_until") else None
    publication = Publication.objects.create(
        agency=agency,
        case=case,
        event=event,
        category=category,
        decided_on=decided_on,
        due_on=decided_on + timedelta(days=9),
        status=Status.PUBLISHED,
        display_until=display_until,
        published_at=now,
    )
    version = None
    for number, reason in enumerate(("", *corrections), start=1):
        version = PublicationVersion.objects.create(
            publication=publication,
            number=number,
            original=fields,
            fields=fields,
            correction_reason=reason,
            approved_by=user,
            approved_at=now + timedelta(minutes=number),
        )
    publication.current = version
    publication.save()
    amount = sum(Decimal(fields.get(k) or 0) for k in ("fine_yuan", "confiscation_yuan"))
    return PortalEntry.objects.create(
        publication=publication,
        version=version,
        version_number=version.number,
        agency=agency,
        agency_name=agency.name,
        region_code=agency.region.code if agency.region_id else "",
        field=field if field is not None else case.field,
        category=category,
        title=fields.get("title", ""),
        party_name=fields.get("party_name", ""),
        document_number=fields.get("document_number", ""),
        decided_on=decided_on,
        display_until=display_until,
        amount=amount or None,
        fields=fields,
        search_text=search.document_text(fields, category),
        ledger_index=ledger_index,
        published_at=now,
        updated_at=now,
    )


def withdraw(entry: PortalEntry, *, kind_label: str, reason: str, on: date) -> PortalEntry:
    """What ``services._withdraw_on_portal`` leaves on the portal (G5)."""
    keep = ("title", "party_name", "document_number", "decided_on", "agency_name", "category_label")
    fields = {key: entry.fields.get(key, "") for key in keep}
    fields |= {
        "withdrawal_kind_label": kind_label,
        "withdrawal_reason": reason,
        "withdrawn_on": on.isoformat(),
    }
    entry.withdrawn = True
    entry.fields = fields
    entry.amount = None
    entry.search_text = search.document_text(fields, entry.category)
    entry.updated_at = timezone.now()
    entry.save()
    return entry
