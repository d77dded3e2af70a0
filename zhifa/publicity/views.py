"""The public portal (no login). It shows only public fields of the registries (G1, S1)."""

from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from zhifa.organizations import services as org_services
from zhifa.organizations.models import Entrustment, Organization, OrgKind

from .views_agency import remedy_context


def home(request):
    agencies = org_services.public_agencies().order_by("path")
    return render(request, "publicity/home.html", {"groups": _group_by_region(agencies)})


def agency_list(request):
    agencies = org_services.public_agencies().order_by("path")
    query = request.GET.get("q", "").strip()
    if query:
        agencies = agencies.filter(Q(name__contains=query) | Q(fields__name__contains=query)).distinct()
    return render(request, "publicity/agency_list.html", {"groups": _group_by_region(agencies), "q": query})


def agency_detail(request, pk):
    agency = get_object_or_404(
        org_services.public_agencies().prefetch_related(
            Prefetch(
                "entrustments_received",
                queryset=Entrustment.objects.select_related("entrusting").order_by("-start_date"),
            ),
            Prefetch(
                "entrustments_given",
                queryset=Entrustment.objects.select_related("entrusted").order_by("-start_date"),
            ),
        ),
        pk=pk,
    )
    departments = Organization.objects.filter(
        path__startswith=agency.path, kind=OrgKind.DEPARTMENT, is_active=True
    ).order_by("path")
    return render(
        request,
        "publicity/agency_detail.html",
        {
            "agency": agency,
            "departments": departments,
            "today": timezone.localdate(),
            **remedy_context(agency),  # 监督方式和救济渠道 (G1)
        },
    )


def entrustment_document(request, pk):
    """委托协议 are published (S1), so their signed documents are public."""
    entrustment = get_object_or_404(Entrustment, pk=pk, entrusted__is_active=True)
    if not entrustment.document:
        raise Http404("没有协议书文件。")
    return FileResponse(
        entrustment.document.open("rb"), filename=entrustment.document.name.rsplit("/", 1)[-1]
    )


def _group_by_region(agencies):
    """Agencies grouped by region, the higher level (smaller GB/T 2260 code) first."""
    groups: dict = {}
    for agency in agencies:
        groups.setdefault(agency.region, []).append(agency)
    return [(region.name, members) for region, members in sorted(groups.items(), key=lambda g: g[0].code)]
