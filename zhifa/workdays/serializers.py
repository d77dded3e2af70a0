from rest_framework import serializers

from . import rules
from .forms import DATE_ERRORS, DAYS_ERRORS
from .models import CalendarDay, CalendarYear

KIND_CHOICES = [("work", "工作日（D1/D2）"), ("natural", "自然日（D3）")]


class CalendarDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name", "source", "note", "updated_at"]


class CalendarYearSerializer(serializers.ModelSerializer):
    class Meta:
        model = CalendarYear
        fields = ["year", "complete", "source_note", "updated_at"]


class ComputeQuerySerializer(serializers.Serializer):
    start = serializers.DateField(
        help_text="事件发生日（期限从次日起算，D3），YYYY-MM-DD", error_messages=DATE_ERRORS
    )
    days = serializers.IntegerField(
        min_value=0, max_value=rules.MAX_DAYS, help_text="期限天数", error_messages=DAYS_ERRORS
    )
    kind = serializers.ChoiceField(
        choices=KIND_CHOICES,
        default="work",
        help_text="work：工作日（处罚法第85条、强制法第69条）；natural：自然日，届满日遇休息日顺延",
        error_messages={"invalid_choice": "计算方式应为 work（工作日）或 natural（自然日）。"},
    )


class ComputeResultSerializer(serializers.Serializer):
    start = serializers.DateField()
    days = serializers.IntegerField()
    kind = serializers.CharField()
    due = serializers.DateField(help_text="届满日（含当日）")
    provisional = serializers.BooleanField(help_text="所涉年度未载入节假日安排，仅按周末计算（D4）")
    basis = serializers.CharField(help_text="计算依据")


class CountQuerySerializer(serializers.Serializer):
    start = serializers.DateField(help_text="起点（不计入），YYYY-MM-DD", error_messages=DATE_ERRORS)
    end = serializers.DateField(help_text="终点（计入），YYYY-MM-DD", error_messages=DATE_ERRORS)


class CountResultSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    workdays = serializers.IntegerField(help_text="(start, end] 内的工作日数；end 早于 start 时为负数")
    provisional = serializers.BooleanField()
