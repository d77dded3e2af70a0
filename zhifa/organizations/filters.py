import django_filters
from django.db.models import Q

from .models import EnforcementField, Organization, OrgKind, Region, SubjectKind


class OrganizationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="名称/简称/信用代码", method="search")
    kind = django_filters.ChoiceFilter(label="类型", choices=OrgKind.choices)
    subject_kind = django_filters.ChoiceFilter(label="主体性质", choices=SubjectKind.choices)
    region = django_filters.ModelChoiceFilter(label="行政区划", queryset=Region.objects.all())
    field = django_filters.ModelChoiceFilter(
        label="执法领域", field_name="fields", queryset=EnforcementField.objects.all()
    )

    class Meta:
        model = Organization
        fields = ["q", "kind", "subject_kind", "region", "field"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(name__contains=value) | Q(short_name__contains=value) | Q(credit_code=value.upper())
        )
