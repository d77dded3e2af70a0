"""Portal pages for officers (G1, G2) and certificate verification (P1, S13): public fields only.

These views read only :mod:`zhifa.personnel.services`' public functions, which return plain
records without 身份证号 or phone, so a template cannot leak them.
"""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from zhifa.personnel import services
from zhifa.personnel.paging import CountlessPaginator
from zhifa.personnel.qr import qr_png, qr_svg, verification_url
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


# --- 事中: the officer's page and QR codes (G2, S13) ---------------------------------------------
MISSING = (
    "没有这名执法人员的公示信息：编号可能有误，或该人员已不在执法岗位、证件已注销。"
    "核实现场执法人员身份，请输入其证件编号查验。"
)


def _public_officer(pk: int):
    """The officer as the portal shows them (public fields only), or None when not listed."""
    officer = services.public_officers().filter(pk=pk).first()
    return services.public_rows([officer])[0] if officer is not None else None


def _with_qr(request, officer):
    """Each listed certificate with its QR code and the verification URL the code holds (S13)."""
    return [
        {
            "certificate": c,
            "qr": qr_svg(request, c.number, omitsize=True),
            "url": verification_url(request, c.number),
        }
        for c in officer.certificates
    ]


@require_GET
def officer_detail(request, pk):
    """G2 事中: an officer's public page with a QR code per certificate, to show on site."""
    officer = _public_officer(pk)
    if officer is None:
        return render(request, "publicity/personnel/officer_detail.html", {"missing": MISSING}, status=404)
    return render(
        request,
        "publicity/personnel/officer_detail.html",
        {"officer": officer, "certificates": _with_qr(request, officer)},
    )


@require_GET
def officer_card(request, pk):
    """A phone-sized, printable card of the same page (G2: fixed windows display staff details)."""
    officer = _public_officer(pk)
    if officer is None:
        return render(request, "publicity/personnel/officer_detail.html", {"missing": MISSING}, status=404)
    return render(
        request,
        "publicity/personnel/officer_card.html",
        {"officer": officer, "certificates": _with_qr(request, officer)},
    )


@require_GET
def officer_qr_png(request, pk, number):
    """The QR code of one of the officer's listed certificates as a PNG image (S13)."""
    officer = _public_officer(pk)
    if officer is None or number not in {c.number for c in officer.certificates}:
        raise Http404("没有该执法证件的二维码。")
    response = HttpResponse(qr_png(request, number), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="{number}.png"'
    response["Cache-Control"] = "public, max-age=3600"
    return response
