"""Demo data for ``make run``: a synthetic 示范市 with 3 区县, its agencies, officers and lists.

Each app contributes a ``demo.load(ctx)`` step; they run in the order of ``DEMO_STEPS`` inside
one transaction, so a failed load leaves nothing half-made. Everything is generated from a fixed
seed, so two machines get the same data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

DEMO_STEPS = [
    "zhifa.organizations.demo.load",
    "zhifa.powers.demo.load",
    "zhifa.personnel.demo.load",
    "zhifa.cases.demo.load",
    "zhifa.review.demo.load",
    "zhifa.inspections.demo.load",
    "zhifa.publicity.demo.load",
]

DEMO_PASSWORD = "Zhifa-Demo-2026"


@dataclass
class DemoContext:
    rng: random.Random
    today: date
    regions: dict = field(default_factory=dict)  # "city", "east", "west", "south" -> Region
    fields: dict = field(default_factory=dict)  # code -> EnforcementField
    governments: dict = field(default_factory=dict)  # region key -> Organization
    agencies: list = field(default_factory=list)  # every 执法主体 (Organization)
    logins: list = field(default_factory=list)  # (username, role label, organization, note)


def demo_loaded() -> bool:
    from zhifa.organizations.models import Region

    return Region.objects.filter(code="379900").exists()


@transaction.atomic
def load_demo(seed: int = 2026) -> DemoContext:
    ctx = DemoContext(rng=random.Random(seed), today=timezone.localdate())
    for step in DEMO_STEPS:
        import_string(step)(ctx)
    return ctx
