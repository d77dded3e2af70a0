"""Periodic work of the case engine, run by the huey consumer (``manage.py run_huey``)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .deadlines import refresh_levels


@db_periodic_task(crontab(minute="*/15"))
def refresh_deadline_levels() -> int:
    """S7: recolour every running deadline (green/yellow/red) as days pass."""
    return refresh_levels()
