import calendar as pycalendar
from datetime import date
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_POST

from . import rules, services
from .forms import CalendarDayForm, DeadlineForm, YearForm
from .models import DayKind

VIEW_PERMISSION = "workdays.view_calendarday"
WEEKDAY_LABELS = ["一", "二", "三", "四", "五", "六", "日"]


def _staff_permission(perm):
    """Signed-in users without ``perm`` get 403 (as StaffMixin), anonymous users the login page."""

    def decorate(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise PermissionDenied("您的角色无权执行此操作。")
            return view(request, *args, **kwargs)

        return login_required(guarded)

    return decorate


def _year_param(value, default: int) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default
    return year if 1950 <= year <= 2200 else default


def _cell(day: date, month: int, exception, today: date) -> dict:
    if day.month != month:
        return {"day": None}
    classes, label = [], ""
    if exception is not None and exception.kind == DayKind.HOLIDAY:
        classes.append("holiday")
        label = "休"
    elif exception is not None:
        classes.append("shift")
        label = "班"
    elif day.weekday() >= 5:
        classes.append("weekend")
    if day == today:
        classes.append("today")
    return {
        "day": day,
        "classes": " ".join(classes),
        "label": label,
        "name": exception.name if exception else "",
    }


def month_grids(year: int, exceptions: dict, today: date) -> list[dict]:
    weeks_of = pycalendar.Calendar(firstweekday=0).monthdatescalendar
    return [
        {
            "month": month,
            "weeks": [
                [_cell(d, month, exceptions.get(d), today) for d in week] for week in weeks_of(year, month)
            ],
        }
        for month in range(1, 13)
    ]


@_staff_permission(VIEW_PERMISSION)
def calendar_view(request):
    today = timezone.localdate()
    year = _year_param(request.GET.get("year"), today.year)
    days = services.year_days(year)
    status = services.year_status(year)
    return render(
        request,
        "workdays/calendar.html",
        {
            "year": year,
            "status": status,
            "provisional": not (status and status.complete),
            "provisional_note": rules.PROVISIONAL_NOTE,
            "days": days,
            "months": month_grids(year, {d.date: d for d in days}, today),
            "weekday_labels": WEEKDAY_LABELS,
            "deadline_form": DeadlineForm(initial={"start": today, "kind": "work"}),
            "year_form": YearForm(
                initial={
                    "complete": bool(status and status.complete),
                    "source_note": status and status.source_note,
                }
            ),
            "can_edit": request.user.has_perm(services.EDIT_PERMISSION),
            "bases": [rules.D1_BASIS, rules.D2_BASIS, rules.D3_BASIS, rules.D4_BASIS],
        },
    )


@_staff_permission(VIEW_PERMISSION)
def compute_view(request):
    form = DeadlineForm(request.GET or None, initial={"kind": "work"})
    result = None
    if form.is_valid():
        data = form.cleaned_data
        result = services.compute(data["start"], data["days"], data["kind"])
    context = {"form": form, "result": result, "provisional_note": rules.PROVISIONAL_NOTE}
    if request.headers.get("HX-Request"):
        return render(request, "workdays/_deadline_result.html", context)
    return render(request, "workdays/compute.html", context)


def _back_to(day: date):
    return redirect(reverse("workdays:calendar") + f"?year={day.year}#m{day.month}")


@_staff_permission(services.EDIT_PERMISSION)
def day_edit_view(request):
    if request.method == "POST":
        form = CalendarDayForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.set_day(request.user, data["date"], data["kind"], data["name"], data["note"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"已保存{rules.cn_date(data['date'])}的安排。")
                return _back_to(data["date"])
        existing = None
    else:
        day = _parse_day(request.GET.get("date"))
        existing = services.get_day(day) if day else None
        initial = {"date": day}
        if existing:
            initial.update(kind=existing.kind, name=existing.name, note=existing.note)
        elif day:
            initial["kind"] = DayKind.WORKDAY if day.weekday() >= 5 else DayKind.HOLIDAY
        form = CalendarDayForm(initial=initial)
    return render(request, "workdays/day_form.html", {"form": form, "existing": existing})


def _parse_day(value) -> date | None:
    try:
        return parse_date(value or "")
    except ValueError:  # well formed but impossible, e.g. 2026-02-30
        return None


@require_POST
@_staff_permission(services.EDIT_PERMISSION)
def day_clear_view(request, day: str):
    d = _parse_day(day)
    if d is None:
        raise Http404("日期格式不正确。")
    try:
        services.clear_day(request.user, d)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已删除{rules.cn_date(d)}的安排，该日恢复按周一至周五计算。")
    return _back_to(d)


@require_POST
@_staff_permission(services.EDIT_PERMISSION)
def year_view(request, year: int):
    form = YearForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect(reverse("workdays:calendar") + f"?year={year}")
    try:
        services.set_year(request.user, year, form.cleaned_data["complete"], form.cleaned_data["source_note"])
    except ValidationError as exc:
        raise Http404("年度超出范围。") from exc
    state = "已完整载入" if form.cleaned_data["complete"] else "未完整载入（期限标注“暂定”）"
    messages.success(request, f"{year}年节假日安排标记为{state}。")
    return redirect(reverse("workdays:calendar") + f"?year={year}")
