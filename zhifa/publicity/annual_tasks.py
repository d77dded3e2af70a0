"""Yearly work of the 年报 (G6), run by the huey consumer; imported by ``publicity.tasks``."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import annual_services


@db_periodic_task(crontab(month="1", day="2,16", hour="2", minute="30"))
def prepare_annual_report_drafts() -> tuple[int, int]:
    """G6: early in January every agency finds last year's draft computed from its cases, ready to
    check and publish by 31 January (the home-page panel warns as the day comes near)."""
    return annual_services.compute_all(timezone.localdate().year - 1)
