import re

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from zhifa.organizations.models import Organization, OrgKind

from . import rules
from .models import (
    DiscretionBenchmark,
    DiscretionTier,
    InspectionItem,
    LawLevel,
    PowerCategory,
    PowerItem,
)


class PowerItemForm(forms.ModelForm):
    penalty_kinds = forms.MultipleChoiceField(
        label="处罚种类",
        choices=rules.PENALTY_KINDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="仅行政处罚事项填写（《中华人民共和国行政处罚法》第九条）。",
    )

    class Meta:
        model = PowerItem
        fields = [
            "agency",
            "code",
            "name",
            "sub_name",
            "category",
            "undertaking_unit",
            "undertaking_unit_text",
            "level",
            "basis_text",
            "penalty_kinds",
            "fine_min",
            "fine_max",
            "multiple_base",
            "multiple_min",
            "multiple_max",
            "range_text",
            "responsibilities",
            "accountability",
            "is_active",
        ]
        widgets = {
            "basis_text": forms.Textarea(attrs={"rows": 5}),
            "range_text": forms.Textarea(attrs={"rows": 2}),
            "responsibilities": forms.Textarea(attrs={"rows": 4}),
            "accountability": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        visible = Organization.objects.for_user(user)
        self.fields["agency"].queryset = visible.filter(kind=OrgKind.AGENCY)
        self.fields["undertaking_unit"].queryset = visible.exclude(kind=OrgKind.GOVERNMENT)
        self.fields["code"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if message := rules.power_code_error(code):
            raise forms.ValidationError(message)
        return code


class InspectionItemForm(forms.ModelForm):
    class Meta:
        model = InspectionItem
        fields = [
            "agency",
            "field_name",
            "name",
            "target",
            "cooperating_departments",
            "method",
            "content",
            "ratio",
            "level",
            "basis_text",
            "is_active",
        ]
        widgets = {
            "content": forms.Textarea(attrs={"rows": 3}),
            "basis_text": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Organization.objects.for_user(user).filter(kind=OrgKind.AGENCY)
        self.fields["method"].widget.attrs["list"] = "inspection-methods"


class LawUploadForm(forms.Form):
    file = forms.FileField(
        label="法规文件",
        help_text="UTF-8编码的.md或.txt文件，格式见说明；文件名可为“简称(YYYY-MM-DD).md”以指明版本日期。",
    )
    short_title = forms.CharField(
        label="简称", max_length=100, required=False, help_text="留空则取自文件名或标题。"
    )
    version_date = forms.DateField(
        label="版本日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="留空则取自文件名或沿革最后一行。",
    )
    level = forms.ChoiceField(
        label="效力层级", choices=[("", "自动识别")] + list(LawLevel.choices), required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".md", ".txt")):
            raise forms.ValidationError("只接受.md或.txt格式的法规文本文件。")
        limit = settings.ZHIFA_MAX_IMPORT_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"文件过大（{filesizeformat(upload.size)}），不能超过{filesizeformat(limit)}。"
            )
        raw = b"".join(upload.chunks())
        try:
            self.cleaned_data["text"] = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError("文件不是UTF-8编码的文本，请另存为UTF-8后重新上传。") from exc
        return upload


class ArticleLookupForm(forms.Form):
    law = forms.CharField(label="法律法规", max_length=100)
    number = forms.CharField(label="条", max_length=20, help_text="如“122”或“一百二十二”。")


# --- 裁量基准 (S8) ---------------------------------------------------------------------------------
class BenchmarkForm(forms.ModelForm):
    class Meta:
        model = DiscretionBenchmark
        fields = [
            "power_item",
            "title",
            "document_number",
            "item_number",
            "effective_from",
            "effective_until",
            "band_boundary",
            "notes",
        ]
        widgets = {
            "effective_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "effective_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["power_item"].queryset = (
            PowerItem.objects.for_user(user)
            .filter(category=PowerCategory.PENALTY, is_active=True)
            .select_related("agency")
            .order_by("agency__path", "name")
        )
        self.fields["power_item"].label_from_instance = lambda item: f"{item.agency.name}：{item}"
        if self.instance.pk:
            self.fields["power_item"].disabled = True


class TagsField(forms.CharField):
    """Tags typed as “锁闭门窗经营、主动供述……”; statutory labels become their codes."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return "、".join(rules.CIRCUMSTANCE_LABELS.get(v, v) for v in value)
        return value

    def to_python(self, value):
        parts = [p.strip() for p in re.split(r"[、，,；;\n]+", super().to_python(value) or "") if p.strip()]
        return [rules.CIRCUMSTANCE_BY_LABEL.get(p, p) for p in parts]


class TierForm(forms.ModelForm):
    penalty_kinds = forms.MultipleChoiceField(
        label="处罚种类", choices=rules.PENALTY_KINDS, required=False, widget=forms.CheckboxSelectMultiple
    )
    tags = TagsField(
        label="情形标签",
        required=False,
        help_text="多个用“、”分隔；不予、减轻、从轻档次留空时按处罚法第三十条至第三十三条的法定情形匹配。",
    )

    class Meta:
        model = DiscretionTier
        fields = [
            "sub_item",
            "party",
            "level_label",
            "tier",
            "condition_text",
            "tags",
            "band_measure",
            "band_unit",
            "band_min",
            "band_max",
            "penalty_kinds",
            "fine_min",
            "fine_max",
            "multiple_base",
            "multiple_min",
            "multiple_max",
            "base_floor",
            "multiple_threshold",
            "other_measures",
            "standard_text",
        ]
        widgets = {
            "condition_text": forms.Textarea(attrs={"rows": 2}),
            "standard_text": forms.Textarea(attrs={"rows": 2}),
        }


TierFormSet = forms.modelformset_factory(DiscretionTier, form=TierForm, extra=2, can_delete=True)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="撤回原因", max_length=300)


class BenchmarkImportForm(forms.Form):
    agency = forms.ModelChoiceField(label="制定机关", queryset=Organization.objects.none())
    title = forms.CharField(label="裁量基准文件名称", max_length=200, help_text="不含书名号。")
    document_number = forms.CharField(label="文号", max_length=100, required=False)
    effective_from = forms.DateField(label="生效日期", widget=forms.DateInput(attrs={"type": "date"}))
    band_boundary = forms.ChoiceField(label="分档区间边界", choices=rules.BAND_BOUNDARIES)
    file = forms.FileField(
        label="Excel文件（.xlsx）", widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"})
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Organization.objects.for_user(user).filter(kind=OrgKind.AGENCY)
        limit = settings.ZHIFA_MAX_IMPORT_BYTES // (1024 * 1024)
        self.fields["file"].help_text = f"请使用下载的模板填写，每行一个档次，文件不超过{limit}MB。"


class CalculatorForm(forms.Form):
    """The circumstances and facts of one party, and optionally a proposed penalty to check."""

    circumstances = forms.MultipleChoiceField(
        label="情形", required=False, widget=forms.CheckboxSelectMultiple
    )
    party = forms.ChoiceField(label="当事人类别", required=False)
    proposed_amount = forms.DecimalField(label="拟罚款（元）", required=False, min_value=0, decimal_places=2)
    proposed_kinds = forms.MultipleChoiceField(
        label="拟处罚种类", choices=rules.PENALTY_KINDS, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, benchmark=None, **kwargs):
        super().__init__(*args, **kwargs)
        tiers = list(benchmark.tiers.all()) if benchmark else []
        custom = []
        for tier in tiers:
            custom += [t for t in tier.tags or [] if t not in rules.CIRCUMSTANCE_LABELS and t not in custom]
        self.fields["circumstances"].choices = [(c, c) for c in custom] + [
            (code, f"{label}（{basis}）") for code, label, _, basis in rules.CIRCUMSTANCES
        ]
        parties = sorted({t.party for t in tiers if t.party})
        self.fields["party"].choices = [("", "—")] + [(p, p) for p in parties]
        if not parties:
            del self.fields["party"]
        self.fact_labels = []
        for tier in tiers:
            spec = tier.spec()
            if spec.has_band and spec.band_measure not in self.fact_labels:
                self.fact_labels.append(spec.band_measure)
            base = rules.BASE_LABELS.get(spec.multiple_base)
            if spec.has_multiple and base and base not in self.fact_labels:
                self.fact_labels.append(base)
        units = {t.band_measure: t.band_unit for t in tiers if t.band_unit}
        for index, label in enumerate(self.fact_labels):
            unit = units.get(label) or ("元" if label in rules.BASE_ALIASES else "")
            self.fields[f"fact_{index}"] = forms.DecimalField(
                label=f"{label}（{unit}）" if unit else label, required=False, min_value=0
            )

    def facts(self) -> dict:
        return {
            label: self.cleaned_data.get(f"fact_{index}")
            for index, label in enumerate(self.fact_labels)
            if self.cleaned_data.get(f"fact_{index}") is not None
        }
