import django_filters
from django.db.models import Q

from .models import InspectionTarget, InspectionTask, TargetKind, TaskStatus


class TaskFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="任务名称", method="search")
    status = django_filters.ChoiceFilter(label="状态", choices=TaskStatus.choices, empty_label="全部状态")

    class Meta:
        model = InspectionTask
        fields = ["q", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(name__contains=value.strip())


class TargetFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="名称、统一社会信用代码或地址", method="search")
    kind = django_filters.ChoiceFilter(label="主体类型", choices=TargetKind.choices, empty_label="全部类型")
    category = django_filters.CharFilter(label="对象类别", lookup_expr="contains")
    is_active = django_filters.BooleanFilter(label="在营")

    class Meta:
        model = InspectionTarget
        fields = ["q", "kind", "category", "is_active"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(name__contains=value) | Q(credit_code__contains=value.upper()) | Q(address__contains=value)
        )
