"""The only code that changes 年度行政执法数据 (G6, G11): computing a draft from case data,
the narrative, and publication (frozen statistics, PDF, sha256, submission, ledger leaf).

A published report is never edited: its statistics, narrative and PDF are what the agency
published and submitted. The home-page panel and the deadline view are here too.
"""

from __future__ import annotations

import hashlib
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from zhifa.accounts.roles import Role
from zhifa.core.scope import scope_for

from . import annual, rules
from .models import AnnualReport, ReportStatus

VIEW_PERMISSION = "publicity.view_annualreport"
CHANGE_PERMISSION = "publicity.change_annualreport"
FIRST_YEAR = 2000
NARRATIVE_MAX = 5000
PUBLISHED_MESSAGE = (
    "{year}年度行政执法数据已经公开并报送，不得修改；如需更正，应当重新发布更正后的数据并说明理由"
    f"（G6，{rules.G6_BASIS}）。"
)


def agencies_in_scope(user):
    from zhifa.organizations.models import Organization

    return Organization.objects.for_user(user).agencies().filter(is_active=True)


def reports_for(user):
    return AnnualReport.objects.for_user(user).select_related("agency")


def check_year(year, today: date | None = None) -> int:
    """A year the report can be computed for: from 2000 to the current year (bad input is a
    Chinese message, never a 500)."""
    today = today or timezone.localdate()
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError("年度应为四位数字，如2025。") from None
    if not FIRST_YEAR <= year <= today.year:
        raise ValidationError(f"年度应在{FIRST_YEAR}年至{today.year}年之间。")
    return year


def can_change(user, agency) -> bool:
    return user.has_perm(CHANGE_PERMISSION) and scope_for(user).contains_path(agency.path)


def can_publish(user, agency) -> bool:
    """G6 with 谁执法谁公示 (国办发〔2018〕118号): the agency's 机关负责人 publishes."""
    return can_change(user, agency) and (user.is_superuser or user.has_role(Role.AGENCY_HEAD))


def _ensure_change(user, agency) -> None:
    if not can_change(user, agency):
        raise PermissionDenied("您无权统计或修改该执法主体的年度行政执法数据。")


def _ensure_draft(report: AnnualReport) -> None:
    if report.status == ReportStatus.PUBLISHED:
        raise ValidationError(PUBLISHED_MESSAGE.format(year=report.year))


# --- Computing --------------------------------------------------------------------------------
def compute_report(agency, year: int, user=None) -> AnnualReport:
    """Compute (or refresh) the draft report of ``agency`` for ``year`` from case data.

    The statistics are counted before the short transaction that stores them, so a large agency
    does not hold a write lock while its cases are counted.
    """
    if user is not None:
        _ensure_change(user, agency)
    year = check_year(year)
    existing = AnnualReport.objects.filter(agency=agency, year=year).first()
    if existing is not None:
        _ensure_draft(existing)
    statistics = annual.compute_statistics(agency, year)
    with transaction.atomic():
        report, _created = AnnualReport.objects.select_for_update().get_or_create(
            agency=agency, year=year, defaults={"due_on": rules.annual_report_due(year)}
        )
        _ensure_draft(report)
        report.statistics = statistics
        report.computed_at = timezone.now()
        report.due_on = rules.annual_report_due(year)
        report.save(update_fields=["statistics", "computed_at", "due_on"])
    return report


def compute_all(year: int) -> tuple[int, int]:
    """Drafts for every active agency that has not published ``year`` yet; (computed, skipped)."""
    from zhifa.organizations.models import Organization

    year = check_year(year)
    published = set(
        AnnualReport.objects.filter(year=year, status=ReportStatus.PUBLISHED).values_list(
            "agency_id", flat=True
        )
    )
    computed = skipped = 0
    for agency in Organization.objects.agencies().filter(is_active=True).select_related("region"):
        if agency.pk in published:
            skipped += 1
            continue
        compute_report(agency, year)
        computed += 1
    return computed, skipped


@transaction.atomic
def save_narrative(user, report_id: int, narrative: str) -> AnnualReport:
    report = reports_for(user).select_for_update(of=("self",)).get(pk=report_id)
    _ensure_change(user, report.agency)
    _ensure_draft(report)
    narrative = (narrative or "").strip()
    if len(narrative) > NARRATIVE_MAX:
        raise ValidationError(f"说明不能超过{NARRATIVE_MAX}字。")
    report.narrative = narrative
    report.save(update_fields=["narrative"])
    return report


# --- Publishing -------------------------------------------------------------------------------
def publish_report(user, report_id: int, today: date | None = None) -> AnnualReport:
    """G6: freeze the statistics, render the PDF, record its sha256, submit to the 本级人民政府
    and the 上级主管部门, and append the publication to the ledger.

    The PDF is rendered before the transaction (LibreOffice takes seconds); the transaction then
    checks that nobody recomputed or re-narrated the draft in the meantime.
    """
    from .annual_pdf import render_pdf

    today = today or timezone.localdate()
    report = reports_for(user).get(pk=report_id)
    if not can_publish(user, report.agency):
        raise PermissionDenied(
            "年度行政执法数据由本机关负责人审核公开（G6，谁执法谁公示，国办发〔2018〕118号）。"
        )
    _ensure_draft(report)
    if today <= date(report.year, 12, 31):
        raise ValidationError(f"{report.year}年度尚未结束，统计数据不完整，不能公开（G6）。")
    if not report.statistics or report.computed_at is None:
        raise ValidationError("请先统计本年度数据，预览无误后再公开。")
    if timezone.localtime(report.computed_at).date() <= date(report.year, 12, 31):
        raise ValidationError(
            f"当前数据统计于{report.year}年度结束之前，请重新统计后再公开（G6、G11：按自然年度统计）。"
        )
    statistics, narrative, computed_at = report.statistics, report.narrative, report.computed_at
    recipients = [r for r in annual.recipients(report.agency) if r]
    pdf = render_pdf(statistics, narrative, today, recipients)
    with transaction.atomic():
        locked = AnnualReport.objects.select_for_update().select_related("agency").get(pk=report.pk)
        _ensure_draft(locked)
        if locked.computed_at != computed_at or locked.narrative != narrative:
            raise ValidationError("统计数据或说明在您预览后已被更新，请重新预览后再公开。")
        now = timezone.now()
        locked.pdf.save(f"{locked.agency_id}-{locked.year}.pdf", ContentFile(pdf), save=False)
        locked.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        locked.status = ReportStatus.PUBLISHED
        locked.published_by = user
        locked.published_at = now
        locked.submitted_to = [{**recipient, "submitted_at": now.isoformat()} for recipient in recipients]
        locked.save()
        _record_in_ledger(locked)
    return locked


def ledger_payload(report: AnnualReport) -> dict:
    """The leaf appended when a report is published; rebuilt from the row by verify_ledger."""
    return {
        "report": report.pk,
        "agency": report.agency_id,
        "year": report.year,
        "statistics_sha256": annual.statistics_digest(report.statistics),
        "narrative_sha256": hashlib.sha256(report.narrative.encode("utf-8")).hexdigest(),
        "published_by": report.published_by_id,
        "published_at": report.published_at.isoformat() if report.published_at else None,
        "submitted_to": [r["id"] for r in report.submitted_to],
        "files": [{"name": "pdf", "storage_path": report.pdf.name, "sha256": report.pdf_sha256}],
    }


def _record_in_ledger(report: AnnualReport) -> None:
    """Principle 3: the publication is appended to the ledger (when the ledger app is installed)."""
    from django.apps import apps

    if not apps.is_installed("zhifa.ledger"):
        return
    from zhifa.ledger import services as ledger

    ledger.append("annual_report", report, ledger_payload(report), organization_id=report.agency_id)


def ledger_position(report: AnnualReport):
    from django.apps import apps

    if not apps.is_installed("zhifa.ledger"):
        return None
    from zhifa.ledger.services import leaf_position

    leaves = leaf_position(report, "annual_report")
    return leaves[0] if leaves else None


# --- Deadlines (G6) and the home-page panel -----------------------------------------------------
def report_state(year: int, report: AnnualReport | None, today: date, calendar) -> rules.ReportState:
    published_on = (
        timezone.localtime(report.published_at).date()
        if report is not None and report.status == ReportStatus.PUBLISHED and report.published_at
        else None
    )
    return rules.annual_report_state(year, today, published_on, calendar)


def rows(agencies, year: int, today: date) -> list[dict]:
    """One row per agency (a page of them): its report for ``year``, if any, and the G6 state.
    Two queries whatever the number of agencies."""
    from zhifa.workdays.services import current_calendar

    agencies = list(agencies)
    calendar = current_calendar()
    reports = {
        r.agency_id: r
        for r in AnnualReport.objects.filter(agency__in=[a.pk for a in agencies], year=year).only(
            "id", "agency_id", "year", "status", "computed_at", "published_at", "due_on"
        )
    }
    return [
        {
            "agency": agency,
            "report": reports.get(agency.pk),
            "state": report_state(year, reports.get(agency.pk), today, calendar),
        }
        for agency in agencies
    ]


def dashboard_panel(user) -> dict | None:
    """G6: agencies in the user's scope whose report for last year is due soon or overdue."""
    if not user.has_perm(VIEW_PERMISSION):
        return None
    from zhifa.workdays.services import current_calendar

    today = timezone.localdate()
    year = today.year - 1
    title = "年度行政执法数据公开"
    state = rules.annual_report_state(year, today, None, current_calendar())
    empty = f"没有临近或逾期未公开的{year}年度行政执法数据。"
    if state.level not in ("yellow", "red"):
        return {"title": title, "items": [], "empty": empty}
    published = AnnualReport.objects.filter(year=year, status=ReportStatus.PUBLISHED).values("agency_id")
    waiting = agencies_in_scope(user).exclude(pk__in=published)
    level = "bad" if state.level == "red" else "warn"
    due = rules.annual_report_due(year)
    when = (
        f"逾期未公开（应于{due:%Y-%m-%d}前公开并报送"
        if level == "bad"
        else f"应于{due:%Y-%m-%d}前公开并报送（"
    )
    list_url = reverse("publicity:annual_list") + f"?year={year}&status=unpublished"
    names = list(waiting.values_list("name", flat=True)[:6])
    if not names:
        return {"title": title, "items": [], "empty": empty}
    if len(names) <= 5:
        texts = [f"{name}{year}年度行政执法数据{when}，G6）" for name in names]
    else:
        texts = [f"{waiting.count()}个执法主体的{year}年度行政执法数据{when}，G6）"]
    items = [{"text": text, "url": list_url, "level": level} for text in texts]
    return {"title": title, "items": items, "empty": empty}


def received_reports(user, year: int) -> list[AnnualReport]:
    """Published reports submitted to the user's own agency as 上级主管部门 (G6). Candidates are the
    agencies below the government above the user's agency, so the filter in Python stays small."""
    organization = getattr(user, "organization", None)
    agency = organization.agency if organization is not None else None
    if agency is None:
        return []
    government = agency.government
    if government is None:
        return []
    candidates = AnnualReport.objects.filter(
        year=year, status=ReportStatus.PUBLISHED, agency__path__startswith=government.path
    ).select_related("agency")
    return [r for r in candidates if any(s.get("id") == agency.pk for s in r.submitted_to)]
