from __future__ import annotations

import uuid

from django import forms

from zhifa.organizations.models import Organization, OrgKind
from zhifa.powers.rules import PENALTY_KIND_LABELS

from . import rules
from .models import CatalogueEntry
from .services import OUTCOMES


class RequestKeyMixin(forms.Form):
    """A hidden key per rendered form: a double-clicked submit is recognised as one request."""

    request_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("request_key", uuid.uuid4().hex)


class SubmitForm(RequestKeyMixin):
    outcome = forms.ChoiceField(label="拟作出的决定", choices=OUTCOMES)
    review_report = forms.CharField(
        label="送审报告（拟处理意见及理由）",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        help_text="写明案件基本情况、拟处理意见及其事实、理由、依据和裁量情况（L3）。",
    )


class ManualListingForm(forms.Form):
    reason = forms.CharField(
        label="列入法制审核的理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class AssignForm(forms.Form):
    reviewer = forms.IntegerField(widget=forms.HiddenInput)


class OpinionForm(forms.Form):
    """L3 item by item, then the overall opinion (L4)."""

    opinion = forms.ChoiceField(label="审核结论", choices=rules.Opinion.CHOICES, widget=forms.RadioSelect)
    text = forms.CharField(label="审核意见", widget=forms.Textarea(attrs={"rows": 5}), max_length=10000)
    supplement_due = forms.DateField(
        label="补充材料期限", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in rules.CHECKLIST:
            self.fields[f"item_{code}"] = forms.ChoiceField(
                label=label, choices=rules.ItemResult.CHOICES, widget=forms.RadioSelect
            )
            self.fields[f"comment_{code}"] = forms.CharField(
                label="意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
            )

    def checklist_fields(self):
        return [(self[f"item_{code}"], self[f"comment_{code}"]) for code, _ in rules.CHECKLIST]

    def draft(self) -> rules.OpinionDraft:
        data = self.cleaned_data
        return rules.OpinionDraft(
            opinion=data["opinion"],
            text=data["text"],
            supplement_due=data.get("supplement_due"),
            checklist={
                code: {"result": data[f"item_{code}"], "comment": data.get(f"comment_{code}", "").strip()}
                for code, _ in rules.CHECKLIST
            },
        )


class DisagreementForm(forms.Form):
    handler_view = forms.CharField(
        label="承办机构意见及理由", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class AdviserForm(forms.Form):
    adviser = forms.CharField(label="法律顾问", max_length=100)
    opinion = forms.CharField(label="法律顾问意见", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class ConclusionForm(forms.Form):
    conclusion = forms.CharField(
        label="负责人决定",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text="如“维持法制审核意见，由承办机构补正后重新送审”或“提请集体讨论”。",
    )


class FilingReportForm(forms.Form):
    report = forms.CharField(
        label="备案报告",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        help_text="写明决定的主要内容、法制审核和集体讨论情况（L6）。",
    )


class FilingDecisionForm(forms.Form):
    accept = forms.TypedChoiceField(
        label="审查结论",
        choices=[("1", "准予备案"), ("0", "退回")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    opinion = forms.CharField(
        label="审查意见", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False
    )


class CatalogueEntryForm(forms.ModelForm):
    penalty_kinds = forms.MultipleChoiceField(
        label="处罚种类（任一）",
        choices=list(PENALTY_KIND_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = CatalogueEntry
        fields = [
            "agency",
            "title",
            "category",
            "penalty_kinds",
            "min_fine_natural",
            "min_fine_organisation",
            "min_confiscation",
            "hearing_held",
            "field",
            "power_level",
            "basis",
            "is_active",
            "is_published",
        ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Organization.objects.for_user(user).filter(kind=OrgKind.AGENCY)

    def clean(self):
        cleaned = super().clean()
        for name in ("min_fine_natural", "min_fine_organisation", "min_confiscation"):
            value = cleaned.get(name)
            if value is not None and value < 0:
                self.add_error(name, "金额不能为负数。")
        return cleaned
