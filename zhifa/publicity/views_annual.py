"""年度行政执法数据 pages (G6, G11).

Staff: the list of agencies in scope with the G6 deadline state, a report's preview (tables and
SVG charts), computing/refreshing, the narrative, publication and the PDF. Objects outside the
user's scope are 404. Portal: an agency's published reports — read from the published
``AnnualReport`` rows and their frozen statistics only, never from case tables (principle 5).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa.records.rendering import RenderError

from . import annual, annual_charts, annual_services, rules
from .models import AnnualReport, ReportStatus

PAGE_SIZE = 50
STATUS_FILTERS = {
    "": "全部",
    "unpublished": "未公开",
    "published": "已公开",
    "overdue": "逾期未公开",
}


class NarrativeForm(forms.Form):
    narrative = forms.CharField(
        label="说明",
        required=False,
        max_length=annual_services.NARRATIVE_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="可说明本年度执法工作总体情况、数据变化的原因等；统计数据由平台根据案件自动生成，不能手工修改。",
    )


def _error_text(exc: Exception) -> str:
    return "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


def _year_param(request, default: int) -> int:
    raw = request.GET.get("year", "")
    if not raw:
        return default
    try:
        return annual_services.check_year(raw)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return default


def _report_context(report: AnnualReport) -> dict:
    statistics = report.statistics or {}
    if not statistics:
        return {"tables": [], "charts": []}
    return {
        "tables": annual.tables(statistics),
        "charts": [
            {"title": chart.title, "svg": annual_charts.svg(chart)}
            for chart in annual_charts.report_charts(statistics)
        ],
    }


# --- Staff ------------------------------------------------------------------------------------
@login_required
@permission_required(annual_services.VIEW_PERMISSION, raise_exception=True)
def annual_list(request):
    today = timezone.localdate()
    year = _year_param(request, today.year - 1)
    status = request.GET.get("status", "")
    if status not in STATUS_FILTERS:
        status = ""
    agencies = annual_services.agencies_in_scope(request.user).select_related("region").order_by("path")
    published = AnnualReport.objects.filter(year=year, status=ReportStatus.PUBLISHED).values("agency_id")
    if status == "published":
        agencies = agencies.filter(pk__in=published)
    elif status in ("unpublished", "overdue"):
        agencies = agencies.exclude(pk__in=published)
        if status == "overdue" and today <= rules.annual_report_due(year):
            agencies = agencies.none()
    page = Paginator(agencies, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = annual_services.rows(page.object_list, year, today)
    for row in rows:
        row["can_change"] = annual_services.can_change(request.user, row["agency"])
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "publicity/annual/staff_list.html",
        {
            "year": year,
            "years": list(range(today.year, max(annual_services.FIRST_YEAR, today.year - 6) - 1, -1)),
            "status": status,
            "status_filters": STATUS_FILTERS,
            "rows": rows,
            "page_obj": page,
            "query_string": params.urlencode(),
            "due": rules.annual_report_due(year),
            "received": annual_services.received_reports(request.user, year),
            "basis": rules.G6_BASIS,
        },
    )


@login_required
@require_POST
def annual_compute(request):
    agency = get_object_or_404(
        annual_services.agencies_in_scope(request.user), pk=request.POST.get("agency") or 0
    )
    back = reverse("publicity:annual_list")
    try:
        report = annual_services.compute_report(agency, request.POST.get("year"), user=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc))
        return redirect(back)
    messages.success(request, f"已根据案件数据统计{agency.name}{report.year}年度行政执法数据。")
    return redirect("publicity:annual_detail", pk=report.pk)


@login_required
@permission_required(annual_services.VIEW_PERMISSION, raise_exception=True)
def annual_detail(request, pk):
    report = get_object_or_404(annual_services.reports_for(request.user), pk=pk)
    from zhifa.workdays.services import current_calendar

    today = timezone.localdate()
    draft = report.status == ReportStatus.DRAFT
    can_change = draft and annual_services.can_change(request.user, report.agency)
    government, superior = annual.recipients(report.agency) if draft else (None, None)
    return render(
        request,
        "publicity/annual/staff_detail.html",
        {
            "report": report,
            "statistics": report.statistics,
            **_report_context(report),
            "state": annual_services.report_state(report.year, report, today, current_calendar()),
            "can_change": can_change,
            "can_publish": draft and annual_services.can_publish(request.user, report.agency),
            "form": NarrativeForm(initial={"narrative": report.narrative}) if can_change else None,
            "recipients": report.submitted_to if not draft else [r for r in (government, superior) if r],
            "leaf": annual_services.ledger_position(report) if not draft else None,
            "basis": rules.G6_BASIS,
            "g11_basis": rules.G11_BASIS,
        },
    )


@login_required
@require_POST
def annual_narrative(request, pk):
    report = get_object_or_404(annual_services.reports_for(request.user), pk=pk)
    form = NarrativeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("publicity:annual_detail", pk=report.pk)
    try:
        annual_services.save_narrative(request.user, report.pk, form.cleaned_data["narrative"])
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, "说明已保存。")
    return redirect("publicity:annual_detail", pk=report.pk)


@login_required
@require_POST
def annual_publish(request, pk):
    report = get_object_or_404(annual_services.reports_for(request.user), pk=pk)
    try:
        report = annual_services.publish_report(request.user, report.pk)
    except (ValidationError, PermissionDenied, RenderError) as exc:
        messages.error(request, _error_text(exc))
    else:
        names = "、".join(r["name"] for r in report.submitted_to) or "（未找到报送对象）"
        messages.success(request, f"{report.year}年度行政执法数据已公开，并报送{names}。")
    return redirect("publicity:annual_detail", pk=report.pk)


@login_required
@permission_required(annual_services.VIEW_PERMISSION, raise_exception=True)
def annual_pdf(request, pk):
    report = get_object_or_404(annual_services.reports_for(request.user), pk=pk)
    return _pdf_response(report)


def _pdf_response(report: AnnualReport):
    if not report.pdf:
        raise Http404("该年度数据尚未生成PDF。")
    filename = f"{report.agency.name}{report.year}年度行政执法数据.pdf"
    return FileResponse(report.pdf.open("rb"), content_type="application/pdf", filename=filename)


# --- Portal -----------------------------------------------------------------------------------
def _published(agency_id: int):
    return AnnualReport.objects.filter(agency_id=agency_id, status=ReportStatus.PUBLISHED)


def portal_annual_list(request, pk):
    from zhifa.organizations.services import public_agencies

    agency = get_object_or_404(public_agencies(), pk=pk)
    reports = _published(agency.pk).only("id", "agency_id", "year", "published_at", "pdf", "pdf_sha256")
    return render(request, "publicity/annual/portal_list.html", {"agency": agency, "reports": reports})


def portal_annual_detail(request, pk, year):
    report = get_object_or_404(_published(pk).select_related("agency"), year=year)
    return render(
        request,
        "publicity/annual/portal_detail.html",
        {
            "report": report,
            "statistics": report.statistics,
            **_report_context(report),
            "leaf": annual_services.ledger_position(report),
            "g11_basis": rules.G11_BASIS,
        },
    )


def portal_annual_pdf(request, pk, year):
    report = get_object_or_404(_published(pk).select_related("agency"), year=year)
    return _pdf_response(report)
