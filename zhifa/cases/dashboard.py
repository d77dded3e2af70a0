"""The home page panel of cases: the user's red and yellow deadlines, worst first (S7)."""

from __future__ import annotations

from django.db import models

from zhifa.accounts.roles import Role

from .models import Deadline, WarningLevel

OVERSEERS = (Role.DIVISION_HEAD, Role.AGENCY_HEAD, Role.SUPERVISOR, Role.ADMIN)
LIMIT = 20


def _oversees(user) -> bool:
    return user.is_superuser or any(user.has_role(role) for role in OVERSEERS)


def warned_deadlines(user):
    """Running red/yellow deadlines: of the cases the user handles, or of the whole scope for
    heads and supervisors."""
    deadlines = (
        Deadline.objects.for_user(user).running().filter(level__in=[WarningLevel.RED, WarningLevel.YELLOW])
    )
    if not _oversees(user):
        deadlines = deadlines.filter(case__assignments__officer__user=user)
    rank = models.Case(
        models.When(level=WarningLevel.RED, then=models.Value(0)),
        default=models.Value(1),
        output_field=models.IntegerField(),
    )
    return deadlines.select_related("case").order_by(rank, "due_on", "id")[:LIMIT]


def dashboard_panel(user) -> dict | None:
    if not user.has_perm("cases.view_deadline"):
        return None
    items = [
        {
            "text": f"{d.case}：{d.name}{'已于' if d.level == WarningLevel.RED else '将于'}"
            f"{d.due_on:%Y-%m-%d}届满（{d.rule}）",
            "url": d.case.get_absolute_url(),
            "level": "bad" if d.level == WarningLevel.RED else "warn",
        }
        for d in warned_deadlines(user)
    ]
    return {"title": "办案期限预警", "items": items, "empty": "没有临近或超过的办案期限。"}
