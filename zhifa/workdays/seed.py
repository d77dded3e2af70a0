"""The 国务院办公厅 holiday notices as the ``chinesecalendar`` package ships them (D4).

Used by the data migration on a fresh database and by ``manage.py seed_calendar`` after the
package is upgraded with a newly published year. Rows an administrator entered or changed
(source 管理员) are never touched; notice rows follow the package.
"""

from __future__ import annotations

from datetime import date

import chinese_calendar

from . import rules

NOTICE = "notice"
SOURCE_NOTE = f"chinesecalendar {chinese_calendar.__version__}（据国务院办公厅节假日安排通知）"

# The package's short Chinese names, spelled as the notices spell them.
_NAMES = {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}


def covered_years() -> list[int]:
    """The years the package has notice data for (asking it about any other year raises)."""
    years = {d.year for d in chinese_calendar.holidays}
    return list(range(min(years), max(years) + 1))


def _name(english: str) -> str:
    chinese = chinese_calendar.Holiday(english).chinese
    return _NAMES.get(chinese, chinese)


def package_days() -> dict[date, tuple[str, str]]:
    """date → (kind, name) for every 法定节假日 and 调休工作日 the package lists."""
    days = {d: (rules.HOLIDAY, _name(n)) for d, n in chinese_calendar.holidays.items()}
    days.update({d: (rules.WORKDAY, _name(n)) for d, n in chinese_calendar.workdays.items()})
    return days


def package_calendar() -> rules.Calendar:
    days = package_days()
    return rules.Calendar(
        holidays=frozenset(d for d, (kind, _) in days.items() if kind == rules.HOLIDAY),
        workdays=frozenset(d for d, (kind, _) in days.items() if kind == rules.WORKDAY),
        years=frozenset(covered_years()),
    )


def sync(CalendarDay, CalendarYear) -> dict[str, int]:  # noqa: N803 (historical models in migrations)
    """Make the notice rows match the package; leave administrators' rows alone."""
    wanted = package_days()
    existing = {day.date: day for day in CalendarDay.objects.filter(date__year__in=covered_years())}
    created, updated = [], []
    for d, (kind, name) in sorted(wanted.items()):
        row = existing.get(d)
        if row is None:
            created.append(CalendarDay(date=d, kind=kind, name=name, source=NOTICE))
        elif row.source == NOTICE and (row.kind, row.name) != (kind, name):
            row.kind, row.name = kind, name
            updated.append(row)
    CalendarDay.objects.bulk_create(created, batch_size=500)
    CalendarDay.objects.bulk_update(updated, ["kind", "name"], batch_size=500)
    stale = [d for d, row in existing.items() if row.source == NOTICE and d not in wanted]
    CalendarDay.objects.filter(date__in=stale).delete()
    loaded = {y.year: y for y in CalendarYear.objects.filter(year__in=covered_years())}
    years = 0
    for year in covered_years():
        row = loaded.get(year) or CalendarYear(year=year)
        if not row.complete:
            row.complete, row.source_note = True, SOURCE_NOTE
            row.save()
            years += 1
    return {"created": len(created), "updated": len(updated), "deleted": len(stale), "years": years}
