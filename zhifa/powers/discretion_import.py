"""Import of 裁量基准 tables from one xlsx sheet (openpyxl), one row per 档次.

The layout takes all four shapes of published tables (see the template's notes sheet):
severity tiers → fixed amounts or revocation; decision tiers → multiples of 违法所得; size bands →
percentages of a contract price per party role; volume bands → amounts per 单位/个人. Reading and
checking change nothing; :func:`services.import_benchmarks` writes every benchmark in one
transaction, and a file with any error writes nothing. Errors carry the Excel row and column.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from io import BytesIO

from django.core.exceptions import ValidationError
from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from zhifa.core import xlsx

from . import rules
from .models import DiscretionBenchmark, DiscretionTier, PowerCategory, PowerItem

MAX_ROWS = 3000
SEPARATORS = re.compile(r"[、，,；;\n]+")

# header -> (required, note for the template)
COLUMNS = {
    "序号": (False, "本事项在裁量基准文件中的序号；同一事项的各档次填写相同序号。"),
    "事项编码": (False, "权责清单的事项编码；与“事项名称”至少填写一项，优先按编码查找。"),
    "事项名称": (False, "权责清单中的行政处罚事项名称（须为所选制定机关的事项）。"),
    "子项": (False, "一个事项分为几种违法情形时填写，如“1.未取得施工许可证擅自施工的”。"),
    "档次名称": (
        True,
        "照录原表：轻微、一般、较重、严重、特别严重；或不予处罚、免予处罚、减轻处罚、从轻处罚、一般处罚、从重处罚。",
    ),
    "裁量阶次": (
        False,
        "不予处罚、减轻处罚、从轻处罚、一般处罚、从重处罚之一；留空时按档次名称确定"
        "（轻微、较轻→从轻处罚；较重、严重、特别严重→从重处罚；免予处罚→不予处罚）。",
    ),
    "当事人类别": (False, "按当事人分列标准时填写，如“单位”“个人”“建设单位”“施工单位”；留空为不区分。"),
    "适用情形": (True, "照录原表的违法情节或情形。"),
    "情形标签": (
        False,
        "供计算器匹配的情形，多个用“、”分隔：法定情形可写名称或代码（如“主动供述行政机关尚未掌握的违法行为”或confessed），"
        "其他情形写简短名称（如“锁闭门窗经营”）。不予、减轻、从轻档次留空时按处罚法第三十条至第三十三条的法定情形匹配；"
        "一般档次留空且无分档区间时，作为没有其他情形时的默认档次。",
    ),
    "分档指标": (False, "按数量、面积、金额等分档时填写，如“工程面积”“堆放量”“未成年人人数”。"),
    "计量单位": (False, "如“平方米”“立方米”“名”“次”。"),
    "区间下限": (False, "数字；“50以上”填50，“50以下”留空。边界归属见导入页面的“分档区间边界”。"),
    "区间上限": (False, "数字；“100以下”填100，“100以上”留空。"),
    "处罚种类": (
        False,
        "用“、”分隔，如“警告、罚款”“责令停产停业、罚款”“吊销许可证件”；填写了罚款数额时可省略“罚款”。不予处罚档次留空。",
    ),
    "罚款下限（元）": (
        False,
        "定额罚款下限与上限填写相同数额，如5000和5000；“1万元以下”下限留空。可写“1万”。",
    ),
    "罚款上限（元）": (False, "同上。"),
    "倍数基数": (
        False,
        "按倍数或比例罚款时填写：" + "、".join(label for _, label in rules.MULTIPLE_BASES) + "。",
    ),
    "倍数（比例）下限": (False, "倍数写数字，如5；比例写百分数，如1.3%。"),
    "倍数（比例）上限": (False, "同上。"),
    "基数下限（元）": (False, "如“违法所得不足一万元的，按一万元计算”填10000。"),
    "倍数适用起点（元）": (False, "同时规定定额和倍数时填写：基数达到该金额按倍数，不足按定额。"),
    "其他措施": (False, "非行政处罚的措施，如“责令限期改正”“责令停止施工”。"),
    "裁量标准原文": (False, "照录原表的裁量标准，公示时一并显示。"),
}
HEADERS = list(COLUMNS)
FIELD_COLUMNS = {
    "tier": "裁量阶次",
    "level_label": "档次名称",
    "sub_item": "子项",
    "party": "当事人类别",
    "condition_text": "适用情形",
    "tags": "情形标签",
    "band_measure": "分档指标",
    "band_unit": "计量单位",
    "band_min": "区间下限",
    "band_max": "区间上限",
    "kinds": "处罚种类",
    "penalty_kinds": "处罚种类",
    "fine_min": "罚款下限（元）",
    "fine_max": "罚款上限（元）",
    "multiple_base": "倍数基数",
    "multiple_min": "倍数（比例）下限",
    "multiple_max": "倍数（比例）上限",
    "base_floor": "基数下限（元）",
    "multiple_threshold": "倍数适用起点（元）",
    "other_measures": "其他措施",
    "standard_text": "裁量标准原文",
}
AMOUNT_FIELDS = {
    "fine_min": "罚款下限（元）",
    "fine_max": "罚款上限（元）",
    "base_floor": "基数下限（元）",
    "multiple_threshold": "倍数适用起点（元）",
}
NUMBER_FIELDS = {"band_min": "区间下限", "band_max": "区间上限"}
MULTIPLE_FIELDS = {"multiple_min": "倍数（比例）下限", "multiple_max": "倍数（比例）上限"}

# Example rows for the template (x04: volume bands, amounts for 单位 and 个人).
EXAMPLE = [
    [
        "1",
        "",
        "擅自设立弃置场受纳建筑垃圾的处罚",
        "",
        "轻微",
        "",
        "单位",
        "擅自设立弃置场受纳建筑垃圾在50立方米以下的",
    ]
    + [
        "",
        "堆放量",
        "立方米",
        "",
        "50",
        "警告、罚款",
        "5000",
        "5000",
        "",
        "",
        "",
        "",
        "",
        "责令限期改正",
        "",
    ],
    ["1", "", "擅自设立弃置场受纳建筑垃圾的处罚", "", "一般", "", "单位", "在50立方米以上100立方米以下的"]
    + [
        "",
        "堆放量",
        "立方米",
        "50",
        "100",
        "警告、罚款",
        "8000",
        "8000",
        "",
        "",
        "",
        "",
        "",
        "责令限期改正",
        "",
    ],
]


@dataclass
class RowError:
    row: int  # Excel row number (the header is row 1); 0 for the file as a whole
    column: str
    message: str


@dataclass
class BenchmarkHeader:
    """What the upload form says about the whole document."""

    agency: object
    title: str
    document_number: str
    effective_from: date
    band_boundary: str = rules.BAND_LOWER_INCLUSIVE
    notes: str = ""


@dataclass
class PendingBenchmark:
    benchmark: DiscretionBenchmark
    tiers: list[DiscretionTier]
    rows: list[int]


@dataclass
class ImportReport:
    total: int = 0
    benchmarks: list[PendingBenchmark] = dataclasses.field(default_factory=list)
    errors: list[RowError] = dataclasses.field(default_factory=list)
    imported: int = 0
    file_error: str = ""

    @property
    def error_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors if e.row})

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_error


# --- template ----------------------------------------------------------------------------------
def template_bytes() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "裁量基准"
    sheet.append(HEADERS)
    for column, header in enumerate(HEADERS, 1):
        letter = sheet.cell(row=1, column=column).column_letter
        sheet.column_dimensions[letter].width = max(10, len(header) * 2 + 4)
        if header in {"序号", "事项编码"}:
            for row in range(2, 502):
                sheet.cell(row=row, column=column).number_format = "@"
    for header, choices in (
        ("裁量阶次", [label for _, label in rules.TIERS]),
        ("倍数基数", [label for _, label in rules.MULTIPLE_BASES]),
    ):
        letter = sheet.cell(row=1, column=HEADERS.index(header) + 1).column_letter
        validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
        validation.add(f"{letter}2:{letter}1001")
        sheet.add_data_validation(validation)
    example = workbook.create_sheet("示例")
    example.append(HEADERS)
    for row in EXAMPLE:
        example.append(row)
    notes = workbook.create_sheet("填写说明")
    notes.append(["列名", "是否必填", "说明"])
    for header, (required, text) in COLUMNS.items():
        notes.append([header, "必填" if required else "选填", text])
    notes.append([])
    for line in (
        "第一个工作表为数据表，每行一个裁量档次；表头须与模板一致。",
        "裁量基准文件名称、文号、生效日期和制定机关在导入页面填写，对文件中的所有事项适用。",
        "每个档次的处罚种类和幅度必须在权责清单所载的法定幅度之内；减轻处罚档次在法定最低限额以下（处罚法第三十二条、第三十四条）。",
        "导入后为草稿，经机关负责人公布后生效并在公示网站公开。",
    ):
        notes.append(["", "", line])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- reading -----------------------------------------------------------------------------------
def _header_error(headers: list[str]) -> str | None:
    parts = xlsx.header_problems(headers, COLUMNS)
    if "事项编码" not in headers and "事项名称" not in headers:
        parts.insert(1 if parts and parts[0].startswith("缺少必需") else 0, "缺少“事项编码”或“事项名称”列")
    return xlsx.header_message(parts)


def read_rows(upload) -> list[tuple[int, dict[str, str]]]:
    return xlsx.read_rows(upload, _header_error, MAX_ROWS, as_text=True)


# --- checking ----------------------------------------------------------------------------------
def _split(text: str) -> list[str]:
    return [part.strip() for part in SEPARATORS.split(text or "") if part.strip()]


class ItemLookup:
    """The agency's penalty items, loaded once and found by code or name."""

    def __init__(self, agency):
        self.items = list(
            PowerItem.objects.filter(agency=agency, category=PowerCategory.PENALTY, is_active=True)
        )
        self.by_code = {i.code: i for i in self.items if i.code}

    def find(self, code: str, name: str) -> tuple[PowerItem | None, str, str]:
        if code:
            item = self.by_code.get(code)
            return (
                (item, "", "")
                if item
                else (None, "事项编码", f"该机关的权责清单中没有编码为“{code}”的行政处罚事项。")
            )
        if not name:
            return None, "事项名称", "请填写事项编码或事项名称。"
        matches = [i for i in self.items if i.name == name or str(i) == name]
        if not matches:
            return None, "事项名称", f"该机关的权责清单中没有名为“{name}”的行政处罚事项。"
        if len(matches) > 1:
            return None, "事项名称", f"“{name}”对应多个权责事项，请填写事项编码。"
        return matches[0], "", ""


def _tier_from_row(number: int, value: dict[str, str], errors: list[RowError]) -> DiscretionTier:
    def error(column, message):
        errors.append(RowError(number, column, message))

    level = value.get("档次名称", "")
    stated = value.get("裁量阶次", "")
    tier = rules.tier_for_label(stated) if stated else rules.tier_for_label(level)
    if not tier:
        column = "裁量阶次" if stated else "档次名称"
        error(
            column, "无法确定裁量阶次，请在“裁量阶次”中填写：" + "、".join(rules.TIER_LABELS.values()) + "。"
        )
    if not value.get("适用情形"):
        error("适用情形", "请填写适用情形。")
    numbers: dict[str, Decimal | None] = {}
    for name, column in {**AMOUNT_FIELDS, **NUMBER_FIELDS, **MULTIPLE_FIELDS}.items():
        parse = rules.parse_multiple if name in MULTIPLE_FIELDS else rules.parse_amount
        try:
            numbers[name] = parse(value.get(column, ""))
        except (ValueError, ArithmeticError, InvalidOperation):
            numbers[name] = None
            error(column, f"“{value.get(column)}”不是有效的数字。")
    kinds = []
    for part in _split(value.get("处罚种类", "")):
        code = rules.PENALTY_KIND_ALIASES.get(part)
        if code is None:
            error("处罚种类", f"“{part}”不是{rules.PENALTY_LAW}第九条规定的处罚种类。")
        elif code not in kinds:
            kinds.append(code)
    has_fine = any(numbers[n] is not None for n in ("fine_min", "fine_max", "multiple_min", "multiple_max"))
    if has_fine and "fine" not in kinds:
        kinds.append("fine")
    base_text = value.get("倍数基数", "")
    base = rules.BASE_ALIASES.get(base_text, "") if base_text else ""
    if base_text and not base:
        error("倍数基数", "倍数基数应为：" + "、".join(label for _, label in rules.MULTIPLE_BASES) + "。")
    tags = [rules.CIRCUMSTANCE_BY_LABEL.get(t, t) for t in _split(value.get("情形标签", ""))]
    return DiscretionTier(
        sub_item=value.get("子项", "")[:200],
        party=value.get("当事人类别", "")[:50],
        level_label=level[:50],
        tier=tier or "",
        condition_text=value.get("适用情形", ""),
        tags=tags,
        band_measure=value.get("分档指标", "")[:50],
        band_unit=value.get("计量单位", "")[:20],
        penalty_kinds=kinds,
        multiple_base=base,
        other_measures=value.get("其他措施", "")[:300],
        standard_text=value.get("裁量标准原文", ""),
        **numbers,
    )


def check_file(header: BenchmarkHeader, upload) -> ImportReport:
    """Read and check every row; nothing is written."""
    report = ImportReport()
    try:
        data = read_rows(upload)
    except ValidationError as exc:
        report.file_error = " ".join(exc.messages)
        return report
    if not data:
        report.file_error = "文件中没有数据行。"
        return report
    report.total = len(data)
    lookup = ItemLookup(header.agency)
    groups: dict[tuple[int, str], PendingBenchmark] = {}
    numbers_of_item: dict[int, str] = {}
    for number, value in data:
        row_errors: list[RowError] = []
        item, column, message = lookup.find(value.get("事项编码", ""), value.get("事项名称", ""))
        if item is None:
            row_errors.append(RowError(number, column, message))
        tier = _tier_from_row(number, value, row_errors)
        serial = value.get("序号", "")
        if item is not None:
            first = numbers_of_item.setdefault(item.pk, serial)
            if first != serial:
                row_errors.append(
                    RowError(number, "序号", f"同一事项“{item.name}”出现在不同序号（{first}、{serial}）下。")
                )
        report.errors.extend(row_errors)
        if item is None:
            continue
        pending = groups.get((item.pk, serial))
        if pending is None:
            pending = groups[(item.pk, serial)] = PendingBenchmark(_benchmark(header, item, serial), [], [])
        pending.tiers.append(tier)
        pending.rows.append(number)
    for pending in groups.values():
        _check_benchmark(pending, report)
    report.benchmarks = list(groups.values())
    report.errors.sort(key=lambda e: (e.row, HEADERS.index(e.column) if e.column in HEADERS else 99))
    return report


def _benchmark(header: BenchmarkHeader, item: PowerItem, serial: str) -> DiscretionBenchmark:
    return DiscretionBenchmark(
        agency=header.agency,
        power_item=item,
        title=header.title,
        document_number=header.document_number,
        item_number=serial[:20],
        effective_from=header.effective_from,
        band_boundary=header.band_boundary,
        notes=header.notes,
    )


def _check_benchmark(pending: PendingBenchmark, report: ImportReport) -> None:
    """The S8 checks on the whole table of one item, reported against Excel rows and columns."""
    broken = {e.row for e in report.errors}
    if any(row in broken for row in pending.rows):
        return  # the rows must read cleanly before the table can be judged
    benchmark = pending.benchmark
    specs = [tier.spec() for tier in pending.tiers]
    for problem in rules.benchmark_errors(benchmark.legal_range(), specs, benchmark.band_boundary):
        row = pending.rows[problem.row] if problem.row is not None else pending.rows[0]
        column = FIELD_COLUMNS.get(problem.field, "")
        report.errors.append(RowError(row, column, f"（{benchmark.power_item.name}）{problem.message}"))
