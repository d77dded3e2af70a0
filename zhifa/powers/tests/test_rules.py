"""Penalty ranges (处罚法 Art. 4, 9), item codes and the version in force, at their boundaries."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from zhifa.powers import rules

D = Decimal


def errors(**overrides):
    values = {
        "is_penalty": True,
        "kinds": ["fine"],
        "fine_min": None,
        "fine_max": None,
        "multiple_base": "",
        "multiple_min": None,
        "multiple_max": None,
    }
    return rules.penalty_range_errors(**{**values, **overrides})


def test_equal_min_and_max_is_a_valid_range_chufa_art9():
    assert errors(fine_min=D("5000"), fine_max=D("5000")) == {}


def test_min_one_cent_above_max_is_refused_chufa_art9():
    message = errors(fine_min=D("5000.01"), fine_max=D("5000"))["fine_max"]
    assert "不能低于下限" in message


def test_multiple_min_above_max_is_refused_chufa_art9():
    result = errors(multiple_base="illegal_income", multiple_min=D("5"), multiple_max=D("2"))
    assert "倍数上限" in result["multiple_max"]


def test_multiple_range_needs_a_base_chufa_art9():
    assert "计算基数" in errors(multiple_min=D("1"), multiple_max=D("3"))["multiple_base"]


def test_base_without_multiples_is_refused():
    assert "倍数幅度" in errors(multiple_base="goods_value")["multiple_max"]


def test_negative_amount_is_refused():
    assert "负数" in errors(fine_min=D("-1"), fine_max=D("10"))["fine_min"]


def test_cap_only_range_is_valid_like_wuqianyuan_yixia():
    assert errors(fine_max=D("5000")) == {}


def test_penalty_item_without_kinds_or_range_is_refused_citing_art4_and_art9():
    message = errors(kinds=[])["penalty_kinds"]
    assert "第四条" in message and "第九条" in message


def test_penalty_item_with_kinds_only_is_valid_chufa_art9():
    assert errors(kinds=["warning"]) == {}


def test_penalty_item_with_range_only_must_name_fine_chufa_art9():
    assert "罚款" in errors(kinds=[], fine_max=D("200"))["penalty_kinds"]


def test_unknown_kind_is_refused_chufa_art9():
    assert "第九条" in errors(kinds=["fine", "bogus"])["penalty_kinds"]


def test_non_penalty_item_cannot_carry_a_penalty_range():
    result = errors(is_penalty=False, kinds=[], fine_max=D("100"))
    assert "只有行政处罚事项" in result["penalty_kinds"]
    assert errors(is_penalty=False, kinds=[]) == {}


def test_article_9_kinds_are_all_offered():
    labels = set(rules.PENALTY_KIND_LABELS.values())
    assert {
        "警告",
        "通报批评",
        "罚款",
        "没收违法所得",
        "没收非法财物",
        "暂扣许可证件",
        "降低资质等级",
        "吊销许可证件",
        "限制开展生产经营活动",
        "责令停产停业",
        "责令关闭",
        "限制从业",
        "行政拘留",
        "其他",
    } == labels


@pytest.mark.parametrize(
    "code",
    [
        "",
        "1111022100010289193110221325000",
        "XK1400100011522427009668517R14522427",
        "12",
        "SCJG-CF-001",
        "a" * 64,
    ],
)
def test_real_item_code_formats_are_accepted(code):
    assert rules.power_code_error(code) is None


@pytest.mark.parametrize(
    ("code", "fragment"), [("XK 001", "空格"), ("行政处罚001", "汉字"), ("a" * 65, "过长"), ("-12", "只能由")]
)
def test_broken_item_codes_are_refused(code, fragment):
    assert fragment in rules.power_code_error(code)


TODAY = date(2026, 3, 1)


def test_version_effective_today_is_in_force_chufa_art37():
    versions = [(date(2018, 1, 1), date(2018, 1, 1)), (date(2025, 12, 1), TODAY)]
    assert rules.version_in_force(versions, TODAY) == 1


def test_version_effective_tomorrow_is_not_yet_in_force_chufa_art37():
    versions = [(date(2018, 1, 1), date(2018, 1, 1)), (date(2025, 12, 1), TODAY + timedelta(days=1))]
    assert rules.version_in_force(versions, TODAY) == 0


def test_when_no_version_is_in_force_yet_the_latest_is_shown():
    assert rules.version_in_force([(TODAY, TODAY + timedelta(days=30))], TODAY) == 0
    assert rules.version_in_force([], TODAY) is None


def test_legal_range_text():
    text = rules.legal_range_text(
        ["warning", "fine"], D("50000"), D("100000"), "goods_value", D("10"), D("20")
    )
    assert text == "警告、罚款；罚款5万元以上10万元以下；货值金额10倍以上20倍以下罚款"
    assert rules.legal_range_text(["fine"], D("0"), D("200"), "", None, None) == "罚款；罚款200元以下"
