"""Opening, closing and grading the statutory periods of a case (D1–D4, S7)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from zhifa.workdays import rules as days

from . import rules, statements
from .models import Case, CaseEvent, Deadline, DeadlineStatus, WarningLevel
from .parameters import setting_value


def yellow_threshold(ctx=None) -> int:
    """Working days left at which a deadline turns yellow (one national setting, S7); through the
    engine context's settings when there is one."""
    if ctx is not None:
        return int(ctx.national_setting("warning_yellow_workdays"))
    return int(setting_value("warning_yellow_workdays", None, None))


def due_date(calendar, unit: str, start: date, n: int):
    """The due date and provisional flag: n working days (D1/D2) or n natural days rolled past
    rest days (D3), counted from the day after ``start``."""
    if unit == "work":
        return days.add_workdays(calendar, start, n)
    return days.add_natural_days(calendar, start, n)


def _start_date(spec, ctx) -> date:
    if spec.start.startswith("data:"):
        value = ctx.cleaned.get(spec.start[5:])
        if value is None:
            raise ValueError(f"期限“{spec.name}”缺少起算日期 {spec.start[5:]}。")
        return value
    return ctx.today


def _applies(condition: str, case: Case) -> bool:
    """``outcome:<value>`` — the case has that outcome; ``detail:<key>.<field>`` — that recorded
    detail is present and not empty."""
    kind, _, value = condition.partition(":")
    if kind == "outcome":
        return case.outcome == value
    key, _, name = value.partition(".")
    return bool((case.details.get(key) or {}).get(name))


def _length(spec, ctx) -> int:
    if spec.days is not None:
        return spec.days
    if spec.days_from:
        return int(ctx.cleaned[spec.days_from.removeprefix("data:")])
    return int(ctx.setting(spec.setting))


def open(ctx, codes, event: CaseEvent) -> list[Deadline]:  # noqa: A001 - the engine's vocabulary
    opened = []
    for code in codes:
        spec = ctx.procedure.deadlines[code]
        if spec.when and not _applies(spec.when, ctx.case):
            continue
        n = _length(spec, ctx)
        start = _start_date(spec, ctx)
        due = due_date(ctx.calendar, spec.unit, start, n)
        level = rules.warning_level(due.date, ctx.today, ctx.calendar, yellow_threshold(ctx))
        opened.append(
            Deadline(
                case=ctx.case,
                code=code,
                name=spec.name,
                rule=spec.rule,
                basis=spec.basis,
                unit=spec.unit,
                days=n,
                starts_on=start,
                due_on=due.date,
                provisional=due.provisional,
                level=level,
                opened_by_event=event,
            )
        )
    return statements.insert_many(opened)


def close(case: Case, codes, event: CaseEvent) -> int:
    if not codes:
        return 0
    return Deadline.objects.filter(
        case=case, code__in=codes, status__in=[DeadlineStatus.RUNNING, DeadlineStatus.SUSPENDED]
    ).update(status=DeadlineStatus.MET, closed_by_event=event)


def close_all(case: Case, event: CaseEvent) -> int:
    """End the case's procedural periods when it closes. Periods other modules opened with
    :func:`open_for` (备案, 归档 …) have no opening event and run on until those modules end them."""
    return Deadline.objects.filter(
        case=case,
        status__in=[DeadlineStatus.RUNNING, DeadlineStatus.SUSPENDED],
        opened_by_event__isnull=False,
    ).update(status=DeadlineStatus.CANCELLED, closed_by_event=event)


def refresh_levels(today: date | None = None, batch: int = 5000) -> int:
    """Recompute the warning level of every running deadline; returns how many changed.

    Levels depend only on (due date, today, calendar, threshold), so deadlines are grouped by
    due date and each group is updated with one statement.
    """
    from zhifa.workdays.services import current_calendar

    today = today or timezone.localdate()
    calendar = current_calendar()
    yellow = yellow_threshold()
    changed = 0
    due_dates = Deadline.objects.running().values_list("due_on", flat=True).distinct().order_by("due_on")
    with transaction.atomic():
        for due in due_dates.iterator(chunk_size=batch):
            level = rules.warning_level(due, today, calendar, yellow)
            changed += Deadline.objects.running().filter(due_on=due).exclude(level=level).update(level=level)
    return changed


def extend(ctx, event: CaseEvent) -> Deadline:
    """Lengthen a running period by the approved days and recompute its due date (P9, C2, T1)."""
    from .models import DeadlineChange

    deadline = running_deadline(ctx.case, ctx.action.extends)
    days = ctx.cleaned["days"]
    due = extended_due(ctx.calendar, deadline, days)
    deadline.extended_days += days
    deadline.due_on, deadline.provisional = due.date, due.provisional
    deadline.level = rules.warning_level(due.date, ctx.today, ctx.calendar, yellow_threshold(ctx))
    deadline.save(update_fields=["extended_days", "due_on", "provisional", "level"])
    DeadlineChange.objects.create(
        deadline=deadline,
        kind="extend",
        days=days,
        reason=ctx.cleaned["reason"],
        approved_by=ctx.user,
        event=event,
    )
    return deadline


def open_for(
    case: Case,
    *,
    code: str,
    name: str,
    rule: str,
    basis: str,
    unit: str,
    length: int,
    starts_on: date,
    due: days.Due,
) -> Deadline:
    """Open a period that another module tracks for the case (法制审核, 备案 …) in the same table,
    so its warnings reach the same lists, home pages and refresh job."""
    from zhifa.workdays.services import current_calendar

    level = rules.warning_level(due.date, timezone.localdate(), current_calendar(), yellow_threshold())
    return Deadline.objects.create(
        case=case,
        code=code,
        name=name,
        rule=rule,
        basis=basis,
        unit=unit,
        days=length,
        starts_on=starts_on,
        due_on=due.date,
        provisional=due.provisional,
        level=level,
    )


def finish(deadline: Deadline | None, status: str = DeadlineStatus.MET) -> None:
    """Close a period opened with :func:`open_for` (no-op when it is already closed)."""
    if deadline is not None:
        Deadline.objects.filter(
            pk=deadline.pk, status__in=[DeadlineStatus.RUNNING, DeadlineStatus.SUSPENDED]
        ).update(status=status)


def running_deadline(case: Case, code: str) -> Deadline | None:
    return case.deadlines.filter(code=code, status=DeadlineStatus.RUNNING).first()


def counted_days(deadline: Deadline) -> int:
    """The period's length now: its days, plus approved extensions and excluded intervals."""
    return deadline.days + deadline.extended_days + deadline.suspended_days


def extended_due(calendar, deadline: Deadline, days: int):
    """The due date (and provisional flag) once ``days`` more are approved — what the extension
    notice states and what :func:`extend` stores."""
    return due_date(calendar, deadline.unit, deadline.starts_on, counted_days(deadline) + days)


def suspend(ctx, event: CaseEvent) -> Deadline:
    """P9/C2/T1: stop counting a period for an excluded interval (检测、鉴定、听证、公告 …)."""
    from .models import DeadlineChange

    deadline = running_deadline(ctx.case, ctx.action.suspends)
    deadline.status = DeadlineStatus.SUSPENDED
    deadline.suspended_since = ctx.cleaned["started_on"]
    deadline.level = WarningLevel.GREEN  # a stopped clock does not run late
    deadline.save(update_fields=["status", "suspended_since", "level"])
    DeadlineChange.objects.create(
        deadline=deadline,
        kind="suspend",
        reason=f"{ctx.cleaned['kind']}：{ctx.cleaned['reason']}"[:300],
        approved_by=ctx.user,
        event=event,
    )
    return deadline


def resume(ctx, event: CaseEvent) -> Deadline:
    """P9/C2/T1: count again, with the excluded interval added to the period's length."""
    from .models import DeadlineChange

    deadline = ctx.case.deadlines.get(code=ctx.action.resumes, status=DeadlineStatus.SUSPENDED)
    days = rules.excluded_days(deadline.unit, deadline.suspended_since, ctx.cleaned["ended_on"], ctx.calendar)
    deadline.suspended_days += days
    deadline.suspended_since = None
    deadline.status = DeadlineStatus.RUNNING
    due = due_date(ctx.calendar, deadline.unit, deadline.starts_on, counted_days(deadline))
    deadline.due_on, deadline.provisional = due.date, due.provisional
    deadline.level = rules.warning_level(due.date, ctx.today, ctx.calendar, yellow_threshold(ctx))
    deadline.save(
        update_fields=["status", "suspended_days", "suspended_since", "due_on", "provisional", "level"]
    )
    DeadlineChange.objects.create(
        deadline=deadline,
        kind="resume",
        days=days,
        reason=ctx.cleaned.get("note") or "不计入期限的事项结束",
        approved_by=ctx.user,
        event=event,
    )
    return deadline
