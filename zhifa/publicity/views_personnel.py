"""Portal pages for officers (G1) and certificate verification (P1, S13): public fields only.

These views read only :mod:`zhifa.personnel.services`' public functions, which return plain
records without 身份证号 or phone, so a template cannot leak them.
"""

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from zhifa.personnel import services
from zhifa.personnel.paging import CountlessPaginator
from zhifa.personnel.rules import looks_like_certificate_number, normalize_certificate_number

PAGE_SIZE = 20


@require_GET
def officer_list(request):
    q = request.GET.get("q", "").strip()[:50]
    unit = request.GET.get("unit", "").strip()[:50]
    page = CountlessPaginator(services.search_public_officers(q, unit), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "publicity/personnel/officer_list.html",
        {
            "q": q,
            "unit": unit,
            "rows": services.public_rows(page.object_list),
            "page_obj": page,
            "query_string": params.urlencode(),
        },
    )


@require_GET
def verify(request):
    """The verification form; a submitted number goes to its stable /verify/<number>/ page."""
    number = normalize_certificate_number(request.GET.get("number", ""))[:32]
    if looks_like_certificate_number(number):
        return redirect("portal:verify_certificate", number=number)
    if number:  # not a certificate number at all: nothing to link to
        context = {"searched": True, "number": number, "result": None}
        return render(request, "publicity/personnel/verify.html", context, status=404)
    return render(request, "publicity/personnel/verify.html", {"searched": False})


@require_GET
def verify_certificate(request, number):
    normalized = normalize_certificate_number(number)[:32]
    if normalized != number:
        return redirect("portal:verify_certificate", number=normalized)
    result = services.verify_certificate(normalized)
    return render(
        request,
        "publicity/personnel/verify.html",
        {"searched": True, "number": normalized, "result": result},
        status=200 if result else 404,
    )


@require_GET
def officer_photo(request, pk):
    officer = services.public_photo_officer(pk)
    if officer is None:
        raise Http404("没有照片。")
    response = FileResponse(officer.photo.open("rb"))
    response["Cache-Control"] = "public, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
