"""QR codes of enforcement certificates (S13): each resolves to the public verification page.

Shared by the staff officer page and the portal officer page (G2: officers show their certificate
on site; anyone scanning the code sees whether it is valid).
"""

from __future__ import annotations

import segno
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

ERROR_LEVEL = "m"


def verification_url(request, number: str) -> str:
    """The absolute URL of the portal's verification page for ``number``."""
    return request.build_absolute_uri(reverse("portal:verify_certificate", args=[number]))


def certificate_qr(request, number: str) -> segno.QRCode:
    return segno.make(verification_url(request, number), error=ERROR_LEVEL)


def qr_svg(request, number: str, scale: int = 4, omitsize: bool = False) -> SafeString:
    """S13: the certificate's QR code as inline SVG, pointing at the public verification page.
    ``omitsize``: a viewBox instead of a fixed size, so that CSS can scale it to the screen."""
    code = certificate_qr(request, number)
    return mark_safe(code.svg_inline(scale=scale, omitsize=omitsize, title=f"执法证件{number}查验二维码"))


def qr_png(request, number: str, scale: int = 10) -> bytes:
    """The same code as a PNG (for printing or saving on a phone)."""
    from io import BytesIO

    out = BytesIO()
    certificate_qr(request, number).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
