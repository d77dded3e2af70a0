"""Portal pages of the 法律法规库, 权责清单 and 随机抽查事项清单 (G1 事前公开; no login)."""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from zhifa.powers import services as power_services
from zhifa.powers.models import Law


def law_list(request):
    return render(
        request,
        "publicity/powers/law_list.html",
        {"laws": power_services.laws_with_current_version().order_by("level", "short_title")},
    )


def law_detail(request, pk):
    law = get_object_or_404(Law, pk=pk)
    versions = list(law.versions.all())
    version = next((v for v in versions if str(v.pk) == request.GET.get("version")), None)
    version = (
        version or next((v for v in versions if v.is_current), None) or (versions[0] if versions else None)
    )
    context = {"law": law, "version": version, "versions": versions}
    if version is not None:
        context.update(power_services.version_with_text(version))
    return render(request, "publicity/powers/law_detail.html", context)


def agency_powers(request, pk):
    agency = power_services.public_agency(pk)
    items = power_services.public_power_items(agency)
    return render(request, "publicity/powers/agency_powers.html", {"agency": agency, "items": items})


def agency_inspections(request, pk):
    agency = power_services.public_agency(pk)
    items = power_services.public_inspection_items(agency)
    return render(request, "publicity/powers/agency_inspections.html", {"agency": agency, "items": items})


def discretion_list(request):
    """Agencies that publish 裁量基准 (处罚法 Art. 34)."""
    return render(
        request,
        "publicity/powers/discretion_list.html",
        {"agencies": power_services.agencies_with_public_benchmarks()},
    )


def agency_discretion(request, pk):
    agency = power_services.public_agency(pk)
    benchmarks = power_services.public_benchmarks(agency)
    return render(
        request,
        "publicity/powers/agency_discretion.html",
        {"agency": agency, "benchmarks": benchmarks, "today": timezone.localdate()},
    )


def agency_review_catalogue(request, pk):
    """The agency's 重大执法决定法制审核目录清单 as published (L1, G1)."""
    from zhifa.review.models import CatalogueEntry

    agency = power_services.public_agency(pk)
    entries = CatalogueEntry.objects.filter(agency=agency, is_active=True, is_published=True).select_related(
        "field"
    )
    return render(
        request, "publicity/powers/agency_review_catalogue.html", {"agency": agency, "entries": entries}
    )
