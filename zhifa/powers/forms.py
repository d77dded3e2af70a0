from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from zhifa.organizations.models import Organization, OrgKind

from . import rules
from .models import InspectionItem, LawLevel, PowerItem


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
