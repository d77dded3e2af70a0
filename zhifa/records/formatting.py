"""How dates and money are written in 执法文书; these become Jinja filters of every template.

Dates follow GB/T 9704-2012 §7.3.5.6: Arabic numerals, full year, no padding zeros
("2026年1月5日"). Amounts in words follow the 人民币大写 rules of 《支付结算办法》附件一
《正确填写票据和结算凭证的基本规定》: 零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分, "整" after 元 or 角,
never after 分, and one 零 for a run of zeros.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone

DIGITS = "零壹贰叁肆伍陆柒捌玖"
UNITS = ("", "拾", "佰", "仟")
GROUPS = ("", "万", "亿", "万亿")
BLANK_DATE = "    年    月    日"  # left for a hand-written date on a printed form


def _as_date(value):
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value or " " in value else date.fromisoformat(value)
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value


def cn_date(value) -> str:
    """2026-11-22 → "2026年11月22日"; empty → a blank to fill in by hand."""
    if not value:
        return BLANK_DATE
    value = _as_date(value)
    return f"{value.year}年{value.month}月{value.day}日"


def cn_datetime(value) -> str:
    """2026-11-22 09:05 → "2026年11月22日9时05分"."""
    if not value:
        return BLANK_DATE + "    时    分"
    value = _as_date(value)
    if not isinstance(value, datetime):
        return cn_date(value)
    return f"{cn_date(value)}{value.hour}时{value.minute:02d}分"


def _four_digits(number: int) -> str:
    """1..9999 in words, zeros inside collapsed to one 零 (1001 → 壹仟零壹)."""
    words, pending_zero = "", False
    for position in (3, 2, 1, 0):
        digit = number // 10**position % 10
        if digit == 0:
            pending_zero = bool(words)
            continue
        if pending_zero:
            words += "零"
            pending_zero = False
        words += DIGITS[digit] + UNITS[position]
    return words


def integer_upper(number: int) -> str:
    """A whole number in 大写 (money style: 10 is 壹拾)."""
    if number < 0 or number >= 10**16:
        raise ValueError("金额超出可书写范围。")
    if number == 0:
        return "零"
    groups = []
    while number:
        number, group = divmod(number, 10000)
        groups.append(group)
    words, pending_zero = "", False
    for index in reversed(range(len(groups))):
        group = groups[index]
        if group == 0:
            pending_zero = bool(words)
            continue
        if words and (pending_zero or group < 1000):
            words += "零"
        words += _four_digits(group) + GROUPS[index]
        pending_zero = False
    return words


def to_decimal(value) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"“{value}”不是有效的金额。") from exc
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"“{value}”不是有效的金额。")
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def rmb_upper(value) -> str:
    """5000 → "伍仟元整"; 1680.32 → "壹仟陆佰捌拾元零叁角贰分"; 0.05 → "伍分"."""
    cents = int(to_decimal(value) * 100)
    yuan, rest = divmod(cents, 100)
    jiao, fen = divmod(rest, 10)
    words = integer_upper(yuan) + "元" if yuan else ""
    if jiao:
        if yuan and yuan % 10 == 0:
            words += "零"
        words += DIGITS[jiao] + "角"
    if fen:
        if yuan and not jiao:
            words += "零"
        words += DIGITS[fen] + "分"
    if not words:
        return "零元整"
    return words if fen else words + "整"


def yuan(value) -> str:
    """5000 → "5000.00"."""
    return f"{to_decimal(value):.2f}"


def rmb(value) -> str:
    """5000 → "伍仟元整（5000.00元）", the form used for fines in decisions."""
    return f"{rmb_upper(value)}（{yuan(value)}元）"


FILTERS = {
    "cn_date": cn_date,
    "cn_datetime": cn_datetime,
    "rmb": rmb,
    "rmb_upper": rmb_upper,
    "yuan": yuan,
}
