"""Payload builders, supplied by the apps that append leaves: ``register(kind, model, builder)``.

A builder takes the source row and returns exactly the dict that was appended for it, so that
``manage.py verify_ledger`` can rebuild every leaf from the live tables and name the row whose
content no longer matches what the log recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Producer:
    kind: str
    model: type[models.Model]
    build: Callable[[models.Model], dict]
    select_related: tuple[str, ...] = ()


PRODUCERS: dict[str, Producer] = {}


def register(kind: str, model: type[models.Model], build, *, select_related: tuple[str, ...] = ()) -> None:
    PRODUCERS[kind] = Producer(kind, model, build, select_related)


def producer(kind: str) -> Producer | None:
    return PRODUCERS.get(kind)
