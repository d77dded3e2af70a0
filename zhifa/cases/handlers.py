"""What each action records: a form that validates the submitted data (Chinese errors at the
field) and an ``apply`` that stores it on the case. Handlers never check rules; guards do."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

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
    if isinstance(value, date | time):
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


def datetime_field(label, **kwargs):
    return forms.DateTimeField(
        label=label, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), **kwargs
    )


def text_field(label, rows=3, max_length=5000, **kwargs):
    return forms.CharField(
        label=label, widget=forms.Textarea(attrs={"rows": rows}), max_length=max_length, **kwargs
    )


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def names(text: str) -> list[str]:
    return [name.strip() for name in re.split(r"[、,，;；\n]", text or "") if name.strip()]


SPEAKER_RE = re.compile(r"^\s*([^：:\s]{1,20})\s*[：:]\s*(.*)$")


def utterances(text: str) -> list[dict]:
    """“问：… / 答：…” (or “姓名：意见”) lines as {speaker, text}; a line without a speaker
    continues the previous utterance."""
    rows: list[dict] = []
    for line in lines(text):
        match = SPEAKER_RE.match(line)
        if match:
            rows.append({"speaker": match.group(1), "text": match.group(2).strip()})
        elif rows:
            rows[-1]["text"] += line
        else:
            rows.append({"speaker": "", "text": line})
    return rows


def goods(text: str) -> list[dict]:
    """One item per line: 名称｜规格｜数量｜备注 (规格 and 备注 may be left empty)."""
    rows = []
    for number, line in enumerate(lines(text), 1):
        parts = [part.strip() for part in re.split(r"[|｜\t]", line)] + ["", "", ""]
        if not parts[0] or not parts[2]:
            raise ValidationError(f"第{number}行须写明物品名称和数量，格式：名称｜规格｜数量｜备注。")
        rows.append({"name": parts[0], "spec": parts[1], "quantity": parts[2], "note": parts[3]})
    return rows


class TranscriptField(forms.CharField):
    """A 笔录's question-and-answer text, cleaned to [{speaker, text}]."""

    def __init__(self, label="笔录内容", **kwargs):
        kwargs.setdefault("help_text", "每段一行，以“问：”“答：”开头；换行续写上一段。")
        super().__init__(label=label, widget=forms.Textarea(attrs={"rows": 8}), max_length=20000, **kwargs)

    def clean(self, value):
        rows = utterances(super().clean(value))
        if self.required and not rows:
            raise ValidationError("请填写笔录内容。")
        return rows


class GoodsField(forms.CharField):
    def __init__(self, label, **kwargs):
        kwargs.setdefault("help_text", "每行一项：名称｜规格｜数量｜备注（规格、备注可空）。")
        super().__init__(label=label, widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, **kwargs)

    def clean(self, value):
        return goods(super().clean(value))


RECUSAL = [("不申请回避", "不申请回避"), ("申请回避", "申请回避")]


class TimedForm(forms.Form):
    """Start and end of a 笔录; the record's date is the start's."""

    started_at = datetime_field("开始时间")
    ended_at = datetime_field("结束时间")

    def clean(self):
        cleaned = super().clean()
        started, ended = cleaned.get("started_at"), cleaned.get("ended_at")
        if started and ended and ended <= started:
            self.add_error("ended_at", "结束时间应晚于开始时间。")
        if started:
            cleaned["occurred_on"] = started.date()
        return cleaned


def money_field(label, **kwargs):
    return forms.DecimalField(label=label, max_digits=14, decimal_places=2, min_value=Decimal("0"), **kwargs)


class RecordForm(forms.Form):
    occurred_on = date_field("日期")
    content = forms.CharField(label="内容摘要", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


class InspectionRecordForm(TimedForm):
    place = forms.CharField(label="检查地点", max_length=200)
    present = forms.CharField(label="在场人（姓名、身份或职务）", max_length=200, required=False)
    recusal = forms.ChoiceField(label="当事人是否申请回避", choices=RECUSAL)
    content = text_field("检查情况", rows=5)
    recorder = forms.CharField(label="记录人", max_length=50)


class InquiryRecordForm(TimedForm):
    place = forms.CharField(label="询问地点", max_length=200)
    recusal = forms.ChoiceField(label="被询问人是否申请回避", choices=RECUSAL)
    interviewee_name = forms.CharField(label="被询问人姓名", max_length=50)
    interviewee_gender = forms.ChoiceField(label="性别", choices=[("男", "男"), ("女", "女")])
    interviewee_id_type = forms.ChoiceField(
        label="证件类型",
        choices=[("居民身份证", "居民身份证"), ("护照", "护照"), ("港澳台居民居住证", "港澳台居民居住证")],
    )
    interviewee_id_number = forms.CharField(label="证件号码", max_length=30)
    interviewee_work_unit = forms.CharField(label="工作单位", max_length=200, required=False)
    interviewee_position = forms.CharField(label="职务", max_length=50, required=False)
    interviewee_phone = forms.CharField(label="联系电话", max_length=30, required=False)
    interviewee_address = forms.CharField(label="住址", max_length=200, required=False)
    transcript = TranscriptField("询问内容")
    recorder = forms.CharField(label="记录人", max_length=50)

    def clean(self):
        from zhifa.core.validators import validate_id_number

        cleaned = super().clean()
        number = (cleaned.get("interviewee_id_number") or "").strip().upper()
        if number and cleaned.get("interviewee_id_type") == "居民身份证":
            try:
                validate_id_number(number)
            except ValidationError as exc:
                self.add_error("interviewee_id_number", exc)
        cleaned["interviewee_id_number"] = number
        return cleaned


class PreservationForm(forms.Form):
    start_on = date_field("保存起始日期")
    reason = text_field("先行登记保存的理由", rows=2, max_length=1000)
    goods = GoodsField("保存的证据（物品）清单")
    place = forms.CharField(label="保存地点", max_length=200)
    keeper = forms.CharField(label="保存人", max_length=50)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start_on"):
            cleaned["occurred_on"] = cleaned["start_on"]
        return cleaned


class HearingRecordForm(TimedForm):
    attendees = text_field("当事人及其委托代理人（每行一人）", rows=2, max_length=1000)
    transcript = TranscriptField("听证笔录内容")


class PenaltyFields(forms.Form):
    facts = forms.CharField(label="违法事实", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    evidence = forms.CharField(
        label="证据",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text="每行一项证据及其证明事项。",
    )
    violated = forms.CharField(
        label="违反的法律条款",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text="如《中华人民共和国价格法》第十三条第一款；条文内容从法律法规库自动引用。",
    )
    basis = forms.CharField(
        label="处罚依据",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text="如《中华人民共和国价格法》第四十二条。",
    )
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
    decided_at = datetime_field("当场处罚时间", required=False)
    place = forms.CharField(label="执法地点", max_length=200)
    facts_certain = forms.BooleanField(label="违法事实确凿并有法定依据", required=False)
    payment_method = forms.ChoiceField(
        label="缴纳方式", choices=[("on_spot", "当场收缴"), ("bank", "到指定银行或通过电子支付系统缴纳")]
    )


class ProposalForm(PenaltyFields):
    circumstances = forms.CharField(
        label="裁量情节", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )
    discretion_circumstances = forms.MultipleChoiceField(
        label="法定从轻、减轻、不予处罚或从重情节",
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    discretion_tags = forms.CharField(
        label="裁量基准中的其他情形",
        max_length=500,
        required=False,
        help_text="照录裁量基准所列情形，多项以顿号分隔，如“锁闭门窗经营”。",
    )
    illegal_income = money_field("违法所得（元）", required=False)
    goods_value = money_field("货值金额（元）", required=False)
    discretion_facts = forms.CharField(
        label="其他裁量因素",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
        help_text="每行一项“名称=数值”，如“合同价款=1200000”“堆放量=60”“当事人类别=施工单位”。",
    )
    discretion_reason = forms.CharField(
        label="超出裁量档次的理由",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text="拟处罚不在裁量基准建议的档次内时必填，并提示法制审核人员（S8）。",
    )
    is_major = forms.BooleanField(label="重大案件", required=False)
    is_complex = forms.BooleanField(label="情节复杂", required=False)
    suspected_crime = forms.BooleanField(label="涉嫌犯罪", required=False)

    def __init__(self, *args, **kwargs):
        from .discretion import CIRCUMSTANCE_CHOICES

        super().__init__(*args, **kwargs)
        # the proposal is where the violated provision is settled; the notice and decision quote it
        self.fields["violated"].required = True
        self.fields["discretion_circumstances"].choices = CIRCUMSTANCE_CHOICES


class NoticeForm(forms.Form):
    served_on = date_field("告知书送达日期")
    method = forms.ChoiceField(label="送达方式", choices=SERVICE_METHODS)


class HearingRequestForm(forms.Form):
    requested_on = date_field("当事人提出听证要求的日期")


class HearingScheduleForm(forms.Form):
    notified_on = date_field("听证通知书送达日期")
    hearing_on = date_field("听证日期")
    hearing_time = forms.TimeField(
        label="开始时间", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"), required=False
    )
    place = forms.CharField(label="听证地点", max_length=200)
    presiding_officer = forms.IntegerField(label="主持人（执法人员编号）")
    clerk = forms.CharField(label="书记员", max_length=50, required=False)
    public = forms.ChoiceField(
        label="是否公开", choices=[("yes", "公开举行"), ("no", "不公开举行")], initial="yes", required=False
    )
    reason_not_public = forms.CharField(
        label="不公开的理由（涉及国家秘密、商业秘密或者个人隐私）", max_length=300, required=False
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("public") == "no" and not cleaned.get("reason_not_public"):
            self.add_error(
                "reason_not_public",
                "听证应当公开举行，不公开的须说明涉及国家秘密、商业秘密或者个人隐私"
                "（《中华人民共和国行政处罚法》第六十四条第三项）。",
            )
        return cleaned


class DiscussionForm(forms.Form):
    held_on = date_field("讨论日期")
    held_at = datetime_field("讨论时间", required=False)
    place = forms.CharField(label="地点", max_length=200, required=False)
    host = forms.CharField(label="主持人", max_length=50, required=False)
    attendees = forms.CharField(label="参加人员（以顿号分隔）", max_length=500)
    recorder = forms.CharField(label="记录人", max_length=50, required=False)
    opinions = forms.CharField(
        label="讨论意见",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text="每人一行：“姓名：意见”。",
    )
    conclusion = forms.CharField(label="结论", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


COURT_HELP = "留空则写“有管辖权的人民法院”。"


class PenaltyDecisionForm(PenaltyFields):
    decided_on = date_field("决定日期")
    payment_method = forms.CharField(label="履行方式", max_length=300)
    court = forms.CharField(label="管辖的人民法院", max_length=100, required=False, help_text=COURT_HELP)


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
    education = forms.CharField(
        label="对当事人进行教育的情况",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
        help_text="不予处罚的，应当对当事人进行教育（处罚法第三十三条第三款）；违法事实不成立的可空。",
    )
    court = forms.CharField(label="管辖的人民法院", max_length=100, required=False, help_text=COURT_HELP)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("ground") in ("minor", "first", "no_fault") and not cleaned.get("education"):
            self.add_error(
                "education",
                "对当事人不予行政处罚的，应当对当事人进行教育（《中华人民共和国行政处罚法》第三十三条第三款）。",
            )
        return cleaned


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
    recipient = forms.CharField(label="受送达人（留空为当事人）", max_length=200, required=False)
    place = forms.CharField(label="送达地点（留空为当事人住所）", max_length=200, required=False)
    note = forms.CharField(label="备注（拒收情形、见证人等）", max_length=300, required=False)


class PaymentForm(forms.Form):
    paid_on = date_field("缴纳日期")
    amount = money_field("缴纳金额（元）")
    receipt_number = forms.CharField(label="票据号", max_length=60, required=False)


class ClosingForm(forms.Form):
    execution = text_field("执行情况", rows=2, max_length=2000)
    reason = forms.CharField(label="结案理由", max_length=300)
    summary = text_field("案件办理情况（留空按办案记录生成）", rows=3, max_length=3000, required=False)


class DemandForm(forms.Form):
    served_on = date_field("催告书送达日期")
    obligation = forms.CharField(label="应当履行的义务", max_length=500)
    method = forms.CharField(label="履行方式", max_length=300)


EXCLUDED_INTERVALS = [
    (name, name)
    for name in (
        "检测",
        "检验",
        "检疫",
        "鉴定",
        "技术鉴定",
        "认定",
        "评估",
        "听证",
        "公告",
        "招标",
        "拍卖",
        "专家评审",
    )
]


class SuspensionForm(forms.Form):
    kind = forms.ChoiceField(label="不计入期限的事项", choices=EXCLUDED_INTERVALS)
    started_on = date_field("开始日期")
    reason = forms.CharField(label="说明（如委托的检验机构、公告方式）", max_length=300)


class ResumptionForm(forms.Form):
    ended_on = date_field("结束日期（如检验报告送达日）")
    note = forms.CharField(label="说明", max_length=300, required=False)


class AppealForm(forms.Form):
    kind = forms.ChoiceField(
        label="类型", choices=[("reconsideration", "行政复议"), ("litigation", "行政诉讼")]
    )
    started_on = date_field("申请（起诉）日期")
    ended_on = date_field("终结日期（尚未终结的留空）", required=False)
    organ = forms.CharField(label="复议机关或人民法院", max_length=100)

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("ended_on")
            and cleaned.get("started_on")
            and cleaned["ended_on"] < cleaned["started_on"]
        ):
            self.add_error("ended_on", "终结日期不能早于申请日期。")
        return cleaned


DECISION_CHANGES = [
    ("changed", "决定被变更"),
    ("revoked", "决定被撤销"),
    ("illegal", "决定被确认违法"),
    ("void", "决定被确认无效"),
]


class DecisionChangeForm(forms.Form):
    """G5 (处罚法第四十八条第二款): the event that takes a published decision down."""

    kind = forms.ChoiceField(label="情形", choices=DECISION_CHANGES)
    decided_by = forms.ChoiceField(
        label="作出机关",
        choices=[("reconsideration", "行政复议机关"), ("court", "人民法院"), ("self", "本机关自行纠正")],
    )
    document_number = forms.CharField(
        label="复议决定书、裁判文书或者纠错决定文号", max_length=100, required=False
    )
    known_on = date_field("收到或者作出之日")
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    public_reason = forms.CharField(
        label="公开的撤回说明",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text="将在门户公开，说明撤回原因，不含个人信息（G5）。",
    )

    def clean_known_on(self):
        known_on = self.cleaned_data["known_on"]
        if known_on > timezone.localdate():
            raise ValidationError("收到或者作出之日不能晚于今天。")
        return known_on


class CourtApplicationForm(forms.Form):
    applied_on = date_field("申请日期")
    court = forms.CharField(label="受理的人民法院", max_length=100)


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
    basis = forms.CharField(
        label="法律依据",
        max_length=1000,
        required=False,
        help_text="如《中华人民共和国食品安全法》第一百一十条第（四）项；条文内容从法律法规库自动引用。",
    )
    storage_place = forms.CharField(label="查封场所或者扣押财物存放地点", max_length=200, required=False)
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


class ProposalHandler(Handler):
    """The penalty proposal, checked against the 裁量基准 of the cited 事项 (S8)."""

    def clean(self, ctx) -> dict:
        from .discretion import check

        cleaned = super().clean(ctx)
        cleaned["discretion"] = check(ctx.case, cleaned)
        return cleaned


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


def _add_appeal(ctx) -> None:
    """P12: 复议/诉讼 intervals, during which the 加处罚款 is not counted; an entry with the same
    kind and start date is the same proceeding, now ended."""
    appeal = jsonable(ctx.cleaned)
    kept = [
        a
        for a in ctx.case.details.get("appeals", [])
        if (a["kind"], a["started_on"]) != (appeal["kind"], appeal["started_on"])
    ]
    ctx.case.details = {**ctx.case.details, "appeals": [*kept, appeal]}


def _flag_case(ctx) -> None:
    ctx.case.is_major = ctx.cleaned.get("is_major", False)
    ctx.case.is_complex = ctx.cleaned.get("is_complex", False)


def _assign_and_number(ctx) -> None:
    from .services import assign_officers, number_case

    assign_officers(ctx.case, ctx.cleaned["officers"])
    number_case(ctx.case, ctx.procedure, ctx.today)
    filing = {**ctx.case.details["filing"], "filed_on": ctx.today.isoformat()}
    ctx.case.details = {**ctx.case.details, "filing": filing}


HANDLERS: dict[str, Handler] = {
    "record": Handler(RecordForm, ""),
    "inspection_record": Handler(InspectionRecordForm, ""),
    "inquiry_record": Handler(InquiryRecordForm, ""),
    "preservation": Handler(PreservationForm, "preservation"),
    "hearing_record": Handler(HearingRecordForm, "hearing_record"),
    "closing": Handler(ClosingForm, "closing"),
    "demand": Handler(DemandForm, "demand"),
    "appeal": Handler(AppealForm, "", after=_add_appeal),
    "suspension": Handler(SuspensionForm, ""),
    "resumption": Handler(ResumptionForm, ""),
    "court_application": Handler(CourtApplicationForm, "court_application"),
    "reason": Handler(ReasonForm, "closing_reason"),
    "file_case": Handler(FileCaseForm, "filing", after=_assign_and_number),
    "proposal": ProposalHandler(ProposalForm, "proposal", after=_flag_case),
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
    "decision_change": Handler(DecisionChangeForm, "decision_change"),
}


# --- 行政检查 (inspection.toml) ------------------------------------------------------------------
NO_PROBLEM = "no_problem"
ORDERED_CORRECTION = "ordered_correction"
TO_FILING = "to_filing"
INSPECTION_RESULTS = [
    (NO_PROBLEM, "未发现问题"),
    (ORDERED_CORRECTION, "发现问题，责令限期改正"),
    (TO_FILING, "发现问题，移送立案查处"),
    ("uncooperative", "不配合检查，情节严重"),
    ("not_operating", "未发现开展本次抽查涉及的经营活动"),
    ("unreachable", "通过登记的住所（经营场所）无法联系"),
]
INSPECTION_RESULT_LABELS = dict(INSPECTION_RESULTS)
# Results that found a violation the agency may have to punish (转立案, 处罚法第五十四条).
PROBLEM_RESULTS = frozenset({ORDERED_CORRECTION, TO_FILING, "uncooperative"})


class InspectionVisitForm(InspectionRecordForm):
    """现场检查笔录 plus the P1 statement that the officers showed their certificates."""

    certificates_shown = forms.BooleanField(label="已主动向当事人或者有关人员出示执法证件", required=False)


class InspectionResultForm(forms.Form):
    result = forms.ChoiceField(label="检查结果", choices=INSPECTION_RESULTS)
    result_on = date_field("结果作出日期")
    findings = text_field("发现的问题及处理意见", rows=3, max_length=3000, required=False)
    correction_days = forms.IntegerField(
        label="责令改正期限（日）",
        min_value=1,
        max_value=365,
        required=False,
        help_text="责令限期改正的填写，自结果作出日次日起算。",
    )

    def clean(self):
        from django.utils import timezone

        cleaned = super().clean()
        result, days = cleaned.get("result"), cleaned.get("correction_days")
        if result == ORDERED_CORRECTION and not days:
            self.add_error(
                "correction_days",
                "责令限期改正的，须写明改正期限（《中华人民共和国行政处罚法》第二十八条第一款）。",
            )
        if days and result != ORDERED_CORRECTION:
            self.add_error("correction_days", "只有责令限期改正的才填写改正期限。")
        if result in PROBLEM_RESULTS and not cleaned.get("findings"):
            self.add_error("findings", "发现问题的，请写明发现的问题及处理意见。")
        if cleaned.get("result_on") and cleaned["result_on"] > timezone.localdate():
            self.add_error("result_on", "结果作出日期不能晚于今天。")
        return cleaned


class InspectionRecheckForm(InspectionVisitForm):
    corrected = forms.ChoiceField(
        label="整改情况", choices=[("yes", "已按要求改正"), ("no", "逾期未改正或者改正不到位")]
    )


class InspectionTransferForm(forms.Form):
    transferred_on = date_field("转立案日期")
    cause = forms.CharField(label="涉嫌违法行为（行政处罚案件案由）", max_length=300)
    reason = text_field("移送理由及已取得的证据", rows=3, max_length=3000)
    penalty_case = forms.IntegerField(
        label="转入的行政处罚案件（系统编号）", required=False, widget=forms.HiddenInput
    )

    def clean_penalty_case(self):
        return None  # filled in by the system when the case is created, never by the user


def _inspection_result(ctx) -> None:
    """The result is the case's outcome (the task's roll-up counts it)."""
    ctx.case.outcome = INSPECTION_RESULT_LABELS[ctx.cleaned["result"]]


PARTY_COPY_FIELDS = ("kind", "name", "id_number", "credit_code", "legal_representative", "address", "phone")


def _transfer_to_filing(ctx) -> None:
    """转立案: register a 行政处罚一般程序 case (线索) with the same parties, linked both ways."""
    from .models import CaseSource
    from .services import create_case

    case = ctx.case
    result = case.details.get("result") or {}
    penalty = create_case(
        ctx.user,
        agency=case.agency,
        procedure_code="penalty_general",
        parties=[{name: getattr(p, name) for name in PARTY_COPY_FIELDS} for p in case.parties.all()],
        source=CaseSource.INSPECTION,
        field=case.field,
        region=case.region,
        cause=ctx.cleaned["cause"],
        summary=f"由行政检查案件{case.number}转立案：{ctx.cleaned['reason']}"[:5000],
        discovered_on=date.fromisoformat(result["result_on"]) if result.get("result_on") else ctx.today,
        details={"source_inspection": {"case_id": case.pk, "number": case.number}},
    )
    # In place: the same dict is the event's data, so the event records the link too.
    case.details["filing_transfer"]["penalty_case"] = penalty.pk


HANDLERS.update(
    {
        "inspection_visit": Handler(InspectionVisitForm, ""),
        "inspection_result": Handler(InspectionResultForm, "result", after=_inspection_result),
        "inspection_recheck": Handler(InspectionRecheckForm, "recheck"),
        "inspection_transfer": Handler(InspectionTransferForm, "filing_transfer", after=_transfer_to_filing),
    }
)
