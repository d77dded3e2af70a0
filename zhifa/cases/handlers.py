"""What each action records: a form that validates the submitted data (Chinese errors at the
field) and an ``apply`` that stores it on the case. Handlers never check rules; guards do."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from zhifa.powers.rules import PENALTY_KINDS

SERVICE_METHODS = [
    ("direct", "直接送达"),
    ("announced", "宣告后当场交付"),
    ("left", "留置送达"),
    ("mail", "邮寄送达"),
    ("electronic", "电子送达"),
    ("public", "公告送达"),
]


def jsonable(value):
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "pk"):
        return value.pk
    return value


def date_field(label, **kwargs):
    # <input type=date> only accepts ISO dates, whatever the locale's display format.
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs
    )


def money_field(label, **kwargs):
    return forms.DecimalField(label=label, max_digits=14, decimal_places=2, min_value=Decimal("0"), **kwargs)


class RecordForm(forms.Form):
    occurred_on = date_field("日期")
    content = forms.CharField(label="内容摘要", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


class PenaltyFields(forms.Form):
    facts = forms.CharField(label="违法事实", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    evidence = forms.CharField(label="证据", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    basis = forms.CharField(label="处罚依据", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    penalty_kinds = forms.MultipleChoiceField(
        label="处罚种类", choices=PENALTY_KINDS, widget=forms.CheckboxSelectMultiple
    )
    fine = money_field("罚款金额（元）", required=False)
    confiscation = money_field("没收金额（元）", required=False)

    def clean(self):
        cleaned = super().clean()
        if "fine" in cleaned.get("penalty_kinds", []) and not cleaned.get("fine"):
            self.add_error("fine", "选择了罚款，请填写罚款金额。")
        if cleaned.get("fine") and "fine" not in cleaned.get("penalty_kinds", []):
            self.add_error("penalty_kinds", "填写了罚款金额，请在处罚种类中勾选罚款。")
        return cleaned


class SummaryDecisionForm(PenaltyFields):
    decided_on = date_field("决定日期")
    place = forms.CharField(label="执法地点", max_length=200)
    facts_certain = forms.BooleanField(label="违法事实确凿并有法定依据", required=False)
    payment_method = forms.ChoiceField(
        label="缴纳方式", choices=[("on_spot", "当场收缴"), ("bank", "到指定银行或通过电子支付系统缴纳")]
    )


class ProposalForm(PenaltyFields):
    circumstances = forms.CharField(
        label="裁量情节", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )
    is_major = forms.BooleanField(label="重大案件", required=False)
    is_complex = forms.BooleanField(label="情节复杂", required=False)
    suspected_crime = forms.BooleanField(label="涉嫌犯罪", required=False)


class NoticeForm(forms.Form):
    served_on = date_field("告知书送达日期")
    method = forms.ChoiceField(label="送达方式", choices=SERVICE_METHODS)


class HearingRequestForm(forms.Form):
    requested_on = date_field("当事人提出听证要求的日期")


class HearingScheduleForm(forms.Form):
    notified_on = date_field("听证通知书送达日期")
    hearing_on = date_field("听证日期")
    place = forms.CharField(label="听证地点", max_length=200)
    presiding_officer = forms.IntegerField(label="主持人（执法人员编号）")


class DiscussionForm(forms.Form):
    held_on = date_field("讨论日期")
    attendees = forms.CharField(label="参加人员", max_length=500)
    opinions = forms.CharField(label="讨论意见", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    conclusion = forms.CharField(label="结论", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class PenaltyDecisionForm(PenaltyFields):
    decided_on = date_field("决定日期")
    payment_method = forms.CharField(label="履行方式", max_length=300)


class NoPenaltyDecisionForm(forms.Form):
    decided_on = date_field("决定日期")
    ground = forms.ChoiceField(
        label="不予处罚的理由",
        choices=[
            ("minor", "违法行为轻微并及时改正，没有造成危害后果（处罚法第三十三条第一款）"),
            ("first", "初次违法且危害后果轻微并及时改正（处罚法第三十三条第一款）"),
            ("no_fault", "当事人有证据足以证明没有主观过错（处罚法第三十三条第二款）"),
            ("not_established", "违法事实不能成立（处罚法第五十七条第一款第三项）"),
        ],
    )
    reason = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class TransferForm(forms.Form):
    transferred_on = date_field("移送日期")
    receiver = forms.CharField(label="接收机关", max_length=200)
    reason = forms.CharField(
        label="涉嫌犯罪的事实和理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=3000
    )


class ServiceForm(forms.Form):
    served_on = date_field("送达日期")
    method = forms.ChoiceField(label="送达方式", choices=SERVICE_METHODS)
    electronic_consent = forms.BooleanField(label="当事人已签署电子送达确认书", required=False)


class PaymentForm(forms.Form):
    paid_on = date_field("缴纳日期")
    amount = money_field("缴纳金额（元）")
    receipt_number = forms.CharField(label="票据号", max_length=60, required=False)


class ExtensionForm(forms.Form):
    days = forms.IntegerField(label="延长天数", min_value=1, max_value=365)
    reason = forms.CharField(label="延长理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


class MeasureForm(forms.Form):
    measure = forms.ChoiceField(label="措施", choices=[("seal", "查封"), ("detain", "扣押")])
    executed_on = date_field("实施日期")
    acted_at = forms.DateTimeField(
        label="实施时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label="实施地点", max_length=200)
    items = forms.CharField(
        label="查封扣押的场所、设施或者财物清单", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    reason = forms.CharField(label="理由和依据", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    party_present = forms.BooleanField(label="当事人到场（不到场的，邀请见证人到场）", required=False)
    witness = forms.CharField(label="见证人", max_length=50, required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("party_present") and not cleaned.get("witness"):
            self.add_error(
                "witness",
                "当事人不到场的，应当邀请见证人到场并在现场笔录上签名（行政强制法第十八条第六项；C1）。",
            )
        if (
            cleaned.get("acted_at")
            and cleaned.get("executed_on")
            and cleaned["acted_at"].date() != cleaned["executed_on"]
        ):
            self.add_error("executed_on", "实施日期应与实施时间为同一天。")
        return cleaned


class EmergencyReportForm(forms.Form):
    reported_at = forms.DateTimeField(
        label="向机关负责人报告的时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    approval_note = forms.CharField(label="批准意见", max_length=500)


class MeasureHandlingForm(forms.Form):
    handling = forms.ChoiceField(
        label="处理结果",
        choices=[
            ("lift", "解除查封扣押"),
            ("confiscate", "依法没收"),
            ("destroy", "依法销毁"),
            ("transfer", "移送有关机关"),
        ],
    )
    decided_on = date_field("处理决定日期")
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class LicenceDecisionForm(forms.Form):
    decided_on = date_field("决定日期")
    content = forms.CharField(
        label="许可内容或不予许可的理由", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class CertificateIssueForm(forms.Form):
    certificate_name = forms.CharField(label="许可证件名称", max_length=100)
    certificate_number = forms.CharField(label="许可证件编号", max_length=60)
    issued_on = date_field("颁发日期")
    valid_until = date_field("有效期至", required=False)


class FileCaseForm(forms.Form):
    officers = forms.CharField(label="承办人员（执法人员编号，逗号分隔，第一位为主办）", max_length=200)
    approval_note = forms.CharField(label="审批意见", max_length=500, required=False)

    def clean_officers(self):
        try:
            ids = [
                int(part)
                for part in self.cleaned_data["officers"].replace("，", ",").split(",")
                if part.strip()
            ]
        except ValueError as exc:
            raise ValidationError("承办人员须填写执法人员编号，用逗号分隔。") from exc
        if len(set(ids)) != len(ids):
            raise ValidationError("承办人员不能重复。")
        return ids


@dataclass(frozen=True)
class Handler:
    form: type[forms.Form]
    key: str  # where the cleaned data is kept in case.details
    after: Callable | None = None  # extra effects on the case

    def clean(self, ctx) -> dict:
        form = self.form(ctx.data)
        if not form.is_valid():
            errors = form.errors.get_json_data()
            raise ValidationError({name: [e["message"] for e in items] for name, items in errors.items()})
        return form.cleaned_data

    def apply(self, ctx) -> dict:
        data = jsonable(ctx.cleaned)
        if self.key:
            ctx.case.details = {**ctx.case.details, self.key: data}
        if self.after:
            self.after(ctx)
        return data


def _hearing_rights(ctx) -> None:
    """P8: record, with the notice, the reasons the party may ask for a hearing."""
    from .rules import HearingThresholds, hearing_reasons

    proposal = ctx.case.details.get("proposal") or {}
    party = ctx.case.parties.first()
    keys = (
        "hearing_fine_natural",
        "hearing_fine_organisation",
        "hearing_confiscation_natural",
        "hearing_confiscation_organisation",
    )
    thresholds = HearingThresholds.from_config({key: ctx.setting(key) for key in keys})
    reasons = hearing_reasons(
        party.kind if party else "natural_person",
        proposal.get("penalty_kinds", []),
        Decimal(proposal.get("fine") or 0),
        Decimal(proposal.get("confiscation") or 0),
        thresholds,
    )
    ctx.case.details = {
        **ctx.case.details,
        "notice": {**ctx.case.details["notice"], "hearing_reasons": reasons},
    }


def _flag_case(ctx) -> None:
    ctx.case.is_major = ctx.cleaned.get("is_major", False)
    ctx.case.is_complex = ctx.cleaned.get("is_complex", False)


def _assign_and_number(ctx) -> None:
    from .services import assign_officers, number_case

    assign_officers(ctx.case, ctx.cleaned["officers"])
    number_case(ctx.case, ctx.procedure, ctx.today)


HANDLERS: dict[str, Handler] = {
    "record": Handler(RecordForm, ""),
    "reason": Handler(ReasonForm, "closing_reason"),
    "file_case": Handler(FileCaseForm, "filing", after=_assign_and_number),
    "proposal": Handler(ProposalForm, "proposal", after=_flag_case),
    "notice": Handler(NoticeForm, "notice", after=_hearing_rights),
    "hearing_request": Handler(HearingRequestForm, "hearing_request"),
    "hearing_schedule": Handler(HearingScheduleForm, "hearing"),
    "discussion": Handler(DiscussionForm, "discussion"),
    "summary_decision": Handler(SummaryDecisionForm, "decision"),
    "penalty_decision": Handler(PenaltyDecisionForm, "decision"),
    "no_penalty_decision": Handler(NoPenaltyDecisionForm, "decision"),
    "transfer": Handler(TransferForm, "transfer"),
    "service": Handler(ServiceForm, "service"),
    "payment": Handler(PaymentForm, "payment"),
    "extension": Handler(ExtensionForm, ""),
    "measure": Handler(MeasureForm, "measure"),
    "emergency_report": Handler(EmergencyReportForm, "emergency_report"),
    "measure_handling": Handler(MeasureHandlingForm, "measure_handling"),
    "licence_decision": Handler(LicenceDecisionForm, "decision"),
    "certificate": Handler(CertificateIssueForm, "certificate"),
}
