"""Counting days the way the statutes count them (pure functions, no database).

D1 《行政处罚法》第八十五条: the 处罚法's 二日、三日、五日、七日 are working days.
D2 《行政强制法》第六十九条: the 强制法's periods of ten days or fewer are working days.
D3 A period starts the day after the triggering event; a natural-day period that ends on a rest
   day ends on the next working day (参照《行政诉讼法》《民事诉讼法》关于期间计算的规定).
D4 Working days follow the 国务院办公厅's yearly holiday notice, 调休 included. A year whose notice
   is not loaded is counted on weekends only, and every result touching it is flagged provisional.

Every function takes a :class:`Calendar` (the notice data as plain sets) and returns its answer
together with ``provisional``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

HOLIDAY = "holiday"  # 法定节假日 (weekdays off, and the weekend days inside a holiday)
WORKDAY = "workday"  # 调休工作日 (a Saturday or Sunday worked in exchange)

MAX_DAYS = 3650  # longer "periods" are input errors, and this bounds the day-by-day walk

D1_BASIS = "《中华人民共和国行政处罚法》第八十五条：“二日”“三日”“五日”“七日”的规定是指工作日，不含法定节假日"
D2_BASIS = "《中华人民共和国行政强制法》第六十九条：十日以内期限的规定是指工作日，不含法定节假日"
D3_BASIS = "期间从事件发生的次日起算；期间届满的最后一日是休息日的，以其后的第一个工作日为届满日（参照《行政诉讼法》《民事诉讼法》关于期间计算的规定）"
D4_BASIS = "国务院办公厅关于年度部分节假日安排的通知（含调休上班日）"
PROVISIONAL_NOTE = (
    "暂定：所涉年度尚未载入国务院办公厅节假日安排，仅按周六、周日休息计算；"
    "通知发布后由管理员载入，结果可能改变（D4）。"
)


@dataclass(frozen=True)
class Calendar:
    """The exceptions to the Monday–Friday rule, and the years whose notice is fully loaded.

    Exceptions stored for a year that is not in ``years`` (e.g. an administrator entering next
    year's 元旦 early) are used, but results touching that year stay provisional (D4).
    """

    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)
    years: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Workday:
    """Answer of :func:`is_workday`; truthy when the day is a working day."""

    workday: bool
    provisional: bool

    def __bool__(self) -> bool:
        return self.workday


@dataclass(frozen=True)
class Due:
    """The last day of a period (the 届满日), inclusive."""

    date: date
    provisional: bool


@dataclass(frozen=True)
class Count:
    days: int
    provisional: bool


def _workday(cal: Calendar, d: date) -> bool:
    if d in cal.workdays:
        return True
    if d in cal.holidays:
        return False
    return d.weekday() < 5


def _provisional(cal: Calendar, first: date, last: date) -> bool:
    """Whether any year from ``first`` to ``last`` (inclusive) lacks notice data (D4)."""
    low, high = min(first, last), max(first, last)
    return any(year not in cal.years for year in range(low.year, high.year + 1))


def _check_days(n: int) -> None:
    if n < 0:
        raise ValueError("期限天数不能为负数。")
    if n > MAX_DAYS:
        raise ValueError(f"期限天数不能超过{MAX_DAYS}日。")


def is_workday(cal: Calendar, d: date) -> Workday:
    """Whether ``d`` is a working day: Mon–Fri unless a 法定节假日, plus 调休 weekend workdays (D4)."""
    return Workday(_workday(cal, d), d.year not in cal.years)


def add_workdays(cal: Calendar, start: date, n: int) -> Due:
    """The n-th working day after ``start`` (the event day itself is not counted, D3).

    For working-day periods: 处罚法 二日/三日/五日/七日 (D1, Art. 85) and 强制法 periods of ten
    days or fewer (D2, Art. 69). ``n == 0`` returns ``start``. Provisional when a year between
    the day after ``start`` and the result has no notice data (D4).
    """
    _check_days(n)
    day = start
    remaining = n
    while remaining:
        day += timedelta(days=1)
        if _workday(cal, day):
            remaining -= 1
    first = start + timedelta(days=1) if n else start
    return Due(day, _provisional(cal, first, day))


def add_natural_days(cal: Calendar, start: date, n: int) -> Due:
    """``n`` natural days after ``start``; a result on a rest day rolls to the next working day (D3).

    Rest days are weekends and 法定节假日, except 调休 weekend workdays (D4). Provisional when a
    year between the day after ``start`` and the result has no notice data.
    """
    _check_days(n)
    day = start + timedelta(days=n)
    while not _workday(cal, day):
        day += timedelta(days=1)
    first = start + timedelta(days=1) if n else start
    return Due(day, _provisional(cal, first, day))


def _weekdays_through(d: date) -> int:
    """Mondays–Fridays from a fixed Monday (0001-01-01) through ``d`` inclusive."""
    days = d.toordinal()  # day 1 is Monday 0001-01-01
    weeks, rest = divmod(days, 7)
    return weeks * 5 + min(rest, 5)


def count_workdays(cal: Calendar, start: date, end: date) -> Count:
    """Working days in the half-open interval (start, end]: ``start`` excluded, ``end`` included.

    This is the D3 convention — counting starts the day after the event — so
    ``count_workdays(cal, s, add_workdays(cal, s, n).date).days == n``. For ``end < start`` the
    result is negative: ``-count_workdays(cal, end, start)`` (e.g. working days overdue).
    Provisional when a year in (start, end] has no notice data (D4).
    """
    if end < start:
        opposite = count_workdays(cal, end, start)
        return Count(-opposite.days, opposite.provisional)
    if end == start:
        return Count(0, start.year not in cal.years)
    total = _weekdays_through(end) - _weekdays_through(start)
    total -= sum(1 for d in cal.holidays if start < d <= end and d.weekday() < 5 and d not in cal.workdays)
    total += sum(1 for d in cal.workdays if start < d <= end and d.weekday() >= 5)
    return Count(total, _provisional(cal, start + timedelta(days=1), end))


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def override_error(d: date, kind: str) -> str | None:
    """Why an administrator may not mark ``d`` as ``kind``, or None (D4).

    Only exceptions to the Mon–Fri rule are stored: a 调休工作日 is a Saturday or Sunday worked in
    exchange. A 法定节假日 may fall on any day (the notice lists the weekend days inside a holiday).
    """
    if kind == WORKDAY and d.weekday() < 5:
        return (
            f"{cn_date(d)}是周一至周五，本来就是工作日，不能标记为调休工作日；"
            "调休工作日只能是周六或周日（D4，国务院办公厅年度节假日安排通知）。"
        )
    if kind not in (HOLIDAY, WORKDAY):
        return "请选择“法定节假日”或“调休工作日”。"
    return None
