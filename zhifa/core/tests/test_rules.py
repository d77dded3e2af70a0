"""National identifier checks at their boundaries (GB 32100, GB 11643, GB/T 2260)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhifa.core import rules

# The worked example of GB 32100-2015, and a code whose check character was verified by hand.
REAL_CREDIT_CODES = ["91350100M000100Y43", "91110000802100433B"]


@pytest.mark.parametrize("code", REAL_CREDIT_CODES)
def test_real_credit_codes_pass_gb32100(code):
    assert rules.credit_code_error(code) is None


def test_credit_code_lowercase_is_normalised_gb32100():
    assert rules.credit_code_error(REAL_CREDIT_CODES[0].lower()) is None


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("91350100M000100Y4", "18位"),  # 17 characters
        ("91350100M000100Y433", "18位"),  # 19 characters
        ("91350100M000100I43", "不允许的字符"),  # I is excluded from the alphabet
        ("91350100M000100O43", "不允许的字符"),
        ("913A0100M000100Y43", "行政区划码"),
        ("91350100M000100Y44", "校验码"),
    ],
)
def test_bad_credit_codes_are_refused_with_reason_gb32100(code, fragment):
    message = rules.credit_code_error(code)
    assert message and fragment in message and "GB 32100" in message


@given(st.text(alphabet=rules.CREDIT_CODE_ALPHABET, min_size=17, max_size=17))
def test_any_body_with_its_check_char_is_valid_gb32100(body):
    body = body[:2] + "370102" + body[8:]
    assert rules.credit_code_error(body + rules.credit_code_check_char(body)) is None


@given(st.text(alphabet=rules.CREDIT_CODE_ALPHABET, min_size=17, max_size=17), st.integers(0, 30))
def test_any_other_check_char_is_invalid_gb32100(body, shift):
    body = body[:2] + "370102" + body[8:]
    right = rules.credit_code_check_char(body)
    wrong = rules.CREDIT_CODE_ALPHABET[(rules.CREDIT_CODE_ALPHABET.index(right) + 1 + shift % 30) % 31]
    assert rules.credit_code_error(body + wrong) is not None


# GB 11643 sample numbers from the standard's worked example and derived ones.
def with_check(first17):
    return first17 + rules.id_number_check_char(first17)


def test_standard_example_id_number_gb11643():
    assert rules.id_number_error("11010519491231002X") is None


@pytest.mark.parametrize(
    ("number", "fragment"),
    [
        ("11010519491231002", "18位"),
        ("1101051949123100211", "18位"),
        ("01010519491231002X", "前17位"),
        ("11010519491331002X", "出生日期"),  # month 13
        ("11010519490230002X", "出生日期"),  # 30 February
        ("110105194912310021", "校验码"),
    ],
)
def test_bad_id_numbers_are_refused_gb11643(number, fragment):
    message = rules.id_number_error(number)
    assert message and fragment in message


def test_future_birth_date_is_refused_gb11643():
    number = with_check("11010520300101002")
    assert "出生日期" in rules.id_number_error(number, today=date(2026, 11, 22))


def test_age_on_birthday_boundary():
    number = with_check("11010520080601002")
    assert rules.age_on(number, date(2026, 5, 31)) == 17
    assert rules.age_on(number, date(2026, 6, 1)) == 18


def test_region_codes_gbt2260():
    assert rules.region_code_error("379902") is None
    assert rules.region_code_error("079902")
    assert rules.region_code_error("37990")
    assert rules.region_ancestor_codes("379902") == ["379902", "379900", "370000"]
    assert rules.region_level("370000") == "province"
    assert rules.region_level("379900") == "city"
    assert rules.region_level("379921") == "county"


@pytest.mark.parametrize(
    "phone", ["13912345678", "0539-12345678", "053912345678", "12345", "0539-1234567-801"]
)
def test_valid_phones(phone):
    assert rules.phone_error(phone) is None


@pytest.mark.parametrize("phone", ["1391234567", "abc", "23912345678", ""])
def test_invalid_phones(phone):
    assert rules.phone_error(phone)
