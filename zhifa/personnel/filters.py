from datetime import timedelta

import django_filters
from django.db.models import Exists, OuterRef
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from zhifa.organizations.models import EnforcementField, Organization

from . import rules
from .models import Certificate, CertificateStatus, EmploymentType, Officer, OfficerStatus
from .services import unit_ids_matching


@extend_schema_field(OpenApiTypes.STR)
class FieldCodeFilter(django_filters.ModelChoiceFilter):
    """执法类别 by its code (``?field=SCJG``), in the web form and the API alike."""

    def __init__(self, **kwargs):
        super().__init__(
            label="执法类别",
            queryset=EnforcementField.objects.all(),
            to_field_name="code",
            method="in_field",
            empty_label="全部执法类别",
            **kwargs,
        )


class OfficerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="姓名或证件编号", method="search")
    # Text, not a drop-down: an administrator's scope holds thousands of units.
    unit = django_filters.CharFilter(label="所在单位名称", method="in_unit")
    field = FieldCodeFilter()
    status = django_filters.ChoiceFilter(label="状态", choices=OfficerStatus.choices, empty_label="全部状态")
    employment_type = django_filters.ChoiceFilter(
        label="用工性质", choices=EmploymentType.choices, empty_label="全部用工性质"
    )

    class Meta:
        model = Officer
        fields = ["q", "unit", "field", "status", "employment_type"]

    def search(self, queryset, name, value):
        return queryset.search(value)

    def in_unit(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        units = Organization.objects.for_user(self.request.user if self.request else None)
        return queryset.filter(organization_id__in=unit_ids_matching(value, units))

    def in_field(self, queryset, name, value):
        holding = Certificate.objects.filter(officer=OuterRef("pk"), fields=value).exclude(
            status=CertificateStatus.REVOKED
        )
        return queryset.filter(Exists(holding))


STATE_CHOICES = [(key, label) for key, label in rules.STATE_LABELS.items() if key != "holder_left"]


class CertificateFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="证件编号或持证人姓名", method="search")
    state = django_filters.ChoiceFilter(
        label="状态", choices=STATE_CHOICES, method="in_state", empty_label="全部状态"
    )
    field = FieldCodeFilter()
    expiring = django_filters.NumberFilter(label="N日内到期", method="expiring_within", min_value=0)

    class Meta:
        model = Certificate
        fields = ["q", "state", "field", "expiring"]

    def search(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        if rules.looks_like_certificate_number(value):
            return queryset.filter(number=rules.normalize_certificate_number(value))
        return queryset.filter(officer__name__prefix=value)

    def in_state(self, queryset, name, value):
        return queryset.in_state(value, timezone.localdate())

    def in_field(self, queryset, name, value):
        return queryset.filter(
            Exists(
                Certificate.fields.through.objects.filter(certificate=OuterRef("pk"), enforcementfield=value)
            )
        )

    def expiring_within(self, queryset, name, value):
        today = timezone.localdate()
        return queryset.in_state("valid", today).filter(valid_until__lte=today + timedelta(days=int(value)))
