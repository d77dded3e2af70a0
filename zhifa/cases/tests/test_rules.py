"""Statutory rules of the case engine at their boundaries (P2–P13, C1–C4, T1, T2, T4, S7).

The calendar is the 国务院办公厅 notices as shipped by chinesecalendar. 2026 facts used below:
国庆/中秋 9月25日（周五）、10月1日至7日放假, 9月20日（周日）、10月10日（周六）上班; 清明 4月4日至6日;
劳动节 5月1日至5日. 2027 has no data yet, so anything touching it is provisional (D4).
"""

from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from zhifa.cases import rules
from zhifa.cases.rules import Outcome, Penalty, Procedure, WarningLevel
from zhifa.workdays import seed
from zhifa.workdays.rules import Due, count_workdays

CAL = seed.package_calendar()
D = date.fromisoformat
NATURAL, BUSINESS, LEGAL, UNINCORPORATED = (
    "natural_person",
    "individual_business",
    "legal_person",
    "unincorporated",
)

dates = st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 12, 31))
cents = st.integers(min_value=1, max_value=10_000_000).map(lambda c: Decimal(c) / 100)


def assert_refusal(result, rule, *fragments):
    assert result is not None, "expected a refusal"
    assert result.rule == rule
    assert result.message.endswith(f"；{rule}）。"), result.message
    assert result.basis in result.message
    for fragment in fragments:
        assert fragment in result.message, (fragment, result.message)


# --- P2 简易程序 --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("party", "fine", "allowed"),
    [
        (NATURAL, "200", True),
        (NATURAL, "200.00", True),
        (NATURAL, "200.01", False),
        (BUSINESS, "200", True),  # 个体工商户 is a 公民 (民法典第五十四条)
        (BUSINESS, "200.01", False),
        (LEGAL, "200.01", True),
        (LEGAL, "3000", True),
        (LEGAL, "3000.01", False),
        (UNINCORPORATED, "3000", True),
        (UNINCORPORATED, "3000.01", False),
    ],
)
def test_p2_summary_fine_limits_at_the_boundary(party, fine, allowed):
    refusals = rules.summary_procedure_refusals(party, {"fine"}, Decimal(fine), True, True)
    assert (refusals == []) is allowed
    if not allowed:
        assert_refusal(refusals[0], "P2", f"本次为{Decimal(fine)}元", "须适用普通程序", "第五十一条")


def test_p2_natural_person_message_names_the_limit():
    (refusal,) = rules.summary_procedure_refusals(BUSINESS, {"fine"}, Decimal("200.01"), True, True)
    assert "自然人（含个体工商户）的罚款不得超过200元" in refusal.message


def test_p2_warning_alone_and_with_fine_are_allowed():
    assert rules.summary_procedure_refusals(LEGAL, {"warning"}, None, True, True) == []
    assert rules.summary_procedure_refusals(NATURAL, {"warning", "fine"}, 50, True, True) == []


@pytest.mark.parametrize("kind", ["circulated_criticism", "confiscate_income", "revoke_license", "detention"])
def test_p2_only_warning_or_fine_on_the_spot(kind):
    """P2: Art. 51 names 罚款 and 警告 only; even 通报批评 needs the 普通程序."""
    (refusal,) = rules.summary_procedure_refusals(NATURAL, {"warning", kind}, None, True, True)
    assert_refusal(refusal, "P2", "简易程序只能给予警告或者罚款", rules.PENALTY_KIND_LABELS[kind])


def test_p2_facts_and_basis_and_consistency():
    refusals = rules.summary_procedure_refusals(NATURAL, {"fine"}, 0, False, False)
    texts = " ".join(r.message for r in refusals)
    assert "违法事实尚未确凿" in texts
    assert "没有法定依据" in texts
    assert "请填写罚款数额" in texts
    (only,) = rules.summary_procedure_refusals(NATURAL, {"warning"}, 100, True, True)
    assert "处罚种类应包含罚款" in only.message
    (empty,) = rules.summary_procedure_refusals(NATURAL, set(), None, True, True)
    assert "请选择处罚种类" in empty.message


def test_p2_other_law_may_set_another_limit():
    """P2: 法律另有规定的，从其规定 — the limit is a parameter."""
    assert rules.summary_procedure_refusals(NATURAL, {"fine"}, 500, True, True, fine_limit=Decimal(500)) == []


def test_p2_bad_inputs():
    with pytest.raises(ValueError, match="未知的当事人类别"):
        rules.summary_procedure_refusals("company", {"fine"}, 10, True, True)
    with pytest.raises(TypeError, match="浮点数"):
        rules.summary_procedure_refusals(NATURAL, {"fine"}, 200.01, True, True)
    with pytest.raises(ValueError, match="负数"):
        rules.summary_procedure_refusals(NATURAL, {"fine"}, -1, True, True)


@given(cents, st.sampled_from([NATURAL, BUSINESS, LEGAL, UNINCORPORATED]))
def test_p2_property_allowed_exactly_up_to_the_limit(amount, party):
    limit = Decimal(200) if party in (NATURAL, BUSINESS) else Decimal(3000)
    refusals = rules.summary_procedure_refusals(party, {"fine"}, amount, True, True)
    assert (refusals == []) is (amount <= limit)


# --- P3 追责时效 ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("discovered", "expired"),
    [("2026-03-09", False), ("2026-03-10", False), ("2026-03-11", True)],
)
def test_p3_two_years_end_on_the_anniversary(discovered, expired):
    result = rules.limitation_check(D("2024-03-10"), None, D(discovered), False)
    assert result.ends_on == D("2026-03-10")
    assert result.expired is expired
    assert (result.refusal is None) is not expired


def test_p3_expired_warning_text():
    result = rules.limitation_check(D("2024-03-10"), None, D("2026-03-11"), False)
    assert_refusal(result.refusal, "P3", "二年内未被发现", "2026年3月10日", "不再给予行政处罚", "第三十六条")
    assert result.warning == result.refusal.message


def test_p3_five_years_when_life_health_or_finance_harmed():
    result = rules.limitation_check(D("2024-03-10"), None, D("2029-03-10"), True)
    assert (result.years, result.ends_on, result.expired) == (5, D("2029-03-10"), False)
    assert rules.limitation_check(D("2024-03-10"), None, D("2029-03-11"), True).expired


def test_p3_leap_day_act_ends_on_28_february():
    """P3: 民法典第二百零二条 — no corresponding day, so the month's last day."""
    two = rules.limitation_check(D("2024-02-29"), None, D("2026-02-28"), False)
    assert (two.ends_on, two.expired) == (D("2026-02-28"), False)
    assert rules.limitation_check(D("2024-02-29"), None, D("2026-03-01"), False).expired
    assert rules.limitation_check(D("2024-02-29"), None, D("2029-03-01"), True).ends_on == D("2029-02-28")


def test_p3_continuing_act_counts_from_its_end():
    result = rules.limitation_check(D("2022-01-01"), D("2024-06-30"), D("2026-06-30"), False)
    assert (result.counted_from, result.ends_on, result.expired) == (D("2024-06-30"), D("2026-06-30"), False)
    late = rules.limitation_check(D("2022-01-01"), D("2024-06-30"), D("2026-07-01"), False)
    assert "违法行为终了之日2024年6月30日" in late.warning
    with pytest.raises(ValueError):
        rules.limitation_check(D("2024-06-30"), D("2024-01-01"), D("2024-07-01"), False)


def test_p3_no_roll_off_a_holiday_and_other_law_may_differ():
    """P3: the time bar is not moved to the next working day; 法律另有规定的除外."""
    assert rules.limitation_check(D("2024-10-01"), None, D("2026-10-02"), False).expired
    assert rules.limitation_check(
        D("2024-10-01"), None, D("2026-10-02"), False, statutory_years=5
    ).ends_on == D("2029-10-01")


@given(dates, dates)
def test_p3_property_two_years_and_expiry(act, discovered):
    result = rules.limitation_check(act, None, discovered, False)
    assert (result.ends_on - act).days in (730, 731)
    assert result.ends_on.month == act.month
    assert result.expired is (discovered > result.ends_on)


@given(dates, st.integers(min_value=0, max_value=120))
def test_period_add_months_corresponding_day_or_month_end(day, months):
    result = rules.add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day == day.day or (result.day < day.day and (result + timedelta(days=1)).day == 1)


# --- P5 先行登记保存 ------------------------------------------------------------------------------
def test_p5_handling_decision_within_seven_working_days_across_national_day():
    assert rules.preservation_decision_due(D("2026-09-28"), CAL) == Due(D("2026-10-13"), False)
    assert rules.preservation_approval_refusal(True) is None
    assert_refusal(rules.preservation_approval_refusal(False), "P5", "负责人批准")


# --- P6 告知、陈述申辩 ----------------------------------------------------------------------------
def test_p6_statement_period_five_working_days_ends_on_the_worked_saturday():
    # 9/29, 9/30, 10/8, 10/9, 10/10 (调休 Saturday)
    assert rules.statement_period_end(D("2026-09-28"), CAL) == Due(D("2026-10-10"), False)
    assert rules.statement_period_end(D("2026-09-28"), CAL, days=7) == Due(D("2026-10-13"), False)


@pytest.mark.parametrize(
    ("today", "allowed"), [("2026-10-09", False), ("2026-10-10", False), ("2026-10-11", True)]
)
def test_p6_decision_only_after_the_statement_period(today, allowed):
    result = rules.decision_allowed_after_notice(D("2026-09-28"), D(today), CAL, waived=False)
    assert (result is None) is allowed
    if not allowed:
        assert_refusal(result, "P6", "2026年10月10日届满", "明确放弃")


def test_p6_waiver_and_missing_notice():
    assert rules.decision_allowed_after_notice(D("2026-09-28"), D("2026-09-28"), CAL, waived=True) is None
    assert_refusal(
        rules.decision_allowed_after_notice(None, D("2026-09-28"), CAL, True), "P6", "尚未向当事人送达"
    )
    assert_refusal(rules.decision_allowed_after_notice(D("2026-09-29"), D("2026-09-28"), CAL, True), "P6")


def test_p6_statement_period_into_2027_is_provisional():
    result = rules.decision_allowed_after_notice(D("2026-12-30"), D("2027-01-05"), CAL, False)
    assert_refusal(result, "P6", "2027年1月6日（暂定")


NOTIFIED = Penalty(frozenset({"warning", "fine"}), fine=Decimal(5000))


@pytest.mark.parametrize(
    ("decided", "heavier"),
    [
        (Penalty(frozenset({"warning", "fine"}), fine=Decimal(5000)), False),
        (Penalty(frozenset({"fine"}), fine=Decimal("4999.99")), False),
        (Penalty(frozenset({"warning", "fine"}), fine=Decimal("5000.01")), True),
        (Penalty(frozenset({"warning", "fine", "revoke_license"}), fine=Decimal(5000)), True),
        (Penalty(frozenset({"warning", "fine"}), fine=Decimal(5000), confiscation=Decimal(1)), True),
    ],
)
def test_p6_no_heavier_penalty_because_of_defence(decided, heavier):
    result = rules.penalty_increase_refusal(NOTIFIED, decided, party_defended=True)
    assert (result is not None) is heavier
    if heavier:
        assert_refusal(
            result, "P6", "不得因当事人陈述、申辩而给予更重的处罚", "警告、罚款5000元", "第四十五条第二款"
        )


def test_p6_beyond_notice_without_defence_needs_a_new_notice():
    decided = Penalty(frozenset({"fine"}), fine=Decimal(8000))
    result = rules.penalty_increase_refusal(NOTIFIED, decided, party_defended=False)
    assert_refusal(result, "P6", "应当重新告知", "罚款8000元")
    assert "第四十五条" not in result.basis


# --- P7 集体讨论 ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("major", "complex_case", "required"), [(False, False, False), (True, False, True), (False, True, True)]
)
def test_p7_collective_discussion_required(major, complex_case, required):
    assert rules.collective_discussion_required(major, complex_case) is required
    result = rules.collective_discussion_refusal(major, complex_case, discussed=False)
    assert (result is not None) is required
    assert rules.collective_discussion_refusal(major, complex_case, discussed=True) is None


def test_p7_refusal_names_why():
    assert_refusal(
        rules.collective_discussion_refusal(True, True, False), "P7", "情节复杂、重大违法行为", "集体讨论"
    )


# --- P8 听证 -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("party", "fine", "offered"),
    [
        (NATURAL, "9999.99", False),
        (NATURAL, "10000", True),
        (BUSINESS, "10000", True),
        (LEGAL, "10000", False),
        (LEGAL, "99999.99", False),
        (LEGAL, "100000", True),
        (UNINCORPORATED, "100000", True),
    ],
)
def test_p8_large_fine_threshold_inclusive(party, fine, offered):
    reasons = rules.hearing_reasons(party, {"fine"}, Decimal(fine), None)
    assert bool(reasons) is offered
    if offered:
        assert "较大数额罚款" in reasons[0] and "第六十三条第一款第一项" in reasons[0]


def test_p8_large_confiscation():
    (reason,) = rules.hearing_reasons(NATURAL, {"confiscate_income"}, None, Decimal(10000))
    assert "没收较大数额违法所得" in reason and "第二项" in reason
    assert rules.hearing_reasons(LEGAL, {"confiscate_income"}, None, Decimal("99999.99")) == []


@pytest.mark.parametrize(
    ("kind", "item"),
    [
        ("lower_qualification", "第三项"),
        ("revoke_license", "第三项"),
        ("suspend_business", "第四项"),
        ("close", "第四项"),
        ("restrict_practice", "第四项"),
        ("suspend_license", "第五项"),
        ("restrict_business", "第五项"),
    ],
)
def test_p8_heavy_kinds_need_a_hearing(kind, item):
    (reason,) = rules.hearing_reasons(LEGAL, {"warning", kind}, None, None)
    assert rules.PENALTY_KIND_LABELS[kind] in reason and item in reason


def test_p8_thresholds_are_configuration():
    assert rules.HearingThresholds.from_config({}) == rules.HearingThresholds()
    local = rules.HearingThresholds.from_config({"hearing_fine_natural": "5000", "hearing_heavy_kinds": []})
    assert rules.hearing_reasons(NATURAL, {"fine"}, Decimal(5000), None, local)
    assert rules.hearing_reasons(LEGAL, {"suspend_license"}, None, None, local) == []
    assert rules.hearing_reasons(NATURAL, {"warning"}, None, None) == []


def test_p8_hearing_must_be_offered():
    reasons = rules.hearing_reasons(LEGAL, {"revoke_license"}, None, None)
    assert_refusal(
        rules.hearing_offer_refusal(reasons, offered=False), "P8", "吊销许可证件", "要求听证的权利"
    )
    assert rules.hearing_offer_refusal(reasons, offered=True) is None
    assert rules.hearing_offer_refusal([], offered=False) is None


@pytest.mark.parametrize(
    ("served", "requested", "in_time"),
    [
        ("2026-09-28", "2026-10-10", True),  # working day 5 is the 调休 Saturday
        ("2026-09-28", "2026-10-11", False),  # Sunday after it
        ("2026-09-28", "2026-10-12", False),  # working day 6
        ("2026-03-02", "2026-03-09", True),  # ordinary weeks: day 5
        ("2026-03-02", "2026-03-10", False),  # day 6
    ],
)
def test_p8_hearing_request_working_day_5_vs_6(served, requested, in_time):
    result = rules.hearing_request_refusal(D(served), D(requested), CAL)
    assert (result is None) is in_time
    if not in_time:
        assert_refusal(result, "P8", "五个工作日内", "已逾期", "第六十四条")


@pytest.mark.parametrize(
    ("hearing", "ok"), [("2026-10-12", False), ("2026-10-13", True), ("2026-10-14", True)]
)
def test_p8_hearing_notice_seven_working_days_before(hearing, ok):
    result = rules.hearing_notice_refusal(D("2026-09-28"), D(hearing), CAL)
    assert (result is None) is ok
    if not ok:
        assert_refusal(result, "P8", "七个工作日前", "2026年10月13日")


def test_p8_presiding_officer_is_not_an_investigator():
    assert rules.presiding_officer_refusal(7, [3, 4]) is None
    assert_refusal(rules.presiding_officer_refusal(3, [3, 4]), "P8", "非本案调查人员", "第六十四条第四项")
    assert_refusal(rules.presiding_officer_refusal(None, [3, 4]), "P8", "请指定听证主持人")


# --- P9 / T4 办案期限 ---------------------------------------------------------------------------
def test_p9_ninety_days_roll_off_qingming():
    # 2026-01-05 + 90 = 4/5 (清明 4/4–4/6) → 4/7
    assert rules.decision_due(D("2026-01-05"), CAL) == Due(D("2026-04-07"), False)
    # +30 approved = 5/5 (劳动节 5/1–5/5) → 5/6
    assert rules.decision_due(D("2026-01-05"), CAL, extension_days=30) == Due(D("2026-05-06"), False)


@pytest.mark.parametrize(("on", "ok"), [("2026-04-07", True), ("2026-04-08", False)])
def test_p9_decision_overdue_refused(on, ok):
    result = rules.decision_overdue_refusal(D("2026-01-05"), D(on), CAL)
    assert (result is None) is ok
    if not ok:
        assert_refusal(result, "P9", "90日内", "2026年4月7日届满", "第六十条")
    assert rules.decision_overdue_refusal(D("2026-01-05"), D(on), CAL, extension_days=30) is None


def test_t4_filing_within_fifteen_working_days_plus_fifteen():
    # from 9/18: 9/20 (worked Sunday) is day 1; 国庆 skipped
    assert rules.filing_due(D("2026-09-18"), CAL) == Due(D("2026-10-15"), False)
    assert rules.filing_due(D("2026-09-18"), CAL, extension_days=15) == Due(D("2026-11-05"), False)


# --- P10 决定书内容 ------------------------------------------------------------------------------
FULL_DECISION = {
    "party_name": "示范市某某食品有限公司",
    "party_address": "示范市示范区人民路1号",
    "facts": "销售超过保质期的食品",
    "evidence": ["现场笔录", "询问笔录"],
    "penalty_kinds": ["warning", "fine"],
    "legal_basis": "《中华人民共和国食品安全法》第一百二十四条",
    "performance_method": "通过电子支付系统缴纳",
    "performance_deadline": "收到本决定书之日起十五日内",
    "remedy": rules.remedy_text(Procedure.GENERAL, D("2026-03-02")),
    "agency_name": "示范市市场监督管理局",
    "decision_date": D("2026-03-02"),
    "seal": True,
}


def test_p10_complete_decision_has_nothing_missing():
    assert rules.decision_content_missing(FULL_DECISION) == []
    assert rules.decision_content_refusal(FULL_DECISION) is None


@pytest.mark.parametrize(
    ("key", "blank"),
    [
        ("party_address", "  "),
        ("evidence", []),
        ("legal_basis", None),
        ("seal", False),
        ("remedy", ""),
        ("decision_date", None),
    ],
)
def test_p10_each_missing_item_is_named(key, blank):
    content = {**FULL_DECISION, key: blank}
    assert rules.decision_content_missing(content) == [rules.DECISION_CONTENT[key]]
    assert_refusal(rules.decision_content_refusal(content), "P10", rules.DECISION_CONTENT[key], "第五十九条")


def test_p10_summary_decision_needs_the_fine_only_when_fining():
    summary = {
        "party_name": "张三",
        "facts": "违反规定停放车辆",
        "penalty_kinds": ["warning"],
        "legal_basis": "某条例第十条",
        "decided_at": "2026年3月2日10时",
        "place": "人民路口",
        "remedy": rules.remedy_text(Procedure.SUMMARY, D("2026-03-02")),
        "agency_name": "示范市城市管理局",
        "officer_signature": "李四、王五",
    }
    assert rules.decision_content_missing(summary, summary=True) == []
    fining = {**summary, "penalty_kinds": ["fine"]}
    assert rules.decision_content_missing(fining, summary=True) == ["罚款数额（处以罚款的）"]
    assert_refusal(rules.decision_content_refusal(fining, summary=True), "P10", "第五十二条第二款")


# --- P11 送达 ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("decided", "due"),
    [
        ("2026-09-28", "2026-10-13"),  # 9/29, 9/30, 10/8, 10/9, 10/10 (worked Sat), 10/12, 10/13
        ("2026-09-18", "2026-09-29"),  # 9/20 (worked Sunday) counts; 9/25 (中秋) does not
    ],
)
def test_p11_service_within_seven_working_days_across_national_day(decided, due):
    assert rules.service_due(D(decided), CAL) == Due(D(due), False)


def test_p11_service_into_2027_is_provisional():
    assert rules.service_due(D("2026-12-28"), CAL) == Due(D("2027-01-06"), True)


def test_p11_electronic_service_needs_signed_consent():
    assert rules.electronic_service_refusal(True) is None
    assert_refusal(rules.electronic_service_refusal(False), "P11", "确认书", "第六十一条第二款")


# --- P12 缴纳罚款、加处罚款 ------------------------------------------------------------------------
def test_p12_payment_due_on_a_sunday_rolls_to_monday():
    assert rules.payment_due(D("2026-03-07"), CAL) == Due(D("2026-03-23"), False)  # 3/22 is a Sunday
    assert rules.payment_due(D("2026-03-06"), CAL) == Due(D("2026-03-23"), False)  # 3/21 Saturday
    assert rules.payment_due(D("2026-03-08"), CAL) == Due(D("2026-03-23"), False)  # 3/23 itself


def test_p12_payment_due_in_national_day_rolls_past_it():
    assert rules.payment_due(D("2026-09-16"), CAL) == Due(D("2026-10-08"), False)


DUE = D("2026-03-23")


@pytest.mark.parametrize(
    ("on", "days", "amount", "capped"),
    [
        ("2026-03-22", 0, "0.00", False),
        ("2026-03-23", 0, "0.00", False),  # the due day itself: still in time
        ("2026-03-24", 1, "30.00", False),
        ("2026-04-25", 33, "990.00", False),  # 99 %
        ("2026-04-26", 34, "1000.00", True),  # 102 % → capped at the fine
        ("2026-12-31", 283, "1000.00", True),
    ],
)
def test_p12_surcharge_three_percent_a_day_capped_on_day_34(on, days, amount, capped):
    result = rules.late_surcharge(Decimal(1000), DUE, D(on))
    assert result == rules.Surcharge(Decimal(amount), days, capped)


def test_p12_surcharge_days_pause_during_review_and_litigation():
    closed = [(D("2026-03-25"), D("2026-03-29"))]  # 5 days of 复议
    assert rules.late_surcharge(1000, DUE, D("2026-03-31"), closed) == rules.Surcharge(
        Decimal("90.00"), 3, False
    )
    running = [(D("2026-03-25"), None)]  # 诉讼 still running
    assert rules.late_surcharge(1000, DUE, D("2026-12-31"), running).days == 1
    overlapping = [(D("2026-03-25"), D("2026-03-29")), (D("2026-03-27"), D("2026-03-30"))]
    assert rules.late_surcharge(1000, DUE, D("2026-03-31"), overlapping).days == 2
    with pytest.raises(ValueError):
        rules.late_surcharge(1000, DUE, D("2026-03-31"), [(D("2026-03-29"), D("2026-03-25"))])


def test_p12_surcharge_rounds_to_fen():
    assert rules.late_surcharge(Decimal("333.33"), DUE, D("2026-03-24")).amount == Decimal("10.00")  # 9.9999
    assert rules.late_surcharge(Decimal("0.50"), DUE, D("2026-03-24")).amount == Decimal("0.02")  # 0.015


@given(cents, st.integers(min_value=0, max_value=400), st.integers(min_value=0, max_value=400))
@example(Decimal("1686.5"), 0, 3)  # 151.785 元: half a 分 (found by hypothesis in CI)
def test_p12_property_surcharge_bounded_and_monotone(fine, a, b):
    first, second = sorted((a, b))
    early = rules.late_surcharge(fine, DUE, DUE + timedelta(days=first))
    late = rules.late_surcharge(fine, DUE, DUE + timedelta(days=second))
    assert early.amount <= late.amount <= fine
    assert late.days == second
    expected = min(fine, fine * Decimal("0.03") * second).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert late.amount == expected  # half a 分 rounds up, as in test_p12_surcharge_rounds_to_fen
    assert late.capped is (second >= 34)


# --- P13 行刑衔接 --------------------------------------------------------------------------------
@pytest.mark.parametrize("outcome", [Outcome.PENALTY, Outcome.NO_PENALTY_MINOR, Outcome.NO_PENALTY_UNPROVEN])
def test_p13_no_penalty_instead_of_transfer(outcome):
    assert rules.transfer_required(True)
    assert_refusal(
        rules.transfer_refusal(outcome, suspected_crime=True), "P13", "不得以", "代替移送", "第十一条"
    )
    assert rules.transfer_refusal(outcome, suspected_crime=False) is None
    assert rules.transfer_refusal(outcome, True, returned_by_judiciary=True) is None


def test_p13_transfer_needs_a_recorded_suspicion():
    assert rules.transfer_refusal(Outcome.TRANSFER, suspected_crime=True) is None
    assert_refusal(rules.transfer_refusal(Outcome.TRANSFER, suspected_crime=False), "P13", "涉嫌犯罪")
    assert not rules.transfer_required(True, returned_by_judiciary=True)


# --- C1 紧急情况报告 ------------------------------------------------------------------------------
ACTED = datetime(2026, 10, 1, 23, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("after", "ok"), [(timedelta(hours=24), True), (timedelta(hours=24, seconds=1), False), (None, False)]
)
def test_c1_emergency_report_within_24_hours(after, ok):
    reported = ACTED + after if after is not None else None
    result = rules.emergency_report_refusal(ACTED, reported)
    assert (result is None) is ok
    if not ok:
        assert_refusal(result, "C1", "二十四小时内", "第十九条")


# --- C2 查封、扣押、冻结期限 -----------------------------------------------------------------------
def test_c2_thirty_days_ending_on_national_day_roll():
    assert rules.seizure_end(D("2026-09-02"), CAL) == Due(D("2026-10-08"), False)  # 10/2 is a holiday
    assert rules.seizure_end(D("2026-03-02"), CAL) == Due(D("2026-04-01"), False)
    assert rules.seizure_end(D("2026-09-02"), CAL, extension_days=30) == Due(
        D("2026-11-02"), False
    )  # 11/1 Sun
    assert rules.seizure_end(D("2026-03-02"), CAL, excluded_days=6) == Due(D("2026-04-07"), False)  # 清明
    with pytest.raises(ValueError):
        rules.seizure_end(D("2026-03-02"), CAL, extension_days=31)


@pytest.mark.parametrize(
    ("already", "days", "approved", "fragment"),
    [
        (False, 30, True, None),
        (False, 1, True, None),
        (False, 31, True, "不得超过30日"),
        (False, 0, True, "大于零"),
        (False, 10, False, "负责人批准"),
        (True, 10, True, "只能延长一次"),
    ],
)
def test_c2_one_extension_of_at_most_thirty_days(already, days, approved, fragment):
    result = rules.extension_refusal(already, days, approved)
    if fragment is None:
        assert result is None
    else:
        assert_refusal(result, "C2", fragment, "第二十五条")


def test_c2_freeze_cites_article_32():
    assert_refusal(rules.extension_refusal(True, 10, True, rules.Measure.FREEZE), "C2", "第三十二条")


# --- C3 夜间、法定节假日不得强制执行 ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("when", "ok", "fragment"),
    [
        ("2026-10-12 10:00", True, None),
        ("2026-10-12 21:59", True, None),
        ("2026-10-12 22:00", False, "夜间（22:00至次日06:00）"),
        ("2026-10-12 05:59", False, "夜间"),
        ("2026-10-12 06:00", True, None),
        ("2026-10-01 10:00", False, "法定节假日（2026年10月1日）"),
        ("2026-10-10 10:00", True, None),  # 调休 Saturday is a working day
        (
            "2026-10-11 10:00",
            False,
            "法定节假日",
        ),  # ordinary Sunday (第六十九条 sets 工作日 against 法定节假日)
    ],
)
def test_c3_no_enforcement_at_night_or_on_holidays(when, ok, fragment):
    result = rules.enforcement_time_refusal(datetime.fromisoformat(when), CAL, emergency=False)
    assert (result is None) is ok
    if not ok:
        assert_refusal(result, "C3", fragment, "情况紧急的除外", "第四十三条")
    assert rules.enforcement_time_refusal(datetime.fromisoformat(when), CAL, emergency=True) is None


def test_c3_aware_times_are_read_in_beijing_and_night_is_configurable():
    utc = datetime(2026, 10, 12, 14, 30, tzinfo=UTC)  # 22:30 in Beijing
    assert_refusal(rules.enforcement_time_refusal(utc, CAL, False), "C3", "夜间")
    late = datetime(2026, 10, 12, 22, 30)
    assert rules.enforcement_time_refusal(late, CAL, False, night_start=time(23), night_end=time(5)) is None
    both = rules.enforcement_time_refusal(datetime(2026, 10, 1, 23, 0), CAL, False)
    assert "夜间" in both.message and "法定节假日" in both.message


# --- C4 申请人民法院强制执行 ------------------------------------------------------------------------
def test_c4_window_after_reminder_and_within_three_months():
    window = rules.court_application_window(D("2026-09-28"), D("2026-09-30"), CAL)
    # 催告 10 working days: 9/29, 9/30, 10/8, 10/9, 10/10, 10/12–10/16
    assert window == rules.Window(D("2026-10-17"), D("2026-12-30"), False)
    assert_refusal(rules.court_application_refusal(window, D("2026-10-16")), "C4", "最早2026年10月17日")
    assert rules.court_application_refusal(window, D("2026-10-17")) is None
    assert rules.court_application_refusal(window, D("2026-12-30")) is None
    assert_refusal(rules.court_application_refusal(window, D("2026-12-31")), "C4", "三个月内", "第五十三条")


def test_c4_window_waits_for_remedy_periods_and_rolls_off_holidays():
    window = rules.court_application_window(D("2026-03-02"), D("2026-07-06"), CAL)
    assert window.opens_on == D("2026-07-07")
    assert window.closes_on == D("2026-10-08")  # 10/6 falls in 国庆


# --- T1 行政许可 ---------------------------------------------------------------------------------
def test_t1_incompleteness_notice_within_five_working_days_else_deemed_accepted():
    assert rules.licence_notice_due(D("2026-09-28"), CAL) == Due(D("2026-10-10"), False)
    received = D("2026-09-28")
    assert rules.licence_deemed_accepted_on(received, D("2026-10-10"), D("2026-10-20"), CAL) is None
    assert rules.licence_deemed_accepted_on(received, D("2026-10-12"), D("2026-10-20"), CAL) == received
    assert rules.licence_deemed_accepted_on(received, None, D("2026-10-10"), CAL) is None
    assert rules.licence_deemed_accepted_on(received, None, D("2026-10-11"), CAL) == received


def test_t1_decision_twenty_working_days_plus_ten():
    assert rules.licence_decision_due(D("2026-09-18"), CAL) == Due(D("2026-10-22"), False)
    assert rules.licence_decision_due(D("2026-09-18"), CAL, extension_days=10) == Due(D("2026-11-05"), False)
    with pytest.raises(ValueError):
        rules.licence_decision_due(D("2026-09-18"), CAL, extension_days=11)
    assert rules.licence_extension_refusal(10, approved=True) is None
    assert_refusal(rules.licence_extension_refusal(11, approved=True), "T1", "不得超过10日", "第四十二条")
    assert_refusal(rules.licence_extension_refusal(5, approved=False), "T1", "负责人批准")


def test_t1_certificate_within_ten_working_days():
    assert rules.licence_certificate_due(D("2026-09-28"), CAL) == Due(D("2026-10-16"), False)


def test_t1_hearing_request_held_and_notified():
    assert rules.licence_hearing_request_refusal(D("2026-09-28"), D("2026-10-10"), CAL) is None
    assert_refusal(
        rules.licence_hearing_request_refusal(D("2026-09-28"), D("2026-10-12"), CAL),
        "T1",
        "已逾期",
        "第四十七条",
    )
    assert rules.licence_hearing_due(D("2026-09-28"), CAL) == Due(D("2026-10-30"), False)
    assert rules.licence_hearing_notice_refusal(D("2026-09-28"), D("2026-10-13"), CAL) is None
    assert_refusal(
        rules.licence_hearing_notice_refusal(D("2026-09-28"), D("2026-10-12"), CAL),
        "T1",
        "七个工作日前",
        "第四十八条",
    )
    assert rules.licence_presiding_officer_refusal(9, [1, 2]) is None
    assert_refusal(rules.licence_presiding_officer_refusal(1, [1, 2]), "T1", "不得担任听证主持人")


# --- T2 救济途径 ---------------------------------------------------------------------------------
def test_t2_general_decision_offers_review_or_suit():
    text = rules.remedy_text(Procedure.GENERAL, D("2026-03-02"), "示范市人民政府", "示范区人民法院")
    assert "六十日内向示范市人民政府申请行政复议" in text
    assert "六个月内依法向示范区人民法院提起行政诉讼" in text
    assert "先向" not in text


def test_t2_on_the_spot_decision_requires_review_first():
    """T2: 行政复议法第二十三条第一款第一项、第二款, in force 2024-01-01."""
    text = rules.remedy_text(Procedure.SUMMARY, D("2024-01-01"))
    assert "应当自收到本决定书之日起六十日内先向有管辖权的行政复议机关申请行政复议" in text
    assert "十五日内" in text and "六个月" not in text
    assert "先向" not in rules.remedy_text(Procedure.SUMMARY, D("2023-12-31"))


def test_t2_remedy_deadlines():
    general = rules.remedy_deadlines(D("2026-01-05"), CAL, Procedure.GENERAL)
    assert general.review == Due(D("2026-03-06"), False)
    assert general.litigation == Due(D("2026-07-06"), False)  # 7/5 is a Sunday
    assert general.last == general.litigation
    summary = rules.remedy_deadlines(D("2026-01-05"), CAL, Procedure.SUMMARY)
    assert summary.litigation is None and summary.last == summary.review


# --- S7 红黄绿灯 --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("today", "level"),
    [
        ("2026-10-08", WarningLevel.GREEN),  # 4 working days left (10/9, 10/10, 10/12, 10/13)
        ("2026-10-09", WarningLevel.YELLOW),  # 3 left
        ("2026-10-13", WarningLevel.YELLOW),  # due today: still lawful, yellow
        ("2026-10-14", WarningLevel.RED),  # overdue
    ],
)
def test_s7_warning_levels(today, level):
    assert rules.warning_level(D("2026-10-13"), D(today), CAL) == level
    assert rules.warning_level(D("2026-10-13"), D("2026-10-08"), CAL, yellow_workdays=4) == "yellow"


@given(dates, dates, st.integers(min_value=0, max_value=10))
def test_s7_property_red_iff_overdue_yellow_iff_few_workdays_left(due, today, yellow):
    level = rules.warning_level(due, today, CAL, yellow)
    assert (level == "red") is (today > due)
    if today <= due:
        assert (level == "yellow") is (count_workdays(CAL, today, due).days <= yellow)


# --- Configuration ----------------------------------------------------------------------------
def test_national_defaults_feed_the_parameters():
    defaults = rules.NATIONAL_DEFAULTS
    assert defaults["statement_workdays"] == 5
    assert (defaults["filing_workdays"], defaults["filing_extension_workdays"]) == (15, 15)
    assert (defaults["decision_days"], defaults["decision_extension_days"]) == (90, 30)
    assert (defaults["night_start"], defaults["night_end"]) == (time(22), time(6))
    assert defaults["hearing_fine_organisation"] == Decimal(100000)
    assert defaults["warning_yellow_workdays"] == 3


# --- Excluded intervals (检测、鉴定、听证、公告) -------------------------------------------------------
def test_c2_p9_excluded_natural_days_count_both_ends():
    assert rules.excluded_days("natural", D("2026-09-28"), D("2026-09-28"), CAL) == 1
    assert rules.excluded_days("natural", D("2026-09-28"), D("2026-10-08"), CAL) == 11


def test_t1_excluded_working_days_skip_national_day_2026():
    """许可法第四十五条 over 国庆 2026: in 9-30..10-09 only 9-30, 10-08 and 10-09 are working days
    (10-01..10-07 holiday; the worked Saturday 10-10 lies outside the interval)."""
    assert rules.excluded_days("work", D("2026-09-30"), D("2026-10-09"), CAL) == 3
    assert rules.excluded_days("work", D("2026-10-03"), D("2026-10-04"), CAL) == 0


def test_excluded_interval_must_not_end_before_it_starts():
    with pytest.raises(ValueError):
        rules.excluded_days("natural", D("2026-10-02"), D("2026-10-01"), CAL)
