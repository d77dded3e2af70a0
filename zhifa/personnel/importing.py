"""Bulk import of officers and their certificates from one xlsx sheet (openpyxl).

Reading and checking happen here and change nothing; :func:`services.import_officers` writes the
rows in one transaction. Every problem is reported with its Excel row number and column header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from zhifa.core import xlsx
from zhifa.core.rules import id_number_error, phone_error
from zhifa.organizations.models import EnforcementField, Organization, OrgKind, Region

from . import rules
from .models import Certificate, EmploymentType, Gender, Officer, OfficerStatus

MAX_ROWS = 5000

# header -> (required, help text for the template's notes sheet)
COLUMNS = {
    "姓名": (True, "必填。"),
    "性别": (True, "必填：男 或 女，须与身份证号一致。"),
    "身份证号": (True, "必填：18位公民身份号码（GB 11643），请将单元格设为“文本”格式，以免末几位丢失。"),
    "所在单位": (True, "必填：执法主体名称，或“执法主体名称/内设机构名称”。须在您的管理范围内。"),
    "职务": (False, "选填。"),
    "用工性质": (
        True,
        "必填：" + "、".join(EmploymentType.labels) + "。合同制、劳务派遣、临时聘用人员不得持证（S13）。",
    ),
    "联系电话": (False, "选填：手机号或带区号的固定电话。不公开。"),
    "法律职业资格证书编号": (False, "法制审核人员填写，与取得日期同时填写。"),
    "法律职业资格取得日期": (False, "日期，如2020-09-01。"),
    "证件编号": (False, "持证人员填写；填写后以下证件各列均为必填。"),
    "执法类别": (False, "执法领域名称或代码，多个用“、”分隔，如：市场监管、生态环境。"),
    "执法区域": (False, "行政区划名称或6位代码，多个用“、”分隔；重名的区划请填写代码。"),
    "发证机关": (False, "人民政府或司法局的全称。"),
    "发证日期": (False, "日期，如2024-03-01。"),
    "有效期至": (False, "日期，不得早于发证日期。"),
}
HEADERS = list(COLUMNS)
CERTIFICATE_COLUMNS = ["证件编号", "执法类别", "执法区域", "发证机关", "发证日期", "有效期至"]
SEPARATORS = re.compile(r"[、，,；;\s]+")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
MODEL_COLUMNS = {
    "name": "姓名",
    "gender": "性别",
    "id_number": "身份证号",
    "organization": "所在单位",
    "position": "职务",
    "employment_type": "用工性质",
    "phone": "联系电话",
    "legal_qualification_number": "法律职业资格证书编号",
    "legal_qualification_date": "法律职业资格取得日期",
    "number": "证件编号",
    "fields": "执法类别",
    "regions": "执法区域",
    "issuing_authority": "发证机关",
    "issued_on": "发证日期",
    "valid_until": "有效期至",
    "officer": "用工性质",
}


@dataclass
class RowError:
    row: int  # Excel row number (the header is row 1)
    column: str
    message: str


@dataclass
class ImportRow:
    row: int
    officer: Officer
    certificate: Certificate | None = None
    fields: list = field(default_factory=list)
    regions: list = field(default_factory=list)


@dataclass
class ImportReport:
    total: int = 0
    rows: list[ImportRow] = field(default_factory=list)  # rows without errors
    errors: list[RowError] = field(default_factory=list)
    imported: int = 0
    file_error: str = ""

    @property
    def error_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors if e.row})

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_error


# --- Template --------------------------------------------------------------------------------
def template_bytes() -> bytes:
    """The import template: the exact headers, drop-downs for fixed choices, and a notes sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "执法人员"
    sheet.append(HEADERS)
    for column, header in enumerate(HEADERS, 1):
        letter = sheet.cell(row=1, column=column).column_letter
        sheet.column_dimensions[letter].width = max(12, len(header) * 2 + 4)
        if header in {"身份证号", "证件编号", "联系电话", "法律职业资格证书编号"}:
            for row in range(2, 1002):
                sheet.cell(row=row, column=column).number_format = "@"
    for header, choices in (("性别", Gender.labels), ("用工性质", EmploymentType.labels)):
        letter = sheet.cell(row=1, column=HEADERS.index(header) + 1).column_letter
        validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
        validation.add(f"{letter}2:{letter}1001")
        sheet.add_data_validation(validation)
    notes = workbook.create_sheet("填写说明")
    notes.append(["列名", "是否必填", "说明"])
    for header, (required, text) in COLUMNS.items():
        notes.append([header, "必填" if required else "选填", text])
    notes.append([])
    notes.append(["", "", f"第一个工作表为数据表，表头须与模板一致；单次最多{MAX_ROWS}行。"])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Reading ---------------------------------------------------------------------------------
_text = xlsx.cell_text


def _header_error(headers: list[str]) -> str | None:
    return xlsx.header_message(xlsx.header_problems(headers, COLUMNS))


def read_rows(upload) -> list[tuple[int, dict]]:
    """(Excel row number, {header: raw value}) for every non-blank data row of the first sheet."""
    return xlsx.read_rows(upload, _header_error, MAX_ROWS, as_text=False)


# --- Checking --------------------------------------------------------------------------------
def _date(value, column: str, errors: list[str]) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    errors.append(f"{column}“{text}”不是有效日期，请填写如2024-03-01的日期。")
    return None


class Lookups:
    """Names in the file resolved with one query per kind, not one per row."""

    def __init__(self, user, data: list[tuple[int, dict]]):
        def values(column):
            return {part for _, row in data for part in SEPARATORS.split(_text(row.get(column))) if part}

        unit_names = {part for _, row in data for part in _text(row.get("所在单位")).split("/") if part}
        scoped = Organization.objects.for_user(user)
        self.units = list(
            scoped.filter(
                kind__in=[OrgKind.AGENCY, OrgKind.DEPARTMENT], name__in={n.strip() for n in unit_names}
            )
        )
        self.agencies = {o.path: o for o in scoped.filter(kind=OrgKind.AGENCY, name__in=unit_names)}
        fields = values("执法类别")
        self.fields = {}
        for f in EnforcementField.objects.filter(
            Q(name__in=fields) | Q(code__in={v.upper() for v in fields})
        ):
            self.fields[f.name] = self.fields[f.code] = f
        regions = values("执法区域")
        self.regions: dict[str, list[Region]] = {}
        for r in Region.objects.filter(Q(name__in=regions) | Q(code__in=regions)):
            self.regions.setdefault(r.code, []).append(r)
            self.regions.setdefault(r.name, []).append(r)
        authorities = {_text(row.get("发证机关")) for _, row in data} - {""}
        self.authorities: dict[str, list[Organization]] = {}
        for o in scoped.filter(Q(kind=OrgKind.GOVERNMENT) | Q(is_legal_office=True), name__in=authorities):
            self.authorities.setdefault(o.name, []).append(o)
        id_numbers = {_text(row.get("身份证号")).upper() for _, row in data}
        self.known_ids = set(
            Officer.objects.filter(id_number__in=id_numbers).values_list("id_number", flat=True)
        )
        numbers = {rules.normalize_certificate_number(_text(row.get("证件编号"))) for _, row in data}
        self.known_numbers = set(
            Certificate.objects.filter(number__in=numbers).values_list("number", flat=True)
        )
        self.can_issue = user.has_perm("personnel.add_certificate")

    def unit(self, text: str) -> tuple[Organization | None, str | None]:
        parts = [p.strip() for p in text.split("/") if p.strip()]
        if not parts:
            return None, "请填写所在单位。"
        if len(parts) > 2:
            return None, "所在单位最多写两级：“执法主体名称/内设机构名称”。"
        candidates = [u for u in self.units if u.name == parts[-1]]
        if len(parts) == 2:
            parents = [a for a in self.agencies.values() if a.name == parts[0]]
            candidates = [u for u in candidates if any(u.path.startswith(a.path) and u != a for a in parents)]
        if not candidates:
            return None, f"在您的管理范围内找不到单位“{text}”。"
        if len(candidates) > 1:
            return None, f"单位“{text}”对应多个机构，请写作“执法主体名称/内设机构名称”。"
        return candidates[0], None


def _choice(text: str, choices) -> str | None:
    return next((value for value, label in choices if label == text), None)


def check_row(
    number: int, raw: dict, lookups: Lookups, seen: dict
) -> tuple[ImportRow | None, list[RowError]]:
    errors: list[RowError] = []

    def error(column, message):
        errors.append(RowError(number, column, message))

    value = {h: _text(raw.get(h)) for h in HEADERS}
    raw_id = raw.get("身份证号")
    id_number = value["身份证号"].upper()
    if isinstance(raw_id, int | float):
        error("身份证号", "身份证号被Excel存成了数字，末几位可能已经丢失；请把该列设为“文本”格式后重新填写。")
    elif message := id_number_error(id_number):
        error("身份证号", message)
    elif id_number in lookups.known_ids:
        error("身份证号", "该身份证号的执法人员已经登记，不能重复导入。")
    elif id_number in seen["id"]:
        error("身份证号", f"与第{seen['id'][id_number]}行的身份证号重复。")
    seen["id"].setdefault(id_number, number)

    gender = _choice(value["性别"], Gender.choices)
    if not gender:
        error("性别", "性别应填写“男”或“女”。")
    employment = _choice(value["用工性质"], EmploymentType.choices)
    if not employment:
        error("用工性质", "用工性质应为：" + "、".join(EmploymentType.labels) + "。")
    unit, message = lookups.unit(value["所在单位"])
    if message:
        error("所在单位", message)
    if value["联系电话"] and (message := phone_error(value["联系电话"])):
        error("联系电话", message)
    date_errors: list[str] = []
    qualification_date = _date(raw.get("法律职业资格取得日期"), "法律职业资格取得日期", date_errors)
    for message in date_errors:
        error("法律职业资格取得日期", message)

    officer = Officer(
        name=value["姓名"],
        gender=gender or "",
        id_number=id_number,
        organization=unit,
        position=value["职务"],
        employment_type=employment or "",
        phone=value["联系电话"],
        legal_qualification_number=value["法律职业资格证书编号"],
        legal_qualification_date=qualification_date,
        status=OfficerStatus.ACTIVE,
    )
    _model_errors(officer, number, errors, skip={"photo", "user"} | _columns_with_errors(errors))

    certificate, fields, regions = _check_certificate(number, raw, value, officer, lookups, seen, errors)
    if errors:
        return None, errors
    return ImportRow(number, officer, certificate, fields, regions), []


def _columns_with_errors(errors: list[RowError]) -> set[str]:
    reverse = {column: name for name, column in MODEL_COLUMNS.items()}
    return {reverse[e.column] for e in errors if e.column in reverse}


def _model_errors(instance, number: int, errors: list[RowError], skip: set[str]) -> None:
    try:
        instance.full_clean(exclude=list(skip), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            for message in messages:
                errors.append(RowError(number, MODEL_COLUMNS.get(name, ""), message))


def _check_certificate(number, raw, value, officer, lookups, seen, errors):
    from .services import certificate_problems

    if not any(value[c] for c in CERTIFICATE_COLUMNS):
        return None, [], []

    def error(column, message):
        errors.append(RowError(number, column, message))

    if not lookups.can_issue:
        error("证件编号", "您的角色无权发放执法证件（由司法行政部门办理），请删除证件各列后导入人员信息。")
        return None, [], []
    for column in CERTIFICATE_COLUMNS:
        if not value[column]:
            error(column, f"填写了证件信息时，“{column}”为必填。")
    cert_number = rules.normalize_certificate_number(value["证件编号"])
    if cert_number in lookups.known_numbers:
        error("证件编号", "该执法证件编号已被使用，证件编号不能重复。")
    elif cert_number and cert_number in seen["number"]:
        error("证件编号", f"与第{seen['number'][cert_number]}行的证件编号重复。")
    if cert_number:
        seen["number"].setdefault(cert_number, number)

    fields, regions = [], []
    for name in SEPARATORS.split(value["执法类别"]):
        if name and (found := lookups.fields.get(name) or lookups.fields.get(name.upper())) is None:
            error("执法类别", f"找不到执法类别“{name}”。")
        elif name:
            fields.append(found)
    for name in SEPARATORS.split(value["执法区域"]):
        matches = lookups.regions.get(name, []) if name else None
        if matches is None:
            continue
        if not matches:
            error("执法区域", f"找不到行政区划“{name}”。")
        elif len({r.pk for r in matches}) > 1:
            error("执法区域", f"行政区划“{name}”有重名，请改填6位区划代码。")
        else:
            regions.append(matches[0])
    authorities = lookups.authorities.get(value["发证机关"], [])
    if value["发证机关"] and not authorities:
        error("发证机关", f"在您的管理范围内找不到人民政府或司法局“{value['发证机关']}”。")
    elif len(authorities) > 1:
        error("发证机关", f"发证机关“{value['发证机关']}”有重名，请联系管理员。")
    date_errors: list[str] = []
    issued_on = _date(raw.get("发证日期"), "发证日期", date_errors)
    valid_until = _date(raw.get("有效期至"), "有效期至", date_errors)
    for message in date_errors:
        error("发证日期" if message.startswith("发证日期") else "有效期至", message)

    certificate = Certificate(
        number=cert_number,
        officer=officer,
        issuing_authority=authorities[0] if len(authorities) == 1 else None,
        issued_on=issued_on,
        valid_until=valid_until,
    )
    if officer.organization_id and officer.employment_type:
        already = {e.column for e in errors}
        for name, message in certificate_problems(certificate, fields, regions, timezone.localdate()).items():
            column = MODEL_COLUMNS.get(name, "")
            if column not in already:
                error(column, message)
    return certificate, fields, regions


def check_file(user, upload) -> ImportReport:
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
    lookups = Lookups(user, data)
    seen: dict[str, dict[str, int]] = {"id": {}, "number": {}}
    for number, raw in data:
        row, errors = check_row(number, raw, lookups, seen)
        if row:
            report.rows.append(row)
        report.errors.extend(errors)
    return report
