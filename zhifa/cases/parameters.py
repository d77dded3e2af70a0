"""Values the statute leaves to fields and regions, with the national defaults in ``rules``."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q

from . import rules
from .models import ProcedureSetting

# The values an administrator may set per field and region, with what they mean.
SETTING_LABELS = {
    "statement_workdays": "陈述申辩期限（工作日，P6）",
    "hearing_fine_natural": "听证：对自然人较大数额罚款（元，P8）",
    "hearing_fine_organisation": "听证：对法人或其他组织较大数额罚款（元，P8）",
    "hearing_confiscation_natural": "听证：对自然人没收较大数额（元，P8）",
    "hearing_confiscation_organisation": "听证：对法人或其他组织没收较大数额（元，P8）",
    "filing_workdays": "立案审查期限（工作日，T4）",
    "filing_extension_workdays": "立案审查可延长（工作日，T4）",
    "decision_days": "作出处罚决定期限（日，P9）",
    "decision_extension_days": "处罚决定期限可延长（日，P9/T4）",
    "min_officers": "执法人员最少人数（P1）",
    "payment_days": "缴纳罚款期限（日，P12）",
    "seizure_extension_days": "查封扣押可延长（日，C2）",
    "licence_extension_workdays": "许可决定可延长（工作日，T1）",
    "warning_yellow_workdays": "黄色预警：剩余工作日不超过（S7，仅全国统一设置）",
}


def national_default(key: str) -> Decimal:
    return Decimal(str(rules.NATIONAL_DEFAULTS[key]))


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
    return national_default(key)
