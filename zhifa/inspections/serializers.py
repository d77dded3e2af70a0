"""API shapes of the 名录, 抽查任务, draws, drawn targets and 回避."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from zhifa.cases.forms import agencies_for
from zhifa.cases.serializers import code_field
from zhifa.core.validators import validate_credit_code, validate_id_number
from zhifa.organizations.models import EnforcementField, Organization, Region
from zhifa.personnel.models import Officer
from zhifa.personnel.rules import mask_id_number
from zhifa.powers.models import InspectionItem

from . import services
from .models import (
    InspectionAssignment,
    InspectionDraw,
    InspectionTarget,
    InspectionTask,
    Recusal,
    TargetKind,
    TaskStatus,
)


class UpperCodeField(serializers.CharField):
    def to_internal_value(self, data):
        return super().to_internal_value(data).strip().upper()


class ScopedAgencyMixin:
    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and "agency" in fields and not fields["agency"].read_only:
            fields["agency"].queryset = agencies_for(request.user)
        return fields


# --- 名录 --------------------------------------------------------------------------------------
class TargetSerializer(ScopedAgencyMixin, serializers.ModelSerializer):
    """经营者身份证号 in full only for users who may change the 名录 (others see it masked)."""

    agency = serializers.PrimaryKeyRelatedField(
        label="名录所属执法主体", queryset=Organization.objects.none()
    )
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    kind = serializers.ChoiceField(label="主体类型", choices=TargetKind.choices)
    credit_code = UpperCodeField(label="统一社会信用代码", max_length=18, validators=[validate_credit_code])
    operator_id_number = UpperCodeField(
        label="经营者身份证号（个体工商户）",
        max_length=18,
        required=False,
        allow_blank=True,
        validators=[validate_id_number],
    )
    field = serializers.SlugRelatedField(
        label="监管领域代码", slug_field="code", queryset=EnforcementField.objects.all()
    )
    region = serializers.SlugRelatedField(
        label="所在行政区划代码", slug_field="code", queryset=Region.objects.all()
    )

    class Meta:
        model = InspectionTarget
        fields = [
            "id",
            "agency",
            "agency_name",
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
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def to_representation(self, target):
        data = super().to_representation(target)
        request = self.context.get("request")
        if not (request and request.user.has_perm("inspections.change_inspectiontarget")):
            data["operator_id_number"] = mask_id_number(target.operator_id_number)
            data["phone"] = ""
        return data


# --- Tasks -------------------------------------------------------------------------------------
class TaskListSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    field_code = serializers.CharField(source="field.code", read_only=True)
    region_code = serializers.CharField(source="region.code", read_only=True)
    status = code_field(TaskStatus.choices, "状态")
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = InspectionTask
        fields = [
            "id",
            "name",
            "agency",
            "agency_name",
            "field_code",
            "region_code",
            "target_category",
            "period_start",
            "period_end",
            "sample_count",
            "sample_ratio",
            "officers_per_target",
            "status",
            "status_label",
            "created_at",
        ]
        read_only_fields = fields


class TaskCreateSerializer(ScopedAgencyMixin, serializers.ModelSerializer):
    """Input for a new task; the same checks and messages as the staff form (services.create_task)."""

    agency = serializers.PrimaryKeyRelatedField(label="检查主体", queryset=Organization.objects.none())
    items = serializers.PrimaryKeyRelatedField(
        label="抽查事项（随机抽查事项清单）", many=True, queryset=InspectionItem.objects.none()
    )
    field = serializers.SlugRelatedField(
        label="监管领域代码", slug_field="code", queryset=EnforcementField.objects.all()
    )
    region = serializers.SlugRelatedField(
        label="抽查区域（行政区划代码）", slug_field="code", queryset=Region.objects.all()
    )

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

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["items"].child_relation.queryset = InspectionItem.objects.for_user(request.user)
        return fields

    def validate(self, attrs):
        # Model validation (incl. P1 on officers_per_target) happens in the service, with its messages.
        return attrs


class DrawSerializer(serializers.ModelSerializer):
    drawn_by_name = serializers.SerializerMethodField(label="抽取人")
    target_pool_size = serializers.IntegerField(read_only=True)
    officer_pool_size = serializers.IntegerField(read_only=True)

    class Meta:
        model = InspectionDraw
        fields = [
            "id",
            "sequence",
            "seed",
            "sample_size",
            "officers_per_target",
            "target_pool_size",
            "officer_pool_size",
            "target_pool",
            "officer_pool",
            "excluded_officers",
            "reason",
            "is_current",
            "drawn_by",
            "drawn_by_name",
            "drawn_on",
            "drawn_at",
        ]
        read_only_fields = fields

    def get_drawn_by_name(self, draw) -> str:
        return str(draw.drawn_by)


class AssignmentSerializer(serializers.ModelSerializer):
    target_name = serializers.CharField(source="target.name", read_only=True)
    credit_code = serializers.CharField(source="target.credit_code", read_only=True)
    officers = serializers.SerializerMethodField(label="选派的执法人员")
    case_number = serializers.CharField(source="case.number", read_only=True, default=None)
    case_stage = serializers.CharField(source="case.stage", read_only=True, default=None)
    result = serializers.CharField(source="case.outcome", read_only=True, default=None)
    result_on = serializers.SerializerMethodField(label="结果作出日期")

    class Meta:
        model = InspectionAssignment
        fields = [
            "id",
            "position",
            "target",
            "target_name",
            "credit_code",
            "officer_ids",
            "officers",
            "case",
            "case_number",
            "case_stage",
            "result",
            "result_on",
        ]
        read_only_fields = fields

    def get_officers(self, assignment) -> list[str]:
        names = self.context.get("officer_names", {})
        return [names.get(i, f"编号{i}") for i in assignment.officer_ids]

    def get_result_on(self, assignment) -> str | None:
        case = assignment.case
        return ((case.details or {}).get("result") or {}).get("result_on") if case else None


class CountSerializer(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField()


class ProgressSerializer(serializers.Serializer):
    drawn = serializers.IntegerField(label="抽中检查对象数")
    with_case = serializers.IntegerField(label="已生成检查案件数")
    results = serializers.IntegerField(label="已出检查结果数")
    closed = serializers.IntegerField(label="已结案数")
    transferred = serializers.IntegerField(label="转立案数")
    by_result = serializers.SerializerMethodField(label="按检查结果")
    by_stage = serializers.SerializerMethodField(label="按阶段（未结案）")

    @extend_schema_field(CountSerializer(many=True))
    def get_by_result(self, progress):
        return [{"label": label, "count": n} for label, n in progress.by_result]

    @extend_schema_field(CountSerializer(many=True))
    def get_by_stage(self, progress):
        return [{"label": label, "count": n} for label, n in progress.by_stage.items()]


class TaskDetailSerializer(TaskListSerializer):
    items = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    draw = serializers.SerializerMethodField(label="当前抽取记录")
    assignments = serializers.SerializerMethodField(label="抽中的检查对象")
    progress = serializers.SerializerMethodField(label="检查结果汇总")

    class Meta(TaskListSerializer.Meta):
        fields = [
            *TaskListSerializer.Meta.fields,
            "items",
            "note",
            "confirmed_at",
            "draw",
            "assignments",
            "progress",
        ]
        read_only_fields = fields

    def _assignments(self, task):
        if not hasattr(task, "_assignments"):
            task._assignments = list(services.task_assignments(task))
        return task._assignments

    @extend_schema_field(DrawSerializer(allow_null=True))
    def get_draw(self, task):
        draw = services.current_draw(task)
        return DrawSerializer(draw).data if draw else None

    @extend_schema_field(AssignmentSerializer(many=True))
    def get_assignments(self, task):
        rows = self._assignments(task)
        context = {**self.context, "officer_names": services.officer_names(rows)}
        return AssignmentSerializer(rows, many=True, context=context).data

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, task):
        return ProgressSerializer(services.progress(self._assignments(task))).data


class DrawRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(
        label="重新抽取的理由（首次抽取不填）", max_length=300, required=False, allow_blank=True
    )


class OfficerBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ExcludedOfficerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())


class DrawPreviewSerializer(serializers.Serializer):
    targets = serializers.IntegerField(label="候选检查对象数")
    sample_size = serializers.IntegerField(label="拟抽取数")
    eligible_officers = OfficerBriefSerializer(source="pool.eligible", many=True, label="可选派的执法人员")
    excluded_officers = ExcludedOfficerSerializer(
        source="pool.excluded", many=True, label="不能列入候选的执法人员"
    )
    error = serializers.CharField(label="不能抽取的原因（空为可以抽取）")


class RecusalSerializer(serializers.ModelSerializer):
    officer_name = serializers.CharField(source="officer.name", read_only=True)
    replacement_name = serializers.CharField(source="replacement.name", read_only=True, default=None)
    target_name = serializers.CharField(source="assignment.target.name", read_only=True)

    class Meta:
        model = Recusal
        fields = [
            "id",
            "assignment",
            "target_name",
            "officer",
            "officer_name",
            "replacement",
            "replacement_name",
            "reason",
            "declared_at",
        ]
        read_only_fields = fields


class RecusalRequestSerializer(serializers.Serializer):
    assignment = serializers.IntegerField(label="抽中的检查对象（assignments[].id）")
    officer = serializers.PrimaryKeyRelatedField(label="回避的执法人员", queryset=Officer.objects.none())
    reason = serializers.CharField(label="回避理由", max_length=300)

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["officer"].queryset = Officer.objects.for_user(request.user)
        return fields
