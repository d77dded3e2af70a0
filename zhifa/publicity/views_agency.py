"""事前公开 pages of an agency that the registries already hold (G1): 服务指南, 检查计划, and the
监督方式和救济渠道 facts of the agency page. Public, no login; only published data."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Prefetch
from django.shortcuts import render
from django.utils import timezone

from zhifa.organizations.models import Organization, OrgKind
from zhifa.powers import services as power_services
from zhifa.powers.models import InspectionItem, PowerCategory

from .remedies import remedies

LICENSING_PROCEDURE = "licensing"
PLAN_HISTORY_DAYS = 366  # 检查计划 stay listed for a year after their period ends


def remedy_context(agency: Organization) -> dict:
    """监督方式和救济渠道 of an agency: its 复议机关 (the government above it), the court wording
    and the 行政执法监督机构 (the legal office of the same government). Two small queries."""
    government = agency.government
    legal_office = None
    if government is not None and not agency.is_legal_office:
        legal_office = (
            Organization.objects.filter(
                path__startswith=government.path,
                depth=government.depth + 1,
                kind=OrgKind.AGENCY,
                is_legal_office=True,
                is_active=True,
            )
            .only("name")
            .first()
        )
    return {
        "remedies": remedies(
            agency.name,
            government_name=government.name if government else None,
            region_name=agency.region.name,
            is_legal_office=agency.is_legal_office,
            legal_office_name=legal_office.name if legal_office else None,
            complaint_phone=agency.complaint_phone,
        ),
        "legal_office": legal_office,
    }


def _licensing_procedure():
    from zhifa.cases.definitions import procedure_of
    from zhifa.cases.services import current_procedures

    version = next((v for v in current_procedures() if v.code == LICENSING_PROCEDURE), None)
    return (version, procedure_of(version)) if version else (None, None)


def agency_guide(request, pk):
    """服务指南 (G1): the agency's 行政许可 items from its 权责清单, with their legal basis, the
    statutory time limits of the licensing procedure the engine enforces, where to apply and the
    remedies. Application materials and fees are not in the registries yet."""
    agency = power_services.public_agency(pk)
    items = power_services.public_power_items(agency).filter(category=PowerCategory.LICENSE)
    version, procedure = _licensing_procedure()
    return render(
        request,
        "publicity/agency/guide.html",
        {
            "agency": agency,
            "items": items,
            "procedure_version": version,
            "deadlines": list(procedure.deadlines.values()) if procedure else [],
            **remedy_context(agency),
        },
    )


def agency_inspection_plans(request, pk):
    """检查计划 (G1, 双随机一公开): the agency's confirmed 抽查任务 — what will be checked, where,
    when and how many — current, upcoming and of the past year. Drafts are not plans yet, and the
    drawn targets are not published before the inspection."""
    from zhifa.inspections.models import InspectionTask, TaskStatus

    agency = power_services.public_agency(pk)
    since = timezone.localdate() - timedelta(days=PLAN_HISTORY_DAYS)
    tasks = (
        InspectionTask.objects.filter(agency=agency, status=TaskStatus.CONFIRMED, period_end__gte=since)
        .select_related("field", "region")
        .prefetch_related(Prefetch("items", queryset=InspectionItem.objects.only("id", "name", "field_name")))
        .order_by("-period_start", "-id")
    )
    return render(
        request,
        "publicity/agency/inspection_plans.html",
        {"agency": agency, "tasks": tasks, "today": timezone.localdate()},
    )
