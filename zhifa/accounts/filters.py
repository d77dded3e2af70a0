import django_filters
from django.contrib.auth.models import Group
from django.db.models import Q

from .models import User


class UserFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="用户名/姓名", method="search")
    role = django_filters.ModelChoiceFilter(label="角色", field_name="groups", queryset=Group.objects.all())
    is_active = django_filters.BooleanFilter(label="启用")

    class Meta:
        model = User
        fields = ["q", "role", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(username__icontains=value) | Q(full_name__contains=value))
