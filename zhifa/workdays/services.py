"""The calendar every deadline is computed on, and the only code that changes it (D1–D4).

Other apps call :func:`add_workdays`, :func:`add_natural_days`, :func:`count_workdays` and
:func:`is_workday`. Code computing many deadlines at once fetches :func:`current_calendar` once
and calls :mod:`zhifa.workdays.rules` directly.
"""

from __future__ import annotations

import functools
import uuid
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from . import rules
from .models import CalendarDay, CalendarRevision, CalendarYear, DayKind, DaySource

EDIT_PERMISSION = "workdays.change_calendarday"

# (revision token, calendar) of this process. The token is read from the database on each call
# (one primary-key query), so a change saved by any worker is seen by all of them at once.
_cached: tuple[uuid.UUID, rules.Calendar] | None = None


def bump_revision() -> None:
    """Mark the calendar changed; called by signals and after bulk loads."""
    CalendarRevision.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4()})


def _load() -> rules.Calendar:
    holidays, workdays = set(), set()
    for day, kind in CalendarDay.objects.values_list("date", "kind"):
        (holidays if kind == DayKind.HOLIDAY else workdays).add(day)
    years = CalendarYear.objects.filter(complete=True).values_list("year", flat=True)
    return rules.Calendar(frozenset(holidays), frozenset(workdays), frozenset(years))


_UNREAD = object()


@functools.cache
def revision_token():
    """The calendar's revision token as a subquery, for a caller that reads it together with its
    own row (``.annotate(calendar_token=revision_token())``) and passes it to
    :func:`current_calendar`, saving that call its query. Built once: a query copies the
    expressions it uses."""
    from django.db.models import Subquery

    return Subquery(CalendarRevision.objects.filter(pk=1).values("token")[:1])


def current_calendar(token=_UNREAD) -> rules.Calendar:
    """The calendar in force. ``token``: the revision token when the caller has already read it
    (see :func:`revision_token`); otherwise it is read here."""
    global _cached
    if token is _UNREAD:
        token = CalendarRevision.objects.filter(pk=1).values_list("token", flat=True).first()
    if token is not None and _cached is not None and _cached[0] == token:
        return _cached[1]
    calendar = _load()
    if token is not None:
        _cached = (token, calendar)
    return calendar


# --- Public computations ------------------------------------------------------------------------
def is_workday(d: date) -> rules.Workday:
    return rules.is_workday(current_calendar(), d)


def add_workdays(start: date, n: int) -> rules.Due:
    """The n-th working day after ``start`` (D1 处罚法 Art. 85, D2 强制法 Art. 69, D3, D4)."""
    return rules.add_workdays(current_calendar(), start, n)


def add_natural_days(start: date, n: int) -> rules.Due:
    """``n`` natural days after ``start``, rolled forward off a rest day (D3, D4)."""
    return rules.add_natural_days(current_calendar(), start, n)


def count_workdays(start: date, end: date) -> rules.Count:
    """Working days in (start, end] (D3 convention, see rules.count_workdays)."""
    return rules.count_workdays(current_calendar(), start, end)


def compute(start: date, n: int, kind: str) -> rules.Due:
    """``kind`` "work" (D1/D2) or "natural" (D3)."""
    return add_workdays(start, n) if kind == "work" else add_natural_days(start, n)


# --- Administration -------------------------------------------------------------------------
def _ensure_can_edit(user) -> None:
    if not user.has_perm(EDIT_PERMISSION):
        raise PermissionDenied("只有管理员可以修改工作日历。")


@transaction.atomic
def set_day(user, day: date, kind: str, name: str, note: str = "") -> CalendarDay:
    """Add or change the exception for ``day``; it becomes an administrator's row."""
    _ensure_can_edit(user)
    if error := rules.override_error(day, kind):
        raise ValidationError({"kind": error})
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写节日名称，如“春节”；调休工作日填所属节日。"})
    row = CalendarDay.objects.select_for_update().filter(date=day).first() or CalendarDay(date=day)
    row.kind, row.name, row.note = kind, name, (note or "").strip()
    row.source, row.updated_by = DaySource.ADMIN, user
    row.full_clean()
    row.save()
    CalendarYear.objects.get_or_create(year=day.year)
    return row


@transaction.atomic
def clear_day(user, day: date) -> None:
    """Remove the exception for ``day``: it follows the Monday–Friday rule again."""
    _ensure_can_edit(user)
    deleted, _ = CalendarDay.objects.filter(date=day).delete()
    if not deleted:
        raise ValidationError({"date": f"{rules.cn_date(day)}没有节假日或调休安排，无需删除。"})


@transaction.atomic
def set_year(user, year: int, complete: bool, source_note: str = "") -> CalendarYear:
    """Record whether ``year``'s holiday notice is fully loaded (D4: otherwise results are 暂定)."""
    _ensure_can_edit(user)
    row = CalendarYear.objects.select_for_update().filter(year=year).first() or CalendarYear(year=year)
    row.complete, row.updated_by = complete, user
    if source_note.strip():
        row.source_note = source_note.strip()
    elif complete and not row.source_note:
        row.source_note = f"管理员{user}据国务院办公厅通知载入"
    row.full_clean()
    row.save()
    return row


# --- Reading ----------------------------------------------------------------------------------
def year_days(year: int) -> list[CalendarDay]:
    return list(CalendarDay.objects.filter(date__year=year).select_related("updated_by"))


def get_day(day: date) -> CalendarDay | None:
    return CalendarDay.objects.filter(date=day).select_related("updated_by").first()


def year_status(year: int) -> CalendarYear | None:
    return CalendarYear.objects.filter(year=year).select_related("updated_by").first()


def dashboard_panel(user) -> dict | None:
    """Reminds administrators to load next year's notice once it is due (published late autumn)."""
    if not user.has_perm(EDIT_PERMISSION):
        return None
    today = timezone.localdate()
    wanted = [today.year] + ([today.year + 1] if today.month >= 11 else [])
    loaded = set(CalendarYear.objects.filter(year__in=wanted, complete=True).values_list("year", flat=True))
    return {
        "title": "工作日历",
        "items": [
            {
                "text": f"{year}年节假日安排尚未载入，涉及该年的期限按周末计算并标注“暂定”（D4）",
                "url": reverse("workdays:calendar") + f"?year={year}",
                "level": "warn",
            }
            for year in wanted
            if year not in loaded
        ],
        "empty": "节假日安排已载入。",
    }
