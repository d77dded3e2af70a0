"""Administrators set the values the statute leaves to fields and regions (程序参数)."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView, TemplateView

from zhifa.core.views import StaffMixin

from .models import ProcedureSetting
from .parameters import SETTING_LABELS, national_default


class SettingForm(forms.ModelForm):
    key = forms.ChoiceField(label="参数", choices=list(SETTING_LABELS.items()))

    class Meta:
        model = ProcedureSetting
        fields = ["key", "value", "field", "region", "basis"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["basis"].required = True
        self.fields[
            "basis"
        ].help_text = "设定该值的法律、法规、规章或规范性文件，如《市场监督管理行政处罚听证办法》第五条。"
        self.fields["field"].help_text = "留空表示适用于所有执法领域。"
        self.fields["region"].help_text = "留空表示适用于所有地区。"

    def clean(self):
        cleaned = super().clean()
        key, value = cleaned.get("key"), cleaned.get("value")
        if value is not None:
            if value <= 0:
                self.add_error("value", "取值必须大于零。")
            elif "hearing" not in (key or "") and value != value.to_integral_value():
                self.add_error("value", "期限和人数须为整数。")
        if key == "warning_yellow_workdays" and (cleaned.get("field") or cleaned.get("region")):
            self.add_error("key", "预警阈值只能设置全国统一值。")
        if key == "min_officers" and value is not None and value < 1:
            self.add_error("value", "执法人员不得少于一人。")
        duplicate = ProcedureSetting.objects.filter(
            key=key, field=cleaned.get("field"), region=cleaned.get("region")
        )
        if self.instance.pk:
            duplicate = duplicate.exclude(pk=self.instance.pk)
        if key and duplicate.exists():
            self.add_error("key", "该参数在此领域和地区已有设置，请直接修改。")
        return cleaned


class SettingListView(StaffMixin, TemplateView):
    permission_required = "cases.view_proceduresetting"
    template_name = "cases/settings_list.html"

    def get_context_data(self, **kwargs):
        overrides = ProcedureSetting.objects.select_related("field", "region").order_by(
            "key", "field", "region"
        )
        rows = [
            {
                "key": key,
                "label": label,
                "default": national_default(key),
                "overrides": [o for o in overrides if o.key == key],
            }
            for key, label in SETTING_LABELS.items()
        ]
        return super().get_context_data(rows=rows, **kwargs)


class SettingFormView(StaffMixin, FormView):
    permission_required = "cases.change_proceduresetting"
    form_class = SettingForm
    template_name = "cases/settings_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if "pk" in self.kwargs:
            kwargs["instance"] = get_object_or_404(ProcedureSetting, pk=self.kwargs["pk"])
        elif key := self.request.GET.get("key"):
            kwargs["initial"] = {
                "key": key,
                "value": national_default(key) if key in SETTING_LABELS else Decimal(0),
            }
        return kwargs

    def form_valid(self, form):
        setting = form.save(commit=False)
        setting.updated_by = self.request.user
        setting.save()
        messages.success(self.request, "程序参数已保存，新办理的步骤即按此值计算。")
        return redirect("cases:settings")

    def post(self, request, *args, **kwargs):
        if "delete" in request.POST and "pk" in self.kwargs:
            get_object_or_404(ProcedureSetting, pk=self.kwargs["pk"]).delete()
            messages.success(request, "已删除该设置，恢复适用上一级的值。")
            return redirect("cases:settings")
        return super().post(request, *args, **kwargs)
