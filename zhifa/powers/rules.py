"""Rules for the law library, 权责清单 and 随机抽查事项 (pure functions, no database)."""

from __future__ import annotations

import re
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
