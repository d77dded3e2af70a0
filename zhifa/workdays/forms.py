from django import forms

from . import rules
from .models import CalendarDay, DayKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


DATE_ERRORS = {"required": "请填写日期。", "invalid": "日期格式不正确，应为“年-月-日”，如2026-09-30。"}
DAYS_ERRORS = {
    "required": "请填写期限天数。",
    "invalid": "期限天数应为整数。",
    "min_value": "期限天数不能为负数。",
    "max_value": f"期限天数不能超过{rules.MAX_DAYS}日。",
}
KIND_CHOICES = [("work", "工作日（D1/D2）"), ("natural", "自然日，遇休息日顺延（D3）")]


class CalendarDayForm(forms.Form):
    date = forms.DateField(label="日期", widget=DateInput(), error_messages=DATE_ERRORS)
    kind = forms.ChoiceField(label="类型", choices=DayKind.choices)
    name = forms.CharField(
        label="节日名称",
        max_length=CalendarDay._meta.get_field("name").max_length,
        help_text="如“春节”；调休工作日填所属节日。",
        error_messages={"required": "请填写节日名称。"},
    )
    note = forms.CharField(
        label="备注",
        max_length=CalendarDay._meta.get_field("note").max_length,
        required=False,
        help_text="如依据的通知文号或修改原因。",
    )

    def clean(self):
        cleaned = super().clean()
        day, kind = cleaned.get("date"), cleaned.get("kind")
        if day and kind and (error := rules.override_error(day, kind)):
            self.add_error("kind", error)
        return cleaned


class YearForm(forms.Form):
    complete = forms.BooleanField(label="该年度节假日安排已完整载入", required=False)
    source_note = forms.CharField(label="来源说明", max_length=200, required=False, help_text="如通知文号。")


class DeadlineForm(forms.Form):
    start = forms.DateField(
        label="事件发生日",
        widget=DateInput(),
        help_text="期限从次日起算（D3）。",
        error_messages=DATE_ERRORS,
    )
    days = forms.IntegerField(
        label="期限天数", min_value=0, max_value=rules.MAX_DAYS, error_messages=DAYS_ERRORS
    )
    kind = forms.ChoiceField(
        label="计算方式",
        choices=KIND_CHOICES,
        initial="work",
        help_text="处罚法“五日”“七日”等、强制法十日以内的期限为工作日。",
    )
