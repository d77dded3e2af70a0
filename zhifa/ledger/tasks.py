"""Periodic work of the ledger, run by the huey consumer (``manage.py run_huey``)."""

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(minute=f"*/{settings.LEDGER_CHECKPOINT_MINUTES}"))
def sign_checkpoint() -> int:
    """Sequence new leaves and sign a checkpoint when the tree has grown (principle 3)."""
    checkpoint, _ = services.checkpoint()
    return checkpoint.size if checkpoint else 0
