"""Periodic work of the 公示 pipeline, run by the huey consumer (``manage.py run_huey``)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(minute="5", hour="0"))
def expire_publications() -> int:
    """G9: items whose display period has ended leave the portal the next day."""
    return services.expire()


@db_periodic_task(crontab(minute="*/5"))
def fill_ledger_positions() -> int:
    """Show each published snapshot's ledger position once the log has sequenced it."""
    return services.fill_ledger_positions()


from .annual_tasks import prepare_annual_report_drafts  # noqa: E402,F401 - G6 年报 drafts in January
