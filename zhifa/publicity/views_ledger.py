"""存证公示 on the portal (principle 3): the signed checkpoints, the public key and how to verify.
Only checkpoints and the key are read: they hold hashes, never case data."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render

from zhifa.ledger import services as ledger
from zhifa.ledger.models import LedgerCheckpoint

SCRIPT = settings.BASE_DIR / "docs" / "verify_proof.py"


def checkpoints(request):
    page = Paginator(LedgerCheckpoint.objects.order_by("-size"), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "publicity/ledger/checkpoints.html",
        {"page_obj": page, "checkpoints": page.object_list, "key": ledger.public_key_info()},
    )


def verify_script(request):
    """The stand-alone verifier (standard library only), for anyone to check a proof offline."""
    if not SCRIPT.exists():
        raise Http404("验证脚本不存在。")
    return FileResponse(
        SCRIPT.open("rb"), as_attachment=True, filename="verify_proof.py", content_type="text/x-python"
    )
