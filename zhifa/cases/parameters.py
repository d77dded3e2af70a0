"""Values the statute leaves to fields and regions, with the national defaults in ``rules``."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q

from . import rules
from .models import ProcedureSetting


def setting_value(key: str, field_id: int | None, region_id: int | None) -> Decimal:
    """The most specific value: field + region, then field, then region, then national default.

    A region setting also covers the regions below it is not assumed: 区县 that differ from their
    市 get their own row, which keeps the lookup a single indexed query.
    """
    rows = ProcedureSetting.objects.filter(key=key).filter(
        Q(field_id=field_id) | Q(field__isnull=True), Q(region_id=region_id) | Q(region__isnull=True)
    )
    best = None
    for row in rows:
        rank = (row.field_id is not None) * 2 + (row.region_id is not None)
        if best is None or rank > best[0]:
            best = (rank, row.value)
    if best is not None:
        return best[1]
    if key not in rules.NATIONAL_DEFAULTS:
        raise KeyError(f"未定义的程序参数：{key}")
    return Decimal(str(rules.NATIONAL_DEFAULTS[key]))
