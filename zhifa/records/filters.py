import django_filters
from django.db.models import Q

from .kinds import KIND_CHOICES
from .models import Document, Evidence, EvidenceKind


class DocumentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="文号/案件", method="search")
    kind = django_filters.ChoiceFilter(label="文书种类", choices=KIND_CHOICES)
    case_id = django_filters.NumberFilter(label="案件ID")
    issued_after = django_filters.DateFilter(label="日期自", field_name="issued_on", lookup_expr="gte")
    issued_before = django_filters.DateFilter(label="日期至", field_name="issued_on", lookup_expr="lte")

    class Meta:
        model = Document
        fields = ["q", "kind", "case_id", "issued_after", "issued_before"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(number__contains=value) | Q(case_label__contains=value))


class EvidenceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="名称/案号", method="search")
    kind = django_filters.ChoiceFilter(label="证据种类", choices=EvidenceKind.choices, empty_label="全部种类")
    is_late = django_filters.BooleanFilter(label="逾期上传（R3）")
    captured_by = django_filters.CharFilter(label="采集人", method="officer")
    captured_after = django_filters.DateFilter(
        label="采集日期自", field_name="captured_at__date", lookup_expr="gte"
    )
    captured_before = django_filters.DateFilter(
        label="采集日期至", field_name="captured_at__date", lookup_expr="lte"
    )
    retired = django_filters.BooleanFilter(label="含已注销", method="include_retired")

    class Meta:
        model = Evidence
        fields = ["q", "kind", "is_late", "captured_by", "captured_after", "captured_before", "retired"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(title__contains=value) | Q(case__number__contains=value) | Q(original_filename__contains=value)
        )

    def officer(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(captured_by__full_name__contains=value) | Q(captured_by__username=value))

    def include_retired(self, queryset, name, value):
        return queryset  # see without_retired: retired evidence is hidden unless asked for


def without_retired(queryset, params):
    """Retired evidence stays out of lists unless ``retired`` is asked for (it is never deleted)."""
    if params.get("retired") in ("true", "1", "on", "True"):
        return queryset
    return queryset.filter(retired_at__isnull=True)
