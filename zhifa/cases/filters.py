"""Case and deadline filters, shared by the staff list, its export and the API.

Every filter is an indexed lookup or an ``EXISTS`` on one case's rows, so a filtered page over a
million cases reads only the rows it shows (the list never counts the whole result).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from zhifa.organizations.models import Organization

from .definitions import Procedure, procedure_of
from .models import (
    Case,
    CaseOfficer,
    CaseStatus,
    Deadline,
    DeadlineStatus,
    Party,
    ProcedureVersion,
    WarningLevel,
)

LEVEL_RANK = {WarningLevel.RED: 0, WarningLevel.YELLOW: 1, WarningLevel.GREEN: 2}
LEVEL_CSS = {WarningLevel.RED: "bad", WarningLevel.YELLOW: "warn", WarningLevel.GREEN: "ok"}


class Catalog:
    """Every stored procedure version, parsed once per request (one query): stage names for
    listed cases and the choices of the procedure and stage filters."""

    def __init__(self):
        versions = list(ProcedureVersion.objects.order_by("code", "-version"))
        self.by_pk: dict[int, Procedure] = {v.pk: procedure_of(v) for v in versions}
        self.codes: dict[str, str] = {}
        for version in versions:
            self.codes.setdefault(version.code, version.name)

    @classmethod
    def for_request(cls, request) -> Catalog:
        """One catalog per request, shared by the filters and the serializers."""
        if request is None:
            return cls()
        catalog = getattr(request, "_case_catalog", None)
        if catalog is None:
            catalog = request._case_catalog = cls()
        return catalog

    def stage_name(self, case: Case) -> str:
        procedure = self.by_pk.get(case.procedure_id)
        if procedure is None or case.stage not in procedure.stages:
            return case.stage
        return procedure.stage_name(case.stage)

    def stage_choices(self) -> list[tuple[str, str]]:
        names: dict[str, list[str]] = {}
        for procedure in self.by_pk.values():
            for stage in procedure.stages.values():
                labels = names.setdefault(stage.code, [])
                if stage.name not in labels:
                    labels.append(stage.name)
        return [(code, "/".join(labels)) for code, labels in names.items()]


def worst_deadline(deadlines) -> Deadline | None:
    """The running deadline to look at first: the highest warning level, then the earliest due."""
    running = [d for d in deadlines if d.status == DeadlineStatus.RUNNING]
    return min(running, key=lambda d: (LEVEL_RANK.get(d.level, 3), d.due_on), default=None)


def _agencies(request):
    if request is None:
        return Organization.objects.none()
    return Organization.objects.for_user(request.user).agencies()


@extend_schema_field(OpenApiTypes.STR)
class CodeChoiceFilter(django_filters.ChoiceFilter):
    """A code whose choices come from the procedure definitions (set per request)."""


@extend_schema_field(OpenApiTypes.INT)
class AgencyFilter(django_filters.ModelChoiceFilter):
    pass


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="案号、当事人或案由", method="search")
    procedure = CodeChoiceFilter(label="执法程序", field_name="procedure__code", empty_label="全部程序")
    stage = CodeChoiceFilter(label="阶段", empty_label="全部阶段")
    status = django_filters.ChoiceFilter(label="状态", choices=CaseStatus.choices, empty_label="全部状态")
    level = django_filters.ChoiceFilter(
        label="期限预警", choices=WarningLevel.choices, method="with_level", empty_label="全部预警"
    )
    agency = AgencyFilter(label="执法主体", queryset=_agencies, empty_label="全部执法主体")
    officer = django_filters.NumberFilter(label="承办人员编号", method="assigned_to")
    officer_name = django_filters.CharFilter(label="承办人员姓名", method="assigned_named")
    mine = django_filters.BooleanFilter(label="只看我承办的", method="assigned_to_me")
    created_from = django_filters.DateFilter(label="登记日期自", method="created_since")
    created_to = django_filters.DateFilter(label="登记日期至", method="created_until")

    class Meta:
        model = Case
        fields = [
            "q",
            "procedure",
            "stage",
            "status",
            "level",
            "agency",
            "officer",
            "officer_name",
            "mine",
            "created_from",
            "created_to",
        ]

    def __init__(self, *args, catalog: Catalog | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.catalog = catalog or Catalog.for_request(self.request)
        self.filters["procedure"].extra["choices"] = list(self.catalog.codes.items())
        self.filters["stage"].extra["choices"] = self.catalog.stage_choices()

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        parties = Party.objects.filter(case=OuterRef("pk"), name__contains=value)
        return queryset.filter(Q(number__contains=value) | Q(cause__contains=value) | Exists(parties))

    def with_level(self, queryset, name, value):
        running = Deadline.objects.filter(case=OuterRef("pk"), status=DeadlineStatus.RUNNING, level=value)
        return queryset.filter(Exists(running))

    def _assigned(self, queryset, **lookup):
        return queryset.filter(Exists(CaseOfficer.objects.filter(case=OuterRef("pk"), **lookup)))

    def assigned_to(self, queryset, name, value):
        return self._assigned(queryset, officer_id=int(value))

    def assigned_named(self, queryset, name, value):
        value = value.strip()
        return self._assigned(queryset, officer__name__startswith=value) if value else queryset

    def assigned_to_me(self, queryset, name, value):
        if not value or self.request is None:
            return queryset
        return self._assigned(queryset, officer__user=self.request.user)

    @staticmethod
    def _start_of(day):
        return timezone.make_aware(datetime.combine(day, time.min))

    def created_since(self, queryset, name, value):
        return queryset.filter(created_at__gte=self._start_of(value))

    def created_until(self, queryset, name, value):
        return queryset.filter(created_at__lt=self._start_of(value + timedelta(days=1)))


class DeadlineFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(label="预警", choices=WarningLevel.choices)
    status = django_filters.ChoiceFilter(label="状态", choices=DeadlineStatus.choices)
    case = django_filters.NumberFilter(label="案件ID", field_name="case_id")
    due_before = django_filters.DateFilter(label="届满日不晚于", field_name="due_on", lookup_expr="lte")

    class Meta:
        model = Deadline
        fields = ["level", "status", "case", "due_before"]
