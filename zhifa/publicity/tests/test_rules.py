"""公示 rules at their boundaries (G3, G5, G7, G9)."""

from datetime import date
from decimal import Decimal

from zhifa.publicity import rules
from zhifa.workdays.rules import Calendar

# 2026 National Day: 1–8 October off, 28 September and 10 October (Saturdays) worked.
CAL = Calendar(
    holidays=frozenset({date(2026, 10, d) for d in range(1, 9)}),
    workdays=frozenset({date(2026, 9, 28), date(2026, 10, 10)}),
    years=frozenset({2026}),
)


def test_g3_penalty_due_in_7_working_days_across_national_day():
    # from Wednesday 30 September: 9 Oct (Fri), 10 Oct (worked Saturday), 12–16 Oct
    due = rules.publication_due(CAL, "penalty", date(2026, 9, 30))
    assert due.date == date(2026, 10, 16) and not due.provisional


def test_g3_licensing_and_no_penalty_also_7_inspection_and_coercion_20():
    assert rules.publication_workdays("licensing") == rules.publication_workdays("no_penalty") == 7
    assert rules.publication_workdays("inspection") == rules.publication_workdays("coercion") == 20
    assert rules.publication_due(CAL, "inspection", date(2026, 11, 2)).date == date(2026, 11, 30)


def test_g3_due_date_in_a_year_without_holiday_data_is_provisional_d4():
    due = rules.publication_due(CAL, "penalty", date(2026, 12, 28))
    assert due.date == date(2027, 1, 6) and due.provisional


def test_g5_withdrawal_within_3_working_days_skips_the_holiday():
    assert rules.withdrawal_due(CAL, date(2026, 9, 30)).date == date(2026, 10, 12)
    assert rules.withdrawal_due(CAL, date(2026, 11, 19)).date == date(2026, 11, 24)


def test_g7_minor_until_the_day_before_the_18th_birthday():
    born = date(2008, 11, 22)
    assert rules.minor_on(born, date(2026, 11, 21))
    assert not rules.minor_on(born, date(2026, 11, 22))
    assert not rules.minor_on(None, date(2026, 11, 22))
    assert "未成年人" in rules.suppression_reason(minor_party=True)
    assert rules.suppression_reason(minor_party=False) == ""


def test_g9_classes_by_penalty_kind_and_amount():
    large = Decimal("100000")
    assert rules.seriousness(["warning"], fine=None, large_fine=large, summary=False) == "slight"
    assert rules.seriousness(["fine"], fine=Decimal("200"), large_fine=large, summary=True) == "slight"
    assert rules.seriousness(["fine"], fine=Decimal("99999.99"), large_fine=large, summary=False) == "general"
    assert rules.seriousness(["fine"], fine=Decimal("100000"), large_fine=large, summary=False) == "serious"
    # combined penalties: the heaviest part decides
    assert (
        rules.seriousness(["warning", "revoke_license"], fine=None, large_fine=large, summary=False)
        == "serious"
    )


def test_g9_display_period_follows_the_rule_in_force_on_the_decision_date():
    # 2026-04-01 rule: 轻微 at most 3 months, 一般 1 year, 严重 3 years
    assert rules.display_until(date(2026, 4, 1), "slight") == date(2026, 6, 30)
    assert rules.display_until(date(2026, 4, 1), "serious") == date(2029, 3, 31)
    # the day before, the 2019 rule (527号): 轻微 and 一般 up to 1 year
    assert rules.display_until(date(2026, 3, 31), "slight") == date(2027, 3, 30)
    assert rules.display_rule(date(2026, 3, 31)).effective_from == date(2019, 7, 1)
