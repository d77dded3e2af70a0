"""案卷 assembly: one PDF per case — 案卷封面, 卷内目录, the 文书 in statutory order, the evidence
list with hashes and ledger positions, and the 备考表 — with page numbers on the 卷内 pages.

The front and back matter are written as docx (python-docx) and converted by the same LibreOffice
pipeline as every 文书; the parts are joined and numbered with pypdf. Nothing is read from a case
table that the 案卷 does not show.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from io import BytesIO

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Pt
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from .kinds import KINDS
from .models import Document, Dossier, Evidence
from .rendering import to_pdf

# The order of 文书 in a 行政处罚 / 行政强制 / 行政许可 案卷 (立案 → 调查 → 告知 → 听证 → 审核 → 决定 → 送达 → 执行 → 结案).
DOSSIER_ORDER = (
    "filing_approval",
    "inspection_record",
    "inquiry_record",
    "preservation_notice",
    "seizure_decision",
    "seizure_extension_notice",
    "penalty_notice",
    "hearing_rights_notice",
    "hearing_notice",
    "hearing_record",
    "legal_review_opinion",
    "collective_discussion",
    "penalty_decision",
    "summary_penalty_decision",
    "no_penalty_decision",
    "service_receipt",
    "demand_notice",
    "closing_report",
)
RANK = {kind: position for position, kind in enumerate(DOSSIER_ORDER)}


@dataclass
class Part:
    title: str
    number: str
    date: str
    pdf: bytes
    pages: int = 0
    first_page: int = 0


def ordered_documents(case) -> list[Document]:
    documents = Document.objects.filter(case_id=case.pk).select_related("agency")
    return sorted(documents, key=lambda d: (RANK.get(d.kind, len(RANK)), d.issued_on, d.pk))


def _document_pdf(document: Document) -> bytes:
    if not document.pdf:
        from .services import render_pending_pdf

        document = render_pending_pdf(document.pk)
    with document.pdf.open("rb") as handle:
        return handle.read()


def evidence_rows(case) -> list[dict]:
    rows = []
    for item in (
        Evidence.objects.filter(case=case)
        .active()
        .select_related("blob", "captured_by")
        .order_by("captured_at", "pk")
    ):
        rows.append(
            {
                "title": item.title,
                "kind": item.get_kind_display(),
                "captured": f"{timezone.localtime(item.captured_at):%Y-%m-%d %H:%M}，{item.captured_by}",
                "hash": f"{item.blob.algorithm.upper()} {item.blob.digest}",
                "size": item.blob.size,
                "ledger": ledger_position("evidence", item),
            }
        )
    return rows


def ledger_position(kind: str, obj) -> str:
    """Where the record sits in the tamper-evident log (issue 4), or why it does not yet."""
    try:
        from zhifa.ledger.services import leaf_position
    except ImportError:  # a deployment without the ledger
        return "—"
    leaves = leaf_position(obj, kind)
    if not leaves:
        return "未登记"
    return "、".join(f"第{leaf.index}号" if leaf.index is not None else "待排序" for leaf in leaves)


# --- docx parts ------------------------------------------------------------------------------------
def _docx() -> DocxDocument:
    doc = DocxDocument()
    style = doc.styles["Normal"]
    style.font.size = Pt(12)
    return doc


def _heading(doc, text: str, size: int = 22) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold, run.font.size = True, Pt(size)


def _table(doc, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = str(text)


def _bytes(doc) -> bytes:
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def evidence_docx(case, rows: list[dict]) -> bytes:
    doc = _docx()
    _heading(doc, "证据清单", 16)
    doc.add_paragraph(f"案号：{case.number or '—'}　案由：{case.cause}")
    _table(
        doc,
        ["序号", "证据名称", "种类", "采集时间及采集人", "文件摘要值", "字节数", "存证位置"],
        [
            [i, r["title"], r["kind"], r["captured"], r["hash"], r["size"], r["ledger"]]
            for i, r in enumerate(rows, 1)
        ]
        or [["—", "本案无电子证据和音像记录", "", "", "", "", ""]],
    )
    doc.add_paragraph("摘要值可用于核对证据文件未被篡改；存证位置为该记录在防篡改存证日志中的序号。")
    return _bytes(doc)


def front_docx(case, parts: list[Part], *, archive_number: str, retention: str, total_pages: int) -> bytes:
    doc = _docx()
    agency = case.agency
    _heading(doc, agency.name, 18)
    _heading(doc, "行政执法案卷", 26)
    parties = "、".join(p.name for p in case.parties.all())
    for label, value in (
        ("案号", case.number or "—"),
        ("案由", case.cause),
        ("当事人", parties or "—"),
        ("执法程序", case.procedure.name),
        ("处理结果", case.outcome or "—"),
        ("立案日期", (case.details.get("filing") or {}).get("filed_on", "—")),
        ("结案日期", f"{case.closed_on:%Y-%m-%d}" if case.closed_on else "—"),
        ("卷内页数", f"{total_pages}页"),
        ("保管期限", retention or "—"),
        ("档号", archive_number or "（归档时编定）"),
    ):
        doc.add_paragraph(f"{label}：{value}")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _heading(doc, "卷内目录", 16)
    _table(
        doc,
        ["序号", "文书名称", "文号", "日期", "页号"],
        [
            [i, part.title, part.number or "—", part.date, _page_range(part)]
            for i, part in enumerate(parts, 1)
        ],
    )
    return _bytes(doc)


def _page_range(part: Part) -> str:
    last = part.first_page + part.pages - 1
    return str(part.first_page) if part.pages == 1 else f"{part.first_page}—{last}"


def notes_docx(case, *, total_pages: int, documents: int, evidence: int, user) -> bytes:
    doc = _docx()
    _heading(doc, "备考表", 16)
    doc.add_paragraph(
        f"本卷共有文书{documents}份、电子证据和音像记录{evidence}件（见证据清单），卷内共{total_pages}页。"
    )
    doc.add_paragraph(
        "卷内文书由执法平台按案件数据生成并编号，每份文书和证据的摘要值均已登记在防篡改存证日志中。"
    )
    doc.add_paragraph(f"立卷人：{user or '系统'}　　立卷时间：{timezone.localdate():%Y年%m月%d日}")
    doc.add_paragraph("检查人：　　　　　　检查时间：")
    return _bytes(doc)


# --- pdf -------------------------------------------------------------------------------------------
def _page_count(pdf: bytes) -> int:
    return len(PdfReader(BytesIO(pdf)).pages)


def _number_overlay(writer: PdfWriter, page: PageObject, number: int) -> PageObject:
    """A transparent page with “- n -” centred at the foot, the size of ``page``."""
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    overlay = PageObject.create_blank_page(width=width, height=height)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    overlay[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/FN"): font})}
    )
    label = f"- {number} -"
    stream = DecodedStreamObject()
    stream.set_data(f"BT /FN 11 Tf {width / 2 - 3 * len(label):.1f} 28 Td ({label}) Tj ET".encode())
    overlay[NameObject("/Contents")] = writer._add_object(stream)
    return overlay


def assemble(front: bytes, numbered: list[bytes], back: bytes) -> bytes:
    writer = PdfWriter()
    for page in PdfReader(BytesIO(front)).pages:
        writer.add_page(page)
    number = 0
    for pdf in numbered:
        for page in PdfReader(BytesIO(pdf)).pages:
            number += 1
            added = writer.add_page(page)
            added.merge_page(_number_overlay(writer, added, number))
    for page in PdfReader(BytesIO(back)).pages:
        writer.add_page(page)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass
class Prepared:
    """The numbered 卷内 parts of a 案卷, rendered (the slow part) before any lock is taken."""

    parts: list[Part]
    evidence: int

    @property
    def total_pages(self) -> int:
        return sum(p.pages for p in self.parts)


def prepare(case) -> Prepared:
    parts = [
        Part(KINDS[d.kind].name, d.number, f"{d.issued_on:%Y-%m-%d}", _document_pdf(d))
        for d in ordered_documents(case)
    ]
    rows = evidence_rows(case)
    parts.append(Part("证据清单", "", f"{timezone.localdate():%Y-%m-%d}", to_pdf(evidence_docx(case, rows))))
    page = 1
    for part in parts:
        part.pages, part.first_page = _page_count(part.pdf), page
        page += part.pages
    return Prepared(parts, len(rows))


def finish(case, prepared: Prepared, user=None, *, archive_number: str = "", retention: str = "") -> Dossier:
    """Cover, index and 备考表 around the prepared parts; stored as the case's next 案卷 version."""
    parts, total = prepared.parts, prepared.total_pages
    front = to_pdf(
        front_docx(case, parts, archive_number=archive_number, retention=retention, total_pages=total)
    )
    back = to_pdf(
        notes_docx(case, total_pages=total, documents=len(parts) - 1, evidence=prepared.evidence, user=user)
    )
    pdf = assemble(front, [p.pdf for p in parts], back)
    contents = [
        {"title": p.title, "number": p.number, "date": p.date, "pages": _page_range(p)} for p in parts
    ]
    with transaction.atomic():
        version = (Dossier.objects.filter(case=case).aggregate(v=Max("version"))["v"] or 0) + 1
        dossier = Dossier(
            case=case,
            version=version,
            sha256=hashlib.sha256(pdf).hexdigest(),
            pages=total,
            contents=contents,
            generated_by=user,
        )
        dossier.pdf.save(f"{case.pk}-v{version}.pdf", ContentFile(pdf), save=False)
        dossier.save()
    return dossier


def build(case, user=None) -> Dossier:
    """Assemble the 案卷 of ``case`` now (on demand, and at 结案) and store it as a new version."""
    return finish(case, prepare(case), user)
