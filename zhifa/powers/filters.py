import django_filters
from django.db.models import Q

from zhifa.organizations.models import Organization, OrgKind

from .models import (
    BenchmarkStatus,
    DiscretionBenchmark,
    InspectionItem,
    Law,
    LawLevel,
    PowerCategory,
    PowerItem,
)


def visible_agencies(request):
    if request is None:
        return Organization.objects.none()
    return Organization.objects.for_user(request.user).filter(kind=OrgKind.AGENCY)


class LawFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="名称", method="search")
    level = django_filters.ChoiceFilter(label="效力层级", choices=LawLevel.choices)

    class Meta:
        model = Law
        fields = ["q", "level"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__contains=value) | Q(short_title__contains=value))


class PowerItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="名称/编码/依据", method="search")
    agency = django_filters.ModelChoiceFilter(label="实施主体", queryset=visible_agencies)
    category = django_filters.ChoiceFilter(label="事项类别", choices=PowerCategory.choices)
    outdated = django_filters.BooleanFilter(label="依据引用旧版本条文", method="filter_outdated")

    class Meta:
        model = PowerItem
        fields = ["q", "agency", "category", "outdated"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(name__contains=value)
            | Q(sub_name__contains=value)
            | Q(code=value)
            | Q(basis_text__contains=value)
        )

    def filter_outdated(self, queryset, name, value):
        if value is None:
            return queryset
        stale = PowerItem.objects.filter(basis_links__article__version__is_current=False).values("pk")
        return queryset.filter(pk__in=stale) if value else queryset.exclude(pk__in=stale)


class InspectionItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="领域/事项/对象", method="search")
    agency = django_filters.ModelChoiceFilter(label="检查主体", queryset=visible_agencies)

    class Meta:
        model = InspectionItem
        fields = ["q", "agency"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(field_name__contains=value) | Q(name__contains=value) | Q(target__contains=value)
        )


class BenchmarkFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="事项/文件名称/文号", method="search")
    agency = django_filters.ModelChoiceFilter(label="制定机关", queryset=visible_agencies)
    power_item = django_filters.NumberFilter(label="权责事项ID", field_name="power_item_id")
    status = django_filters.ChoiceFilter(label="状态", choices=BenchmarkStatus.choices)

    class Meta:
        model = DiscretionBenchmark
        fields = ["q", "agency", "power_item", "status"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(power_item__name__contains=value)
            | Q(power_item__code=value)
            | Q(title__contains=value)
            | Q(document_number__contains=value)
        )
