"""Portal pages of the 法律法规库, 权责清单 and 随机抽查事项清单 (G1 事前公开; no login)."""

from django.shortcuts import get_object_or_404, render

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
