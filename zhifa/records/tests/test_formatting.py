"""Dates (GB/T 9704-2012 §7.3.5.6) and 人民币大写 (《支付结算办法》附件一) in 文书."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhifa.records.formatting import BLANK_DATE, cn_date, cn_datetime, integer_upper, rmb, rmb_upper

DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL = {"拾": 10, "佰": 100, "仟": 1000}


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        # The worked examples of 《正确填写票据和结算凭证的基本规定》.
        ("1409.50", "壹仟肆佰零玖元伍角整"),
        ("6007.14", "陆仟零柒元壹角肆分"),
        ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),
        ("107000.53", "壹拾万柒仟元零伍角叁分"),
        ("325.04", "叁佰贰拾伍元零肆分"),
        # Amounts typical of penalties.
        ("5000", "伍仟元整"),
        ("200", "贰佰元整"),
        ("3000.00", "叁仟元整"),
        ("10", "壹拾元整"),
        ("100000", "壹拾万元整"),
        ("100100", "壹拾万零壹佰元整"),
        ("10010", "壹万零壹拾元整"),
        ("100000000", "壹亿元整"),
        ("100010000", "壹亿零壹万元整"),
        ("0.50", "伍角整"),
        ("0.05", "伍分"),
        ("0", "零元整"),
        ("0.005", "壹分"),  # rounded half up to the cent
    ],
)
def test_rmb_upper_follows_the_payment_settlement_rules(amount, words):
    assert rmb_upper(Decimal(amount)) == words


def test_rmb_is_words_then_figures():
    assert rmb(Decimal("5000")) == "伍仟元整（5000.00元）"
    assert rmb(80000) == "捌万元整（80000.00元）"


@pytest.mark.parametrize("bad", ["-1", "abc", "NaN", "Infinity"])
def test_rmb_rejects_what_is_not_an_amount(bad):
    with pytest.raises(ValueError, match="金额"):
        rmb_upper(bad)


def test_rmb_rejects_amounts_it_cannot_write():
    with pytest.raises(ValueError):
        integer_upper(10**16)


def _parse_words(words: str) -> Decimal:
    """An independent reader of 大写 amounts below 一万亿, used to check the writer."""
    words = words.removesuffix("整")
    yuan_part, _, cents_part = words.partition("元") if "元" in words else ("", "", words)
    total = section = digit = 0
    for ch in yuan_part:
        if ch in DIGITS:
            digit = DIGITS.index(ch)
        elif ch in SMALL:
            section += digit * SMALL[ch]
            digit = 0
        elif ch == "万":
            total += (section + digit) * 10_000
            section = digit = 0
        elif ch == "亿":
            total = (total + section + digit) * 100_000_000
            section = digit = 0
    yuan = total + section + digit
    cents = 0
    for index, ch in enumerate(cents_part):
        if ch == "角":
            cents += DIGITS.index(cents_part[index - 1]) * 10
        elif ch == "分":
            cents += DIGITS.index(cents_part[index - 1])
    return Decimal(yuan) + Decimal(cents) / 100


@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_rmb_upper_reads_back_to_the_same_amount(cents):
    amount = Decimal(cents) / 100
    words = rmb_upper(amount)
    assert _parse_words(words) == amount
    assert "零零" not in words
    assert words.endswith("分") != words.endswith("整")


def test_dates_use_arabic_numerals_without_padding():
    assert cn_date(date(2026, 1, 5)) == "2026年1月5日"
    assert cn_date("2026-11-22") == "2026年11月22日"
    assert cn_date(None) == BLANK_DATE


def test_datetimes_are_shown_in_local_time():
    utc = datetime(2026, 11, 22, 1, 5, tzinfo=ZoneInfo("UTC"))
    assert cn_datetime(utc) == "2026年11月22日9时05分"
    assert cn_datetime(date(2026, 11, 22)) == "2026年11月22日"
