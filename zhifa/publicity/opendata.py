"""Open data (G10): the 双公示 layouts of 行政处罚 and 行政许可, projected from ``PortalEntry``.

The export is a projection of the approved, redacted snapshot (``snapshot.py`` keys): nothing is
derived a second time and nothing is read from case tables (ARCHITECTURE.md principles 4–5).

* Columns and their order follow G10 (信用中国 双公示 standard as used by public implementations).
* Amounts are in 万元 with four decimals (``rules.wan_yuan``); dates are ISO (YYYY-MM-DD).
* The ID type/number of natural persons and of legal representatives are "not public" in G10:
  those columns are always present and always empty.
* Withdrawn decisions (G5) are left out of the 双公示 export, as 信用中国 removes a record whose
  decision was changed, revoked, confirmed illegal or void; the JSON API keeps them, flagged, so a
  consumer that synchronises by ``updated_since`` learns to delete its copy.
* Items past their display period (G9) are not exported even if the expiry sweep has not yet run.

Also here: the filter parameters shared by the JSON API and the exports, and the keyset cursor.
"""

from __future__ import annotations

import base64
import binascii
import csv
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.db.models import Q
from django.utils import timezone

from . import snapshot
from .models import Category, PortalEntry
from .rules import wan_yuan
from .search import parse_id

G10_BASIS = "信用中国“双公示”数据标准（行政处罚、行政许可信息）"
EXPORT_CATEGORIES = {Category.PENALTY: "行政处罚", Category.LICENSING: "行政许可"}
NOT_PUBLIC = "不公开（G10）：本列始终为空"


# --- Columns ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str
    value: Callable[[dict], object]
    kind: str = "text"  # text | date | amount | hidden


def _text(key: str) -> Callable[[dict], str]:
    def value(fields: dict) -> str:
        raw = fields.get(key)
        if raw is None:
            return ""
        if isinstance(raw, list | tuple):
            return ";".join(str(v) for v in raw if v not in (None, ""))
        return str(raw)

    return value


def _first(*keys: str) -> Callable[[dict], str]:
    readers = [_text(k) for k in keys]

    def value(fields: dict) -> str:
        for read in readers:
            if text := read(fields):
                return text
        return ""

    return value


def _iso(key: str) -> Callable[[dict], str]:
    def value(fields: dict) -> str:
        raw = fields.get(key)
        if isinstance(raw, datetime):
            return timezone.localdate(raw).isoformat() if timezone.is_aware(raw) else raw.date().isoformat()
        if isinstance(raw, date):
            return raw.isoformat()
        text = str(raw or "").strip()
        try:
            return date.fromisoformat(text[:10]).isoformat() if text else ""
        except ValueError:
            return text

    return value


def _wan(key: str) -> Callable[[dict], Decimal | str]:
    """Snapshot amounts are 元 strings; the layout wants 万元 (G10). Empty stays empty."""

    def value(fields: dict) -> Decimal | str:
        raw = fields.get(key)
        if raw in (None, ""):
            return ""
        try:
            return wan_yuan(Decimal(str(raw)))
        except (InvalidOperation, ValueError):
            return ""

    return value


def _hidden(fields: dict) -> str:
    return ""


def _remarks(fields: dict) -> str:
    return _text("remarks")(fields)


PARTY_COLUMNS = (
    Column(
        "行政相对人名称",
        "被处罚或被许可的法人、非法人组织、个体工商户或自然人的名称。自然人姓名按 G4 默认隐去名字（如“张某”）；个体工商户经营者为自然人的，同样处理。",
        _text("party_name"),
    ),
    Column("行政相对人类别", "“法人及非法人组织”“自然人”“个体工商户”三者之一。", _text("party_kind")),
    Column(
        "统一社会信用代码",
        "法人、非法人组织和个体工商户的18位统一社会信用代码（GB 32100）；自然人为空。",
        _text("credit_code"),
    ),
    Column(
        "工商注册号", "统一社会信用代码赋码前的旧登记代码。本平台只登记统一社会信用代码，本列为空。", _hidden
    ),
    Column("组织机构代码", "同上，旧代码，本列为空。", _hidden),
    Column("税务登记号", "同上，旧代码，本列为空。", _hidden),
    Column("事业单位证书号", "同上，旧代码，本列为空。", _hidden),
    Column("社会组织登记证号", "同上，旧代码，本列为空。", _hidden),
    Column(
        "法定代表人",
        "法人及非法人组织的法定代表人（负责人）姓名；个体工商户为经营者（姓名隐去名字）；自然人为空。",
        _text("legal_representative"),
    ),
    Column("法定代表人证件类型", NOT_PUBLIC, _hidden, "hidden"),
    Column("法定代表人证件号码", NOT_PUBLIC, _hidden, "hidden"),
    Column("证件类型", f"自然人的身份证件类型。{NOT_PUBLIC}", _hidden, "hidden"),
    Column("证件号码", f"自然人的身份证件号码。{NOT_PUBLIC}", _hidden, "hidden"),
)

TAIL_SOURCE = (
    Column(
        "数据来源单位",
        "报送数据的单位名称（谁执法谁公示：即作出决定的执法主体）。",
        _first("source_name", "agency_name"),
    ),
    Column(
        "数据来源单位统一社会信用代码",
        "数据来源单位的统一社会信用代码。",
        _first("source_credit_code", "agency_credit_code"),
    ),
    Column("备注", "公示内容中的备注；更正后重新公示的，注明版本。", _remarks),
)

PENALTY_COLUMNS = (
    *PARTY_COLUMNS,
    Column("行政处罚决定书文号", "行政处罚决定书的文号。", _text("document_number")),
    Column("违法行为类型", "违反的法律、法规、规章规定的违法行为（案由）。", _text("violation_type")),
    Column("违法事实", "行政处罚决定书认定的主要违法事实（已按 G4、G8 隐去个人信息）。", _text("facts")),
    Column("处罚依据", "作出处罚所依据的法律、法规、规章条款。", _text("basis")),
    Column(
        "处罚类别",
        "警告、通报批评、罚款、没收违法所得、没收非法财物、暂扣许可证件、吊销许可证件、责令停产停业、行政拘留等；多个类别以英文分号“;”分隔。",
        _text("penalty_kinds"),
    ),
    Column("处罚内容", "处罚决定的具体内容。", _text("penalty_content")),
    Column("罚款金额(万元)", "罚款金额，单位万元，保留四位小数；无罚款的为空。", _wan("fine_yuan"), "amount"),
    Column(
        "没收违法所得、没收非法财物的金额(万元)",
        "没收违法所得、没收非法财物的金额，单位万元，保留四位小数；无没收的为空。",
        _wan("confiscation_yuan"),
        "amount",
    ),
    Column(
        "暂扣或吊销证照名称及编号", "被暂扣或吊销的许可证件、执照的名称及编号。", _text("licence_affected")
    ),
    Column("处罚决定日期", "作出行政处罚决定的日期（YYYY-MM-DD）。", _iso("decided_on"), "date"),
    Column(
        "处罚有效期",
        "处罚决定的履行期限或有效期截止日期（YYYY-MM-DD）；没有的为空。",
        _iso("penalty_valid_until"),
        "date",
    ),
    Column(
        "公示截止期",
        "在门户网站公示的截止日期（YYYY-MM-DD），按失信行为严重程度确定（G9），期满后不再公示和导出。",
        _iso("display_until"),
        "date",
    ),
    Column("处罚机关", "作出行政处罚决定的执法主体名称。", _text("agency_name")),
    Column("处罚机关统一社会信用代码", "处罚机关的统一社会信用代码。", _text("agency_credit_code")),
    *TAIL_SOURCE,
)

LICENSING_COLUMNS = (
    *PARTY_COLUMNS,
    Column("行政许可决定文书名称", "准予行政许可决定书等文书的名称。", _text("document_title")),
    Column("行政许可决定文书号", "行政许可决定文书的文号。", _text("document_number")),
    Column("许可类别", "普通、特许、认可、核准、登记、其他。", _text("licence_category")),
    Column("许可证书名称", "颁发的许可证件名称；未颁发证件的为空。", _text("certificate_name")),
    Column("许可编号", "许可证件编号。", _text("licence_number")),
    Column("许可内容", "准予许可的具体内容。", _text("licence_content")),
    Column("许可决定日期", "作出行政许可决定的日期（YYYY-MM-DD）。", _iso("decided_on"), "date"),
    Column("有效期自", "许可有效期起始日期（YYYY-MM-DD）。", _iso("valid_from"), "date"),
    Column("有效期至", "许可有效期截止日期（YYYY-MM-DD）；长期有效的为空。", _iso("valid_to"), "date"),
    Column("许可机关", "作出行政许可决定的执法主体名称。", _text("agency_name")),
    Column("许可机关统一社会信用代码", "许可机关的统一社会信用代码。", _text("agency_credit_code")),
    *TAIL_SOURCE,
)

LAYOUTS = {Category.PENALTY: PENALTY_COLUMNS, Category.LICENSING: LICENSING_COLUMNS}


def columns(category: str) -> tuple[Column, ...]:
    return LAYOUTS[category]


HEADERS = {category: tuple(c.name for c in layout) for category, layout in LAYOUTS.items()}


def headers(category: str) -> list[str]:
    return list(HEADERS[category])


def row(category: str, fields: dict, version_number: int = 1) -> list:
    """One record of the 双公示 layout (G10), in column order. Amounts are ``Decimal`` 万元 or ''."""
    values = [column.value(fields) for column in LAYOUTS[category]]
    if version_number > 1:
        note = f"本条为更正后的第{version_number}版公示内容。"
        values[-1] = f"{values[-1]}；{note}" if values[-1] else note
    return values


def record(category: str, fields: dict, version_number: int = 1) -> dict | None:
    """The layout as a JSON object (column name → value, in order), or None for other categories."""
    if category not in LAYOUTS:
        return None
    return {
        name: (str(value) if isinstance(value, Decimal) else value)
        for name, value in zip(HEADERS[category], row(category, fields, version_number), strict=True)
    }


# --- Public snapshot fields of the JSON API -----------------------------------------------------

WITHDRAWAL_KEYS = ("withdrawal_kind_label", "withdrawal_reason", "withdrawn_on")
EXTRA_KEYS = {
    "party_kind_code": "行政相对人类别代码（legal_person 法人及非法人组织、natural_person 自然人、individual_business 个体工商户）",
    "penalty_kind_codes": "处罚种类代码列表（与“处罚类别”一一对应）",
    "withdrawal_kind_label": "撤回原因类别（已撤回的条目）",
    "withdrawal_reason": "撤回理由（已撤回的条目，G5）",
    "withdrawn_on": "撤回日期（已撤回的条目）",
}
# Keys that must never leave the portal whatever a snapshot contains (G4, G8, G10): defence in depth.
_PRIVATE = re.compile(r"(id_number|id_type|phone|address|bank|birth|^_)")


def public_fields(category: str, fields: dict) -> dict:
    """The snapshot keys the API publishes: the documented keys of the category, nothing else."""
    allowed = {f.key for f in snapshot.BY_CATEGORY.get(category, ())} | set(EXTRA_KEYS)
    return {k: v for k, v in (fields or {}).items() if k in allowed and not _PRIVATE.search(k)}


def field_dictionary() -> list[tuple[str, list[tuple[str, str]]]]:
    """(category label, [(key, label)]) for the documentation page: every snapshot key by category."""
    return [
        (Category(code).label, [(f.key, f.label) for f in fields])
        for code, fields in snapshot.BY_CATEGORY.items()
    ]


# --- Filters ------------------------------------------------------------------------------------


class FilterError(ValueError):
    """Bad query parameters: ``errors`` maps the parameter to a Chinese message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("；".join(f"{k}：{v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class Filters:
    agency: int | None = None
    category: str | None = None
    decided_from: date | None = None
    decided_to: date | None = None
    updated_since: datetime | None = None
    withdrawn: bool | None = None


def _parse_date(raw: str) -> date:
    return date.fromisoformat(raw.strip())


def _parse_datetime(raw: str) -> datetime:
    raw = raw.strip()
    if " " in raw and "T" not in raw:  # "2026-01-31 08:00:00"
        raw = raw.replace(" ", "T", 1)
    raw = raw.replace(" ", "+")  # an unencoded "+08:00" arrives as " 08:00"
    if len(raw) == 10:
        value = datetime.combine(date.fromisoformat(raw), time.min)
    else:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def parse_filters(
    params, *, categories: Iterable[str] | None = None, allow_withdrawn: bool = True
) -> Filters:
    """Read the filter parameters; every problem is reported, in Chinese, per parameter."""
    errors: dict[str, str] = {}
    values: dict = {}
    raw = (params.get("agency") or "").strip()
    if raw:
        if (agency := parse_id(raw)) and agency < 2**31:
            values["agency"] = agency
        else:
            errors["agency"] = (
                "应为执法主体编号（正整数），见 /api/organizations/ 或门户执法主体页面地址中的数字。"
            )
    raw = (params.get("category") or "").strip()
    if raw and categories is not None:
        allowed = list(categories)
        if raw in allowed:
            values["category"] = raw
        else:
            errors["category"] = f"应为以下之一：{'、'.join(allowed)}。"
    for name in ("decided_from", "decided_to"):
        raw = (params.get(name) or "").strip()
        if raw:
            try:
                values[name] = _parse_date(raw)
            except ValueError:
                errors[name] = "日期格式应为 YYYY-MM-DD，如 2026-01-31。"
    if (
        values.get("decided_from")
        and values.get("decided_to")
        and values["decided_from"] > values["decided_to"]
    ):
        errors["decided_to"] = "结束日期不能早于开始日期。"
    raw = (params.get("updated_since") or "").strip()
    if raw:
        try:
            values["updated_since"] = _parse_datetime(raw)
        except ValueError:
            errors["updated_since"] = "应为 ISO 8601 日期或时间，如 2026-01-31 或 2026-01-31T08:00:00+08:00。"
    raw = (params.get("withdrawn") or "").strip().lower()
    if raw and allow_withdrawn:
        if raw in ("true", "1", "yes"):
            values["withdrawn"] = True
        elif raw in ("false", "0", "no"):
            values["withdrawn"] = False
        else:
            errors["withdrawn"] = "应为 true 或 false。"
    if errors:
        raise FilterError(errors)
    return Filters(**values)


def entries(filters: Filters, *, today: date | None = None):
    """Entries on the portal (G9: not past their display period) matching ``filters``."""
    today = today or timezone.localdate()
    queryset = PortalEntry.objects.filter(Q(display_until__isnull=True) | Q(display_until__gte=today))
    if filters.agency is not None:
        queryset = queryset.filter(agency_id=filters.agency)
    if filters.category:
        queryset = queryset.filter(category=filters.category)
    if filters.decided_from:
        queryset = queryset.filter(decided_on__gte=filters.decided_from)
    if filters.decided_to:
        queryset = queryset.filter(decided_on__lte=filters.decided_to)
    if filters.updated_since:
        queryset = queryset.filter(updated_at__gte=filters.updated_since)
    if filters.withdrawn is not None:
        queryset = queryset.filter(withdrawn=filters.withdrawn)
    return queryset


# --- Keyset cursor (deep pages cost the same as the first) --------------------------------------

ORDER_DECIDED = "decided"  # newest decision first: (decided_on, id) descending
ORDER_UPDATED = "updated"  # oldest change first: (updated_at, id) ascending — for synchronising
ORDERS = (ORDER_DECIDED, ORDER_UPDATED)


def ordered(queryset, order: str):
    if order == ORDER_UPDATED:
        return queryset.order_by("updated_at", "publication_id")
    return queryset.order_by("-decided_on", "-publication_id")


def encode_cursor(order: str, entry: PortalEntry) -> str:
    key = entry.updated_at.isoformat() if order == ORDER_UPDATED else entry.decided_on.isoformat()
    payload = json.dumps([order, key, entry.publication_id], separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, order: str) -> tuple[object, int]:
    message = "cursor 无效：请原样使用上一页响应中的 next 链接（或 next_cursor），不要修改。"
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        kind, key, pk = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        if kind != order:
            raise FilterError({"cursor": "cursor 与 order 参数不一致：翻页时请保持 order 不变。"})
        if not isinstance(pk, int) or not 0 < pk < 2**62:
            raise ValueError(pk)
        value = datetime.fromisoformat(key) if order == ORDER_UPDATED else date.fromisoformat(key)
    except FilterError:
        raise
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError, json.JSONDecodeError):
        raise FilterError({"cursor": message}) from None
    return value, pk


def after_cursor(queryset, order: str, cursor: str):
    """Rows strictly after the cursor position. The bound on the leading column lets both
    databases start the index range scan at the cursor instead of filtering from the top."""
    value, pk = decode_cursor(cursor, order)
    if order == ORDER_UPDATED:
        return queryset.filter(updated_at__gte=value).filter(
            Q(updated_at__gt=value) | Q(publication_id__gt=pk)
        )
    return queryset.filter(decided_on__lte=value).filter(Q(decided_on__lt=value) | Q(publication_id__lt=pk))


# --- Export rows --------------------------------------------------------------------------------

# Per-request caps keep one download well inside a worker's request timeout (gunicorn: 30 s);
# larger sets are fetched by date range or agency (documented on /open-data/). Streaming itself has
# no size limit: the bench streams 700 000 rows in one response with flat memory.
CSV_MAX_ROWS = 200_000
XLSX_MAX_ROWS = 20_000
CHUNK = 2000
# A text cell a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV injection);
# amounts and dates never start with these characters.
_FORMULA_FIRST = frozenset("=+-@\t\r")


def export_queryset(category: str, filters: Filters, *, today: date | None = None):
    """Not withdrawn (see the module docstring), newest decision first, only the columns needed."""
    queryset = entries(replace(filters, category=category, withdrawn=False), today=today)
    return queryset.order_by("-decided_on", "-publication_id").values_list("fields", "version_number")


def too_many(queryset, cap: int) -> bool:
    return queryset[cap : cap + 1].exists()


def export_rows(category: str, queryset) -> Iterator[list]:
    for fields, version_number in queryset.iterator(chunk_size=CHUNK):
        yield row(category, fields or {}, version_number)


class _Echo:
    def write(self, value):
        return value


def csv_chunks(category: str, rows: Iterable[list], batch: int = 500) -> Iterator[str]:
    """CSV text in chunks, UTF-8 with a BOM so that spreadsheet programs read the Chinese right."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield "\ufeff" + writer.writerow(headers(category))
    text_columns = [i for i, c in enumerate(LAYOUTS[category]) if c.kind == "text"]
    lines = []
    for values in rows:
        for i in text_columns:
            value = values[i]
            if value and value[0] in _FORMULA_FIRST:
                values[i] = "'" + value
        lines.append(writer.writerow(values))
        if len(lines) >= batch:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def write_xlsx(category: str, rows: Iterable[list], target, notes: list[tuple[str, str]]) -> int:
    """Write the layout into ``target`` with openpyxl's write-only mode (rows go to disk as they
    come; memory stays flat). Returns the number of data rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    def cell(value, last: bool):
        if value == "":
            # an empty cell is not written at all, except the last one (rows keep their width)
            return "" if last else None
        if isinstance(value, str):
            if _ILLEGAL_XML.search(value):
                value = _ILLEGAL_XML.sub("", value)
            if value.startswith("="):  # text, never a formula
                text = WriteOnlyCell(sheet, value=value)
                text.data_type = "s"
                return text
        return value

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(EXPORT_CATEGORIES[category])
    sheet.append(headers(category))
    last = len(LAYOUTS[category]) - 1
    count = 0
    for values in rows:
        sheet.append([cell(value, i == last) for i, value in enumerate(values)])
        count += 1
    about = workbook.create_sheet("说明")
    for label, text in notes:
        about.append([label, text])
    workbook.save(target)
    return count
