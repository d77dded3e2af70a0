"""Values the statute leaves to fields and regions, with the national defaults in ``rules``."""

from __future__ import annotations

import functools
import uuid
from decimal import Decimal

from django.db.models import Q, Subquery

from . import rules
from .models import ProcedureSetting, SettingsRevision

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
    "legal_review_workdays": "法制审核期限（工作日，L4）",
    "warning_yellow_workdays": "黄色预警：剩余工作日不超过（S7，仅全国统一设置）",
}


def national_default(key: str) -> Decimal:
    return Decimal(str(rules.NATIONAL_DEFAULTS[key]))


def _scope_filter(field_id: int | None, region_id: int | None) -> Q:
    return Q(Q(field_id=field_id) | Q(field__isnull=True), Q(region_id=region_id) | Q(region__isnull=True))


def _rank(field_id, region_id) -> int:
    return (field_id is not None) * 2 + (region_id is not None)


def setting_value(key: str, field_id: int | None, region_id: int | None) -> Decimal:
    """The most specific value: field + region, then field, then region, then national default.

    A region setting also covers the regions below it is not assumed: 区县 that differ from their
    市 get their own row, which keeps the lookup a single indexed query.
    """
    rows = ProcedureSetting.objects.filter(_scope_filter(field_id, region_id), key=key).values_list(
        "field_id", "region_id", "value"
    )
    best = None
    for row_field, row_region, value in rows:
        rank = _rank(row_field, row_region)
        if best is None or rank > best[0]:
            best = (rank, value)
    if best is not None:
        return best[1]
    if key not in rules.NATIONAL_DEFAULTS:
        raise KeyError(f"未定义的程序参数：{key}")
    return national_default(key)


class Settings:
    """Every setting as it applies to one field and region, read with one query (the engine
    reads it once per request instead of once per value)."""

    def __init__(self, field_id: int | None, region_id: int | None):
        best: dict[str, tuple[int, Decimal]] = {}
        self._national: dict[str, Decimal] = {}
        rows = ProcedureSetting.objects.filter(_scope_filter(field_id, region_id)).values_list(
            "key", "field_id", "region_id", "value"
        )
        for key, row_field, row_region, value in rows:
            rank = _rank(row_field, row_region)
            if rank == 0:
                self._national[key] = value
            if key not in best or rank > best[key][0]:
                best[key] = (rank, value)
        self._best = {key: value for key, (_, value) in best.items()}

    def value(self, key: str) -> Decimal:
        """As :func:`setting_value` for this field and region."""
        return self._lookup(self._best, key)

    def national(self, key: str) -> Decimal:
        """As :func:`setting_value` with neither field nor region (e.g. the S7 warning threshold)."""
        return self._lookup(self._national, key)

    @staticmethod
    def _lookup(values: dict, key: str) -> Decimal:
        if key in values:
            return values[key]
        if key not in rules.NATIONAL_DEFAULTS:
            raise KeyError(f"未定义的程序参数：{key}")
        return national_default(key)


# --- Per-process cache ---------------------------------------------------------------------------
# (revision token, {(field_id, region_id): Settings}) of this process. Any save or delete of a
# ProcedureSetting changes the token (signals connected in apps.py), and the token is read with
# every request, so a change saved by any worker is seen by all of them at once. Code that writes
# settings without save()/delete() (queryset.update, bulk_create) must call bump_revision().
_cached: tuple[uuid.UUID, dict] | None = None
_UNREAD = object()


def bump_revision(**kwargs) -> None:
    """Mark the settings changed (post_save / post_delete of ProcedureSetting)."""
    SettingsRevision.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4()})


@functools.cache
def revision_token():
    """The settings' revision token as a subquery, for a caller that reads it together with its
    own row (``.annotate(settings_token=revision_token())``) and passes it to
    :func:`settings_for`, saving that call its query. Built once: a query copies the expressions
    it uses."""
    return Subquery(SettingsRevision.objects.filter(pk=1).values("token")[:1])


def settings_for(field_id: int | None, region_id: int | None, token=_UNREAD) -> Settings:
    """The settings for a field and region, from this process's cache while the revision token
    (read here unless the caller passes it) is unchanged."""
    global _cached
    if token is _UNREAD:
        token = SettingsRevision.objects.filter(pk=1).values_list("token", flat=True).first()
    if token is None:  # no revision row (e.g. a flushed test database): nothing to cache under
        return Settings(field_id, region_id)
    if _cached is None or _cached[0] != token:
        _cached = (token, {})
    by_scope = _cached[1]
    if (field_id, region_id) not in by_scope:
        by_scope[field_id, region_id] = Settings(field_id, region_id)
    return by_scope[field_id, region_id]
