"""Deadline warning levels and their periodic refresh (S7, D1–D4)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from zhifa.cases.deadlines import refresh_levels
from zhifa.cases.models import Deadline
from zhifa.cases.tasks import refresh_deadline_levels

pytestmark = pytest.mark.django_db


def test_refresh_recolours_running_deadlines_s7(world, make_case):
    case = make_case()
    today = timezone.localdate()
    common = {
        "case": case,
        "rule": "P9",
        "basis": "处罚法第六十条",
        "unit": "natural",
        "days": 90,
        "starts_on": today,
    }
    Deadline.objects.create(code="a", name="甲", due_on=today - timedelta(days=1), **common)
    Deadline.objects.create(code="b", name="乙", due_on=today, **common)
    Deadline.objects.create(code="c", name="丙", due_on=today + timedelta(days=60), level="red", **common)
    Deadline.objects.create(code="d", name="丁", due_on=today - timedelta(days=9), status="met", **common)
    assert refresh_levels(today) == 3
    levels = dict(Deadline.objects.values_list("code", "level"))
    assert levels == {"a": "red", "b": "yellow", "c": "green", "d": "green"}
    assert refresh_levels(today) == 0  # nothing changes twice


def test_periodic_task_and_command_run_the_refresh(world, make_case, capsys):
    assert refresh_deadline_levels.call_local() == 0
    call_command("refresh_deadlines")
    assert "已更新" in capsys.readouterr().out
