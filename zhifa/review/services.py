"""法制审核 services: the only code that changes review state. Views, API and the engine's gate call
these; each refusal names its rule (L1–L6) and basis."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, F, Q
from django.utils import timezone

from zhifa.accounts.roles import Role
from zhifa.cases import deadlines as case_deadlines
from zhifa.cases.models import Case, CaseStatus
from zhifa.cases.parameters import setting_value
from zhifa.cases.rules import Refusal, is_natural_person
from zhifa.ledger import services as ledger

from . import rules
from .models import CatalogueEntry, Escalation, Filing, FilingStatus, Review, ReviewRound

PENALTY, NO_PENALTY = "处罚", "不予处罚"
OUTCOMES = ((PENALTY, "作出行政处罚决定"), (NO_PENALTY, "作出不予行政处罚决定"))
# Stages of 一般程序 in which a decision is being prepared (the proposal exists, nothing decided).
REVIEWABLE_STAGES = ("investigated", "notified", "hearing_held")
HANDLER_ROLES = (Role.OFFICER, Role.DIVISION_HEAD, Role.AGENCY_HEAD)
HEAD_ROLES = (Role.DIVISION_HEAD, Role.AGENCY_HEAD)


def _refuse(finding: rules.Finding, field: str = "__all__"):
    raise ValidationError({field: f"{finding.message}（依据：{finding.basis}）"})


# --- L1: requirement ---------------------------------------------------------------------------------
def decision_facts(case: Case, decision: dict | None = None) -> rules.DecisionFacts:
    """The facts the catalogue looks at: the decision being made (``decision``) or the proposal."""
    proposal = case.details.get("proposal") or {}
    source = decision or proposal
    parties = list(case.parties.all())
    return rules.DecisionFacts(
        category=case.power_item.category if case.power_item_id else "penalty",
        penalty_kinds=frozenset(source.get("penalty_kinds") or []),
        fine=Decimal(str(source.get("fine") or 0)),
        confiscation=Decimal(str(source.get("confiscation") or 0)),
        natural_person=bool(parties) and is_natural_person(parties[0].kind),
        hearing_held=bool(case.details.get("hearing_record")),  # held, not only scheduled
        field_id=case.field_id,
        power_level=case.power_item.level if case.power_item_id else "",
        is_major=case.is_major or bool(proposal.get("is_major")),
        is_complex=case.is_complex or bool(proposal.get("is_complex")),
    )


def catalogue_of(agency) -> list[rules.CatalogueCondition]:
    return [e.as_condition() for e in CatalogueEntry.objects.filter(agency=agency, is_active=True)]


def _review_of(case: Case) -> Review | None:
    try:
        return case.legal_review
    except Review.DoesNotExist:
        return None


def required_reasons(case: Case, decision: dict | None = None) -> list[rules.Finding]:
    """L1: why this case's decision must be reviewed (empty when it need not be)."""
    review = _review_of(case)
    return rules.required_reasons(
        decision_facts(case, decision), catalogue_of(case.agency), review.manual_reason if review else ""
    )


def list_manually(case: Case, user, reason: str) -> Review:
    """L1: a handler or head lists a case for review by hand, with a reason."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": "请填写列入法制审核的理由（L1，《中华人民共和国行政处罚法》第五十八条）。"}
        )
    _require_handler(case, user)
    with transaction.atomic():
        review, _ = Review.objects.select_for_update().get_or_create(case=case)
        review.manual_reason, review.manual_by = reason, user
        review.save(update_fields=["manual_reason", "manual_by"])
    return review


# --- the reviewed proposal ---------------------------------------------------------------------------
def decision_content(outcome: str, source: dict) -> dict:
    """The part of a decision that review approves; a decision differing in it needs a new round."""
    if outcome != PENALTY:
        return {"outcome": outcome}
    return {
        "outcome": outcome,
        "penalty_kinds": sorted(source.get("penalty_kinds") or []),
        "fine": str(Decimal(str(source.get("fine") or 0)).quantize(Decimal("0.01"))),
        "confiscation": str(Decimal(str(source.get("confiscation") or 0)).quantize(Decimal("0.01"))),
    }


def digest(content: dict) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _materials(case: Case, review_report: str) -> dict:
    proposal = case.details.get("proposal") or {}
    from zhifa.records.models import Document

    documents = [
        {"kind": d.kind, "name": d.title, "number": d.number, "id": d.pk}
        for d in Document.objects.filter(case_id=case.pk).order_by("issued_on", "id")
    ]
    return {
        "report": {
            k: proposal.get(k, "") for k in ("facts", "evidence", "violated", "basis", "circumstances")
        },
        "review_report": review_report,
        "draft": {
            k: proposal.get(k)
            for k in ("penalty_kinds", "fine", "confiscation", "basis", "facts")
            if proposal.get(k) not in (None, "")
        },
        "file": {"documents": documents, "events": case.events.count()},
        # S8: how the 裁量基准 applies; a proposal outside its tier is flagged to the reviewer
        "discretion": proposal.get("discretion"),
        "discretion_reason": proposal.get("discretion_reason", ""),
    }


def materials_missing(materials: dict) -> list[str]:
    labels = dict(rules.MATERIALS)
    missing = []
    if not materials["report"].get("facts"):
        missing.append(labels["report"])
    if not materials["review_report"].strip():
        missing.append(labels["review_report"])
    if not materials["draft"]:
        missing.append(labels["draft"])
    return missing


# --- submission and rounds ---------------------------------------------------------------------------
def _is_handler(case: Case, user) -> bool:
    return case.assignments.filter(officer__user=user).exists()


def _require_handler(case: Case, user) -> None:
    if not (user.is_superuser or any(user.has_role(r) for r in HANDLER_ROLES)):
        raise PermissionDenied("只有案件承办人员或负责人可以办理。")
    if not Case.objects.for_user(user).filter(pk=case.pk).exists():
        raise PermissionDenied("该案件不在您的管辖范围内。")


def latest_round(case: Case) -> ReviewRound | None:
    return ReviewRound.objects.filter(review__case=case).order_by("-number").first()


@transaction.atomic
def submit(
    case: Case, user, *, outcome: str, review_report: str, request_key: str
) -> tuple[ReviewRound, bool]:
    """Hand the proposed decision to the legal-review unit (a new round). Idempotent per
    ``request_key``; returns ``(round, created)``."""
    _require_handler(case, user)
    case = Case.objects.select_for_update().get(pk=case.pk)
    review, _ = Review.objects.get_or_create(case=case)
    repeat = review.rounds.filter(request_key=request_key).first()
    if repeat is not None:
        return repeat, False
    if outcome not in dict(OUTCOMES):
        raise ValidationError({"outcome": "请选择拟作出的决定。"})
    if case.status == CaseStatus.CLOSED or case.stage not in REVIEWABLE_STAGES:
        raise ValidationError(
            {"__all__": "案件调查终结后、作出决定前方可提交法制审核（L1，处罚法第五十八条）。"}
        )
    previous = review.rounds.order_by("-number").first()
    if previous is not None and not previous.opinion:
        raise ValidationError(
            {"__all__": f"第{previous.number}轮法制审核尚未完成，不能重复提交（L4，国办发〔2018〕118号）。"}
        )
    materials = _materials(case, review_report)
    if missing := materials_missing(materials):
        raise ValidationError(
            {"__all__": f"送审材料不全：缺少{'、'.join(missing)}（L3，{rules.L3_BASIS}）。"}
        )
    content = decision_content(outcome, case.details.get("proposal") or {})
    snapshot = {**content, "review_report": review_report, "report": materials["report"]}
    today, now = timezone.localdate(), timezone.now()
    late = bool(previous and previous.supplement_due and today > previous.supplement_due)
    if previous is not None:
        case_deadlines.finish(previous.supplement_deadline)
    workdays = int(setting_value("legal_review_workdays", case.field_id, case.region_id))
    from zhifa.workdays.services import current_calendar

    due = rules.review_due(current_calendar(), today, workdays)
    deadline = case_deadlines.open_for(
        case,
        code="legal_review",
        name="法制审核期限",
        rule="L4",
        basis=rules.L4_BASIS,
        unit="work",
        length=workdays,
        starts_on=today,
        due=due,
    )
    try:
        with transaction.atomic():
            return ReviewRound.objects.create(
                review=review,
                agency_id=case.agency_id,
                number=(previous.number + 1) if previous else 1,
                outcome=outcome,
                proposal=snapshot,
                digest=digest(content),
                materials=materials,
                reasons=[asdict(r) for r in required_reasons(case)],
                changes=rules.changes_between(previous.proposal, snapshot) if previous else [],
                submitted_by=user,
                submitted_at=now,
                request_key=request_key,
                due_on=due.date,
                deadline=deadline,
                late_supplement=late,
            ), True
    except IntegrityError:
        # a concurrent duplicate of the same request got there first
        raise ValidationError({"__all__": "该送审请求已提交，请刷新页面查看。"}) from None


def _reviewed_before(user) -> bool:
    return ReviewRound.objects.filter(reviewer=user).exclude(opinion="").exists()


def reviewer_refusal(round_: ReviewRound, reviewer) -> rules.Finding | None:
    """L5 for one reviewer and one round."""
    officer = getattr(reviewer, "officer", None)
    return rules.reviewer_refusal(
        is_handler=_is_handler(round_.review.case, reviewer),
        has_qualification=bool(officer and officer.has_legal_qualification),
        reviewed_before=_reviewed_before(reviewer),
    )


def eligible_reviewers(round_: ReviewRound):
    """Users with the reviewer role in the case's agency, each with the L5 refusal (or None)."""
    from zhifa.accounts.models import User

    agency = round_.review.case.agency
    users = (
        User.objects.filter(
            is_active=True, organization__path__startswith=agency.path, groups__name=Role.REVIEWER.label
        )
        .select_related("officer")
        .distinct()
        .order_by("username")
    )
    return [(u, reviewer_refusal(round_, u)) for u in users]


@transaction.atomic
def assign(round_: ReviewRound, reviewer, by) -> ReviewRound:
    """Give a round to a reviewer: by a head, or a reviewer claiming it (L5 checked)."""
    round_ = ReviewRound.objects.select_for_update().select_related("review__case__agency").get(pk=round_.pk)
    case = round_.review.case
    if not ReviewRound.objects.for_user(by).filter(pk=round_.pk).exists():
        raise PermissionDenied("该审核不在您的管辖范围内。")
    claiming = reviewer == by
    if not (
        by.is_superuser
        or any(by.has_role(r) for r in HEAD_ROLES)
        or (claiming and by.has_role(Role.REVIEWER))
    ):
        raise PermissionDenied("只有负责人可以指派审核人员，审核人员只能领取给本人。")
    if round_.opinion:
        raise ValidationError({"__all__": "该轮审核已经完成，不能再指派。"})
    if not reviewer.has_role(Role.REVIEWER) or not (
        reviewer.organization and reviewer.organization.path.startswith(case.agency.path)
    ):
        raise ValidationError({"reviewer": "只能指派本机关的法制审核人员（L5，国办发〔2018〕118号）。"})
    if finding := reviewer_refusal(round_, reviewer):
        _refuse(finding, "reviewer")
    round_.reviewer, round_.assigned_by, round_.assigned_at = reviewer, by, timezone.now()
    round_.save(update_fields=["reviewer", "assigned_by", "assigned_at"])
    return round_


@transaction.atomic
def record_opinion(round_: ReviewRound, user, draft: rules.OpinionDraft) -> ReviewRound:
    """L3–L4: the assigned reviewer's opinion, once; the period closes and the 意见书 is issued."""
    round_ = ReviewRound.objects.select_for_update().select_related("review__case").get(pk=round_.pk)
    if round_.reviewer_id != user.pk:
        raise PermissionDenied("只有被指派的法制审核人员可以出具审核意见。")
    if round_.opinion:
        if round_.opinion == draft.opinion and round_.opinion_text == draft.text:
            return round_  # a repeated submit of the same opinion
        raise ValidationError(
            {
                "__all__": f"第{round_.number}轮审核意见已经出具，不能修改；请由承办机构重新送审（L4，国办发〔2018〕118号）。"
            }
        )
    if finding := reviewer_refusal(round_, user):  # the case's officers may have changed since
        _refuse(finding)
    if errors := rules.opinion_errors(draft, timezone.localdate()):
        raise ValidationError(errors)
    case = round_.review.case
    if digest(decision_content(round_.outcome, case.details.get("proposal") or {})) != round_.digest:
        raise ValidationError(
            {
                "__all__": "送审后案件的处理意见已经改变，本轮审核的材料已过时；请承办机构重新送审（L4，国办发〔2018〕118号）。"
            }
        )
    round_.opinion, round_.opinion_text = draft.opinion, draft.text.strip()
    round_.checklist = {code: draft.checklist[code] for code, _ in rules.CHECKLIST}
    round_.supplement_due = draft.supplement_due if draft.opinion == rules.Opinion.SUPPLEMENT else None
    round_.decided_at = timezone.now()
    round_.document = _issue_opinion_document(round_, user)
    if round_.supplement_due:
        round_.supplement_deadline = _open_supplement_deadline(case, round_.supplement_due)
    round_.save()
    case_deadlines.finish(round_.deadline)
    ledger.append("review_opinion", round_, opinion_payload(round_), organization_id=case.agency_id)
    return round_


def opinion_payload(round_: ReviewRound) -> dict:
    """The ledger leaf of a review opinion (L4), rebuilt from the round by ``verify_ledger``."""
    return {
        "round": round_.pk,
        "case": round_.review.case_id,
        "number": round_.number,
        "outcome": round_.outcome,
        "decision_digest": round_.digest,
        "submitted_by": round_.submitted_by_id,
        "submitted_at": round_.submitted_at.isoformat(),
        "reviewer": round_.reviewer_id,
        "checklist": round_.checklist,
        "opinion": round_.opinion,
        "text": round_.opinion_text,
        "supplement_due": round_.supplement_due.isoformat() if round_.supplement_due else None,
        "decided_at": round_.decided_at.isoformat(),
        "document": round_.document_id,
    }


def _open_supplement_deadline(case: Case, due_on: date):
    from zhifa.workdays.rules import Due

    today = timezone.localdate()
    return case_deadlines.open_for(
        case,
        code="review_supplement",
        name="补充送审材料期限",
        rule="L4",
        basis=rules.L4_BASIS,
        unit="natural",
        length=(due_on - today).days,
        starts_on=today,
        due=Due(due_on, False),
    )


def _issue_opinion_document(round_: ReviewRound, user):
    """The 法制审核意见书 as a numbered 文书 (records kind ``legal_review_opinion``)."""
    from . import documents

    return documents.issue_opinion(round_, user)


# --- L4 escalation -----------------------------------------------------------------------------------
@transaction.atomic
def escalate(round_: ReviewRound, user, *, handler_view: str) -> Escalation:
    """The handler disagrees with a 存在问题 opinion: both views go to the head."""
    round_ = ReviewRound.objects.select_for_update().select_related("review__case").get(pk=round_.pk)
    _require_handler(round_.review.case, user)
    if round_.opinion != rules.Opinion.PROBLEMS:
        raise ValidationError(
            {"__all__": "只有审核意见为“存在问题”时，承办机构才能提出不同意见（L4，国办发〔2018〕118号）。"}
        )
    if not handler_view.strip():
        raise ValidationError({"handler_view": "请写明承办机构的意见和理由（L4，国办发〔2018〕118号）。"})
    return Escalation.objects.create(
        round=round_,
        kind=Escalation.Kind.DISAGREEMENT,
        handler_view=handler_view.strip(),
        reviewer_view=round_.opinion_text,
        raised_by=user,
    )


@transaction.atomic
def consult_adviser(round_: ReviewRound, user, *, adviser: str, opinion: str) -> Escalation:
    """L4: a recorded consultation of a 法律顾问 (by the reviewer or a head)."""
    round_ = ReviewRound.objects.select_for_update().get(pk=round_.pk)
    if not (round_.reviewer_id == user.pk or any(user.has_role(r) for r in HEAD_ROLES)):
        raise PermissionDenied("只有审核人员或负责人可以记录法律顾问意见。")
    if not adviser.strip() or not opinion.strip():
        raise ValidationError({"__all__": "请填写法律顾问姓名和意见（L4，国办发〔2018〕118号）。"})
    return Escalation.objects.create(
        round=round_,
        kind=Escalation.Kind.ADVISER,
        adviser=adviser.strip(),
        adviser_opinion=opinion.strip(),
        raised_by=user,
    )


@transaction.atomic
def conclude(escalation: Escalation, user, conclusion: str) -> Escalation:
    """The head's decision on a disagreement. It cannot turn a failed review into a pass (L2): the
    handler corrects and resubmits, or the case goes to 集体讨论 with both views on record."""
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if not (user.is_superuser or user.has_role(Role.AGENCY_HEAD)):
        raise PermissionDenied("意见分歧由机关负责人决定（L4，国办发〔2018〕118号）。")
    if escalation.concluded_at:
        raise ValidationError({"__all__": "负责人已经作出决定。"})
    if not conclusion.strip():
        raise ValidationError({"conclusion": "请填写负责人的决定（L4，国办发〔2018〕118号）。"})
    escalation.conclusion, escalation.concluded_by, escalation.concluded_at = (
        conclusion.strip(),
        user,
        timezone.now(),
    )
    escalation.save(update_fields=["conclusion", "concluded_by", "concluded_at"])
    return escalation


# --- L2 gate (called by the engine's guard) ----------------------------------------------------------
def gate_refusals(ctx) -> list[Refusal]:
    """L2 for an engine context: the decision ``ctx.action`` would make."""
    outcome = ctx.action.outcome
    decision = ctx.cleaned if (not ctx.preview and ctx.cleaned) else None
    reasons = required_reasons(ctx.case, decision)
    latest = latest_round(ctx.case) if reasons else None
    source = decision if decision is not None else (ctx.case.details.get("proposal") or {})
    state = rules.RoundState(latest.number, latest.opinion, latest.outcome, latest.digest) if latest else None
    finding = rules.gate_refusal(reasons, state, outcome, digest(decision_content(outcome, source)))
    return [Refusal(finding.rule, finding.basis, finding.message)] if finding else []


def case_summary(case: Case) -> dict:
    return {
        "reasons": required_reasons(case),
        "latest": latest_round(case),
        "filing": Filing.objects.filter(case=case).first(),
    }


# --- L6 备案 -----------------------------------------------------------------------------------------
def on_action_performed(sender, ctx, event, **kwargs) -> None:
    """A decision on a case that needed review opens its 备案 (L6)."""
    if ctx.action.outcome not in (PENALTY, NO_PENALTY):
        return
    if not required_reasons(ctx.case, ctx.cleaned or None):
        return
    open_filing(ctx.case, ctx.cleaned.get("decided_on") or ctx.today)


def _legal_office(agency):
    from zhifa.organizations.models import Organization

    government = agency.nearest(kind="government")
    if government is None:
        return None
    return Organization.objects.filter(
        path__startswith=government.path, is_legal_office=True, depth=government.depth + 1
    ).first()


def open_filing(case: Case, decided_on: date) -> Filing:
    from zhifa.workdays.services import current_calendar

    if isinstance(decided_on, str):
        decided_on = date.fromisoformat(decided_on)
    due = rules.filing_due(current_calendar(), decided_on)
    deadline = case_deadlines.open_for(
        case,
        code="review_filing",
        name="重大执法决定备案期限",
        rule="L6",
        basis=rules.L6_BASIS,
        unit="natural",
        length=rules.FILING_DAYS,
        starts_on=decided_on,
        due=due,
    )
    filing, _ = Filing.objects.update_or_create(
        case=case,
        defaults={
            "legal_office": _legal_office(case.agency),
            "decided_on": decided_on,
            "due_on": due.date,
            "deadline": deadline,
        },
    )
    return filing


def _log(filing: Filing, user, what: str, text: str = "") -> None:
    filing.history = [
        *filing.history,
        {"at": timezone.now().isoformat(timespec="seconds"), "by": str(user), "what": what, "text": text},
    ]


@transaction.atomic
def submit_filing(filing: Filing, user, report: str) -> Filing:
    filing = Filing.objects.select_for_update().select_related("case").get(pk=filing.pk)
    _require_handler(filing.case, user)
    if filing.status in (FilingStatus.SUBMITTED, FilingStatus.ACCEPTED):
        raise ValidationError({"__all__": f"该决定已{filing.get_status_display()}，无需重复报送。"})
    if not report.strip():
        raise ValidationError({"report": "请填写备案报告（L6，重大执法决定备案制度）。"})
    if filing.legal_office is None:
        raise ValidationError({"__all__": "本级人民政府未登记法制机构（司法局），无法报送备案（L6）。"})
    filing.status, filing.report = FilingStatus.SUBMITTED, report.strip()
    filing.submitted_by, filing.submitted_at = user, timezone.now()
    _log(filing, user, "报送备案", filing.report)
    filing.save()
    case_deadlines.finish(filing.deadline)
    return filing


def _require_legal_office(filing: Filing, user) -> None:
    office = filing.legal_office
    if not (
        user.is_superuser
        or (user.has_role(Role.SUPERVISOR) and user.organization_id == getattr(office, "pk", None))
    ):
        raise PermissionDenied("只有备案机关（本级司法局）可以审查备案。")


@transaction.atomic
def handle_filing(filing: Filing, user, *, accept: bool, opinion: str) -> Filing:
    """The legal office accepts (备案) or returns a filing with its opinion."""
    filing = Filing.objects.select_for_update().get(pk=filing.pk)
    _require_legal_office(filing, user)
    if filing.status != FilingStatus.SUBMITTED:
        raise ValidationError({"__all__": "只能审查已报送、待审查的备案。"})
    if not accept and not opinion.strip():
        raise ValidationError({"opinion": "退回备案的，请写明理由（L6）。"})
    filing.status = FilingStatus.ACCEPTED if accept else FilingStatus.RETURNED
    filing.opinion, filing.handled_by, filing.handled_at = opinion.strip(), user, timezone.now()
    _log(filing, user, "准予备案" if accept else "退回", filing.opinion)
    filing.save()
    return filing


def overdue_filings(queryset, today: date | None = None):
    today = today or timezone.localdate()
    return queryset.filter(status__in=[FilingStatus.DUE, FilingStatus.RETURNED], due_on__lt=today)


# --- L5 staffing and statistics ----------------------------------------------------------------------
def _count_under(paths, agencies) -> dict[int, int]:
    """How many of ``paths`` (organization paths) lie under each agency (the nearest one)."""
    by_path = {a.path: a.pk for a in agencies}
    lengths = sorted({len(p) for p in by_path}, reverse=True)
    counts = dict.fromkeys(by_path.values(), 0)
    for path in paths:
        for length in lengths:
            if path[:length] in by_path:
                counts[by_path[path[:length]]] += 1
                break
    return counts


def staffing(agencies, user) -> list[dict]:
    """L5 per agency: officers, reviewers, the required number (5 %, at least one), and whether
    it is met. Three queries whatever the number of agencies."""
    from zhifa.accounts.models import User
    from zhifa.personnel.models import Officer, OfficerStatus

    officer_paths = (
        Officer.objects.for_user(user)
        .filter(status=OfficerStatus.ACTIVE)
        .values_list("organization__path", flat=True)
    )
    reviewer_paths = [
        path
        for _, path in User.objects.filter(
            is_active=True, groups__name=Role.REVIEWER.label, organization__isnull=False
        )
        .values_list("pk", "organization__path")
        .distinct()
    ]
    officers, reviewers = _count_under(officer_paths, agencies), _count_under(reviewer_paths, agencies)
    rows = []
    for agency in agencies:
        required = rules.reviewers_required(officers[agency.pk])
        rows.append(
            {
                "agency": agency,
                "officers": officers[agency.pk],
                "reviewers": reviewers[agency.pk],
                "required": required,
                "ok": reviewers[agency.pk] >= required,
            }
        )
    return rows


def statistics(agencies, today: date | None = None) -> list[dict]:
    """Per agency: cases reviewed, rounds, first-round pass rate, average days to an opinion,
    rounds overdue (decided late or still open past their due date)."""
    today = today or timezone.localdate()
    by_agency = {
        row["review__case__agency"]: row
        for row in ReviewRound.objects.filter(review__case__agency__in=agencies)
        .values("review__case__agency")
        .annotate(
            rounds=Count("id"),
            cases=Count("review", distinct=True),
            first_rounds=Count("id", filter=Q(number=1) & ~Q(opinion="")),
            first_passed=Count("id", filter=Q(number=1, opinion=rules.Opinion.AGREE)),
            decided=Count("id", filter=~Q(opinion="")),
            overdue=Count(
                "id",
                filter=Q(opinion="", due_on__lt=today) | Q(decided_at__date__gt=F("due_on")),
            ),
            avg_duration=Avg(F("decided_at") - F("submitted_at"), filter=~Q(opinion="")),
        )
    }
    rows = []
    for agency in agencies:
        row = by_agency.get(agency.pk, {})
        first_rounds = row.get("first_rounds", 0)
        duration = row.get("avg_duration")
        rows.append(
            {
                "agency": agency,
                "cases": row.get("cases", 0),
                "rounds": row.get("rounds", 0),
                "pass_rate": round(row["first_passed"] * 100 / first_rounds, 1) if first_rounds else None,
                "avg_days": round(duration.total_seconds() / 86400, 1) if duration else None,
                "overdue": row.get("overdue", 0),
            }
        )
    return rows
