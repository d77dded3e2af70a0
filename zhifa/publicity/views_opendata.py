"""Portal pages of the open data (G10): the documentation page and the 双公示 CSV/xlsx exports.

The exports stream: CSV through ``StreamingHttpResponse``, xlsx through openpyxl's write-only
mode into a temporary file that is then streamed; rows come from ``QuerySet.iterator()``, so a
million rows never sit in memory. Reads only ``PortalEntry`` (via :mod:`.opendata`).
"""

from __future__ import annotations

import tempfile

from django.conf import settings
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from . import opendata, snapshot
from .models import Category
from .serializers import OpenEntrySerializer

FORMATS = ("csv", "xlsx")

DEFAULT_LICENCE = (
    "本网站开放的执法公示数据依据《中华人民共和国政府信息公开条例》和国办发〔2018〕118号主动公开。"
    "任何单位和个人可以免费获取、复制、传播和利用（包括商业利用），无需申请；"
    "使用时应当注明数据来源（“数据来源单位”及本网站），不得歪曲、篡改公示内容，不得用于违法用途。"
    "公示截止期届满或者已撤回的信息不再属于公示信息，转载或者保存的使用者应当及时删除或者更新。"
)


def licence_text() -> str:
    return getattr(settings, "ZHIFA_OPENDATA_LICENCE", "") or DEFAULT_LICENCE


@require_GET
def opendata_docs(request, errors=None, status=200):
    api_root = request.build_absolute_uri(reverse("opendata-list"))
    portal_root = request.build_absolute_uri("/").rstrip("/")
    layouts = [
        {
            "category": str(category),
            "label": label,
            "columns": opendata.columns(category),
            "csv": reverse("portal:opendata_export", args=[category, "csv"]),
            "xlsx": reverse("portal:opendata_export", args=[category, "xlsx"]),
        }
        for category, label in opendata.EXPORT_CATEGORIES.items()
    ]
    free_text = {
        key for fields in snapshot.BY_CATEGORY.values() for key in (f.key for f in fields if f.free_text)
    }
    context = {
        "layouts": layouts,
        "dictionary": opendata.field_dictionary(),
        "extra_keys": opendata.EXTRA_KEYS.items(),
        "free_text": free_text,
        "categories": Category.choices,
        "api_root": api_root,
        "portal_root": portal_root,
        "csv_max": opendata.CSV_MAX_ROWS,
        "xlsx_max": opendata.XLSX_MAX_ROWS,
        "licence": licence_text(),
        "errors": errors or {},
        "params": request.GET,
        "basis": opendata.G10_BASIS,
        "api_fields": [(name, f.help_text) for name, f in OpenEntrySerializer().fields.items()],
    }
    return render(request, "publicity/opendata/index.html", context, status=status)


@require_GET
def opendata_export(request, category, fmt):
    """The 双公示 table (G10) of one category, filtered, as CSV or xlsx."""
    if category not in opendata.EXPORT_CATEGORIES or fmt not in FORMATS:
        raise Http404(
            "没有这种开放数据格式：可导出行政处罚（penalty）和行政许可（licensing）的 CSV 或 xlsx。"
        )
    try:
        filters = opendata.parse_filters(request.GET, allow_withdrawn=False)
    except opendata.FilterError as exc:
        return opendata_docs(request, errors=exc.errors, status=400)
    queryset = opendata.export_queryset(category, filters)
    cap = opendata.CSV_MAX_ROWS if fmt == "csv" else opendata.XLSX_MAX_ROWS
    if opendata.too_many(queryset, cap):
        message = (
            f"符合条件的记录超过单次导出上限（{fmt.upper()} 每次最多 {cap} 条）。"
            "请用 decided_from、decided_to 缩小决定日期范围，或用 agency 按执法主体分批导出。"
        )
        return opendata_docs(request, errors={"导出": message}, status=400)
    label = opendata.EXPORT_CATEGORIES[category]
    filename = f"{label}-双公示-{timezone.localdate():%Y%m%d}.{fmt}"
    rows = opendata.export_rows(category, queryset)
    if fmt == "csv":
        response = StreamingHttpResponse(
            opendata.csv_chunks(category, rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = content_disposition_header(True, filename)
    else:
        target = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
        try:
            opendata.write_xlsx(category, rows, target, _notes(request, category, label))
        except BaseException:
            target.close()
            raise
        target.seek(0)
        response = FileResponse(
            target,
            as_attachment=True,
            filename=filename,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=300"
    return response


def _notes(request, category: str, label: str) -> list[tuple[str, str]]:
    query = request.GET.urlencode()
    return [
        ("数据", f"{label}信息（“双公示”格式，{opendata.G10_BASIS}）"),
        ("来源", request.build_absolute_uri(reverse("portal:opendata_docs"))),
        ("导出时间", timezone.localtime().isoformat(timespec="seconds")),
        ("筛选条件", query or "无"),
        ("金额", "单位万元，保留四位小数"),
        ("日期", "YYYY-MM-DD"),
        ("证件类型和证件号码", "自然人和法定代表人的证件类型、号码不公开（G10），相应列为空"),
        ("已撤回", "已撤回（决定被变更、撤销、确认违法或无效）的信息不在本表中（G5）"),
        ("使用条件", licence_text()),
    ]
