"""The 公示 pipeline (G3–G5, G7–G9): the only code that changes publications.

A decision recorded by the case engine creates a redacted draft with its G3 deadline
(:func:`on_action_performed`); the agency head approves it (:func:`approve`), which freezes the
version, puts it on the portal (``PortalEntry``) and appends it to the ledger. A correction is a
new version (:func:`prepare_correction`). A decision changed, revoked, confirmed illegal or void
opens a 3-working-day withdrawal deadline from the case (:func:`on_action_performed`), met by
:func:`withdraw`. After the G9 display period the item leaves the portal (:func:`expire`).
"""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa.accounts.roles import Role
from zhifa.cases import deadlines as case_deadlines
from zhifa.cases.models import Deadline, DeadlineStatus
from zhifa.core.scope import scope_for
from zhifa.ledger import rules as ledger_rules
from zhifa.ledger import services as ledger

from . import derive as derivation
from . import redaction, rules, search, snapshot
from .models import (
    Category,
    PortalEntry,
    Publication,
    PublicationVersion,
    Seriousness,
    Status,
    WithdrawalKind,
)

# Keys of the original snapshot that never reach the public fields (G4, G8, G10: not public).
PRIVATE_KEYS = ("party_id_number", "party_kind_code", "penalty_kind_codes")
CHANGE_ACTION = "record_decision_change"


# --- Triggers from the case engine ---------------------------------------------------------------


def on_action_performed(sender, ctx, event, **kwargs) -> None:
    """Receiver of ``cases.signals.action_performed`` (inside the action's transaction)."""
    if derivation.category_of(event.action):
        create_from_event(ctx.case, event, user=ctx.user, today=ctx.today)
    elif event.action == CHANGE_ACTION:
        open_withdrawals(ctx.case, event, today=ctx.today)


def create_from_event(case, event, *, user=None, today: date | None = None) -> Publication:
    """The draft for a decision (G3). Idempotent: one publication per decision event."""
    existing = Publication.objects.filter(event=event).first()
    if existing:
        return existing
    derived = derivation.derive(case, event, today=today)
    publication = Publication(
        agency_id=case.agency_id,
        case=case,
        event=event,
        document_id=_document_id(event),
        category=derived.category,
        decided_on=derived.decided_on,
        seriousness=derived.seriousness,
        display_until=rules.display_until(derived.decided_on, derived.seriousness),
    )
    due = rules.publication_due(_calendar(), derived.category, derived.decided_on)
    publication.due_on, publication.due_provisional = due.date, due.provisional
    if derived.suppressed_reason:  # G7: never published, nothing to approve, no deadline
        publication.status = Status.SUPPRESSED
        publication.suppressed_reason = derived.suppressed_reason
        publication.save()
        return publication
    publication.deadline = case_deadlines.open_for(
        case,
        code="publication",
        name=f"{Category(derived.category).label}结果公示期限",
        rule="G3",
        basis=rules.G3_BASIS,
        unit="work",
        length=rules.publication_workdays(derived.category),
        starts_on=derived.decided_on,
        due=due,
    )
    publication.save()
    _new_version(publication, derived, user=user)
    return publication


def _document_id(event) -> int | None:
    documents = (event.data or {}).get("documents") or []
    return documents[0]["id"] if documents else None


def _calendar():
    from zhifa.workdays.services import current_calendar

    return current_calendar()


# --- Drafts and redaction ------------------------------------------------------------------------


def _new_version(
    publication: Publication, derived, *, user=None, correction_reason: str = ""
) -> PublicationVersion:
    number = (publication.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    original = {
        **derived.original,
        "_names": {
            "party_names": derived.party_names,
            "other_names": derived.other_names,
            "keep": derived.keep,
        },
        "seriousness_label": Seriousness(derived.seriousness).label,
        "display_until": publication.display_until.isoformat() if publication.display_until else "",
    }
    version = PublicationVersion(
        publication=publication,
        number=number,
        original=original,
        prepared_by=user,
        correction_reason=correction_reason,
    )
    _apply_redaction(version, manual=[], restored=[])
    version.save()
    return version


def _apply_redaction(version: PublicationVersion, *, manual: list[str], restored: list[str]) -> None:
    """Fill ``fields`` (public), ``changes`` and ``detector_hits`` from ``original`` (G4, G7, G8, G10).

    ``manual``: text the approver adds to redact. ``restored``: redacted text the approver decides
    to publish after all (e.g. a shop sign the segmenter took for a name); whatever a detector
    still finds in the public text afterwards is counted in ``detector_hits``.
    """
    original = version.original
    category = original["category"]
    names = original.get("_names") or {}
    fields = {
        key: value for key, value in original.items() if not key.startswith("_") and key not in PRIVATE_KEYS
    }
    party = redaction.public_party(
        original.get("party_kind_code") or "legal_person",
        original.get("party_name", ""),
        is_minor=False,  # G7 is decided before a draft exists (derive.suppressed_reason)
        credit_code=original.get("credit_code", ""),
        legal_representative=original.get("legal_representative", ""),
    )
    if party is not None:
        fields |= {
            "party_name": party["name"],
            "party_kind": party["category"],
            "credit_code": party["credit_code"],
            "legal_representative": party["legal_representative"],
        }
        fields["title"] = original["title"].replace(original.get("party_name") or "\0", party["name"], 1)
    changes, hits = [], 0
    keep = [*names.get("keep", []), *restored]
    for key in snapshot.free_text_keys(category):
        text = original.get(key) or ""
        if not text:
            continue
        result = redaction.redact(
            text,
            party_names=names.get("party_names", []),
            other_names=names.get("other_names", []),
            keep=keep,
            manual=[m for m in manual if m in text],
        )
        fields[key] = result.text
        changes += [_change_row(key, c) for c in result.changes]
        hits += _residual_hits(result.text, names)
    version.fields = fields
    version.changes = changes
    version.manual = [*(f"+{m}" for m in manual), *(f"-{r}" for r in restored)]
    version.detector_hits = hits


def _change_row(key: str, change) -> dict:
    return {
        "field": key,
        "start": change.start,
        "end": change.end,
        "original": change.original,
        "replacement": change.replacement,
        "kind": change.kind,
        "kind_label": change.kind_label,
        "reason": change.reason,
    }


def _residual_hits(public_text: str, names: dict) -> int:
    """What the detectors still find in the public text when nothing is protected by the approver:
    names kept by rule (a legal person's representative, G10) stay protected, restorations do not."""
    again = redaction.redact(
        public_text,
        party_names=names.get("party_names", []),
        other_names=names.get("other_names", []),
        keep=names.get("keep", []),
    )
    return sum(1 for c in again.changes if c.kind != "manual")


def manual_lists(version: PublicationVersion) -> tuple[list[str], list[str]]:
    manual = [m[1:] for m in version.manual if m.startswith("+")]
    restored = [m[1:] for m in version.manual if m.startswith("-")]
    return manual, restored


@transaction.atomic
def update_draft(
    version: PublicationVersion, user, *, manual: list[str], restored: list[str]
) -> PublicationVersion:
    """The approver's manual redactions and restorations (G4), on a draft only."""
    version = PublicationVersion.objects.select_for_update().get(pk=version.pk)
    _require_head(version.publication, user)
    if version.approved_at:
        raise ValidationError("该版本已审核公示，不能再修改；如需更正，请生成更正版本（G5）。")
    _apply_redaction(version, manual=_clean_list(manual), restored=_clean_list(restored))
    version.save()
    return version


def _clean_list(values) -> list[str]:
    seen = []
    for value in values:
        value = _limited(value, "每条人工隐去或恢复的文字")
        if value and value not in seen:
            seen.append(value)
    if len(seen) > 50:
        raise ValidationError("人工隐去和恢复的文字各不超过50条。")
    return seen


# --- Approval (谁执法谁公示) ----------------------------------------------------------------------


def may_approve(publication: Publication, user) -> bool:
    if not user.is_authenticated:
        return False
    in_scope = scope_for(user).contains_path(publication.agency.path)
    return in_scope and (user.is_superuser or user.has_role(Role.AGENCY_HEAD))


def _require_head(publication: Publication, user) -> None:
    if not may_approve(publication, user):
        raise PermissionDenied(f"公示内容须经本机关负责人审核（谁执法谁公示，G4，{rules.G4_BASIS}）。")


@transaction.atomic
def approve(version: PublicationVersion, user, *, override_reason: str = "") -> PublicationVersion:
    """Freeze a draft and put it on the portal (G3, G4). A repeated click returns the same version."""
    version = (
        PublicationVersion.objects.select_for_update()
        .select_related("publication__agency")
        .get(pk=version.pk)
    )
    publication = Publication.objects.select_for_update().get(pk=version.publication_id)
    version.publication = publication
    _require_head(publication, user)
    if version.approved_at:
        return version
    if publication.status in (Status.WITHDRAWN, Status.EXPIRED, Status.SUPPRESSED):
        raise ValidationError(f"该公示{publication.get_status_display()}，不能再审核公示。")
    newer = publication.versions.filter(number__gt=version.number).exists()
    if newer:
        raise ValidationError("已有更新的版本，请审核最新版本。")
    override_reason = _limited(override_reason, "保留理由")
    if version.detector_hits and not override_reason:
        raise ValidationError(
            f"公示内容仍有{version.detector_hits}处疑似个人信息未隐去：请隐去，或写明保留的理由后再审核（G4、G8，{rules.G4_BASIS}）。"
        )
    now = timezone.now()
    version.override_reason = override_reason if version.detector_hits else ""
    version.approved_by, version.approved_at = user, now
    version.content_sha256 = hashlib.sha256(ledger_rules.canonical_json(version.fields)).hexdigest()
    version.save()
    first = publication.current_id is None
    publication.current = version
    publication.status = Status.PUBLISHED
    publication.published_at = publication.published_at or now
    publication.save()
    if first:
        case_deadlines.finish(publication.deadline)
    ledger.append("publication", version, version_payload(version), organization_id=publication.agency_id)
    _put_on_portal(publication, version)
    return version


def version_payload(version: PublicationVersion) -> dict:
    """The ledger leaf of an approved snapshot (principle 3), rebuilt by ``verify_ledger``."""
    return {
        "publication": version.publication_id,
        "version": version.number,
        "case": version.publication.case_id,
        "category": version.publication.category,
        "fields": version.fields,
        "content_sha256": version.content_sha256,
        "correction_reason": version.correction_reason,
        "override_reason": version.override_reason,
        "approved_by": version.approved_by_id,
        "approved_at": version.approved_at.isoformat(),
    }


def _put_on_portal(publication: Publication, version: PublicationVersion) -> None:
    fields = version.fields
    case = publication.case
    agency = publication.agency
    amount = sum((_decimal(fields.get(k)) for k in ("fine_yuan", "confiscation_yuan")), start=_decimal(0))
    PortalEntry.objects.update_or_create(
        publication=publication,
        defaults={
            "version": version,
            "version_number": version.number,
            "agency": agency,
            "agency_name": agency.name,
            "region_code": agency.region.code if agency.region_id else "",
            "field_id": case.field_id,
            "category": publication.category,
            "withdrawn": False,
            "title": fields.get("title", "")[:300],
            "party_name": fields.get("party_name", "")[:200],
            "document_number": fields.get("document_number", "")[:100],
            "decided_on": publication.decided_on,
            "display_until": publication.display_until,
            "amount": amount or None,
            "fields": fields,
            "search_text": search.document_text(fields, publication.category),
            "ledger_index": None,
            "published_at": publication.published_at,
            "updated_at": timezone.now(),
        },
    )


def _decimal(value) -> Decimal:
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


# --- Corrections (G5: inaccurate publications are corrected) -------------------------------------


@transaction.atomic
def prepare_correction(
    publication: Publication, user, *, reason: str, rederive: bool = True
) -> PublicationVersion:
    """A new draft version with the public reason for the correction; the published one stays
    on the portal until the correction is approved."""
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    _require_head(publication, user)
    reason = _reason(reason, "更正理由", rules.G5_BASIS, rule="G5")
    _refuse_personal_data(reason, publication, "更正理由")
    if publication.status != Status.PUBLISHED:
        raise ValidationError(f"该公示{publication.get_status_display()}，不能更正。")
    pending = publication.versions.filter(approved_at__isnull=True).first()
    if pending:
        raise ValidationError(f"已有待审核的第{pending.number}版，请先审核或修改该版本。")
    derived = derivation.derive(publication.case, publication.event)
    return _new_version(publication, derived, user=user, correction_reason=reason)


# --- Withdrawal (G5) -----------------------------------------------------------------------------


def open_withdrawals(case, event, *, today: date | None = None) -> list[Publication]:
    """A recorded change of a decision (复议/诉讼 results, the agency's own correction) opens the
    3-working-day withdrawal of every publication of the case's decision (G5)."""
    data = event.data or {}
    known_on = derivation.parse_date(data.get("known_on")) or today or timezone.localdate()
    kind = data.get("kind") or WithdrawalKind.REVOKED
    reason = data.get("public_reason") or ""  # the internal ``reason`` is never published
    opened = []
    for publication in Publication.objects.select_for_update().filter(
        case=case, status__in=[Status.DRAFT, Status.PUBLISHED], withdraw_due_on__isnull=True
    ):
        if publication.category not in (Category.PENALTY, Category.NO_PENALTY, Category.LICENSING):
            continue
        publication.withdrawal_kind, publication.withdrawal_reason = kind, reason
        publication.withdrawal_event = event
        if publication.status == Status.DRAFT:  # never published: nothing to take down
            _close_draft(publication)
            continue
        due = rules.withdrawal_due(_calendar(), known_on)
        publication.withdraw_due_on = due.date
        publication.withdraw_deadline = case_deadlines.open_for(
            case,
            code="publication_withdrawal",
            name="撤回公示期限",
            rule="G5",
            basis=rules.G5_BASIS,
            unit="work",
            length=rules.WITHDRAW_WORKDAYS,
            starts_on=known_on,
            due=due,
        )
        publication.save()
        opened.append(publication)
    return opened


def _close_draft(publication: Publication) -> None:
    publication.status = Status.WITHDRAWN
    publication.withdrawn_at = timezone.now()
    publication.save()
    case_deadlines.finish(publication.deadline, DeadlineStatus.CANCELLED)


@transaction.atomic
def withdraw(publication: Publication, user, *, kind: str = "", reason: str = "") -> Publication:
    """Take a publication down with its public reason (G5). Idempotent for a repeated click."""
    publication = Publication.objects.select_for_update().select_related("agency").get(pk=publication.pk)
    _require_head(publication, user)
    if publication.status == Status.WITHDRAWN:
        return publication
    if publication.status != Status.PUBLISHED:
        raise ValidationError(f"该公示{publication.get_status_display()}，无需撤回。")
    kind = kind or publication.withdrawal_kind
    if kind not in WithdrawalKind.values:
        raise ValidationError(f"请选择撤回原因（G5，{rules.G5_BASIS}）。")
    reason = _reason(
        reason or publication.withdrawal_reason, "撤回理由", rules.G5_BASIS, rule="G5", public=True
    )
    _refuse_personal_data(reason, publication, "撤回理由")
    publication.withdrawal_kind, publication.withdrawal_reason = kind, reason
    publication.status = Status.WITHDRAWN
    publication.withdrawn_at, publication.withdrawn_by = timezone.now(), user
    publication.save()
    case_deadlines.finish(publication.withdraw_deadline)
    ledger.append(
        "publication_withdrawal",
        publication,
        withdrawal_payload(publication),
        organization_id=publication.agency_id,
    )
    _withdraw_on_portal(publication)
    return publication


REASON_MAX = 1000


def _limited(text, label: str) -> str:
    text = (text or "").strip()
    if len(text) > REASON_MAX:
        raise ValidationError(f"{label}不能超过{REASON_MAX}字（现有{len(text)}字）。")
    return text


def _reason(text, label: str, basis: str, *, rule: str, public: bool = False) -> str:
    """A reason the law requires (and, when ``public``, publishes): present and of sane length."""
    text = _limited(text, label)
    if not text:
        raise ValidationError(f"{'须公开' if public else '须写明'}{label}（{rule}，{basis}）。")
    return text


def _refuse_personal_data(text: str, publication: Publication, label: str) -> None:
    """A reason the portal will show passes the same detectors as the decision's text (G4, G8)."""
    version = publication.versions.order_by("-number").only("original").first()
    names = (version.original.get("_names") if version else None) or {}
    if _residual_hits(text, names):
        raise ValidationError(
            f"{label}将在公示网站公开，其中含有疑似个人信息（姓名、证件号码、联系方式等），"
            f"请删去后再提交（G4、G8，{rules.G4_BASIS}）。"
        )


def withdrawal_payload(publication: Publication) -> dict:
    return {
        "publication": publication.pk,
        "case": publication.case_id,
        "kind": publication.withdrawal_kind,
        "reason": publication.withdrawal_reason,
        "withdrawn_by": publication.withdrawn_by_id,
        "withdrawn_at": publication.withdrawn_at.isoformat(),
        "event": publication.withdrawal_event_id,
    }


WITHDRAWN_KEEP = ("title", "party_name", "document_number", "decided_on", "agency_name", "category_label")


def _withdraw_on_portal(publication: Publication) -> None:
    entry = PortalEntry.objects.filter(publication=publication).first()
    if entry is None:
        return
    fields = {key: entry.fields.get(key, "") for key in WITHDRAWN_KEEP}
    fields |= {
        "withdrawal_kind_label": WithdrawalKind(publication.withdrawal_kind).label,
        "withdrawal_reason": publication.withdrawal_reason,
        "withdrawn_on": timezone.localdate(publication.withdrawn_at).isoformat(),
    }
    entry.withdrawn = True
    entry.fields = fields
    entry.amount = None
    entry.search_text = search.document_text(fields, publication.category)
    entry.updated_at = timezone.now()
    entry.save()


# --- Expiry (G9) and ledger positions ------------------------------------------------------------


def expire(today: date | None = None) -> int:
    """Items whose display period has ended leave the portal (G9)."""
    today = today or timezone.localdate()
    expired = 0
    due = Publication.objects.filter(
        status__in=[Status.PUBLISHED, Status.WITHDRAWN], display_until__lt=today, expired_at__isnull=True
    )
    while chunk := list(due.values_list("pk", flat=True)[:500]):  # each chunk leaves ``due``
        with transaction.atomic():
            PortalEntry.objects.filter(publication_id__in=chunk).delete()
            # a withdrawal still pending (G5) is moot once the item has left the portal
            Deadline.objects.filter(
                pk__in=Publication.objects.filter(pk__in=chunk, status=Status.PUBLISHED).values(
                    "withdraw_deadline_id"
                ),
                status__in=[DeadlineStatus.RUNNING, DeadlineStatus.SUSPENDED],
            ).update(status=DeadlineStatus.CANCELLED)
            expired += Publication.objects.filter(pk__in=chunk, status=Status.PUBLISHED).update(
                status=Status.EXPIRED, expired_at=timezone.now()
            )
            Publication.objects.filter(pk__in=chunk, status=Status.WITHDRAWN).update(
                expired_at=timezone.now()
            )
    return expired


def fill_ledger_positions(limit: int = 5000) -> int:
    """Copy each approved snapshot's ledger index to its portal entry once the log has sequenced it,
    so the portal shows the position without reading the log."""
    from zhifa.ledger.models import LedgerLeaf

    pending = list(
        PortalEntry.objects.filter(ledger_index__isnull=True).values_list("publication_id", "version_id")[
            :limit
        ]
    )
    if not pending:
        return 0
    by_version = {str(version): publication for publication, version in pending}
    leaves = LedgerLeaf.objects.filter(
        kind="publication",
        source=PublicationVersion._meta.label_lower,
        object_id__in=list(by_version),
        index__isnull=False,
    ).values_list("object_id", "index")
    filled = 0
    for object_id, index in leaves:
        filled += PortalEntry.objects.filter(
            publication_id=by_version[object_id], ledger_index__isnull=True
        ).update(ledger_index=index)
    return filled
