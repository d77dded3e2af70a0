"""裁量基准 rules (S8; 处罚法 Art. 30–34): tiers inside the legal range, ordering, the calculator
and the proposal check, at their boundaries. Pure functions, no database."""

from decimal import Decimal

import pytest

from zhifa.powers import rules
from zhifa.powers.rules import LegalRange, TierSpec

D = Decimal
FIXED = LegalRange(kinds=("warning", "fine"), fine_min=D(5000), fine_max=D(10000))
INCOME = LegalRange(
    kinds=("fine", "confiscate_income"), multiple_base="illegal_income", multiple_min=D(5), multiple_max=D(20)
)
CONTRACT = LegalRange(
    kinds=("fine",),
    fine_max=D(30000),
    multiple_base="contract_price",
    multiple_min=D("0.01"),
    multiple_max=D("0.02"),
)


def fine(tier, low=None, high=None, **extra):
    return TierSpec(tier=tier, kinds=("fine",), fine_min=low, fine_max=high, **extra)


def multiple(tier, low=None, high=None, base="illegal_income", **extra):
    return TierSpec(
        tier=tier, kinds=("fine",), multiple_base=base, multiple_min=low, multiple_max=high, **extra
    )


# --- tiers inside the legal range ---------------------------------------------------------------
def test_s8_tier_at_exactly_the_legal_maximum_is_accepted():
    assert rules.tier_errors(FIXED, fine("heavier", D(9000), D(10000))) == {}


def test_s8_heavier_tier_one_cent_above_the_legal_maximum_is_refused_citing_art34():
    message = rules.tier_errors(FIXED, fine("heavier", D(9000), D("10000.01")))["fine_max"]
    assert "超过法定最高限额" in message and "S8" in message and "第三十四条" in message


def test_s8_open_ended_tier_is_refused_when_the_law_has_a_maximum():
    assert "超过法定最高限额" in rules.tier_errors(FIXED, fine("heavier", D(9000)))["fine_max"]


def test_s8_lighter_tier_at_exactly_the_legal_minimum_is_accepted():
    assert rules.tier_errors(FIXED, fine("lighter", D(5000), D(6000))) == {}


def test_s8_lighter_tier_below_the_legal_minimum_must_be_a_mitigated_tier_art32():
    message = rules.tier_errors(FIXED, fine("lighter", D("4999.99"), D(6000)))["fine_min"]
    assert "低于法定最低限额" in message and "减轻处罚" in message and "第三十二条" in message


def test_s8_mitigated_tier_may_go_below_the_minimum_but_not_above_it_art32():
    assert rules.tier_errors(FIXED, fine("mitigated", None, D(5000))) == {}
    assert rules.tier_errors(FIXED, fine("mitigated", D(1000), D(4000))) == {}
    message = rules.tier_errors(FIXED, fine("mitigated", D(1000), D("5000.01")))["fine_max"]
    assert "最低限额" in message and "第三十二条" in message


def test_s8_mitigated_tier_of_a_cap_only_range_stays_under_the_cap():
    cap_only = LegalRange(kinds=("fine",), fine_max=D(15000))
    assert rules.tier_errors(cap_only, fine("mitigated", None, D(1000))) == {}
    assert "超过法定最高限额" in rules.tier_errors(cap_only, fine("mitigated", None, D(15001)))["fine_max"]


def test_s8_multiples_keep_the_same_base_and_range():
    assert rules.tier_errors(INCOME, multiple("general", D(5), D(20))) == {}
    assert (
        "超过法定最高限额" in rules.tier_errors(INCOME, multiple("heavier", D(15), D("20.5")))["multiple_max"]
    )
    assert (
        "基数"
        in rules.tier_errors(INCOME, multiple("general", D(5), D(10), base="goods_value"))["multiple_base"]
    )


def test_s8_mitigated_multiple_x02_five_times_or_less_equals_the_legal_minimum():
    row = TierSpec(
        tier="mitigated",
        kinds=("fine", "confiscate_income"),
        multiple_base="illegal_income",
        multiple_max=D(5),
        base_floor=D(10000),
    )
    assert rules.tier_errors(INCOME, row) == {}
    assert "最低限额" in rules.tier_errors(INCOME, multiple("mitigated", None, D(6)))["multiple_max"]


def test_s8_percentages_of_contract_price_x03():
    assert (
        rules.tier_errors(CONTRACT, multiple("lighter", D("0.01"), D("0.013"), base="contract_price")) == {}
    )
    refused = rules.tier_errors(CONTRACT, multiple("heavier", D("0.017"), D("0.021"), base="contract_price"))
    assert "2.1%" in refused["multiple_max"] and "2%" in refused["multiple_max"]


def test_s8_kinds_must_be_among_the_items_kinds():
    row = TierSpec(tier="heavier", kinds=("revoke_license",))
    message = rules.tier_errors(FIXED, row)["kinds"]
    assert "吊销许可证件" in message and "法定处罚种类" in message and "第三十四条" in message


def test_s8_amount_tier_needs_a_legal_amount_range():
    assert "没有定额罚款" in rules.tier_errors(INCOME, fine("general", D(1000), D(2000)))["fine_max"]


def test_no_penalty_tier_carries_no_penalty_art33():
    assert rules.tier_errors(FIXED, TierSpec(tier="none", other_measures="责令改正")) == {}
    message = rules.tier_errors(FIXED, TierSpec(tier="none", kinds=("warning",)))["tier"]
    assert "第三十三条" in message


def test_penalty_tier_needs_a_kind():
    assert "处罚种类" in rules.tier_errors(FIXED, TierSpec(tier="general"))["kinds"]


def test_fixed_plus_multiple_needs_the_threshold():
    both = LegalRange(
        kinds=("fine",), fine_min=D(50000), fine_max=D(100000), multiple_base="goods_value",
        multiple_min=D(10), multiple_max=D(20),
    )  # fmt: skip
    row = TierSpec(
        tier="general", kinds=("fine",), fine_min=D(50000), fine_max=D(80000),
        multiple_base="goods_value", multiple_min=D(10), multiple_max=D(15),
    )  # fmt: skip
    assert "倍数适用起点" in rules.tier_errors(both, row)["multiple_threshold"]
    row = TierSpec(**{**row.__dict__, "multiple_threshold": D(10000)})
    assert rules.tier_errors(both, row) == {}
    s = rules.suggest([row], set(), {"货值金额": 8000})
    assert (s.yuan_min, s.yuan_max) == (D(50000), D(80000))
    s = rules.suggest([row], set(), {"货值金额": 12000})
    assert (s.yuan_min, s.yuan_max) == (D(120000), D(180000))


# --- ordering -----------------------------------------------------------------------------------
def test_s8_touching_tiers_are_ordered_but_overlapping_ones_are_refused():
    ordered = [fine("lighter", D(5000), D(6000)), fine("general", D(6000), D(8000))]
    assert rules.benchmark_errors(FIXED, ordered) == []
    overlapping = [fine("lighter", D(5000), D(7000)), fine("general", D(6000), D(8000))]
    (problem,) = rules.benchmark_errors(FIXED, overlapping)
    assert problem.row == 1 and "档次顺序有误" in problem.message and "S8" in problem.message


def test_s8_ordering_is_judged_per_party_x04():
    rows = [
        fine("general", D(8000), D(8000), party="单位"),
        fine("lighter", D(1000), D(1000), party="个人"),
    ]
    legal = LegalRange(kinds=("fine",), fine_max=D(10000))
    assert rules.benchmark_errors(legal, rows) == []


def test_s8_overlapping_bands_are_refused():
    band = {"band_measure": "堆放量", "band_unit": "立方米"}
    rows = [
        fine("lighter", D(5000), D(5000), band_max=D(50), **band),
        fine("general", D(8000), D(8000), band_min=D(40), band_max=D(100), **band),
    ]
    (problem,) = rules.benchmark_errors(FIXED, rows)
    assert problem.field == "band_min" and "区间重叠" in problem.message


def test_empty_benchmark_is_refused():
    assert "至少要有一个档次" in rules.benchmark_errors(FIXED, [])[0].message


@pytest.mark.parametrize(
    "label,tier",
    [
        ("轻微", "lighter"),
        ("一 般", "general"),
        ("较重", "heavier"),
        ("特别严重", "heavier"),
        ("免予处罚", "none"),
        ("减轻处罚", "mitigated"),
        ("一般违法行为", "general"),
        ("严重违法行为", "heavier"),
        ("说不清", None),
    ],
)
def test_published_tier_names_map_onto_statutory_tiers(label, tier):
    assert rules.tier_for_label(label) == tier


# --- the calculator -----------------------------------------------------------------------------
VOLUME = [
    fine(
        "lighter", D(5000), D(5000), party="单位", band_measure="堆放量", band_unit="立方米", band_max=D(50)
    ),
    fine("general", D(8000), D(8000), party="单位", band_measure="堆放量", band_min=D(50), band_max=D(100)),
    fine("heavier", D(10000), D(10000), party="单位", band_measure="堆放量", band_min=D(100)),
    fine("lighter", D(1000), D(1000), party="个人", band_measure="堆放量", band_max=D(50)),
]


def test_s8_band_boundary_falls_in_the_upper_band_when_lower_bounds_include():
    assert rules.suggest(VOLUME, set(), {"堆放量": "49.99"}, "单位").yuan_max == D(5000)
    assert rules.suggest(VOLUME, set(), {"堆放量": "50"}, "单位").yuan_max == D(8000)
    assert rules.suggest(VOLUME, set(), {"堆放量": "100"}, "单位").tier == "heavier"


def test_s8_band_boundary_falls_in_the_lower_band_when_upper_bounds_include():
    s = rules.suggest(VOLUME, set(), {"堆放量": "50"}, "单位", rules.BAND_UPPER_INCLUSIVE)
    assert s.tier == "lighter" and s.yuan_max == D(5000)


def test_s8_party_type_selects_the_column_and_aliases_work():
    assert rules.suggest(VOLUME, set(), {"堆放量": 10}, "自然人").yuan_max == D(1000)
    missing = rules.suggest(VOLUME, set(), {"堆放量": 10}, "")
    assert missing.tier is None and "当事人类别" in missing.notes[0]


def test_s8_missing_quantity_is_asked_for():
    s = rules.suggest(VOLUME, set(), {}, "单位")
    assert s.tier is None and any("堆放量" in n for n in s.notes)


INCOME_ROWS = [
    TierSpec(tier="none", condition_text="符合裁量规则不予处罚情形规定的。"),
    TierSpec(
        tier="mitigated",
        kinds=("fine", "confiscate_income"),
        multiple_base="illegal_income",
        multiple_max=D(5),
        base_floor=D(10000),
    ),  # fmt: skip
    TierSpec(
        tier="lighter",
        tags=("执业时间3个月以下",),
        kinds=("fine", "confiscate_income"),
        multiple_base="illegal_income",
        multiple_min=D(5),
        multiple_max=D(8),
        base_floor=D(10000),
    ),  # fmt: skip
    TierSpec(
        tier="general",
        kinds=("fine", "confiscate_income"),
        multiple_base="illegal_income",
        multiple_min=D(8),
        multiple_max=D(14),
        base_floor=D(10000),
    ),  # fmt: skip
    TierSpec(
        tier="heavier",
        tags=("造成患者人身损害",),
        kinds=("fine", "confiscate_income"),
        multiple_base="illegal_income",
        multiple_min=D(14),
        multiple_max=D(20),
        base_floor=D(10000),
    ),  # fmt: skip
]


def test_s8_multiples_become_yuan_with_the_base_floor_x02():
    general = rules.suggest(INCOME_ROWS, set(), {"违法所得": 3000})
    assert general.tier == "general" and (general.yuan_min, general.yuan_max) == (D(80000), D(140000))
    assert "按1万元计算" in general.range_text and "即8万元以上14万元以下" in general.range_text
    above = rules.suggest(INCOME_ROWS, set(), {"illegal_income": 20000})
    assert (above.yuan_min, above.yuan_max) == (D(160000), D(280000))


def test_s8_statutory_mitigation_selects_the_untagged_mitigated_row_art32():
    s = rules.suggest(INCOME_ROWS, {"confessed"}, {"违法所得": 3000})
    assert s.tier == "mitigated" and (s.yuan_min, s.yuan_max) == (D(0), D(50000))
    assert "第三十二条" in s.reasons[0]


def test_s8_statutory_no_penalty_wins_art33():
    s = rules.suggest(INCOME_ROWS, {"no_fault", "造成患者人身损害"}, {"违法所得": 3000})
    assert s.tier == "none" and s.row == 0


def test_s8_no_penalty_applies_even_without_a_row_art33():
    s = rules.suggest(VOLUME, {"first_minor"}, {"堆放量": 10}, "单位")
    assert s.tier == "none" and s.spec is None and "第三十三条" in s.reasons[0]
    assert any("可以不予" in n for n in s.notes)


def test_s8_aggravating_and_mitigating_together_take_the_heavier_row_with_a_warning():
    s = rules.suggest(INCOME_ROWS, {"执业时间3个月以下", "造成患者人身损害"}, {"违法所得": 1})
    assert s.tier == "heavier" and any("综合考量" in n for n in s.notes)
    lighter = rules.suggest(INCOME_ROWS, {"执业时间3个月以下"}, {"违法所得": 1})
    assert lighter.tier == "lighter"


def test_s8_tagged_or_banded_alternatives_x03():
    rows = [
        multiple(
            "lighter",
            D("0.01"),
            D("0.013"),
            base="contract_price",
            band_measure="工程面积",
            band_max=D(20000),
        ),
        multiple(
            "heavier",
            D("0.017"),
            D("0.02"),
            base="contract_price",
            band_measure="工程面积",
            band_min=D(50000),
            tags=("造成严重危害后果",),
        ),  # fmt: skip
    ]
    small = rules.suggest(rows, set(), {"工程面积": 8000, "合同价款": 2_000_000})
    assert small.tier == "lighter" and (small.yuan_min, small.yuan_max) == (D(20000), D(26000))
    harmful = rules.suggest(rows, {"造成严重危害后果"}, {"工程面积": 8000, "合同价款": 2_000_000})
    assert harmful.tier == "heavier" and harmful.yuan_max == D(40000)


def test_nothing_matches_without_a_default_row():
    assert rules.suggest(VOLUME[:1], set(), {"堆放量": 70}, "单位").tier is None


# --- checking a proposal ------------------------------------------------------------------------
def test_s8_proposal_at_the_tier_bounds_is_within_and_one_cent_over_is_not():
    s = rules.suggest(INCOME_ROWS, set(), {"违法所得": 3000})
    kinds = ["fine", "confiscate_income"]
    assert rules.proposal_check(s, D(140000), kinds).within
    assert rules.proposal_check(s, D(80000), kinds).within
    over = rules.proposal_check(s, D("140000.01"), kinds)
    assert not over.within and "高于本档次上限" in over.deviations[0]
    under = rules.proposal_check(s, D("79999.99"), kinds)
    assert not under.within and "低于本档次下限" in under.deviations[0]


def test_s8_missing_or_extra_kinds_are_deviations():
    s = rules.suggest(VOLUME, set(), {"堆放量": 60}, "单位")
    check = rules.proposal_check(s, D(8000), ["warning"])
    assert not check.within and "警告" in check.deviations[0]
    s = rules.suggest(
        [TierSpec(**{**VOLUME[1].__dict__, "kinds": ("warning", "fine")})], set(), {"堆放量": 60}, "单位"
    )
    check = rules.proposal_check(s, D(8000), ["fine"])
    assert not check.within and "未列入" in check.deviations[0]


def test_s8_penalty_against_a_no_penalty_suggestion_is_outside():
    s = rules.suggest(INCOME_ROWS, {"no_fault"}, {})
    assert not rules.proposal_check(s, D(1000), []).within
    assert rules.proposal_check(s, None, []).within


def test_proposal_above_the_legal_maximum_is_unlawful_art4():
    s = rules.suggest(VOLUME, set(), {"堆放量": 60}, "单位")
    check = rules.proposal_check(s, D("10000.01"), ["fine"], FIXED)
    assert not check.lawful and "法定最高限额" in check.legal_problems[0]


def test_below_the_legal_minimum_is_lawful_only_with_mitigation_grounds_art32():
    s = rules.suggest(VOLUME, set(), {"堆放量": 60}, "单位")
    check = rules.proposal_check(s, D(4000), ["fine"], FIXED)
    assert not check.lawful and "第三十二条" in check.legal_problems[0]
    mitigated = rules.suggest(VOLUME, {"coerced"}, {"堆放量": 60}, "单位")
    assert rules.proposal_check(mitigated, D(4000), ["fine"], FIXED).lawful


def test_amount_parsing_for_imports():
    assert rules.parse_amount("1万") == D(10000)
    assert rules.parse_amount("1.5万元") == D(15000)
    assert rules.parse_amount("5,000元") == D(5000)
    assert rules.parse_multiple("1.3%") == D("0.013")
    assert rules.parse_multiple("5倍") == D(5)
    assert rules.parse_amount("") is None


def test_standard_sentence_for_the_decision_document():
    s = rules.suggest(INCOME_ROWS, set(), {"违法所得": 3000})
    assert rules.standard_sentence(s) == (
        "处罚标准为没收违法所得，并处罚款违法所得8倍以上14倍以下（违法所得不足1万元的，按1万元计算），"
        "即8万元以上14万元以下"
    )
    s = rules.suggest(INCOME_ROWS, set(), {})
    assert rules.standard_sentence(s) == (
        "处罚标准为没收违法所得，并处罚款违法所得8倍以上14倍以下（违法所得不足1万元的，按1万元计算）"
    )
    s = rules.suggest([multiple("general", D(1), D(3))], set(), {"违法所得": 1000})
    assert rules.standard_sentence(s) == "罚款幅度为违法所得1倍以上3倍以下，即1000元以上3000元以下"
    s = rules.suggest(VOLUME, set(), {"堆放量": 1}, "个人")
    assert rules.standard_sentence(s) == "罚款幅度为1000元"
    revoke = [TierSpec(tier="heavier", kinds=("revoke_license",))]
    assert rules.standard_sentence(rules.suggest(revoke, set())) == ""
    revoke = [TierSpec(tier="heavier", kinds=("revoke_license",), tags=("三次以上",))]
    assert rules.standard_sentence(rules.suggest(revoke, {"三次以上"})) == "处罚标准为吊销许可证件"
