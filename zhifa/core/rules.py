"""National identifier rules shared by every app (pure functions, no database).

Each checker returns ``None`` for a valid value, or the Chinese message a user sees, naming the
standard it applies.
"""

from __future__ import annotations

import re
from datetime import date

# --- GB 32100-2015 统一社会信用代码 ---------------------------------------------------------------
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CODE_BASIS = "《法人和其他组织统一社会信用代码编码规则》(GB 32100-2015)"


def credit_code_check_char(first17: str) -> str:
    """The 18th character of a 统一社会信用代码 computed from the first 17 (GB 32100 §4.3)."""
    total = sum(
        CREDIT_CODE_ALPHABET.index(ch) * w for ch, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def credit_code_error(code: str) -> str | None:
    code = (code or "").strip().upper()
    if len(code) != 18:
        return f"统一社会信用代码应为18位，当前为{len(code)}位（{CREDIT_CODE_BASIS}）。"
    bad = [ch for ch in code if ch not in CREDIT_CODE_ALPHABET]
    if bad:
        return f"统一社会信用代码含有不允许的字符“{bad[0]}”（不得使用I、O、S、V、Z，{CREDIT_CODE_BASIS}）。"
    if not code[2:8].isdigit():
        return f"统一社会信用代码第3—8位应为登记管理机关行政区划码（6位数字，{CREDIT_CODE_BASIS}）。"
    if credit_code_check_char(code[:17]) != code[17]:
        return f"统一社会信用代码校验码错误，请核对（{CREDIT_CODE_BASIS}）。"
    return None


# --- GB 11643-1999 公民身份号码 ------------------------------------------------------------------
ID_NUMBER_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_NUMBER_CHECK = "10X98765432"
ID_NUMBER_BASIS = "《公民身份号码》(GB 11643-1999)"
ID_NUMBER_PATTERN = re.compile(r"^[1-9]\d{16}[\dX]$")


def id_number_check_char(first17: str) -> str:
    return ID_NUMBER_CHECK[sum(int(d) * w for d, w in zip(first17, ID_NUMBER_WEIGHTS, strict=True)) % 11]


def id_number_birth_date(number: str) -> date | None:
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def id_number_error(number: str, today: date | None = None) -> str | None:
    number = (number or "").strip().upper()
    if len(number) != 18:
        return f"公民身份号码应为18位，当前为{len(number)}位（{ID_NUMBER_BASIS}）。"
    if not ID_NUMBER_PATTERN.match(number):
        return f"公民身份号码前17位应为数字，末位为数字或X（{ID_NUMBER_BASIS}）。"
    birth = id_number_birth_date(number)
    if birth is None or birth.year < 1900 or (today and birth > today):
        return f"公民身份号码第7—14位出生日期无效（{ID_NUMBER_BASIS}）。"
    if id_number_check_char(number[:17]) != number[17]:
        return f"公民身份号码校验码错误，请核对（{ID_NUMBER_BASIS}）。"
    return None


def age_on(number: str, on: date) -> int:
    """Full years of age on a date, from a valid 身份证号's birth date."""
    birth = id_number_birth_date(number)
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


# --- GB/T 2260 行政区划代码 ------------------------------------------------------------------------
REGION_CODE_BASIS = "《中华人民共和国行政区划代码》(GB/T 2260)"


def region_code_error(code: str) -> str | None:
    code = (code or "").strip()
    if not re.fullmatch(r"[1-9]\d{5}", code):
        return f"行政区划代码应为6位数字且首位不为0（{REGION_CODE_BASIS}）。"
    return None


def region_level(code: str) -> str:
    """'province', 'city' or 'county' from the shape of a 6-digit code."""
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def region_parent_code(code: str) -> str | None:
    """The code of the region one level up, as GB/T 2260 encodes it (None for a province)."""
    level = region_level(code)
    if level == "province":
        return None
    if level == "city":
        return code[:2] + "0000"
    return code[:4] + "00"


def region_ancestor_codes(code: str) -> list[str]:
    """The code itself and every code above it, nearest first."""
    codes = [code]
    while parent := region_parent_code(codes[-1]):
        codes.append(parent)
    return codes


# --- Phone numbers (for public complaint lines) ----------------------------------------------
PHONE_PATTERN = re.compile(r"^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?|12345|\d{5,8})$")


def phone_error(value: str) -> str | None:
    if not PHONE_PATTERN.match((value or "").replace(" ", "")):
        return "电话号码格式不正确：应为11位手机号、带区号的固定电话（如0531-12345678）或热线号码。"
    return None
