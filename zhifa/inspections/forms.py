"""Staff forms for the 名录, 抽查任务, draws and 回避; choices limited to the user's scope."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from zhifa.cases.forms import DateInput, agencies_for, regions_for
from zhifa.organizations.models import EnforcementField
from zhifa.personnel.models import Officer
from zhifa.powers.models import InspectionItem

from .models import InspectionTarget, InspectionTask


def items_for(user):
    return (
        InspectionItem.objects.for_user(user)
        .filter(is_active=True)
        .select_related("agency")
        .order_by("agency__path", "field_name", "id")
    )


class ItemChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, item):
        ratio = f"（抽查比例{item.ratio}）" if item.ratio else ""
        return f"{item.field_name}：{item.name}｜{item.target}{ratio}"


class ScopedChoicesMixin:
    """Agencies, fields and regions the user may work with; one agency preselected."""

    def limit_choices(self, user):
        agencies = agencies_for(user)
        self.fields["agency"].queryset = agencies
        self.fields["field"].queryset = EnforcementField.objects.filter(organizations__in=agencies).distinct()
        self.fields["region"].queryset = regions_for(agencies).order_by("code")
        if not self.is_bound and agencies.count() == 1:
            agency = agencies.first()
            self.initial.setdefault("agency", agency.pk)
            self.initial.setdefault("region", agency.region_id)
            fields = list(agency.fields.values_list("pk", flat=True)[:2])
            if len(fields) == 1:
                self.initial.setdefault("field", fields[0])


class TaskForm(ScopedChoicesMixin, forms.ModelForm):
    class Meta:
        model = InspectionTask
        fields = [
            "agency",
            "name",
            "items",
            "field",
            "region",
            "target_category",
            "period_start",
            "period_end",
            "sample_count",
            "sample_ratio",
            "officers_per_target",
            "note",
        ]
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "sample_count": "与抽取比例只填一项；都不填时按所选抽查事项的抽查比例。",
            "sample_ratio": "按比例抽取时向上取整，如名录30户、比例5%抽取2户。",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"] = ItemChoiceField(
            label="抽查事项", queryset=items_for(user), widget=forms.CheckboxSelectMultiple
        )
        self.limit_choices(user)
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("period_start", today)
            self.initial.setdefault("officers_per_target", 2)


class TargetForm(ScopedChoicesMixin, forms.ModelForm):
    class Meta:
        model = InspectionTarget
        fields = [
            "agency",
            "name",
            "kind",
            "credit_code",
            "legal_representative",
            "operator_id_number",
            "category",
            "field",
            "region",
            "address",
            "phone",
            "is_active",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_choices(user)
        for name in ("credit_code", "operator_id_number"):
            self.fields[name].widget.attrs.update({"autocomplete": "off", "autocapitalize": "characters"})

    def clean_credit_code(self):
        return self.cleaned_data["credit_code"].strip().upper()

    def clean_operator_id_number(self):
        return self.cleaned_data["operator_id_number"].strip().upper()


class DrawForm(forms.Form):
    reason = forms.CharField(
        label="重新抽取的理由",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="首次抽取不填；重新抽取须说明理由，原抽取结果保留备查。",
    )


class RecusalForm(forms.Form):
    officer = forms.ModelChoiceField(label="回避的执法人员", queryset=Officer.objects.none())
    reason = forms.CharField(
        label="回避理由",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="与检查对象有直接利害关系或者有其他关系可能影响公正执法（处罚法第四十三条）。",
    )

    def __init__(self, *args, officer_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = Officer.objects.filter(pk__in=list(officer_ids)).order_by("name")
