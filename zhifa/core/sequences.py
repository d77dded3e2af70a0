"""Gap-free numbering. Call :func:`next_number` inside the transaction that uses the number:
the row lock serialises concurrent callers (PostgreSQL ``SELECT … FOR UPDATE``; SQLite runs
write transactions one at a time), and a rolled-back transaction gives its number back."""

from django.db import transaction
from django.db.models import F

from .models import Sequence


def next_number(key: str) -> int:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside the transaction that uses the number.")
    Sequence.objects.bulk_create([Sequence(key=key)], ignore_conflicts=True)
    # The UPDATE takes the row lock; it is held until the caller's transaction ends.
    Sequence.objects.filter(key=key).update(value=F("value") + 1)
    return Sequence.objects.get(key=key).value
