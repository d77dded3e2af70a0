"""The 年报 as a PDF: a Word document built from the frozen statistics (python-docx, a dependency
of docxtpl) with PNG charts, converted by LibreOffice headless — the same converter as the 文书
(zhifa.records.rendering), so no extra dependency. Chinese needs fonts-noto-cjk on the server."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from zhifa.records.rendering import to_pdf

from . import annual, annual_charts, rules

BODY_FONT = "Noto Serif CJK SC"
HEADING_FONT = "Noto Sans CJK SC"


def _east_asian(element, name: str) -> None:
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), name)


def _styled(document) -> None:
    for style_name, font, size in (
        ("Normal", BODY_FONT, 11),
        ("Title", HEADING_FONT, 18),
        ("Heading 1", HEADING_FONT, 14),
        ("Heading 2", HEADING_FONT, 12),
    ):
        style = document.styles[style_name]
        style.font.size = Pt(size)
        _east_asian(style.element, font)


def build_docx(statistics: dict, narrative: str = "", dated=None, recipients=None) -> bytes:
    document = Document()
    _styled(document)
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(2.2)
    agency, year = statistics["agency"], statistics["year"]
    title = document.add_paragraph(f"{agency['name']}\n{year}年度行政执法数据", style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    meta = document.add_paragraph()
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
    meta.add_run(f"统一社会信用代码：{agency.get('credit_code') or '—'}　统计年度：{year}年1月1日至12月31日")
    document.add_paragraph(
        f"依据{rules.G6_BASIS}公开并报送。统计口径：{rules.G11_BASIS}。"
        "数据由行政执法平台根据案件办理记录自动统计生成。"
    )
    tables = annual.tables(statistics)
    headings = iter(annual.NUMERALS[len(tables) :])
    for table in tables:
        document.add_heading(table["title"], level=1)
        grid = document.add_table(rows=1, cols=len(table["headers"]))
        grid.style = "Table Grid"
        grid.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, header in zip(grid.rows[0].cells, table["headers"], strict=True):
            cell.text = header
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in table["rows"]:
            cells = grid.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = str(value)
        if table["note"]:
            note = document.add_paragraph(table["note"])
            note.runs[0].font.size = Pt(9)
    charts = [(c.title, annual_charts.png(c)) for c in annual_charts.report_charts(statistics)]
    if any(image for _t, image in charts):
        document.add_heading(f"{next(headings)}、图表", level=1)
        for chart_title, image in charts:
            if image:
                document.add_heading(chart_title, level=2)
                document.add_picture(BytesIO(image), width=Cm(16))
    if narrative.strip():
        document.add_heading(f"{next(headings)}、说明", level=1)
        for line in narrative.strip().splitlines():
            if line.strip():
                document.add_paragraph(line.strip())
    if statistics.get("recipients"):
        document.add_paragraph(
            "报送：" + "；".join(f"{r['name']}（{r['role']}）" for r in statistics["recipients"])
        )
    closing = document.add_paragraph(agency["name"])
    closing.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if dated:
        on = document.add_paragraph(f"{dated.year}年{dated.month}月{dated.day}日")
        on.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_pdf(statistics: dict, narrative: str = "", dated=None, recipients=None) -> bytes:
    """The PDF of the report (raises records.rendering.RenderError with a Chinese message)."""
    return to_pdf(build_docx(statistics, narrative, dated, recipients))
