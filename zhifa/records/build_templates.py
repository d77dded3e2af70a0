"""Build the default 文书 templates (docx with docxtpl Jinja tags) into ``templates_docx/``.

Run ``uv run python -m zhifa.records.build_templates`` after changing this file and commit the
result; a test checks the committed files are what this script produces. Administrators replace a
template by downloading it, editing it in Word or WPS and uploading it again (no code change).

Layout follows the usual 行政执法文书 pattern (GB/T 9704-2012 for page and date): A4, the
agency's name and the document's name centred, the 文号 right-aligned, the party block, the body,
the legal basis, the remedy sentence, and the 落款 (agency, date, "（印章）"); 笔录 end with
signature lines and every page is numbered "第X页 共Y页" so each page can be signed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from lxml import etree

OUT_DIR = Path(__file__).resolve().parent / "templates_docx"
SERIF = "Noto Serif CJK SC"  # 思源宋体; Word without it falls back to 宋体 (fontTable altName)
SERIF_FALLBACK = "宋体"
LATIN = "Times New Roman"
BODY_PT = 14  # 四号
INDENT = Pt(BODY_PT * 2)  # 首行缩进两字

CITATIONS = "{% for c in VAR %}{{ c.citation }}{% if not loop.last %}、{% endif %}{% endfor %}"
PARTY_NAMES = "{% for party in parties %}{{ party.name }}{% if not loop.last %}、{% endif %}{% endfor %}："
OFFICERS = (
    "{% for o in officers %}{{ o.name }}（执法证号：{{ o.certificate_number }}）"
    "{% if not loop.last %}、{% endif %}{% endfor %}"
)
PARTIES_INLINE = (
    "{% for party in parties %}{{ party.name }}（{{ party.id_type }}：{{ party.id_number }}；"
    "住所：{{ party.address }}{% if party.legal_representative %}；法定代表人（负责人）："
    "{{ party.legal_representative }}{% endif %}）{% if not loop.last %}；{% endif %}{% endfor %}"
)
SIGN_LINE = "签名：______________        年    月    日"


def citations(var: str) -> str:
    return CITATIONS.replace("VAR", var)


class Builder:
    def __init__(self, title: str):
        self.doc = Document()
        self._setup(title)

    # --- document setup ------------------------------------------------------------------
    def _setup(self, title: str) -> None:
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
        self._fonts()
        self._page_numbers(section)
        props = self.doc.core_properties
        props.title, props.author, props.last_modified_by = title, "Zhifa 执法", "Zhifa 执法"
        props.comments = "默认模板，由 zhifa/records/build_templates.py 生成"
        props.revision = 1

    def _fonts(self) -> None:
        styles = self.doc.styles
        defaults = styles.element.find(qn("w:docDefaults"))
        run_props = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        fonts = run_props.find(qn("w:rFonts"))
        for attribute in list(fonts.attrib):
            del fonts.attrib[attribute]
        self._set_fonts(fonts)
        lang = run_props.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            run_props.append(lang)
        lang.set(qn("w:eastAsia"), "zh-CN")
        normal = styles["Normal"]
        normal.font.size = Pt(BODY_PT)
        self._set_fonts(normal.element.get_or_add_rPr().get_or_add_rFonts())
        normal.paragraph_format.line_spacing = Pt(BODY_PT * 1.75)
        normal.paragraph_format.space_after = Pt(0)
        self._font_table()

    @staticmethod
    def _set_fonts(fonts) -> None:
        fonts.set(qn("w:ascii"), LATIN)
        fonts.set(qn("w:hAnsi"), LATIN)
        fonts.set(qn("w:eastAsia"), SERIF)
        fonts.set(qn("w:cs"), LATIN)

    def _font_table(self) -> None:
        part = next(r.target_part for r in self.doc.part.rels.values() if r.reltype == RT.FONT_TABLE)
        root = etree.fromstring(part.blob)
        w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        font = etree.SubElement(root, f"{{{w}}}font", {f"{{{w}}}name": SERIF})
        for tag, value in (("altName", SERIF_FALLBACK), ("charset", "86"), ("family", "roman")):
            etree.SubElement(font, f"{{{w}}}{tag}", {f"{{{w}}}val": value})
        etree.SubElement(font, f"{{{w}}}pitch", {f"{{{w}}}val": "variable"})
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _page_numbers(self, section) -> None:
        paragraph = section.footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for text, field in (("第", "PAGE"), ("页  共", "NUMPAGES"), ("页", None)):
            self._run(paragraph, text, size=10.5)
            if field:
                simple = OxmlElement("w:fldSimple")
                simple.set(qn("w:instr"), f" {field} ")
                inner = OxmlElement("w:r")
                text_element = OxmlElement("w:t")
                text_element.text = "1"
                inner.append(text_element)
                simple.append(inner)
                paragraph._p.append(simple)

    # --- content ---------------------------------------------------------------------------
    @staticmethod
    def _run(paragraph, text: str, *, bold=False, size=None):
        run = paragraph.add_run(text)
        run.bold = bold or None
        if size:
            run.font.size = Pt(size)
        return run

    def p(self, *segments, indent=True, align=None, bold=False, size=None, before=0):
        """One paragraph; each segment is text, or (text, True) for a bold label."""
        paragraph = self.doc.add_paragraph()
        if indent:
            paragraph.paragraph_format.first_line_indent = INDENT
        if align:
            paragraph.alignment = align
        if before:
            paragraph.paragraph_format.space_before = Pt(before)
        for segment in segments:
            text, strong = segment if isinstance(segment, tuple) else (segment, bold)
            self._run(paragraph, text, bold=strong, size=size)
        return paragraph

    def tag(self, statement: str):
        """A paragraph holding only a docxtpl ``{%p … %}`` tag (it disappears when rendered)."""
        return self.p("{%p " + statement + " %}", indent=False)

    def heading(self, numbered: bool = True, case_line: bool = False):
        self.p("{{ agency.name }}", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=18)
        self.p("{{ document.name }}", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=22)
        if numbered:
            self.p("{{ document.number }}", indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT, before=6)
        if case_line:
            self.p(
                "{% if case.number %}案号：{{ case.number }}{% endif %}",
                indent=False,
                align=WD_ALIGN_PARAGRAPH.RIGHT,
                before=6,
            )

    def addressee(self):
        self.p(PARTY_NAMES, indent=False, before=12)

    def party_block(self, label="当事人"):
        self.tag("for party in parties")
        self.p((f"{label}：", True), "{{ party.name }}", indent=False, before=6)
        self.p("{{ party.id_type }}：{{ party.id_number }}", indent=False)
        self.p("住所（住址）：{{ party.address }}", indent=False)
        self.tag("if party.legal_representative")
        self.p("法定代表人（负责人）：{{ party.legal_representative }}", indent=False)
        self.tag("endif")
        self.tag("endfor")

    def numbered_list(self, variable: str):
        self.tag(f"for item in {variable}")
        self.p("{{ loop.index }}. {{ item }}")
        self.tag("endfor")

    def law_appendix(self, *variables: str):
        self.p(("附：相关法律条文", True), indent=False, before=12)
        for variable in variables:
            self.tag(f"for c in {variable}")
            self.p("{{ c.citation }}：{{ c.text }}", size=12)
            self.tag("endfor")

    def seal(self):
        right = WD_ALIGN_PARAGRAPH.RIGHT
        self.p("{{ agency.name }}", indent=False, align=right, before=24)
        self.p("（印章）", indent=False, align=right)
        self.p("{{ document.date|cn_date }}", indent=False, align=right)

    def signatures(self, *labels: str):
        for label in labels:
            self.p(f"{label}{SIGN_LINE}", indent=False, before=10)

    def table(self, rows, widths=(4.2, 11.4)):
        """Rows of cell texts; a one-element row is a docxtpl ``{%tr … %}`` row. In a two-column
        table the first column holds bold labels; otherwise the first row is a bold header."""
        columns = max(len(row) for row in rows)
        table = self.doc.add_table(rows=0, cols=columns)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for index, column in enumerate(table.columns):
            column.width = Cm(widths[index])
        for number, row in enumerate(rows):
            cells = table.add_row().cells
            if len(row) == 1:
                cells[0].text = "{%tr " + row[0] + " %}"
                continue
            for index, text in enumerate(row):
                cells[index].width = Cm(widths[index])
                bold = (index == 0) if columns == 2 else (number == 0)
                self._run(cells[index].paragraphs[0], text, bold=bold, size=12)
        return table

    def save(self, path: Path) -> None:
        self.doc.save(path)


# --- The kinds ----------------------------------------------------------------------------------
def filing_approval(b: Builder):
    b.heading(numbered=False, case_line=True)
    b.p("", indent=False)
    b.table(
        [
            ("案由", "{{ case.cause }}"),
            ("案件来源", "{{ case.source }}"),
            ("线索受理日期", "{{ filing.received_on|cn_date }}"),
            ("当事人", PARTIES_INLINE),
            ("简要案情", "{{ filing.summary }}"),
            ("涉嫌违反的规定", citations("violated")),
            ("立案理由及依据", "{{ filing.reason }}"),
            ("承办人", OFFICERS),
            ("for a in approvals",),
            (
                "{{ a.stage }}",
                "{{ a.opinion }}\u3000\u3000签名：{{ a.signer }}\u3000\u3000{{ a.date|cn_date }}",
            ),
            ("endfor",),
            ("立案日期", "{{ case.filed_on|cn_date }}"),
        ]
    )
    b.p(
        "依据：《中华人民共和国行政处罚法》第五十四条第二款：符合立案标准的，行政机关应当及时立案。",
        size=11,
        before=6,
    )


def inspection_record(b: Builder):
    b.heading(numbered=False, case_line=True)
    b.p(
        ("检查时间：", True),
        "{{ inspection.started_at|cn_datetime }}至{{ inspection.ended_at|cn_datetime }}",
        indent=False,
        before=12,
    )
    b.p(("检查地点：", True), "{{ inspection.place }}", indent=False)
    b.party_block("被检查人")
    b.p(("在场人：", True), "{{ inspection.present }}", indent=False)
    b.p(("检查人员：", True), OFFICERS, indent=False)
    b.p(("记录人：", True), "{{ recorder }}", indent=False)
    b.p(
        ("告知事项：", True),
        "我们是{{ agency.name }}的执法人员，已向你出示执法证件。现依法进行现场检查，请予配合。"
        "执法人员与本案有直接利害关系或者有其他关系可能影响公正执法的，你有权申请回避"
        "（《中华人民共和国行政处罚法》第四十三条、第五十五条）。",
        before=6,
    )
    b.p(("当事人（在场人）是否申请回避：", True), "{{ inspection.recusal }}", indent=False)
    b.p(("检查情况：", True), indent=False, before=6)
    b.p("{{ inspection.content }}")
    b.p("以上笔录已经当事人（在场人）核对，确认无误。", before=12)
    b.signatures("当事人（在场人）", "执法人员", "记录人")
    b.p("（当事人拒绝签名或者盖章的，由执法人员在笔录中注明情况。）", indent=False, size=11, before=6)


def inquiry_record(b: Builder):
    b.heading(numbered=False, case_line=True)
    b.p(
        ("询问时间：", True),
        "{{ inquiry.started_at|cn_datetime }}至{{ inquiry.ended_at|cn_datetime }}",
        indent=False,
        before=12,
    )
    b.p(("询问地点：", True), "{{ inquiry.place }}", indent=False)
    i = "inquiry.interviewee"
    b.p(("被询问人：", True), f"{{{{ {i}.name }}}}\u3000\u3000性别：{{{{ {i}.gender }}}}", indent=False)
    b.p(f"{{{{ {i}.id_type }}}}：{{{{ {i}.id_number }}}}", indent=False)
    b.p(f"工作单位及职务：{{{{ {i}.work_unit }}}}\u3000{{{{ {i}.position }}}}", indent=False)
    b.p(f"联系电话：{{{{ {i}.phone }}}}\u3000\u3000住址：{{{{ {i}.address }}}}", indent=False)
    b.p(("询问人：", True), OFFICERS, indent=False)
    b.p(("记录人：", True), "{{ recorder }}", indent=False)
    b.p(
        "问：我们是{{ agency.name }}的执法人员，这是我们的执法证件，请你过目。现就{{ case.cause }}一案有关问题"
        "依法向你调查询问，你应当如实回答，不得作伪证或者隐匿证据。执法人员与本案有直接利害关系或者有其他"
        "关系可能影响公正执法的，你有权申请回避（《中华人民共和国行政处罚法》第四十三条、第五十五条）。"
        "你是否申请回避？",
        before=12,
    )
    b.p("答：{{ inquiry.recusal }}。")
    b.tag("for line in transcript")
    b.p("{{ line.speaker }}：{{ line.text }}")
    b.tag("endfor")
    b.p("被询问人核对意见：________________________________________", indent=False, before=12)
    b.signatures("被询问人", "询问人", "记录人")
    b.p(
        "（笔录应交被询问人核对或者向其宣读；被询问人拒绝签名的，由执法人员在笔录中注明。）",
        indent=False,
        size=11,
        before=6,
    )


ITEM_ROWS = [
    ("序号", "物品名称", "规格（型号）", "数量", "备注"),
    ("for item in VAR",),
    ("{{ loop.index }}", "{{ item.name }}", "{{ item.spec }}", "{{ item.quantity }}", "{{ item.note }}"),
    ("endfor",),
]
ITEM_WIDTHS = (1.4, 6.0, 3.0, 2.6, 2.6)


def item_table(b: Builder, variable: str):
    rows = [tuple(cell.replace("VAR", variable) for cell in row) for row in ITEM_ROWS]
    b.table(rows, widths=ITEM_WIDTHS)


def preservation_notice(b: Builder):
    b.heading()
    b.addressee()
    b.p(
        "本机关在办理{{ case.cause }}一案（案号：{{ case.number }}）过程中，因{{ preservation.reason }}，"
        "经本机关负责人批准，依据《中华人民共和国行政处罚法》第五十六条的规定，决定对你（单位）的下列物品"
        "先行登记保存。保存地点：{{ preservation.place }}；保存人：{{ preservation.keeper }}。"
    )
    b.p(
        "本机关将自{{ preservation.start_on|cn_date }}起七个工作日内，即于{{ preservation.end_on|cn_date }}前"
        "对先行登记保存的证据作出处理决定。在此期间，你（单位）或者有关人员不得销毁或者转移证据。"
    )
    b.p(("先行登记保存物品清单：", True), indent=False, before=6)
    item_table(b, "preservation.goods")
    b.p("本通知书及清单一式二份，一份交当事人，一份由本机关附卷。", before=6)
    b.p(("执法人员：", True), OFFICERS, indent=False, before=6)
    b.seal()
    b.signatures("当事人")


def seizure_decision(b: Builder):
    b.heading()
    b.party_block()
    m = "{{ seizure.measure }}"
    b.p(
        f"你（单位）{{{{ seizure.reason }}}}。依据{citations('seizure.basis')}以及《中华人民共和国行政强制法》"
        f"第十八条、第二十四条的规定，经本机关负责人批准，本机关决定对你（单位）的下列场所、设施或者财物"
        f"予以{m}（清单附后）。",
        before=12,
    )
    b.p(
        f"{m}期限为{{{{ seizure.days }}}}日，自{{{{ seizure.start_on|cn_date }}}}起至"
        f"{{{{ seizure.end_on|cn_date }}}}止。情况复杂的，经本机关负责人批准，可以延长，但延长期限不超过三十日；"
        "对物品需要进行检测、检验、检疫或者技术鉴定的，期间不包括检测、检验、检疫或者技术鉴定的期间，"
        "本机关将另行书面告知（《中华人民共和国行政强制法》第二十五条）。"
    )
    b.p(
        f"{m}场所或者财物存放地点：{{{{ seizure.place }}}}。{m}期间，你（单位）不得擅自启封、转移、使用、"
        f"损毁或者处置被{m}的场所、设施或者财物。"
    )
    b.p("{{ remedy.text }}")
    b.p(("查封（扣押）清单：", True), indent=False, before=6)
    item_table(b, "seizure.goods")
    b.p(
        "本决定书当场交付当事人；清单一式二份，由当事人和本机关分别保存（《中华人民共和国行政强制法》第二十四条）。",
        before=6,
    )
    b.p(("执法人员：", True), OFFICERS, indent=False, before=6)
    b.law_appendix("seizure.basis")
    b.seal()
    b.signatures("当事人")


def seizure_extension_notice(b: Builder):
    b.heading()
    b.addressee()
    m = "{{ seizure.measure }}"
    b.p(
        f"本机关于{{{{ seizure.original_date|cn_date }}}}作出{{{{ seizure.original_number }}}}《查封（扣押）决定书》，"
        f"对你（单位）的有关场所、设施或者财物予以{m}，期限至{{{{ seizure.end_on|cn_date }}}}止。",
        before=12,
    )
    b.p(
        f"因{{{{ seizure.extension_reason }}}}，情况复杂，经本机关负责人批准，依据《中华人民共和国行政强制法》"
        f"第二十五条第一款、第二款的规定，决定将{m}期限延长{{{{ seizure.extension_days }}}}日，"
        f"至{{{{ seizure.new_end_on|cn_date }}}}止。"
    )
    b.p("{{ remedy.text }}")
    b.seal()
    b.signatures("当事人")


def _facts_and_basis(b: Builder, lead: str):
    b.p(
        "本机关于{{ case.filed_on|cn_date }}对你（单位）涉嫌{{ case.cause }}一案立案调查（案号：{{ case.number }}）。"
        "经查，{{ facts }}。",
        before=12,
    )
    b.p(
        f"你（单位）的上述行为违反了{citations('violated')}的规定。依据{citations('penalty.basis')}的规定"
        "{% if penalty.discretion %}，{{ penalty.discretion }}{% endif %}，"
        f"{lead}{{{{ penalty.content }}}}。"
    )


def penalty_notice(b: Builder):
    b.heading()
    b.addressee()
    b.p(
        "本机关于{{ case.filed_on|cn_date }}对你（单位）涉嫌{{ case.cause }}一案立案调查（案号：{{ case.number }}）。"
        "经查，{{ facts }}。",
        before=12,
    )
    b.p("以上事实有下列证据证明：")
    b.numbered_list("evidence")
    b.p(
        f"你（单位）的上述行为违反了{citations('violated')}的规定。依据{citations('penalty.basis')}的规定"
        "{% if penalty.discretion %}，{{ penalty.discretion }}{% endif %}，本机关拟对你（单位）作出如下行政处罚："
        "{{ penalty.content }}。"
    )
    b.p(
        "根据《中华人民共和国行政处罚法》第四十四条、第四十五条{% if rights.hearing_offered %}、第六十三条、"
        "第六十四条{% endif %}的规定，现将拟作出行政处罚的内容及事实、理由、依据告知你（单位）。"
        "你（单位）依法享有陈述、申辩{% if rights.hearing_offered %}和要求听证{% endif %}的权利："
    )
    b.p(
        "（一）陈述、申辩：你（单位）可以自收到本告知书之日起{{ rights.statement_days }}个工作日内，"
        "向本机关提出陈述、申辩意见，并提交相关证据材料。本机关将充分听取你（单位）的意见，对你（单位）"
        "提出的事实、理由和证据进行复核；提出的事实、理由或者证据成立的，本机关将予以采纳。"
        "本机关不因你（单位）的陈述、申辩而给予更重的处罚。"
    )
    b.tag("if rights.hearing_offered")
    b.p(
        "（二）要求听证：你（单位）可以自收到本告知书之日起{{ rights.hearing_request_days }}个工作日内"
        "向本机关提出听证要求。你（单位）不承担本机关组织听证的费用。"
    )
    b.tag("endif")
    b.p("逾期未提出陈述、申辩{% if rights.hearing_offered %}或者听证要求{% endif %}的，视为放弃上述权利。")
    b.p("联系人及电话：{{ rights.contact }}；地址：{{ agency.address }}。")
    b.law_appendix("violated", "penalty.basis")
    b.seal()
    b.signatures("当事人签收")


def hearing_rights_notice(b: Builder):
    b.heading()
    b.addressee()
    _facts_and_basis(b, "本机关拟对你（单位）作出如下行政处罚：")
    b.p(
        "根据《中华人民共和国行政处罚法》第四十四条、第六十三条、第六十四条的规定，你（单位）有权进行陈述、"
        "申辩，并有权要求举行听证。要求听证的，应当自收到本告知书之日起{{ rights.hearing_request_days }}个"
        "工作日内向本机关提出；要求陈述、申辩的，应当自收到本告知书之日起{{ rights.statement_days }}个工作日内"
        "向本机关提出。逾期未提出的，视为放弃上述权利。"
    )
    b.p("当事人不承担行政机关组织听证的费用（《中华人民共和国行政处罚法》第六十三条第二款）。")
    b.p("联系人及电话：{{ rights.contact }}；地址：{{ agency.address }}。")
    b.law_appendix("violated", "penalty.basis")
    b.seal()
    b.signatures("当事人签收")


def hearing_notice(b: Builder):
    b.heading()
    b.addressee()
    b.p(
        "你（单位）于{{ hearing.requested_on|cn_date }}就{{ case.cause }}一案（案号：{{ case.number }}）提出的"
        "听证要求，本机关已收悉。根据《中华人民共和国行政处罚法》第六十四条的规定，本机关决定于"
        "{{ hearing.held_at|cn_datetime }}在{{ hearing.place }}"
        "{% if hearing.public %}公开举行听证{% else %}举行听证。因{{ hearing.reason_not_public }}，"
        "本次听证依法不公开举行{% endif %}。",
        before=12,
    )
    b.p("听证主持人：{{ hearing.host }}；书记员：{{ hearing.clerk }}。")
    b.p("请注意以下事项：")
    b.p(
        "（一）你（单位）可以亲自参加听证，也可以委托一至二人代理。委托代理人参加听证的，应当在听证前"
        "向本机关提交授权委托书，载明委托事项及权限。"
    )
    b.p("（二）你（单位）认为听证主持人与本案有直接利害关系的，有权申请回避，并说明理由。")
    b.p("（三）请携带身份证明及有关证据材料按时参加听证。")
    b.p(
        "（四）你（单位）及其代理人无正当理由拒不出席听证或者未经许可中途退出听证的，视为放弃听证权利，"
        "本机关终止听证。"
    )
    b.p("联系电话：{{ agency.phone }}；地址：{{ agency.address }}。")
    b.seal()
    b.signatures("当事人签收")


def hearing_record(b: Builder):
    b.heading(numbered=False, case_line=True)
    b.p(("案由：", True), "{{ case.cause }}", indent=False, before=12)
    b.p(
        ("听证时间：", True),
        "{{ hearing.held_at|cn_datetime }}至{{ hearing.ended_at|cn_datetime }}",
        indent=False,
    )
    b.p(("听证地点：", True), "{{ hearing.place }}", indent=False)
    b.p(
        ("听证方式：", True),
        "{% if hearing.public %}公开{% else %}不公开（{{ hearing.reason_not_public }}）{% endif %}",
        indent=False,
    )
    b.p(
        ("听证主持人：", True),
        "{{ hearing.host }}\u3000\u3000",
        ("书记员：", True),
        "{{ hearing.clerk }}",
        indent=False,
    )
    b.party_block()
    b.p(("当事人及委托代理人：", True), '{{ hearing.attendees|join("、") }}', indent=False)
    b.p(("案件调查人员：", True), '{{ hearing.investigators|join("、") }}', indent=False)
    b.p(
        "主持人宣布听证纪律，核对听证参加人身份，告知当事人的权利和义务，询问当事人是否申请主持人回避。",
        before=12,
    )
    b.tag("for line in transcript")
    b.p("{{ line.speaker }}：{{ line.text }}")
    b.tag("endfor")
    b.p("主持人宣布听证结束。")
    b.p(
        "本笔录已交当事人或者其代理人核对无误后签字或者盖章；拒绝签字或者盖章的，由听证主持人在笔录中注明"
        "（《中华人民共和国行政处罚法》第六十四条第（八）项）。",
        before=6,
    )
    b.signatures("当事人或者委托代理人", "案件调查人员", "听证主持人", "书记员")


def collective_discussion(b: Builder):
    b.heading(numbered=False, case_line=True)
    b.p(("案由：", True), "{{ case.cause }}", indent=False, before=12)
    b.p(("当事人：", True), PARTIES_INLINE, indent=False)
    b.p(("讨论时间：", True), "{{ discussion.held_at|cn_datetime }}", indent=False)
    b.p(("讨论地点：", True), "{{ discussion.place }}", indent=False)
    b.p(("主持人：", True), "{{ discussion.host }}", indent=False)
    b.p(("出席人员：", True), '{{ discussion.attendees|join("、") }}', indent=False)
    b.p(("记录人：", True), "{{ discussion.recorder }}", indent=False)
    b.p(
        ("讨论依据：", True),
        "《中华人民共和国行政处罚法》第五十七条第二款：对情节复杂或者重大违法行为给予行政处罚，"
        "行政机关负责人应当集体讨论决定。",
        indent=False,
    )
    b.p(("案情及调查情况：", True), indent=False, before=6)
    b.p("{{ discussion.summary }}")
    b.p(("法制审核意见：", True), indent=False)
    b.p("{{ discussion.review_opinion }}")
    b.p(("讨论意见：", True), indent=False)
    b.tag("for o in discussion.opinions")
    b.p("{{ o.speaker }}：{{ o.text }}")
    b.tag("endfor")
    b.p(("讨论决定：", True), indent=False)
    b.p("{{ discussion.conclusion }}")
    b.signatures("出席人员", "主持人", "记录人")


LATE_PAYMENT = (
    "到期不缴纳罚款的，本机关将依据《中华人民共和国行政处罚法》第七十二条第一款第（一）项的规定，"
    "每日按罚款数额的百分之三加处罚款，加处罚款的数额不超出罚款的数额。"
)


def penalty_decision(b: Builder):
    b.heading()
    b.party_block()
    b.p(
        "当事人{{ case.cause }}一案，本机关于{{ case.filed_on|cn_date }}立案调查（案号：{{ case.number }}），"
        "现已调查终结。",
        before=12,
    )
    b.p("经查，{{ facts }}。")
    b.p("上述事实，有以下证据证明：")
    b.numbered_list("evidence")
    b.p(f"本机关认为，当事人的上述行为违反了{citations('violated')}的规定。")
    b.p("{{ proceedings }}。")
    b.p(
        f"依据{citations('penalty.basis')}的规定{{% if penalty.discretion %}}，{{{{ penalty.discretion }}}}"
        "{% endif %}，本机关决定对当事人作出如下行政处罚：{{ penalty.content }}"
        '（处罚种类：{{ penalty.kinds|join("、") }}）。'
    )
    b.tag("if penalty.fine")
    b.p(
        "当事人应当自收到本决定书之日起{{ penalty.payment_due_days }}日内缴纳罚款人民币{{ penalty.fine|rmb }}。"
        "缴纳方式：{{ penalty.payment_method }}。" + LATE_PAYMENT
    )
    b.tag("endif")
    b.tag("if penalty.confiscation")
    b.p("{{ penalty.confiscation }}，由本机关依法处理。")
    b.tag("endif")
    b.p("{{ remedy.text }}")
    b.p(
        "申请行政复议或者提起行政诉讼期间，本决定不停止执行，法律另有规定的除外（《中华人民共和国行政处罚法》"
        "第七十三条第一款）。当事人在法定期限内不申请行政复议或者提起行政诉讼，又不履行本决定的，本机关将依法"
        "强制执行或者申请人民法院强制执行。"
    )
    b.law_appendix("violated", "penalty.basis")
    b.seal()


def summary_penalty_decision(b: Builder):
    b.heading()
    b.party_block()
    b.p(
        ("时间：", True),
        "{{ on_site.time|cn_datetime }}\u3000\u3000",
        ("地点：", True),
        "{{ on_site.place }}",
        indent=False,
        before=6,
    )
    b.p(("违法行为：", True), "{{ facts }}。", indent=False)
    b.p(
        f"当事人的上述行为违反了{citations('violated')}的规定，违法事实确凿。依据{citations('penalty.basis')}"
        "以及《中华人民共和国行政处罚法》第五十一条、第五十二条的规定，当场作出如下行政处罚："
        '{{ penalty.content }}（处罚种类：{{ penalty.kinds|join("、") }}）。',
        before=6,
    )
    b.tag("if penalty.fine")
    b.p(
        "罚款数额：人民币{{ penalty.fine|rmb }}。当事人应当自收到本决定书之日起{{ penalty.payment_due_days }}日内"
        "缴纳罚款，缴纳方式：{{ penalty.payment_method }}。依法当场收缴罚款的，执法人员当场出具财政部门统一制发的"
        "专用票据（《中华人民共和国行政处罚法》第六十八条、第七十条）。" + LATE_PAYMENT
    )
    b.tag("endif")
    b.p("{{ remedy.text }}")
    b.p(("执法人员：", True), OFFICERS, indent=False, before=6)
    b.signatures("执法人员")
    b.p(
        "本决定书当场交付当事人，并报{{ agency.name }}备案（《中华人民共和国行政处罚法》第五十二条）。",
        before=6,
    )
    b.seal()
    b.signatures("当事人签收")
    b.p("（当事人拒绝签收的，由执法人员在本决定书上注明。）", indent=False, size=11)


def no_penalty_decision(b: Builder):
    b.heading()
    b.party_block()
    b.p(
        "当事人{{ case.cause }}一案，本机关于{{ case.filed_on|cn_date }}立案调查（案号：{{ case.number }}），"
        "现已调查终结。",
        before=12,
    )
    b.p("经查，{{ facts }}。")
    b.p("上述事实，有以下证据证明：")
    b.numbered_list("evidence")
    b.p(
        f"本机关认为，{{{{ no_penalty.reason }}}}。依据{citations('no_penalty.basis')}以及《中华人民共和国"
        "行政处罚法》第五十七条第一款的规定，本机关决定对当事人不予行政处罚。"
    )
    b.tag("if no_penalty.education")
    b.p("{{ no_penalty.education }}。")
    b.tag("endif")
    b.p("{{ remedy.text }}")
    b.law_appendix("no_penalty.basis")
    b.seal()


def service_receipt(b: Builder):
    b.heading(numbered=False, case_line=True)
    b.p("", indent=False)
    b.table(
        [
            ("送达文书名称及文号", "{{ service.document_name }}（{{ service.document_number }}）"),
            ("受送达人", "{{ service.recipient }}"),
            ("送达地点", "{{ service.place }}"),
            ("送达方式", "{{ service.method }}"),
            ("送达时间", "{{ service.served_at|cn_datetime }}"),
            ("送达人", '{{ service.servers|join("、") }}\u3000\u3000签名：'),
            ("受送达人签名或者盖章", "\u3000\n\u3000\n                    年    月    日"),
            ("代收人及代收理由", ""),
            ("见证人", ""),
            ("备注", "{{ service.note }}"),
        ],
        widths=(5.4, 10.2),
    )
    b.p(
        "受送达人拒绝接收的，送达人可以邀请有关基层组织或者所在单位的代表到场，说明情况，在送达回证上记明"
        "拒收事由和日期，由送达人、见证人签名或者盖章，把文书留在受送达人的住所，即视为送达（依照《中华人民"
        "共和国民事诉讼法》关于留置送达的规定；《中华人民共和国行政处罚法》第六十一条）。",
        size=11,
        before=6,
    )


def demand_notice(b: Builder):
    b.heading()
    b.addressee()
    b.p(
        "本机关于{{ demand.decision_date|cn_date }}作出{{ demand.decision_number }}行政决定，并已依法送达你（单位）。"
        "你（单位）至今未履行该决定确定的义务。",
        before=12,
    )
    b.p(
        "依据《中华人民共和国行政强制法》第三十五条、第四十五条、第五十四条的规定，现催告你（单位）自收到本催告书"
        "之日起{{ demand.due_days }}个工作日内履行下列义务：{{ demand.obligation }}。"
    )
    b.tag("if demand.amount")
    b.p(
        "应缴罚款：人民币{{ demand.amount|rmb }}{% if demand.surcharge %}；加处罚款：人民币"
        "{{ demand.surcharge|rmb }}（每日按罚款数额的百分之三加处，加处罚款的数额不超出罚款的数额，"
        "《中华人民共和国行政处罚法》第七十二条第一款第（一）项）{% endif %}。"
    )
    b.tag("endif")
    b.p("履行方式：{{ demand.method }}。")
    b.p(
        "你（单位）收到本催告书后有权进行陈述和申辩。本机关将充分听取你（单位）的意见，对提出的事实、理由和证据"
        "进行记录、复核；提出的事实、理由或者证据成立的，本机关将予以采纳（《中华人民共和国行政强制法》"
        "第三十五条第（四）项、第三十六条）。"
    )
    b.p(
        "逾期仍不履行且无正当理由的，本机关将依法作出强制执行决定，或者依法申请人民法院强制执行"
        "（《中华人民共和国行政强制法》第三十七条、第五十三条、第五十四条）。"
    )
    b.p("联系电话：{{ agency.phone }}；地址：{{ agency.address }}。")
    b.seal()
    b.signatures("当事人签收")


def closing_report(b: Builder):
    b.heading(numbered=False, case_line=True)
    b.p("", indent=False)
    b.table(
        [
            ("案由", "{{ case.cause }}"),
            ("当事人", PARTIES_INLINE),
            ("立案日期", "{{ case.filed_on|cn_date }}"),
            ("承办人", OFFICERS),
            ("案件办理情况", "{{ closing.summary }}"),
            ("处理结果", "{{ closing.result }}"),
            ("执行情况", "{{ closing.execution }}"),
            ("结案理由", "{{ closing.reason }}"),
            ("for a in approvals",),
            (
                "{{ a.stage }}",
                "{{ a.opinion }}\u3000\u3000签名：{{ a.signer }}\u3000\u3000{{ a.date|cn_date }}",
            ),
            ("endfor",),
        ]
    )


def legal_review_opinion(b: Builder):
    b.heading(numbered=True, case_line=True)
    b.table(
        [
            ("案由", "{{ case.cause }}"),
            ("当事人", PARTIES_INLINE),
            ("承办人", OFFICERS),
            (
                "送审",
                "第{{ legal_review.round }}轮，{{ legal_review.submitted_by }}于{{ legal_review.submitted_on|cn_date }}送审",
            ),
            ("拟作出的决定", "{{ legal_review.outcome }}：{{ legal_review.proposal }}"),
            ("审核情形", '{{ legal_review.reasons|join("；") }}'),
            ("for i in legal_review.checks",),
            ("{{ i.label }}", "{{ i.result }}{% if i.comment %}：{{ i.comment }}{% endif %}"),
            ("endfor",),
            ("审核结论", "{{ legal_review.opinion }}"),
            ("审核意见", "{{ legal_review.text }}"),
            (
                "补充材料期限",
                "{% if legal_review.supplement_due %}{{ legal_review.supplement_due|cn_date }}前{% else %}—{% endif %}",
            ),
        ]
    )
    b.p(
        "依据：《中华人民共和国行政处罚法》第五十八条：未经法制审核或者审核未通过的，不得作出决定。",
        indent=False,
        before=6,
    )
    b.p(
        "审核人员：{{ legal_review.reviewer }}\u3000\u3000审核日期：{{ legal_review.reviewed_on|cn_date }}",
        indent=False,
        before=12,
    )


BUILDERS = {
    "filing_approval": (filing_approval, "立案审批表"),
    "inspection_record": (inspection_record, "现场检查笔录"),
    "inquiry_record": (inquiry_record, "询问笔录"),
    "preservation_notice": (preservation_notice, "先行登记保存证据通知书"),
    "seizure_decision": (seizure_decision, "查封（扣押）决定书"),
    "seizure_extension_notice": (seizure_extension_notice, "延长查封（扣押）期限通知书"),
    "penalty_notice": (penalty_notice, "行政处罚事先告知书"),
    "hearing_rights_notice": (hearing_rights_notice, "行政处罚听证告知书"),
    "hearing_notice": (hearing_notice, "行政处罚听证通知书"),
    "hearing_record": (hearing_record, "听证笔录"),
    "collective_discussion": (collective_discussion, "重大案件集体讨论记录"),
    "penalty_decision": (penalty_decision, "行政处罚决定书"),
    "summary_penalty_decision": (summary_penalty_decision, "当场行政处罚决定书"),
    "no_penalty_decision": (no_penalty_decision, "不予行政处罚决定书"),
    "service_receipt": (service_receipt, "送达回证"),
    "demand_notice": (demand_notice, "催告书"),
    "closing_report": (closing_report, "结案报告"),
    "legal_review_opinion": (legal_review_opinion, "重大执法决定法制审核意见书"),
}


def build(code: str, path: Path) -> None:
    function, title = BUILDERS[code]
    builder = Builder(title)
    function(builder)
    builder.save(path)


def build_all(out_dir: Path = OUT_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for code in BUILDERS:
        path = out_dir / f"{code}.docx"
        build(code, path)
        paths.append(path)
    return paths


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT_DIR
    for built in build_all(target):
        print(built)
