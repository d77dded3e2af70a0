"""API shapes of cases: list rows, the full case, registration input, actions and their answers."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from zhifa.core.validators import validate_credit_code, validate_id_number
from zhifa.organizations.models import EnforcementField, Organization, Region
from zhifa.personnel.models import Officer
from zhifa.personnel.rules import mask_id_number
from zhifa.powers.models import PowerItem

from . import rules
from .definitions import procedure_of
from .filters import Catalog, worst_deadline
from .forms import agencies_for, officers_for, power_items_for
from .models import (
    Case,
    CaseEvent,
    CaseNumberPattern,
    CaseOfficer,
    CaseSource,
    CaseStatus,
    Deadline,
    DeadlineStatus,
    Party,
    PartyKind,
    ProcedureVersion,
    WarningLevel,
)
from .services import party_errors, registration_errors


def code_field(choices, label: str) -> serializers.CharField:
    """A read-only code documented by its values. Read shapes carry no enum so that the schema
    has one named enum per choice set (the writable field's)."""
    values = "、".join(f"{value}（{text}）" for value, text in choices)
    return serializers.CharField(read_only=True, label=label, help_text=f"取值：{values}")


def _may_change(context) -> bool:
    request = context.get("request")
    return bool(request and request.user.has_perm("cases.change_case"))


# --- Parts of a case -------------------------------------------------------------------------
class PartySerializer(serializers.ModelSerializer):
    """身份证号 and phone in full only for users who may change cases (others: masked / hidden)."""

    kind = code_field(PartyKind.choices, "类型")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Party
        fields = [
            "id",
            "kind",
            "kind_label",
            "name",
            "id_number",
            "credit_code",
            "legal_representative",
            "address",
            "phone",
        ]

    def to_representation(self, party):
        data = super().to_representation(party)
        if not _may_change(self.context):
            data["id_number"] = mask_id_number(party.id_number)
            data["phone"] = ""
        return data


class NormalizedCodeField(serializers.CharField):
    """身份证号 / 统一社会信用代码: spaces removed and letters upper-cased before the checksum."""

    def to_internal_value(self, data):
        return super().to_internal_value(data).strip().upper()


class PartyInputSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(label="类型", choices=PartyKind.choices)
    id_number = NormalizedCodeField(
        label="身份证号", max_length=18, required=False, allow_blank=True, validators=[validate_id_number]
    )
    credit_code = NormalizedCodeField(
        label="统一社会信用代码",
        max_length=18,
        required=False,
        allow_blank=True,
        validators=[validate_credit_code],
    )

    class Meta:
        model = Party
        fields = ["kind", "name", "id_number", "credit_code", "legal_representative", "address", "phone"]

    def validate(self, attrs):
        errors = party_errors(attrs["kind"], attrs.get("id_number", ""), attrs.get("credit_code", ""))
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class OfficerAssignmentSerializer(serializers.ModelSerializer):
    officer_name = serializers.CharField(source="officer.name", read_only=True)

    class Meta:
        model = CaseOfficer
        fields = ["officer", "officer_name", "is_lead", "assigned_at"]


class CaseDeadlineSerializer(serializers.ModelSerializer):
    status = code_field(DeadlineStatus.choices, "状态")
    level = code_field(WarningLevel.choices, "预警")
    unit_label = serializers.CharField(source="get_unit_display", read_only=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Deadline
        fields = [
            "id",
            "code",
            "name",
            "rule",
            "basis",
            "unit",
            "unit_label",
            "days",
            "starts_on",
            "due_on",
            "provisional",
            "status",
            "status_label",
            "level",
            "level_label",
        ]


class DeadlineSerializer(CaseDeadlineSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)
    case_cause = serializers.CharField(source="case.cause", read_only=True)

    class Meta(CaseDeadlineSerializer.Meta):
        fields = ["case", "case_number", "case_cause", *CaseDeadlineSerializer.Meta.fields]


class RefusalSerializer(serializers.Serializer):
    rule = serializers.CharField(label="规则编号（DOMAIN.md）")
    basis = serializers.CharField(label="法律依据")
    message = serializers.CharField(label="说明")


class CaseEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField(label="操作人")
    warnings = serializers.SerializerMethodField(label="记录的提示（如追责时效）")

    class Meta:
        model = CaseEvent
        fields = [
            "id",
            "sequence",
            "action",
            "action_name",
            "stage_before",
            "stage_after",
            "actor",
            "actor_name",
            "occurred_at",
            "data",
            "case_version",
            "warnings",
        ]

    def get_actor_name(self, event) -> str:
        return str(event.actor)

    @extend_schema_field(RefusalSerializer(many=True))
    def get_warnings(self, event):
        return event.data.get("warnings", [])


# --- Cases -----------------------------------------------------------------------------------
class CaseListSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    procedure_code = serializers.CharField(source="procedure.code", read_only=True)
    procedure_name = serializers.CharField(source="procedure.name", read_only=True)
    procedure_version = serializers.IntegerField(source="procedure.version", read_only=True)
    stage_name = serializers.SerializerMethodField(label="阶段名称")
    party_names = serializers.SerializerMethodField(label="当事人")
    worst_deadline = serializers.SerializerMethodField(label="最紧迫的计时期限")
    status = code_field(CaseStatus.choices, "状态")

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "cause",
            "agency",
            "agency_name",
            "procedure_code",
            "procedure_name",
            "procedure_version",
            "stage",
            "stage_name",
            "status",
            "outcome",
            "party_names",
            "worst_deadline",
            "version",
            "created_at",
        ]

    def _deadlines(self, case):
        if hasattr(case, "running_deadlines"):  # the list's prefetch
            return case.running_deadlines
        return case.deadlines.all()

    def get_stage_name(self, case) -> str:
        return Catalog.for_request(self.context.get("request")).stage_name(case)

    def get_party_names(self, case) -> list[str]:
        return [p.name for p in case.parties.all()]

    @extend_schema_field(CaseDeadlineSerializer(allow_null=True))
    def get_worst_deadline(self, case):
        worst = worst_deadline(self._deadlines(case))
        return CaseDeadlineSerializer(worst).data if worst else None


class CaseDetailSerializer(CaseListSerializer):
    field_code = serializers.CharField(source="field.code", read_only=True)
    field_name = serializers.CharField(source="field.name", read_only=True)
    region_code = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    source = code_field(CaseSource.choices, "案件来源")
    parties = PartySerializer(many=True, read_only=True)
    officers = OfficerAssignmentSerializer(source="assignments", many=True, read_only=True)
    deadlines = CaseDeadlineSerializer(many=True, read_only=True)
    events = CaseEventSerializer(many=True, read_only=True)

    class Meta(CaseListSerializer.Meta):
        fields = [
            *CaseListSerializer.Meta.fields,
            "field_code",
            "field_name",
            "region_code",
            "region_name",
            "source",
            "power_item",
            "summary",
            "violation_date",
            "violation_continuing",
            "violation_end_date",
            "endangers_safety",
            "discovered_on",
            "is_major",
            "is_complex",
            "details",
            "closed_on",
            "parties",
            "officers",
            "deadlines",
            "events",
        ]

    def get_stage_name(self, case) -> str:
        procedure = procedure_of(case.procedure)
        return procedure.stage_name(case.stage) if case.stage in procedure.stages else case.stage


class CaseCreateSerializer(serializers.Serializer):
    """Registration input; the same checks and messages as the staff form."""

    procedure = serializers.CharField(label="执法程序代码（如 penalty_summary、penalty_general）")
    agency = serializers.PrimaryKeyRelatedField(label="执法主体", queryset=Organization.objects.none())
    field = serializers.SlugRelatedField(
        label="执法领域代码", slug_field="code", queryset=EnforcementField.objects.all()
    )
    region = serializers.SlugRelatedField(
        label="违法行为发生地（行政区划代码）", slug_field="code", queryset=Region.objects.all()
    )
    source = serializers.ChoiceField(label="案件来源", choices=CaseSource.choices)
    power_item = serializers.PrimaryKeyRelatedField(
        label="权责清单事项", queryset=PowerItem.objects.none(), required=False, allow_null=True
    )
    cause = serializers.CharField(label="案由", max_length=300, required=False, allow_blank=True)
    summary = serializers.CharField(label="案情摘要", required=False, allow_blank=True)
    violation_date = serializers.DateField(label="违法行为发生日", required=False, allow_null=True)
    violation_continuing = serializers.BooleanField(label="违法行为有连续或者继续状态", default=False)
    violation_end_date = serializers.DateField(label="违法行为终了日", required=False, allow_null=True)
    endangers_safety = serializers.BooleanField(
        label="涉及公民生命健康安全、金融安全且有危害后果", default=False
    )
    discovered_on = serializers.DateField(label="发现日期（默认今天）", required=False)
    parties = PartyInputSerializer(many=True, allow_empty=False, label="当事人（至少一名）")
    officer_ids = serializers.PrimaryKeyRelatedField(
        label="在场执法人员（简易程序必填，第一位为主办）",
        many=True,
        queryset=Officer.objects.none(),
        required=False,
    )

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["agency"].queryset = agencies_for(request.user)
            fields["power_item"].queryset = power_items_for(request.user)
            fields["officer_ids"].child_relation.queryset = officers_for(request.user)
        return fields

    def validate_procedure(self, value):
        if not ProcedureVersion.objects.filter(code=value).exists():
            raise serializers.ValidationError(f"没有代码为“{value}”的执法程序。")
        return value

    def validate(self, attrs):
        attrs.setdefault("discovered_on", timezone.localdate())
        data = {**attrs, "officers": attrs.get("officer_ids", [])}
        errors = registration_errors(data)
        if errors:
            raise serializers.ValidationError(errors)
        attrs["cause"] = data["cause"]
        return attrs

    def service_kwargs(self) -> dict:
        data = dict(self.validated_data)
        return {
            "agency": data.pop("agency"),
            "procedure_code": data.pop("procedure"),
            "parties": [dict(p) for p in data.pop("parties")],
            "officer_ids": [o.pk for o in data.pop("officer_ids", [])],
            **data,
        }


# --- Actions ---------------------------------------------------------------------------------
class AvailabilitySerializer(serializers.Serializer):
    code = serializers.CharField(source="action.code")
    name = serializers.CharField(source="action.name")
    allowed = serializers.BooleanField()
    refusals = RefusalSerializer(many=True, label="不能办理的原因")
    warnings = RefusalSerializer(many=True, label="提示")
    roles = serializers.ListField(source="action.roles", child=serializers.CharField(), label="可办理的角色")
    documents = serializers.ListField(
        source="action.documents", child=serializers.CharField(), label="文书种类"
    )
    help = serializers.CharField(source="action.help")


class ActionRequestSerializer(serializers.Serializer):
    expected_version = serializers.IntegerField(label="办理时看到的案件版本", min_value=1)
    request_key = serializers.CharField(label="请求标识（重试时保持不变，防止重复办理）", max_length=64)
    data = serializers.DictField(label="操作表单数据", required=False, default=dict)


class ActionRefusedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    refusals = RefusalSerializer(many=True)


# --- 案号格式 ----------------------------------------------------------------------------------------
class CaseNumberPatternSerializer(serializers.ModelSerializer):
    """An agency's 案号 pattern for one procedure; agency and procedure are fixed once created.
    The checks and Chinese messages are the staff form's (cases.rules.case_number_pattern_errors)."""

    agency = serializers.PrimaryKeyRelatedField(label="执法主体", queryset=Organization.objects.none())
    agency_name = serializers.CharField(source="agency.name", read_only=True)

    class Meta:
        model = CaseNumberPattern
        fields = ["id", "agency", "agency_name", "procedure_code", "pattern", "pad_width", "updated_at"]
        read_only_fields = ["updated_at"]
        validators = []  # uniqueness is checked in validate(), with the model's Chinese message

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["agency"].queryset = agencies_for(request.user)
        if isinstance(self.instance, CaseNumberPattern):
            fields["agency"] = serializers.PrimaryKeyRelatedField(label="执法主体", read_only=True)
            fields["procedure_code"].read_only = True
        return fields

    def validate(self, attrs):
        instance = self.instance if isinstance(self.instance, CaseNumberPattern) else None
        pattern = attrs.get("pattern", instance.pattern if instance else "")
        pad_width = attrs.get("pad_width", instance.pad_width if instance else 0)
        errors = {}
        if pattern_errors := rules.case_number_pattern_errors(pattern):
            errors["pattern"] = pattern_errors
        if pad_error := rules.pad_width_error(pad_width):
            errors["pad_width"] = [pad_error]
        if (
            instance is None
            and CaseNumberPattern.objects.filter(
                agency=attrs.get("agency"), procedure_code=attrs.get("procedure_code")
            ).exists()
        ):
            errors["procedure_code"] = ["该执法主体已设置此程序的案号格式，请直接修改。"]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs
