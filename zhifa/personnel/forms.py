from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q

from zhifa.accounts.models import User
from zhifa.core.scope import scope_for
from zhifa.core.uploads import check_upload
from zhifa.organizations.models import EnforcementField, Organization, OrgKind, Region

from . import rules
from .models import (
    AnnualInspection,
    Certificate,
    ExamResult,
    Officer,
    PersonnelPolicy,
    RevocationCause,
    TrainingHours,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def units_for(user):
    """The 执法主体 and 内设机构 a user may place officers in."""
    return Organization.objects.for_user(user).filter(kind__in=[OrgKind.AGENCY, OrgKind.DEPARTMENT])


def regions_for(user):
    """The user's region and the regions below it (everything for administrators)."""
    scope = scope_for(user)
    if scope.everything or user.organization is None:
        return Region.objects.all()
    root = Organization.objects.filter(path=scope.root_path).values_list("region_id", flat=True).first()
    return Region.objects.filter(Q(pk=root) | Q(parent_id=root) | Q(parent__parent_id=root))


class ScopedModelForm(forms.ModelForm):
    """Accepts the ``user`` the scoped views pass, for forms whose choices do not depend on it."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class OfficerForm(forms.ModelForm):
    photo = forms.FileField(
        label="照片",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    class Meta:
        model = Officer
        fields = [
            "name",
            "gender",
            "id_number",
            "organization",
            "position",
            "employment_type",
            "status",
            "phone",
            "photo",
            "user",
            "legal_qualification_number",
            "legal_qualification_date",
        ]
        widgets = {"legal_qualification_date": DateInput()}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = units_for(user).select_related(None)
        self.fields["user"].queryset = User.objects.for_user(user).order_by("username")
        self.fields["id_number"].widget.attrs.update(
            {"maxlength": 18, "autocomplete": "off", "style": "text-transform:uppercase"}
        )
        limit = settings.ZHIFA_MAX_PHOTO_BYTES // (1024 * 1024)
        self.fields["photo"].help_text = f"JPEG、PNG或WEBP格式证件照，不超过{limit}MB。"

    def clean_id_number(self):
        return self.cleaned_data["id_number"].strip().upper()

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if isinstance(photo, UploadedFile):
            check_upload(photo, kinds=("image",), max_bytes=settings.ZHIFA_MAX_PHOTO_BYTES)
        return photo


class CertificateForm(forms.ModelForm):
    """Issue a certificate to the officer given by the URL (S2, S13)."""

    class Meta:
        model = Certificate
        fields = ["number", "issuing_authority", "fields", "regions", "issued_on", "valid_until"]
        widgets = {
            "issued_on": DateInput(),
            "valid_until": DateInput(),
            "fields": forms.CheckboxSelectMultiple(),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuing_authority"].queryset = Organization.objects.for_user(user).filter(
            kind=OrgKind.GOVERNMENT
        ) | Organization.objects.for_user(user).filter(is_legal_office=True)
        self.fields["fields"].queryset = EnforcementField.objects.all()
        self.fields["regions"].queryset = regions_for(user)
        self.fields["number"].widget.attrs.update(
            {"autocomplete": "off", "style": "text-transform:uppercase"}
        )
        self.fields["number"].help_text = (
            "全国统一执法证件编号。格式按所在省份的配置检查，默认："
            + rules.DEFAULT_NUMBER_DESCRIPTION
            + "；全角字符和小写字母会自动转换。"
        )
        self.fields["issuing_authority"].help_text = "人民政府或其司法行政部门。"
        self.fields["regions"].help_text = "市级区域包含其下辖区县。"

    def clean_number(self):
        return rules.normalize_certificate_number(self.cleaned_data["number"])


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=200, widget=forms.Textarea(attrs={"rows": 3}))


class ReinstateForm(forms.Form):
    reason = forms.CharField(label="说明", max_length=200, required=False)


class RevokeForm(ReasonForm):
    cause = forms.ChoiceField(
        label="注销类型",
        choices=RevocationCause.choices,
        help_text="因出借、转借或涂改证件被注销的，2年内不得重新申领（S13）。",
    )
    field_order = ["cause", "reason"]


class InspectionForm(ScopedModelForm):
    class Meta:
        model = AnnualInspection
        fields = ["year", "result", "inspected_on", "note"]
        widgets = {"inspected_on": DateInput()}


class TrainingForm(ScopedModelForm):
    class Meta:
        model = TrainingHours
        fields = ["date", "hours", "topic", "organizer"]
        widgets = {"date": DateInput()}


class ExamForm(ScopedModelForm):
    class Meta:
        model = ExamResult
        fields = ["date", "subject", "score", "passed"]
        widgets = {"date": DateInput()}


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Excel文件（.xlsx）", widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"})
    )
    only_valid = forms.BooleanField(
        label="仅导入无误的行",
        required=False,
        help_text="不勾选时，文件中只要有一行有误，就不导入任何数据。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.ZHIFA_MAX_IMPORT_BYTES // (1024 * 1024)
        self.fields["file"].help_text = f"请使用下载的模板填写，文件不超过{limit}MB。"


class PolicyForm(ScopedModelForm):
    class Meta:
        model = PersonnelPolicy
        fields = [
            "region",
            "min_training_hours",
            "inspection_grace_days",
            "warning_days",
            "number_pattern",
            "number_example",
            "number_description",
            "number_requires_province_prefix",
            "basis",
        ]
        widgets = {"basis": forms.Textarea(attrs={"rows": 3})}
