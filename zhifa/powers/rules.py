"""Rules for the law library, 权责清单 and 随机抽查事项 (pure functions, no database)."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

PENALTY_LAW = "《中华人民共和国行政处罚法》"

# 处罚法 Art. 9: the kinds of 行政处罚 (the last one covers 法律、行政法规规定的其他行政处罚).
PENALTY_KINDS = [
    ("warning", "警告"),
    ("circulated_criticism", "通报批评"),
    ("fine", "罚款"),
    ("confiscate_income", "没收违法所得"),
    ("confiscate_property", "没收非法财物"),
    ("suspend_license", "暂扣许可证件"),
    ("lower_qualification", "降低资质等级"),
    ("revoke_license", "吊销许可证件"),
    ("restrict_business", "限制开展生产经营活动"),
    ("suspend_business", "责令停产停业"),
    ("close", "责令关闭"),
    ("restrict_practice", "限制从业"),
    ("detention", "行政拘留"),
    ("other", "其他"),
]
PENALTY_KIND_LABELS = dict(PENALTY_KINDS)

# What a fine may be a multiple of, as 法律 phrase it (违法所得二倍以上五倍以下 …).
MULTIPLE_BASES = [
    ("illegal_income", "违法所得"),
    ("goods_value", "货值金额"),
    ("advertising_fee", "广告费用"),
    ("contract_price", "合同价款"),
    ("illegal_revenue", "违法收入"),
    ("sales", "销售金额"),
    ("business_volume", "违法经营额"),
    ("other", "其他"),
]
MULTIPLE_BASE_BY_LABEL = {label: code for code, label in MULTIPLE_BASES}

MAX_CODE_LENGTH = 64
CODE_PATTERN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z\-_.]*$")


def power_code_error(code: str) -> str | None:
    """事项编码 formats differ by province (31-digit national codes, ``XK…`` codes, plain numbers),
    so only input that cannot be a code is refused: spaces, Chinese characters, punctuation."""
    code = (code or "").strip()
    if not code:
        return None
    if len(code) > MAX_CODE_LENGTH:
        return f"事项编码过长（{len(code)}位），不能超过{MAX_CODE_LENGTH}位。"
    if not CODE_PATTERN.match(code):
        return "事项编码只能由数字、英文字母和“-”“_”“.”组成，不能含空格或汉字，如“XK1400100011522427009668517R14522427”。"
    return None


def penalty_range_errors(
    *,
    is_penalty: bool,
    kinds: list[str],
    fine_min: Decimal | None,
    fine_max: Decimal | None,
    multiple_base: str,
    multiple_min: Decimal | None,
    multiple_max: Decimal | None,
) -> dict[str, str]:
    """The legal range of a 行政处罚 事项 (处罚法 Art. 4, 9): which kinds, and how much."""
    errors: dict[str, str] = {}
    has_amount = fine_min is not None or fine_max is not None
    has_multiple = multiple_min is not None or multiple_max is not None or bool(multiple_base)
    if not is_penalty:
        if kinds or has_amount or has_multiple:
            errors["penalty_kinds"] = "只有行政处罚事项才填写处罚种类和处罚幅度。"
        return errors
    unknown = [k for k in kinds if k not in PENALTY_KIND_LABELS]
    if unknown:
        errors["penalty_kinds"] = f"处罚种类“{unknown[0]}”不是{PENALTY_LAW}第九条规定的种类。"
    elif not kinds and not has_amount and not has_multiple:
        errors["penalty_kinds"] = (
            f"行政处罚事项必须写明处罚种类或处罚幅度：处罚须依照法律、法规、规章的规定实施"
            f"（{PENALTY_LAW}第四条），种类见第九条。"
        )
    for field, value in (
        ("fine_min", fine_min),
        ("fine_max", fine_max),
        ("multiple_min", multiple_min),
        ("multiple_max", multiple_max),
    ):
        if value is not None and value < 0:
            errors[field] = "幅度不能为负数。"
    if fine_min is not None and fine_max is not None and fine_min > fine_max:
        errors["fine_max"] = f"罚款上限（{fine_max}元）不能低于下限（{fine_min}元）。"
    if multiple_min is not None and multiple_max is not None and multiple_min > multiple_max:
        errors["multiple_max"] = f"倍数上限（{multiple_max}倍）不能低于下限（{multiple_min}倍）。"
    if has_multiple and not multiple_base:
        errors["multiple_base"] = "按倍数计算罚款时，请选择计算基数（如违法所得、货值金额）。"
    if has_multiple and multiple_min is None and multiple_max is None:
        errors.setdefault("multiple_max", "选择了倍数基数，请填写倍数幅度。")
    if (has_amount or has_multiple) and "fine" not in kinds and "penalty_kinds" not in errors:
        errors["penalty_kinds"] = f"填写了罚款幅度，处罚种类应包含“罚款”（{PENALTY_LAW}第九条）。"
    return errors


def version_in_force(versions: list[tuple[date, date]], today: date) -> int | None:
    """Index of the version that applies on ``today``: the latest effective date not after today;
    when none is in force yet, the latest one (so the library shows the text that is coming).

    ``versions`` are ``(version_date, effective_date)`` pairs. The law applied to an act is the one
    in force when the act happened (处罚法 Art. 37), so "current" means "in force now".
    """
    if not versions:
        return None
    ordered = sorted(range(len(versions)), key=lambda i: (versions[i][1], versions[i][0]))
    in_force = [i for i in ordered if versions[i][1] <= today]
    return in_force[-1] if in_force else ordered[-1]


def format_amount(value: Decimal | None) -> str:
    """12345.00 → ``1.2345万元``; 500 → ``500元``."""
    if value is None:
        return ""
    value = Decimal(value)
    if value >= 10_000:
        return f"{(value / 10_000).normalize():f}万元"
    return f"{value.normalize():f}元"


def legal_range_text(
    kinds: list[str],
    fine_min: Decimal | None,
    fine_max: Decimal | None,
    multiple_base: str,
    multiple_min: Decimal | None,
    multiple_max: Decimal | None,
) -> str:
    parts = []
    if kinds:
        parts.append("、".join(PENALTY_KIND_LABELS.get(k, k) for k in kinds))
    if fine_max is not None:
        low = format_amount(fine_min) if fine_min else ""
        parts.append(f"罚款{low + '以上' if low else ''}{format_amount(fine_max)}以下")
    elif fine_min is not None:
        parts.append(f"罚款{format_amount(fine_min)}以上")
    if multiple_min is not None or multiple_max is not None:
        base = dict(MULTIPLE_BASES).get(multiple_base, multiple_base)
        low = f"{Decimal(multiple_min).normalize():f}倍以上" if multiple_min else ""
        high = f"{Decimal(multiple_max).normalize():f}倍以下" if multiple_max is not None else ""
        parts.append(f"{base}{low}{high}罚款")
    return "；".join(parts)


# --- 裁量基准 (S8) ---------------------------------------------------------------------------------
# 处罚法 Art. 34: agencies may set 行政处罚裁量基准 and must publish them; 裁量意见 (国办发〔2022〕27号)
# asks for tiers by 情节 (不予/减轻/从轻/一般/从重) inside the statutory range.
S8_BASIS = f"（S8，{PENALTY_LAW}第三十四条）"

TIER_NONE, TIER_MITIGATED, TIER_LIGHTER, TIER_GENERAL, TIER_HEAVIER = (
    "none",
    "mitigated",
    "lighter",
    "general",
    "heavier",
)
TIERS = [
    (TIER_NONE, "不予处罚"),
    (TIER_MITIGATED, "减轻处罚"),
    (TIER_LIGHTER, "从轻处罚"),
    (TIER_GENERAL, "一般处罚"),
    (TIER_HEAVIER, "从重处罚"),
]
TIER_LABELS = dict(TIERS)
TIER_SHORT = {
    TIER_NONE: "不予处罚",
    TIER_MITIGATED: "减轻",
    TIER_LIGHTER: "从轻",
    TIER_GENERAL: "一般",
    TIER_HEAVIER: "从重",
}
TIER_RANK = {code: rank for rank, (code, _) in enumerate(TIERS)}

# The names tiers go by in published tables: decision tiers (x02) and severity classes (x01, x03,
# x04). A severity class maps onto the statutory tier whose range it occupies; the importer lets a
# row override the mapping in the “裁量阶次” column.
LEVEL_LABEL_TIERS = {
    "不予处罚": TIER_NONE,
    "不予行政处罚": TIER_NONE,
    "免予处罚": TIER_NONE,
    "免予行政处罚": TIER_NONE,
    "免罚": TIER_NONE,
    "减轻": TIER_MITIGATED,
    "减轻处罚": TIER_MITIGATED,
    "从轻": TIER_LIGHTER,
    "从轻处罚": TIER_LIGHTER,
    "轻微": TIER_LIGHTER,
    "较轻": TIER_LIGHTER,
    "一般": TIER_GENERAL,
    "一般处罚": TIER_GENERAL,
    "从重": TIER_HEAVIER,
    "从重处罚": TIER_HEAVIER,
    "较重": TIER_HEAVIER,
    "严重": TIER_HEAVIER,
    "特别严重": TIER_HEAVIER,
}

# Statutory circumstances a case can record (处罚法 Art. 30–33, 49). ``effect`` is the tier the
# statute points to; 第三十二条 allows 从轻 or 减轻, so its circumstances match either tier.
CIRCUMSTANCES = [
    ("under_14", "不满十四周岁的未成年人有违法行为", TIER_NONE, "第三十条"),
    ("incapacity", "精神病人、智力残疾人在不能辨认或者不能控制自己行为时有违法行为", TIER_NONE, "第三十一条"),
    ("minor_corrected", "违法行为轻微并及时改正，没有造成危害后果", TIER_NONE, "第三十三条第一款"),
    ("first_minor", "初次违法且危害后果轻微并及时改正", TIER_NONE, "第三十三条第一款"),
    ("no_fault", "当事人有证据足以证明没有主观过错", TIER_NONE, "第三十三条第二款"),
    ("age_14_18", "已满十四周岁不满十八周岁的未成年人有违法行为", TIER_MITIGATED, "第三十条"),
    (
        "limited_capacity",
        "尚未完全丧失辨认或者控制自己行为能力的精神病人、智力残疾人有违法行为",
        TIER_MITIGATED,
        "第三十一条",
    ),
    ("eliminated_harm", "主动消除或者减轻违法行为危害后果", TIER_MITIGATED, "第三十二条第（一）项"),
    ("coerced", "受他人胁迫或者诱骗实施违法行为", TIER_MITIGATED, "第三十二条第（二）项"),
    ("confessed", "主动供述行政机关尚未掌握的违法行为", TIER_MITIGATED, "第三十二条第（三）项"),
    ("meritorious", "配合行政机关查处违法行为有立功表现", TIER_MITIGATED, "第三十二条第（四）项"),
    ("emergency", "在发生重大传染病疫情等突发事件期间实施违法行为", TIER_HEAVIER, "第四十九条"),
]
CIRCUMSTANCE_LABELS = {code: label for code, label, _, _ in CIRCUMSTANCES}
CIRCUMSTANCE_EFFECT = {code: effect for code, _, effect, _ in CIRCUMSTANCES}
CIRCUMSTANCE_BASIS = {code: basis for code, _, _, basis in CIRCUMSTANCES}
CIRCUMSTANCE_BY_LABEL = {label: code for code, label, _, _ in CIRCUMSTANCES}
# Untagged 不予/减轻/从轻 rows (“符合裁量规则减轻处罚情形规定的”, x02) apply on these statutory grounds.
IMPLICIT_TAGS = {
    TIER_NONE: {c for c, e in CIRCUMSTANCE_EFFECT.items() if e == TIER_NONE},
    TIER_MITIGATED: {c for c, e in CIRCUMSTANCE_EFFECT.items() if e == TIER_MITIGATED},
    TIER_LIGHTER: {c for c, e in CIRCUMSTANCE_EFFECT.items() if e == TIER_MITIGATED},
}

BAND_LOWER_INCLUSIVE, BAND_UPPER_INCLUSIVE = "lower", "upper"
BAND_BOUNDARIES = [
    (BAND_LOWER_INCLUSIVE, "“以上”含本数，“以下”不含本数"),
    (BAND_UPPER_INCLUSIVE, "“以下”含本数，“以上”不含本数"),
]

# Party roles as tables name them; a case's party type is matched through these aliases.
PARTY_ALIASES = {
    "个人": {"个人", "自然人", "person", "natural_person"},
    "单位": {"单位", "法人", "其他组织", "法人或者其他组织", "organization", "legal_person", "个体工商户"},
}
BASE_LABELS = dict(MULTIPLE_BASES)
BASE_ALIASES = {
    **{label: code for code, label in MULTIPLE_BASES},
    "货值": "goods_value",
    "工程合同价款": "contract_price",
}


def tier_for_label(label: str) -> str | None:
    """The statutory tier a published tier name stands for (“较重” → 从重, “免予处罚” → 不予处罚)."""
    text = re.sub(r"\s+", "", label or "")
    if text in TIER_LABELS:
        return text
    for candidate in (
        text,
        text.removesuffix("违法行为"),
        text.removesuffix("情节"),
        text.removesuffix("情形"),
    ):
        if candidate in LEVEL_LABEL_TIERS:
            return LEVEL_LABEL_TIERS[candidate]
    return None


@dataclass(frozen=True)
class LegalRange:
    """The statutory range of a penalty 事项 (PowerItem.penalty_kinds, fine_*, multiple_*)."""

    kinds: tuple[str, ...] = ()
    fine_min: Decimal | None = None
    fine_max: Decimal | None = None
    multiple_base: str = ""
    multiple_min: Decimal | None = None
    multiple_max: Decimal | None = None

    @property
    def has_amount(self) -> bool:
        return self.fine_min is not None or self.fine_max is not None

    @property
    def has_multiple(self) -> bool:
        return self.multiple_min is not None or self.multiple_max is not None

    @property
    def text(self) -> str:
        return legal_range_text(
            list(self.kinds),
            self.fine_min,
            self.fine_max,
            self.multiple_base,
            self.multiple_min,
            self.multiple_max,
        )


@dataclass(frozen=True)
class TierSpec:
    """One row of a 裁量基准 table: when (情形, band, party) → what (kinds, amount or multiple)."""

    tier: str
    level_label: str = ""
    sub_item: str = ""
    party: str = ""
    condition_text: str = ""
    tags: tuple[str, ...] = ()
    band_measure: str = ""
    band_unit: str = ""
    band_min: Decimal | None = None
    band_max: Decimal | None = None
    kinds: tuple[str, ...] = ()
    fine_min: Decimal | None = None
    fine_max: Decimal | None = None
    multiple_base: str = ""
    multiple_min: Decimal | None = None
    multiple_max: Decimal | None = None
    base_floor: Decimal | None = None
    multiple_threshold: Decimal | None = None
    other_measures: str = ""

    @property
    def has_amount(self) -> bool:
        return self.fine_min is not None or self.fine_max is not None

    @property
    def has_multiple(self) -> bool:
        return self.multiple_min is not None or self.multiple_max is not None

    @property
    def has_band(self) -> bool:
        return self.band_min is not None or self.band_max is not None

    @property
    def label(self) -> str:
        return self.level_label or TIER_LABELS.get(self.tier, self.tier)

    @property
    def effective_tags(self) -> set[str]:
        return set(self.tags) or set(IMPLICIT_TAGS.get(self.tier, set()))

    @property
    def is_default(self) -> bool:
        """A 一般 row with no tags and no band applies when nothing more specific does."""
        return self.tier == TIER_GENERAL and not self.tags and not self.has_band


@dataclass(frozen=True)
class TierError:
    row: int | None  # index into the rows, None for the benchmark as a whole
    field: str
    message: str


def _fmt_number(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def format_multiple(value: Decimal) -> str:
    """5 → ``5倍``; 0.013 → ``1.3%`` (contract-price rates are written as percentages)."""
    value = Decimal(value)
    if value < 1:
        return f"{_fmt_number(value * 100)}%"
    return f"{_fmt_number(value)}倍"


def _bound_text(low, high, fmt) -> str:
    if low is not None and high is not None and low == high:
        return fmt(low)
    if high is None:
        return f"{fmt(low)}以上"
    if not low:
        return f"{fmt(high)}以下"
    return f"{fmt(low)}以上{fmt(high)}以下"


def tier_range_text(spec: TierSpec) -> str:
    """“警告；罚款5000元”“合同价款1%以上1.3%以下的罚款”“吊销许可证件”."""
    parts = [PENALTY_KIND_LABELS.get(k, k) for k in spec.kinds if k != "fine"]
    fines = []
    if spec.has_amount:
        fines.append("罚款" + _bound_text(spec.fine_min, spec.fine_max, format_amount))
    if spec.has_multiple:
        base = BASE_LABELS.get(spec.multiple_base, spec.multiple_base)
        text = f"{base}{_bound_text(spec.multiple_min, spec.multiple_max, format_multiple)}的罚款"
        if spec.base_floor:
            text += (
                f"（{base}不足{format_amount(spec.base_floor)}的，按{format_amount(spec.base_floor)}计算）"
            )
        fines.append(text)
    if fines:
        joiner = (
            f"；{BASE_LABELS.get(spec.multiple_base, '')}达到{format_amount(spec.multiple_threshold)}的，处"
            if (spec.multiple_threshold and len(fines) == 2)
            else "；"
        )
        parts.append(joiner.join(fines))
    if spec.tier == TIER_NONE and not parts:
        parts.append("不予行政处罚")
    text = "；".join(parts)
    return f"{spec.other_measures}；{text}" if spec.other_measures and text else (spec.other_measures or text)


# --- validation --------------------------------------------------------------------------------
def tier_errors(legal: LegalRange, spec: TierSpec) -> dict[str, str]:
    """One row against itself and against the 事项's legal range (S8; 处罚法 Art. 32, 34)."""
    errors: dict[str, str] = {}
    if spec.tier not in TIER_LABELS:
        errors["tier"] = "裁量阶次应为：" + "、".join(TIER_LABELS.values()) + "。"
        return errors
    for name in (
        "fine_min",
        "fine_max",
        "multiple_min",
        "multiple_max",
        "band_min",
        "band_max",
        "base_floor",
    ):
        value = getattr(spec, name)
        if value is not None and value < 0:
            errors[name] = "不能为负数。"
    if errors:
        return errors
    if spec.fine_min is not None and spec.fine_max is not None and spec.fine_min > spec.fine_max:
        errors["fine_max"] = (
            f"罚款上限（{format_amount(spec.fine_max)}）不能低于下限（{format_amount(spec.fine_min)}）。"
        )
    if (
        spec.multiple_min is not None
        and spec.multiple_max is not None
        and spec.multiple_min > spec.multiple_max
    ):
        errors["multiple_max"] = "倍数（比例）上限不能低于下限。"
    if spec.band_min is not None and spec.band_max is not None and spec.band_min > spec.band_max:
        errors["band_max"] = "分档区间上限不能低于下限。"
    if spec.has_band and not spec.band_measure.strip():
        errors["band_measure"] = "填写了分档区间，请写明分档指标（如“工程面积”“堆放量”）。"
    if spec.has_multiple and not spec.multiple_base:
        errors["multiple_base"] = "按倍数或比例计算罚款时，请选择计算基数（如违法所得、合同价款）。"
    if (spec.base_floor or spec.multiple_threshold) and not spec.has_multiple:
        errors["base_floor"] = "只有按倍数或比例计算的罚款才填写基数下限或倍数适用起点。"
    if spec.has_amount and spec.has_multiple and not spec.multiple_threshold:
        errors["multiple_threshold"] = (
            "同一档次同时规定定额罚款和倍数罚款时，请填写倍数适用起点（如“货值金额一万元以上的，按倍数计算”）。"
        )
    unknown = [k for k in spec.kinds if k not in PENALTY_KIND_LABELS]
    if unknown:
        errors["kinds"] = f"处罚种类“{unknown[0]}”不是{PENALTY_LAW}第九条规定的种类。"
    elif (spec.has_amount or spec.has_multiple) and "fine" not in spec.kinds:
        errors["kinds"] = "填写了罚款幅度，处罚种类应包含“罚款”。"
    if spec.tier == TIER_NONE:
        if spec.kinds or spec.has_amount or spec.has_multiple:
            errors["tier"] = (
                f"“不予处罚”档次不能规定处罚种类或罚款（{PENALTY_LAW}第三十三条）；"
                "责令改正等措施请填在“其他措施”中。"
            )
        return errors
    if not spec.kinds:
        errors.setdefault("kinds", "请填写本档次的处罚种类（如警告、罚款、吊销许可证件）。")
    if errors:
        return errors
    errors.update(_legal_errors(legal, spec))
    return errors


def _legal_errors(legal: LegalRange, spec: TierSpec) -> dict[str, str]:
    errors: dict[str, str] = {}
    tier = TIER_LABELS[spec.tier]
    outside_kinds = [k for k in spec.kinds if legal.kinds and k not in legal.kinds]
    if outside_kinds:
        errors["kinds"] = (
            f"“{PENALTY_KIND_LABELS[outside_kinds[0]]}”不在该事项的法定处罚种类（{legal.text or '未载明'}）之内，"
            f"裁量基准不能超出法定种类{S8_BASIS}。"
        )
    mitigated = spec.tier == TIER_MITIGATED
    mitigation_basis = f"（S8，{PENALTY_LAW}第三十二条、第三十四条）"
    if spec.has_amount:
        if not legal.has_amount:
            errors["fine_max"] = (
                f"该事项的法定幅度（{legal.text or '未载明'}）没有定额罚款，档次不能规定定额罚款{S8_BASIS}。"
            )
        else:
            errors.update(
                _bound_errors(
                    "fine",
                    spec.fine_min,
                    spec.fine_max,
                    legal.fine_min,
                    legal.fine_max,
                    mitigated,
                    tier,
                    format_amount,
                    "罚款",
                    mitigation_basis,
                )
            )
    if spec.has_multiple:
        if not legal.has_multiple:
            errors["multiple_max"] = (
                f"该事项的法定幅度（{legal.text or '未载明'}）没有倍数罚款，档次不能按倍数或比例规定罚款{S8_BASIS}。"
            )
        elif spec.multiple_base != legal.multiple_base:
            errors["multiple_base"] = (
                f"计算基数“{BASE_LABELS.get(spec.multiple_base, spec.multiple_base)}”与法定幅度的基数"
                f"“{BASE_LABELS.get(legal.multiple_base, legal.multiple_base)}”不同{S8_BASIS}。"
            )
        else:
            base = BASE_LABELS.get(legal.multiple_base, legal.multiple_base)
            errors.update(
                _bound_errors(
                    "multiple",
                    spec.multiple_min,
                    spec.multiple_max,
                    legal.multiple_min,
                    legal.multiple_max,
                    mitigated,
                    tier,
                    format_multiple,
                    base,
                    mitigation_basis,
                )
            )
    return errors


def _bound_errors(prefix, low, high, legal_low, legal_high, mitigated, tier, fmt, what, mitigation_basis):
    """从轻/一般/从重 stay inside [legal_low, legal_high]; 减轻 lies below the legal minimum (Art. 32)."""
    errors = {}
    top = high if high is not None else low
    if legal_high is not None and (high is None or top > legal_high):
        shown = fmt(top) + ("以上" if high is None else "")
        errors[f"{prefix}_max"] = (
            f"“{tier}”档次的{what}（{shown}）超过法定最高限额（{fmt(legal_high)}），"
            f"裁量基准不能超出法定幅度{S8_BASIS}。"
        )
    if mitigated:
        if legal_low and top is not None and top > legal_low:
            errors.setdefault(
                f"{prefix}_max",
                f"“减轻处罚”是在法定最低限额（{fmt(legal_low)}）以下处罚，档次上限（{fmt(top)}）不能高于该限额"
                f"{mitigation_basis}。",
            )
    elif legal_low and (low or Decimal(0)) < legal_low:
        errors[f"{prefix}_min"] = (
            f"“{tier}”档次的{what}下限（{fmt(low or Decimal(0))}）低于法定最低限额（{fmt(legal_low)}）；"
            f"低于最低限额只能作为“减轻处罚”档次{mitigation_basis}。"
        )
    return errors


def benchmark_errors(
    legal: LegalRange, rows: list[TierSpec], boundary: str = BAND_LOWER_INCLUSIVE
) -> list[TierError]:
    """Every problem of a whole table: each row, then the ordering of tiers and bands (S8)."""
    if not rows:
        return [TierError(None, "tiers", f"裁量基准至少要有一个档次{S8_BASIS}。")]
    problems = [
        TierError(i, f, m) for i, spec in enumerate(rows) for f, m in tier_errors(legal, spec).items()
    ]
    if problems:
        return problems
    return ordering_errors(rows, boundary)


def _groups(rows: list[TierSpec]) -> dict[tuple[str, str], list[int]]:
    groups: dict[tuple[str, str], list[int]] = {}
    for index, spec in enumerate(rows):
        groups.setdefault((spec.sub_item, spec.party), []).append(index)
    return groups


def ordering_errors(rows: list[TierSpec], boundary: str = BAND_LOWER_INCLUSIVE) -> list[TierError]:
    """Within one 子项 and party: a lighter tier never reaches above a heavier one, and bands of
    the same measure do not overlap (a quantity must fall in one band only)."""
    problems = []
    for indexes in _groups(rows).values():
        for pos, i in enumerate(indexes):
            a = rows[i]
            for j in indexes[pos + 1 :]:
                b = rows[j]
                if TIER_RANK[a.tier] != TIER_RANK[b.tier]:
                    lighter, heavier, row = (a, b, j) if TIER_RANK[a.tier] < TIER_RANK[b.tier] else (b, a, i)
                    if message := _tier_overlap(lighter, heavier):
                        problems.append(TierError(row, "tier", message))
                if (
                    a.has_band
                    and b.has_band
                    and a.band_measure == b.band_measure
                    and _bands_overlap(a, b, boundary)
                ):
                    problems.append(
                        TierError(
                            j,
                            "band_min",
                            f"“{b.label}”与“{a.label}”的{b.band_measure}区间重叠，同一数量只能落入一个档次{S8_BASIS}。",
                        )
                    )
    return problems


def _tier_overlap(lighter: TierSpec, heavier: TierSpec) -> str | None:
    pairs = []
    if lighter.has_amount and heavier.has_amount:
        pairs.append((lighter.fine_max, heavier.fine_min or Decimal(0), format_amount, "罚款"))
    if lighter.has_multiple and heavier.has_multiple and lighter.multiple_base == heavier.multiple_base:
        pairs.append(
            (lighter.multiple_max, heavier.multiple_min or Decimal(0), format_multiple, "倍数（比例）")
        )
    for light_top, heavy_bottom, fmt, what in pairs:
        if light_top is None or light_top > heavy_bottom:
            shown = fmt(light_top) if light_top is not None else "不设上限"
            return (
                f"档次顺序有误：较轻的“{lighter.label}”{what}上限（{shown}）高于较重的“{heavier.label}”"
                f"下限（{fmt(heavy_bottom)}）{S8_BASIS}。"
            )
    return None


def _bands_overlap(a: TierSpec, b: TierSpec, boundary: str) -> bool:
    inf = Decimal("Infinity")
    a_low, a_high = a.band_min or Decimal(0), a.band_max if a.band_max is not None else inf
    b_low, b_high = b.band_min or Decimal(0), b.band_max if b.band_max is not None else inf
    # Touching bands (…50以下 / 50以上…) share only their boundary, which one side excludes.
    return a_low < b_high and b_low < a_high


def band_contains(spec: TierSpec, value: Decimal, boundary: str = BAND_LOWER_INCLUSIVE) -> bool:
    low, high = spec.band_min, spec.band_max
    if boundary == BAND_UPPER_INCLUSIVE:
        return (low is None or value > low or (low == 0 and value == 0)) and (high is None or value <= high)
    return (low is None or value >= low) and (high is None or value < high)


# --- calculator --------------------------------------------------------------------------------
@dataclass
class Suggestion:
    """What a benchmark suggests for the circumstances and facts of one party."""

    tier: str | None  # None: no row applies
    row: int | None = None  # index of the chosen row; None for a statutory 不予处罚 without a row
    spec: TierSpec | None = None
    yuan_min: Decimal | None = None
    yuan_max: Decimal | None = None
    matched: list[int] = dataclasses.field(default_factory=list)
    reasons: list[str] = dataclasses.field(default_factory=list)  # why the row applies
    notes: list[str] = dataclasses.field(default_factory=list)  # missing facts, conflicts, statutory hints
    mitigation_grounds: list[str] = dataclasses.field(
        default_factory=list
    )  # 第三十二条 circumstances present

    @property
    def kinds(self) -> tuple[str, ...]:
        return self.spec.kinds if self.spec else ()

    @property
    def tier_label(self) -> str:
        return TIER_LABELS.get(self.tier or "", "")

    @property
    def level_label(self) -> str:
        return self.spec.label if self.spec else self.tier_label

    @property
    def range_text(self) -> str:
        if self.spec is None:
            return "不予行政处罚" if self.tier == TIER_NONE else ""
        text = tier_range_text(self.spec)
        if self.spec.has_multiple and self.yuan_max is not None:
            text += f"，即{_bound_text(self.yuan_min, self.yuan_max, format_amount).removeprefix('罚款')}"
        return text

    @property
    def yuan_text(self) -> str:
        if self.yuan_max is None and self.yuan_min is None:
            return ""
        return "罚款" + _bound_text(self.yuan_min, self.yuan_max, format_amount)


def normalize_facts(facts: dict | None) -> dict[str, Decimal]:
    """Facts keyed by label (“违法所得”“堆放量”); base codes (``illegal_income``) are accepted too."""
    result: dict[str, Decimal] = {}
    for key, value in (facts or {}).items():
        if value in (None, ""):
            continue
        label = BASE_LABELS.get(key, key)
        label = BASE_LABELS.get(BASE_ALIASES.get(label, ""), label)
        result[str(label).strip()] = Decimal(str(value))
    return result


def party_matches(row_party: str, party: str) -> bool:
    if not row_party:
        return True
    if not party:
        return False
    if row_party == party:
        return True
    return party in PARTY_ALIASES.get(row_party, set())


def fine_bounds(
    spec: TierSpec, facts: dict[str, Decimal]
) -> tuple[Decimal | None, Decimal | None, str | None]:
    """The row's fine in yuan for these facts: (min, max, missing fact label)."""
    if spec.has_multiple:
        label = BASE_LABELS.get(spec.multiple_base, spec.multiple_base)
        base = facts.get(label)
        if base is None:
            return None, None, label
        if spec.multiple_threshold and base < spec.multiple_threshold and spec.has_amount:
            return spec.fine_min or Decimal(0), spec.fine_max, None
        base = max(base, spec.base_floor or Decimal(0))
        low = ((spec.multiple_min or Decimal(0)) * base).quantize(Decimal("0.01"))
        high = (spec.multiple_max * base).quantize(Decimal("0.01")) if spec.multiple_max is not None else None
        return low, high, None
    if spec.has_amount:
        return spec.fine_min or Decimal(0), spec.fine_max, None
    return None, None, None


def suggest(
    rows: list[TierSpec],
    circumstances: set[str] | list[str],
    facts: dict | None = None,
    party: str = "",
    boundary: str = BAND_LOWER_INCLUSIVE,
) -> Suggestion:
    """Pick the tier for a party (S8; 处罚法 Art. 30–34).

    A row applies when one of its 情形 tags is among the circumstances or the party's quantity
    falls in its band (tables list alternatives: “有下列情形之一的”). Untagged 不予/减轻/从轻 rows
    apply on the statutory grounds of Art. 30–33; an untagged, unbanded 一般 row applies when
    nothing more specific does. Order of precedence: 不予处罚 (Art. 30, 31, 33 leave no penalty);
    mitigation rows when the party has mitigating and no aggravating circumstances (Art. 32 “应当
    从轻或者减轻”); otherwise the heaviest specific row, since tables list aggravating alternatives.
    """
    circumstances = set(circumstances or ())
    facts = normalize_facts(facts)
    result = Suggestion(tier=None)
    result.mitigation_grounds = sorted(
        c for c in circumstances if CIRCUMSTANCE_EFFECT.get(c) == TIER_MITIGATED
    )
    candidates = [i for i, spec in enumerate(rows) if party_matches(spec.party, party)]
    if not candidates and rows:
        parties = sorted({spec.party for spec in rows if spec.party})
        result.notes.append("请选择当事人类别：" + "、".join(parties) + "。")
        return result
    specific, defaults, why = [], [], {}
    for i in candidates:
        spec = rows[i]
        reasons = _row_reasons(spec, circumstances, facts, boundary, result.notes)
        if reasons:
            specific.append(i)
            why[i] = reasons
        elif spec.is_default:
            defaults.append(i)
    result.matched = specific or defaults
    none_codes = sorted(c for c in circumstances if CIRCUMSTANCE_EFFECT.get(c) == TIER_NONE)
    chosen = _choose(rows, specific, defaults, circumstances)
    if none_codes and (chosen is None or rows[chosen].tier != TIER_NONE):
        # The statute itself says 不予处罚; a table without such a row cannot take that away.
        result.tier = TIER_NONE
        result.reasons = [
            f"{CIRCUMSTANCE_LABELS[c]}（{PENALTY_LAW}{CIRCUMSTANCE_BASIS[c]}）" for c in none_codes
        ]
        if "first_minor" in none_codes and len(none_codes) == 1:
            result.notes.append(
                "初次违法且危害后果轻微并及时改正的，可以不予行政处罚（第三十三条第一款），由执法机关裁量。"
            )
        return result
    if chosen is None:
        if not result.notes:
            result.notes.append(
                "没有与所选情形和事实相符的裁量档次，请核对情形或在法定幅度内裁量并说明理由。"
            )
        return result
    spec = rows[chosen]
    result.tier, result.row, result.spec = spec.tier, chosen, spec
    result.reasons = why.get(chosen) or ["不具有从轻、减轻或者从重情形，适用一般档次"]
    result.yuan_min, result.yuan_max, missing = fine_bounds(spec, facts)
    if missing:
        result.notes.append(f"请填写{missing}金额，以计算罚款数额。")
    if result.mitigation_grounds and spec.tier not in (TIER_MITIGATED, TIER_LIGHTER, TIER_NONE):
        result.notes.append(
            f"当事人有依法应当从轻或者减轻处罚的情形（{PENALTY_LAW}第三十二条），请在本档次内从轻裁量或说明理由。"
        )
    heavier = [i for i in specific if rows[i].tier == TIER_HEAVIER]
    lighter = [i for i in specific if rows[i].tier in (TIER_MITIGATED, TIER_LIGHTER) and rows[i].tags]
    if heavier and (lighter or result.mitigation_grounds):
        result.notes.append("同时具有从轻（减轻）和从重情形，应当综合考量，必要时提请集体讨论。")
    return result


def _row_reasons(spec, circumstances, facts, boundary, notes) -> list[str]:
    reasons = []
    for tag in sorted(spec.effective_tags & circumstances):
        basis = f"（{PENALTY_LAW}{CIRCUMSTANCE_BASIS[tag]}）" if tag in CIRCUMSTANCE_BASIS else ""
        reasons.append(CIRCUMSTANCE_LABELS.get(tag, tag) + basis)
    if spec.has_band:
        value = facts.get(spec.band_measure)
        if value is None:
            note = f"请填写{spec.band_measure}（{spec.band_unit or '数量'}），以确定档次。"
            if note not in notes:
                notes.append(note)
        elif band_contains(spec, value, boundary):
            reasons.append(f"{spec.band_measure}{_fmt_number(value)}{spec.band_unit}，属于{band_text(spec)}")
    return reasons


def band_text(spec: TierSpec) -> str:
    if not spec.has_band:
        return ""
    unit = spec.band_unit

    def fmt(v):
        return f"{_fmt_number(v)}{unit}"

    return spec.band_measure + _bound_text(spec.band_min, spec.band_max, fmt)


def _choose(rows, specific, defaults, circumstances) -> int | None:
    none_rows = [i for i in specific if rows[i].tier == TIER_NONE]
    if none_rows:
        return none_rows[0]
    if not specific:
        return _heaviest(rows, defaults)
    aggravating = [i for i in specific if rows[i].tier == TIER_HEAVIER]
    mitigating = [i for i in specific if rows[i].tier in (TIER_MITIGATED, TIER_LIGHTER)]
    if mitigating and not aggravating:
        return _heaviest(rows, mitigating)
    return _heaviest(rows, specific)


def _heaviest(rows, indexes) -> int | None:
    if not indexes:
        return None
    return max(
        indexes, key=lambda i: (TIER_RANK[rows[i].tier], rows[i].fine_max or 0, rows[i].multiple_max or 0, i)
    )


# --- checking a proposal -----------------------------------------------------------------------
@dataclass
class ProposalCheck:
    within: bool  # inside the suggested tier (kinds and amount)
    lawful: bool  # inside the statutory range (减轻 only with Art. 32 grounds)
    deviations: list[str] = dataclasses.field(default_factory=list)
    legal_problems: list[str] = dataclasses.field(default_factory=list)


def legal_yuan_bounds(legal: LegalRange, facts: dict[str, Decimal]) -> tuple[Decimal | None, Decimal | None]:
    lows, highs = [], []
    if legal.has_amount:
        lows.append(legal.fine_min or Decimal(0))
        highs.append(legal.fine_max)
    if legal.has_multiple:
        base = facts.get(BASE_LABELS.get(legal.multiple_base, legal.multiple_base))
        if base is not None:
            lows.append((legal.multiple_min or Decimal(0)) * base)
            highs.append(legal.multiple_max * base if legal.multiple_max is not None else None)
    low = min(lows) if lows else None
    high = None if not highs or any(h is None for h in highs) else max(highs)
    return low, high


def proposal_check(
    suggestion: Suggestion,
    amount: Decimal | None,
    kinds: list[str] | tuple[str, ...],
    legal: LegalRange | None = None,
    facts: dict | None = None,
) -> ProposalCheck:
    """Is a proposed penalty inside the suggested tier (S8), and inside the law at all?"""
    amount = Decimal(str(amount)) if amount not in (None, "") else None
    kinds = set(kinds or ())
    if amount:
        kinds.add("fine")
    check = ProposalCheck(within=True, lawful=True)
    names = lambda codes: "、".join(PENALTY_KIND_LABELS.get(k, k) for k in sorted(codes))  # noqa: E731
    if suggestion.tier == TIER_NONE:
        if kinds:
            check.deviations.append(f"裁量基准建议不予处罚，拟给予{names(kinds)}。")
    elif suggestion.spec is None:
        check.deviations.append("没有适用的裁量档次，无法按裁量基准核对。")
    else:
        expected = set(suggestion.spec.kinds)
        if extra := kinds - expected:
            check.deviations.append(f"拟给予的{names(extra)}不在“{suggestion.level_label}”档次内。")
        if missing := expected - kinds:
            check.deviations.append(f"“{suggestion.level_label}”档次规定的{names(missing)}未列入拟处罚内容。")
        if amount is not None and "fine" in expected:
            low, high = suggestion.yuan_min, suggestion.yuan_max
            if low is None and high is None:
                check.deviations.append("缺少计算罚款所需的事实，无法核对罚款数额。")
            elif low is not None and amount < low:
                check.deviations.append(f"罚款{format_amount(amount)}低于本档次下限{format_amount(low)}。")
            elif high is not None and amount > high:
                check.deviations.append(f"罚款{format_amount(amount)}高于本档次上限{format_amount(high)}。")
    check.within = not check.deviations
    if legal is not None:
        check.legal_problems = _legal_problems(legal, amount, kinds, suggestion, normalize_facts(facts))
        check.lawful = not check.legal_problems
    return check


def _legal_problems(legal, amount, kinds, suggestion, facts) -> list[str]:
    problems = []
    if legal.kinds and (outside := sorted(kinds - set(legal.kinds))):
        labels = "、".join(PENALTY_KIND_LABELS.get(k, k) for k in outside)
        problems.append(f"{labels}不在法定处罚种类（{legal.text}）之内（{PENALTY_LAW}第四条）。")
    if amount is None:
        return problems
    low, high = legal_yuan_bounds(legal, facts)
    if high is not None and amount > high:
        problems.append(
            f"罚款{format_amount(amount)}超过法定最高限额{format_amount(high)}（{PENALTY_LAW}第四条、第三十四条）。"
        )
    may_mitigate = suggestion.tier == TIER_MITIGATED or bool(suggestion.mitigation_grounds)
    if low and amount < low and not may_mitigate:
        problems.append(
            f"罚款{format_amount(amount)}低于法定最低限额{format_amount(low)}，且没有减轻处罚情形（{PENALTY_LAW}第三十二条）。"
        )
    return problems


# Kind names as published tables write them (“责令停业整顿”“吊销许可证”).
PENALTY_KIND_ALIASES = {
    **{label: code for code, label in PENALTY_KINDS},
    "罚": "fine",
    "吊销许可证": "revoke_license",
    "吊销执照": "revoke_license",
    "吊销营业执照": "revoke_license",
    "吊销": "revoke_license",
    "暂扣许可证": "suspend_license",
    "暂扣执照": "suspend_license",
    "责令停业整顿": "suspend_business",
    "停业整顿": "suspend_business",
    "责令停产整顿": "suspend_business",
    "责令停止执业活动": "suspend_business",
    "没收": "confiscate_property",
    "拘留": "detention",
}


def parse_amount(text: str) -> Decimal | None:
    """“5000”“5000元”“1万”“1.5万元” → yuan; raises ValueError on anything else."""
    text = re.sub(r"[\s,，]|人民币", "", str(text or ""))
    if not text:
        return None
    text = text.removesuffix("元")
    factor = Decimal(1)
    if text.endswith("万"):
        text, factor = text[:-1], Decimal(10_000)
    value = Decimal(text) * factor
    if not value.is_finite():
        raise ValueError(text)
    return value


def parse_multiple(text: str) -> Decimal | None:
    """“5”“5倍” → 5; “1.3%” → 0.013."""
    text = re.sub(r"\s", "", str(text or ""))
    if not text:
        return None
    if text.endswith(("%", "％")):
        return Decimal(text[:-1]) / 100
    value = Decimal(text.removesuffix("倍"))
    if not value.is_finite():
        raise ValueError(text)
    return value


def standard_sentence(suggestion: Suggestion) -> str:
    """The tier's penalty as a 决定书 words it: “罚款幅度为3万元以上6万元以下”,
    “处罚标准为警告，并处罚款8000元”, “处罚标准为吊销许可证件”."""
    spec = suggestion.spec
    if spec is None:
        return ""
    others = "、".join(PENALTY_KIND_LABELS.get(k, k) for k in spec.kinds if k != "fine")
    yuan = ""
    if suggestion.yuan_max is not None or suggestion.yuan_min is not None:
        yuan = _bound_text(suggestion.yuan_min, suggestion.yuan_max, format_amount)
    fine = yuan
    if spec.has_multiple:
        rule = tier_range_text(dataclasses.replace(spec, kinds=("fine",), other_measures=""))
        rule = rule.removeprefix("罚款").replace("的罚款", "")
        fine = f"{rule}，即{yuan}" if yuan else rule
    elif not fine and spec.has_amount:
        fine = _bound_text(spec.fine_min, spec.fine_max, format_amount)
    if fine and others:
        return f"处罚标准为{others}，并处罚款{fine}"
    if fine:
        return f"罚款幅度为{fine}"
    return f"处罚标准为{others or tier_range_text(spec)}"
