"""Staff forms: registering a case (with its parties and, where the procedure has no 立案 step,
the officers on site) and the pieces that wrap each action's own form.

The registration checks live in :mod:`services` (``registration_errors``, ``party_errors``), which
``create_case`` applies itself; the web form and the API serializer call them first only to put the
same Chinese messages next to the fields.
"""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from zhifa.organizations.models import EnforcementField, Organization, Region
from zhifa.personnel.models import Officer
from zhifa.powers.models import PowerItem

from .models import Case, Party, PartyKind, ProcedureVersion
from .rules import P2_BASIS, SUMMARY_KINDS
from .services import POWER_CATEGORIES, party_errors, registration_errors


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


# --- Choices within the user's scope ----------------------------------------------------------
def procedure_choices() -> list[tuple[str, str]]:
    """One choice per procedure code (the newest version's name); the version in force on the
    day of registration is chosen by the service."""
    seen: dict[str, str] = {}
    for code, name in ProcedureVersion.objects.order_by("code", "-version").values_list("code", "name"):
        seen.setdefault(code, name)
    return list(seen.items())


def agencies_for(user):
    return Organization.objects.for_user(user).agencies()


def regions_for(agencies):
    """The agencies' regions and the two levels below them (市 → 区县 → 乡镇)."""
    roots = agencies.values("region_id")
    return Region.objects.filter(Q(pk__in=roots) | Q(parent_id__in=roots) | Q(parent__parent_id__in=roots))


def officers_for(user):
    return Officer.objects.for_user(user).active().select_related("organization").order_by("name", "id")


def power_items_for(user):
    return (
        PowerItem.objects.for_user(user)
        .filter(is_active=True, category__in=POWER_CATEGORIES.values())
        .order_by("category", "code", "id")
    )


# --- The registration form ---------------------------------------------------------------------
CASE_FIELDS = [
    "agency",
    "field",
    "region",
    "source",
    "power_item",
    "cause",
    "summary",
    "violation_date",
    "violation_continuing",
    "violation_end_date",
    "endangers_safety",
    "discovered_on",
]


class OfficerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, officer):
        return f"{officer.name}（{officer.organization.name}）"


class PowerItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, item):
        return f"〔{item.get_category_display()}〕{item}"


class CaseForm(forms.ModelForm):
    field_order = ["procedure", *CASE_FIELDS, "officer_ids"]
    procedure = forms.ChoiceField(label="执法程序")
    officer_ids = OfficerChoiceField(
        label="在场执法人员",
        queryset=Officer.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="简易程序、行政强制措施：勾选在场的执法人员（不少于两名，第一位为主办）；"
        "一般程序在立案时指定。",
    )

    class Meta:
        model = Case
        fields = CASE_FIELDS
        widgets = {
            "violation_date": DateInput(),
            "violation_end_date": DateInput(),
            "discovered_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        agencies = agencies_for(user)
        self.fields["procedure"].choices = [("", "请选择执法程序"), *procedure_choices()]
        self.fields["agency"].queryset = agencies
        self.fields["field"].queryset = EnforcementField.objects.filter(organizations__in=agencies).distinct()
        self.fields["region"].queryset = regions_for(agencies)
        self.fields["power_item"] = PowerItemChoiceField(
            label="案由（权责清单事项）",
            queryset=power_items_for(user),
            required=False,
            help_text="可选；不填写案由时以事项名称作为案由。",
        )
        self.fields["cause"].required = False
        self.fields["officer_ids"].queryset = officers_for(user)
        if not self.is_bound:
            self._set_initial(agencies)

    def _set_initial(self, agencies):
        self.initial.setdefault("discovered_on", timezone.localdate())
        own = getattr(self.user, "officer", None)
        if own is not None:
            self.initial.setdefault("officer_ids", [own.pk])
        agency = agencies.first()
        if agency is not None and agencies.count() == 1:
            self.initial.setdefault("agency", agency.pk)
            self.initial.setdefault("region", agency.region_id)
            fields = list(agency.fields.values_list("pk", flat=True)[:2])
            if len(fields) == 1:
                self.initial.setdefault("field", fields[0])

    def clean(self):
        cleaned = super().clean()
        data = {**cleaned, "officers": cleaned.get("officer_ids") or []}
        if "procedure" in cleaned:
            for name, message in registration_errors(data).items():
                self.add_error(name, message)
            cleaned["cause"] = data.get("cause", cleaned.get("cause"))
        return cleaned

    def ordered_officer_ids(self) -> list[int]:
        """The registering officer (when on site) leads; the others follow in list order."""
        officers = list(self.cleaned_data.get("officer_ids") or [])
        officers.sort(key=lambda o: o.user_id != self.user.pk)
        return [o.pk for o in officers]

    def service_kwargs(self) -> dict:
        return {
            "agency": self.cleaned_data["agency"],
            "procedure_code": self.cleaned_data["procedure"],
            "officer_ids": self.ordered_officer_ids(),
            **{name: self.cleaned_data[name] for name in CASE_FIELDS if name != "agency"},
        }


class PartyForm(forms.ModelForm):
    kind = forms.ChoiceField(label="类型", choices=PartyKind.choices, initial=PartyKind.NATURAL_PERSON)

    class Meta:
        model = Party
        fields = ["kind", "name", "id_number", "credit_code", "legal_representative", "address", "phone"]
        help_texts = {
            "id_number": "自然人、个体工商户经营者填写（GB 11643，18位）。",
            "credit_code": "法人、非法人组织填写；已登记的个体工商户也可填写（GB 32100，18位）。",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("id_number", "credit_code"):
            self.fields[name].widget.attrs.update({"autocomplete": "off", "autocapitalize": "characters"})
        self.fields["phone"].widget.attrs.update({"inputmode": "tel"})

    def clean_id_number(self):
        return self.cleaned_data["id_number"].strip().upper()

    def clean_credit_code(self):
        return self.cleaned_data["credit_code"].strip().upper()

    def clean(self):
        cleaned = super().clean()
        for name, message in party_errors(
            cleaned.get("kind"), cleaned.get("id_number"), cleaned.get("credit_code")
        ).items():
            if name not in self.errors:
                self.add_error(name, message)
        return cleaned

    def party_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class BasePartyFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not any(form.has_changed() for form in self.forms):
            raise ValidationError("至少登记一名当事人。")

    def parties(self) -> list[dict]:
        return [form.party_data() for form in self.forms if form.has_changed()]


PartyFormSet = forms.formset_factory(PartyForm, formset=BasePartyFormSet, extra=0, min_num=1, max_num=20)


# --- Action forms ------------------------------------------------------------------------------
class ActionMetaForm(forms.Form):
    """The version the user saw and the key of this submission (a double click or a retry sends
    the same key, and the engine answers with the event it already recorded)."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    request_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    @classmethod
    def fresh(cls, case: Case) -> ActionMetaForm:
        return cls(initial={"expected_version": case.version, "request_key": uuid.uuid4().hex})


class ConfirmForm(forms.Form):
    """For actions that record nothing but the act itself (登记线索, 报备案, 结案 …)."""


class OfficerIdsWidget(forms.CheckboxSelectMultiple):
    """Checkboxes for a field the engine takes as comma-separated 执法人员编号 (立案 指定承办人员)."""

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        if isinstance(values, str):
            return values
        return ",".join(str(v) for v in values or [])

    def format_value(self, value):
        if isinstance(value, str):
            return [part.strip() for part in value.replace("，", ",").split(",") if part.strip()]
        return super().format_value(value)


def guide_officer_fields(form: forms.Form, officers) -> None:
    """Let the user pick officers by name where the action's form asks for their numbers."""
    choices = [(str(o.pk), f"{o.name}（编号{o.pk}，{o.organization.name}）") for o in officers]
    if "officers" in form.fields:
        form.fields["officers"].widget = OfficerIdsWidget(choices=choices)
        form.fields["officers"].help_text = "勾选承办人员（不少于两名）；按列表顺序，第一位为主办。"
    if "presiding_officer" in form.fields:
        form.fields["presiding_officer"].widget = forms.Select(choices=[("", "请选择")] + choices)
        form.fields[
            "presiding_officer"
        ].help_text = "听证主持人须为非本案调查人员（处罚法第六十四条第四项）。"


def guide_summary_kinds(form: forms.Form) -> None:
    """简易程序 offers only the penalties it allows (P2; the engine still checks)."""
    field = form.fields["penalty_kinds"]
    field.choices = [(code, label) for code, label in field.choices if code in SUMMARY_KINDS]
    field.help_text = f"当场处罚只能给予警告或者罚款（P2，{P2_BASIS}）。"


def engine_data(form: forms.Form) -> dict:
    """The submitted values as the action's own form reads them, in a plain (JSON-able) dict."""
    return {
        name: field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
        for name, field in form.fields.items()
    }
