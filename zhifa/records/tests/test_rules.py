"""Remedy wording (T2, P10) and the 文号 pattern language."""

import pytest

from zhifa.records import rules


def test_t2_on_the_spot_decision_requires_reconsideration_first():
    """T2: 行政复议法 (2023) Art. 23(1)(一) — 当场处罚 must go to 复议 before 诉讼, and say so."""
    text = rules.remedy_text("summary_penalty_decision", "示范市人民政府", "示范市东城区人民法院")
    assert "应当自收到本决定书之日起六十日内先向示范市人民政府申请行政复议" in text
    assert "对行政复议决定不服的" in text
    assert "十五日内依法向示范市东城区人民法院提起行政诉讼" in text
    assert "第二十三条" in text
    assert "也可以" not in text  # no direct litigation option


def test_p10_ordinary_decision_offers_reconsideration_or_litigation():
    """P10/T2: 60 days for 复议 (复议法 Art. 20), 6 months for 诉讼 (诉讼法 Art. 46)."""
    text = rules.remedy_text("penalty_decision", "示范市人民政府", "示范市东城区人民法院")
    assert "六十日内向示范市人民政府申请行政复议" in text
    assert "也可以自收到本决定书之日起六个月内依法向示范市东城区人民法院提起行政诉讼" in text
    assert "先向" not in text


@pytest.mark.parametrize(
    "kind", ["penalty_decision", "no_penalty_decision", "seizure_decision", "seizure_extension_notice"]
)
def test_every_challengeable_decision_gets_a_remedy(kind):
    assert "申请行政复议" in rules.remedy_text(kind)


@pytest.mark.parametrize("kind", ["penalty_notice", "inquiry_record", "service_receipt", "demand_notice"])
def test_notices_and_records_carry_no_remedy(kind):
    assert rules.remedy_text(kind, "示范市人民政府", "某法院") == ""


def test_unknown_organ_and_court_fall_back_to_the_competent_ones():
    text = rules.remedy_text("penalty_decision")
    assert rules.ANY_RECONSIDERATION_ORGAN in text and rules.ANY_COURT in text


def test_default_pattern_formats_a_familiar_number():
    number = rules.format_number(
        rules.DEFAULT_PATTERN, short_name="示市监", abbreviation="罚决", year=2026, sequence=12
    )
    assert number == "示市监罚决〔2026〕12号"


def test_pad_width_zero_fills_the_sequence():
    number = rules.format_number(
        "{简称}{缩写}〔{年}〕第{序号}号",
        short_name="东市监",
        abbreviation="罚告",
        year=2027,
        sequence=7,
        pad_width=3,
    )
    assert number == "东市监罚告〔2027〕第007号"


@pytest.mark.parametrize(
    ("pattern", "pad", "fragment"),
    [
        ("{简称}{缩写}〔2026〕{序号}号", 0, "{年}"),
        ("{简称}{缩写}〔{年}〕号", 0, "{序号}"),
        ("{简称}{机关}〔{年}〕{序号}号", 0, "{机关}"),
        ("{简称}{缩写}〔{年}〕{序号}号}", 0, "花括号"),
        ("{简称}{缩写}〔{年}〕{序号}号", 9, "补零"),
    ],
)
def test_pattern_errors_say_what_is_wrong(pattern, pad, fragment):
    errors = rules.pattern_errors(pattern, pad)
    assert errors and any(fragment in e for e in errors)
    with pytest.raises(ValueError):
        rules.format_number(pattern, short_name="a", abbreviation="b", year=2026, sequence=1, pad_width=pad)


def test_default_pattern_is_valid():
    assert rules.pattern_errors(rules.DEFAULT_PATTERN) == []
