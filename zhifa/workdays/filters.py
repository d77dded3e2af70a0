import django_filters

from .models import CalendarDay, DayKind


class CalendarDayFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="date__year", label="年度")
    kind = django_filters.ChoiceFilter(choices=DayKind.choices, label="类型")

    class Meta:
        model = CalendarDay
        fields = ["year", "kind"]
