"""Day counting (D1–D4) at the 2026 春节 and 国庆 boundaries, and as properties over every year.

The calendar is the 国务院办公厅 notices as shipped by chinesecalendar (2004–2026); 2027 has no
data yet, so anything touching it is provisional (D4).
"""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.workdays import rules, seed

CAL = seed.package_calendar()
D = date.fromisoformat

dates = st.dates(min_value=date(2004, 1, 1), max_value=date(2027, 12, 31))
periods = st.integers(min_value=0, max_value=60)


def brute_count(cal, start, end):
    return sum(
        rules.is_workday(cal, start + timedelta(days=i)).workday for i in range(1, (end - start).days + 1)
    )


# --- 2026 春节: 2月15日（周日）至23日（周一）放假，2月14日（周六）、28日（周六）上班 --------------------
@pytest.mark.parametrize(
    ("day", "workday"),
    [
        ("2026-02-13", True),  # Friday before the holiday
        ("2026-02-14", True),  # Saturday worked (调休)
        ("2026-02-15", False),  # first day off, a Sunday
        ("2026-02-16", False),  # Monday inside the holiday
        ("2026-02-21", False),  # Saturday inside the holiday
        ("2026-02-23", False),  # last day off, a Monday
        ("2026-02-24", True),
        ("2026-02-28", True),  # Saturday worked (调休)
        ("2026-03-01", False),  # ordinary Sunday
    ],
)
def test_d4_spring_festival_2026_workdays(day, workday):
    assert rules.is_workday(CAL, D(day)) == rules.Workday(workday, False)


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        ("2026-02-12", 1, "2026-02-13"),
        ("2026-02-12", 2, "2026-02-14"),  # the 调休 Saturday counts
        ("2026-02-12", 3, "2026-02-24"),  # nine days off skipped
        ("2026-02-13", 5, "2026-02-27"),  # 处罚法 五日 spanning the holiday
        ("2026-02-14", 1, "2026-02-24"),  # counted from the next day (D3)
        ("2026-02-23", 5, "2026-02-28"),  # ends on the 调休 Saturday
    ],
)
def test_d1_add_workdays_across_spring_festival_2026(start, n, due):
    assert rules.add_workdays(CAL, D(start), n) == rules.Due(D(due), False)


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        ("2026-02-10", 7, "2026-02-24"),  # ends on 2月17日 (holiday): rolls past the whole holiday
        ("2026-02-21", 7, "2026-02-28"),  # ends on a 调休 Saturday: a working day, no roll
        ("2026-02-22", 7, "2026-03-02"),  # ends on an ordinary Sunday: rolls to Monday
        ("2026-02-06", 7, "2026-02-13"),  # ends on a working Friday
    ],
)
def test_d3_natural_days_roll_forward_around_spring_festival_2026(start, n, due):
    assert rules.add_natural_days(CAL, D(start), n) == rules.Due(D(due), False)


def test_d3_count_workdays_excludes_start_includes_end_spring_festival_2026():
    # (2月13日, 2月28日]: 14日(调休), 24–27日, 28日(调休)
    assert rules.count_workdays(CAL, D("2026-02-13"), D("2026-02-28")) == rules.Count(6, False)
    assert rules.count_workdays(CAL, D("2026-02-28"), D("2026-02-13")) == rules.Count(-6, False)
    assert rules.count_workdays(CAL, D("2026-02-15"), D("2026-02-15")) == rules.Count(0, False)


# --- 2026 国庆: 10月1日（周四）至7日（周三）放假，9月20日（周日）、10月10日（周六）上班 ---------------
@pytest.mark.parametrize(
    ("day", "workday"),
    [
        ("2026-09-20", True),  # Sunday worked (调休)
        ("2026-09-25", False),  # 中秋节, a Friday
        ("2026-09-30", True),
        ("2026-10-01", False),
        ("2026-10-07", False),  # last day off, a Wednesday
        ("2026-10-08", True),  # back to work: the 2026 notice gives seven days, not eight
        ("2026-10-10", True),  # Saturday worked (调休)
        ("2026-10-11", False),
    ],
)
def test_d4_national_day_2026_workdays(day, workday):
    assert bool(rules.is_workday(CAL, D(day))) is workday


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        ("2026-09-30", 1, "2026-10-08"),
        ("2026-09-30", 3, "2026-10-10"),  # the 调休 Saturday counts
        ("2026-09-30", 5, "2026-10-13"),
        ("2026-09-24", 5, "2026-10-09"),  # 中秋节 and 国庆 both skipped
        ("2026-09-18", 1, "2026-09-20"),  # Saturday off, Sunday 20th worked
        ("2026-09-28", 10, "2026-10-16"),  # 强制法 十日 (D2)
    ],
)
def test_d1_d2_add_workdays_across_national_day_2026(start, n, due):
    assert rules.add_workdays(CAL, D(start), n) == rules.Due(D(due), False)


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        ("2026-09-24", 7, "2026-10-08"),  # ends 10月1日: rolls to the first working day
        ("2026-09-13", 7, "2026-09-20"),  # ends on the 调休 Sunday: no roll
        ("2026-10-03", 7, "2026-10-10"),  # ends on the 调休 Saturday: no roll
    ],
)
def test_d3_natural_days_around_national_day_2026(start, n, due):
    assert rules.add_natural_days(CAL, D(start), n) == rules.Due(D(due), False)


# --- D4: a year without notice data --------------------------------------------------------------
def test_d4_deadline_crossing_into_2027_is_provisional_weekends_only():
    # 2027年元旦 is not known yet: Friday 1 January counts as a working day, flagged 暂定.
    assert rules.add_workdays(CAL, D("2026-12-25"), 5) == rules.Due(D("2027-01-01"), True)
    assert rules.add_workdays(CAL, D("2026-12-24"), 5) == rules.Due(D("2026-12-31"), False)
    assert rules.add_natural_days(CAL, D("2026-12-26"), 7) == rules.Due(D("2027-01-04"), True)
    assert rules.count_workdays(CAL, D("2026-12-30"), D("2027-01-04")) == rules.Count(3, True)
    assert rules.is_workday(CAL, D("2027-01-01")) == rules.Workday(True, True)


def test_d4_known_exceptions_of_an_unloaded_year_are_used_but_stay_provisional():
    cal = rules.Calendar(CAL.holidays | {D("2027-01-01")}, CAL.workdays, CAL.years)
    assert rules.add_workdays(cal, D("2026-12-25"), 5) == rules.Due(D("2027-01-04"), True)


def test_d1_negative_or_huge_periods_are_refused():
    with pytest.raises(ValueError, match="负数"):
        rules.add_workdays(CAL, D("2026-01-05"), -1)
    with pytest.raises(ValueError, match="不能超过"):
        rules.add_natural_days(CAL, D("2026-01-05"), rules.MAX_DAYS + 1)


def test_d1_zero_days_is_the_event_day():
    assert rules.add_workdays(CAL, D("2026-10-01"), 0) == rules.Due(D("2026-10-01"), False)


@pytest.mark.parametrize(
    ("day", "kind", "refused"),
    [
        ("2026-10-08", rules.WORKDAY, True),  # a Thursday is already a working day
        ("2026-10-10", rules.WORKDAY, False),  # a Saturday may be worked
        ("2026-10-03", rules.HOLIDAY, False),  # a holiday may fall on a weekend
        ("2026-10-08", rules.HOLIDAY, False),
        ("2026-10-08", "other", True),
    ],
)
def test_d4_override_rules(day, kind, refused):
    assert (rules.override_error(D(day), kind) is not None) is refused


# --- Properties over 2004–2027 ----------------------------------------------------------------------
@given(dates, st.integers(min_value=1, max_value=60))
def test_d1_add_workdays_lands_on_a_workday(start, n):
    assert rules.is_workday(CAL, rules.add_workdays(CAL, start, n).date)


@given(dates, periods)
def test_d1_d3_count_inverts_add_workdays(start, n):
    due = rules.add_workdays(CAL, start, n)
    assert rules.count_workdays(CAL, start, due.date) == rules.Count(n, due.provisional)


@given(dates, periods)
def test_d1_add_workdays_strictly_monotonic_in_n(start, n):
    assert rules.add_workdays(CAL, start, n + 1).date > rules.add_workdays(CAL, start, n).date


@given(dates, periods)
def test_d3_natural_days_end_on_first_workday_on_or_after_target(start, n):
    due = rules.add_natural_days(CAL, start, n).date
    target = start + timedelta(days=n)
    assert rules.is_workday(CAL, due)
    assert due >= target
    assert not any(rules.is_workday(CAL, target + timedelta(days=i)) for i in range((due - target).days))


@given(dates, periods)
def test_d4_provisional_exactly_when_a_year_after_2026_is_touched(start, n):
    due = rules.add_workdays(CAL, start, n)
    assert due.provisional is (due.date.year > 2026)


calendars = st.builds(
    rules.Calendar,
    st.frozensets(st.dates(date(2025, 12, 1), date(2026, 3, 31)), max_size=40),
    st.frozensets(st.dates(date(2025, 12, 1), date(2026, 3, 31)), max_size=20),
    st.frozensets(st.sampled_from([2025, 2026]), max_size=2),
)
window = st.dates(date(2025, 11, 20), date(2026, 4, 10))


@settings(max_examples=200)
@given(calendars, window, window)
def test_d4_count_workdays_matches_day_by_day_count_on_any_calendar(cal, start, end):
    count = rules.count_workdays(cal, start, end)
    expected = brute_count(cal, start, end) if end >= start else -brute_count(cal, end, start)
    assert count.days == expected
    assert count.provisional == rules.count_workdays(cal, end, start).provisional
