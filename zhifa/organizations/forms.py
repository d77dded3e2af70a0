from django import forms

from .models import EnforcementField, Entrustment, Organization, Region
from .rules import placement_error


class DateInput(forms.DateInput):
    input_type = "date"


class OrganizationForm(forms.ModelForm):
    parent = forms.ModelChoiceField(
        label="上级机构",
        queryset=Organization.objects.none(),
        required=False,
        help_text="人民政府可设在上级政府之下；执法主体设在人民政府之下；内设机构设在执法主体之下。",
    )
    website = forms.URLField(label="网站", required=False, assume_scheme="https")

    class Meta:
        model = Organization
        fields = [
            "kind",
            "name",
            "short_name",
            "region",
            "subject_kind",
            "credit_code",
            "fields",
            "address",
            "complaint_phone",
            "website",
            "duties",
            "legal_basis",
            "is_legal_office",
            "is_active",
        ]
        widgets = {
            "duties": forms.Textarea(attrs={"rows": 3}),
            "legal_basis": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk:
            del self.fields["parent"]
            self.fields["kind"].disabled = True
        else:
            self.fields["parent"].queryset = Organization.objects.for_user(user)
        self.fields["credit_code"].widget.attrs.update(
            {"maxlength": 18, "autocomplete": "off", "style": "text-transform:uppercase"}
        )

    def clean_credit_code(self):
        return self.cleaned_data["credit_code"].strip().upper()

    def clean(self):
        cleaned = super().clean()
        if "parent" in self.fields and cleaned.get("kind"):
            parent = cleaned.get("parent")
            if error := placement_error(cleaned["kind"], parent.kind if parent else None):
                self.add_error("parent", error)
        return cleaned


class EntrustmentForm(forms.ModelForm):
    class Meta:
        model = Entrustment
        fields = [
            "entrusting",
            "entrusted",
            "agreement_number",
            "matters",
            "powers",
            "start_date",
            "end_date",
            "document",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "matters": forms.Textarea(attrs={"rows": 3}),
            "powers": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = Organization.objects.agencies()
        self.fields["entrusting"].queryset = agencies.filter(subject_kind="organ")
        self.fields["entrusted"].queryset = (
            Organization.objects.for_user(user).agencies().filter(subject_kind="entrusted")
        )
        self.fields["document"].help_text = "PDF或图片，不超过10MB。"

    def clean_document(self):
        from zhifa.core.uploads import check_upload

        return check_upload(
            self.cleaned_data.get("document"), kinds=("pdf", "image"), max_bytes=10 * 1024 * 1024
        )


class RevokeEntrustmentForm(forms.Form):
    reason = forms.CharField(label="终止原因", max_length=200)


class RegionForm(forms.ModelForm):
    class Meta:
        model = Region
        fields = ["code", "name", "parent"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class EnforcementFieldForm(forms.ModelForm):
    class Meta:
        model = EnforcementField
        fields = ["code", "name", "order"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
