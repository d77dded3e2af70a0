import django_filters
from django.db.models import Q

from .kinds import KIND_CHOICES
from .models import Document


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
