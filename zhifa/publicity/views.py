"""The public portal (no login): only public fields of registries, and later published snapshots."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from zhifa.organizations import services as org_services
from zhifa.organizations.models import Entrustment


def home(request):
    return render(request, "publicity/home.html", {"agencies": org_services.public_agencies()[:50]})


def agency_list(request):
    return render(request, "publicity/agency_list.html", {"agencies": org_services.public_agencies()})


def entrustment_document(request, pk):
    entrustment = get_object_or_404(Entrustment, pk=pk)
    if not entrustment.document:
        raise Http404("没有协议书文件。")
    return FileResponse(
        entrustment.document.open("rb"), filename=entrustment.document.name.rsplit("/", 1)[-1]
    )


def placeholder(request, *args, **kwargs):
    raise Http404
