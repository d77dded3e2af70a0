from rest_framework import serializers

from zhifa.organizations.models import EnforcementField, Organization, Region

from . import rules
from .models import AnnualInspection, Certificate, ExamResult, Officer, RevocationCause, TrainingHours


class OfficerSerializer(serializers.ModelSerializer):
    """身份证号 is write-only; reads show it masked, in full only to users who may change officers."""

    id_number = serializers.CharField(write_only=True, max_length=18, label="身份证号")
    id_number_display = serializers.SerializerMethodField(label="身份证号（按权限脱敏）")
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    photo = serializers.ImageField(required=False, allow_null=True, use_url=False)

    class Meta:
        model = Officer
        fields = [
            "id",
            "name",
            "gender",
            "id_number",
            "id_number_display",
            "organization",
            "organization_name",
            "position",
            "employment_type",
            "status",
            "phone",
            "photo",
            "user",
            "legal_qualification_number",
            "legal_qualification_date",
        ]

    def get_id_number_display(self, officer) -> str:
        request = self.context.get("request")
        if request is not None and request.user.has_perm("personnel.change_officer"):
            return officer.id_number
        return officer.masked_id_number

    def validate_id_number(self, value):
        return value.strip().upper()

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["organization"].queryset = Organization.objects.for_user(request.user)
        return fields


class CertificateSerializer(serializers.ModelSerializer):
    fields = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=EnforcementField.objects.all(), label="执法类别代码"
    )
    regions = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Region.objects.all(), label="执法区域代码"
    )
    state = serializers.CharField(read_only=True, label="当前状态（过期由有效期推算）")
    state_label = serializers.CharField(read_only=True)
    officer_name = serializers.CharField(source="officer.name", read_only=True)

    class Meta:
        model = Certificate
        fields = [
            "id",
            "number",
            "officer",
            "officer_name",
            "fields",
            "regions",
            "issuing_authority",
            "issued_on",
            "valid_until",
            "status",
            "state",
            "state_label",
            "status_reason",
            "status_changed_on",
            "revocation_cause",
        ]
        read_only_fields = ["status", "status_reason", "status_changed_on", "revocation_cause"]
        # Uniqueness is checked by the service, with the Chinese message, after normalisation.
        extra_kwargs = {"number": {"validators": []}}

    def validate_number(self, value):
        return rules.normalize_certificate_number(value)

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["officer"].queryset = Officer.objects.for_user(request.user)
            fields["issuing_authority"].queryset = Organization.objects.for_user(request.user)
        return fields


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, label="原因")


class RevokeSerializer(ReasonSerializer):
    revocation_cause = serializers.ChoiceField(
        choices=RevocationCause.choices, default=RevocationCause.OTHER, label="注销类型"
    )


class ReinstateSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, label="说明")


class ScopedParentMixin:
    parent_field = "officer"
    parent_model = Officer

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields[self.parent_field].queryset = self.parent_model.objects.for_user(request.user)
        return fields


class InspectionSerializer(ScopedParentMixin, serializers.ModelSerializer):
    parent_field = "certificate"
    parent_model = Certificate

    class Meta:
        model = AnnualInspection
        fields = ["id", "certificate", "year", "result", "inspected_on", "note"]
        validators = []  # the (certificate, year) uniqueness is reported by the service in Chinese


class TrainingSerializer(ScopedParentMixin, serializers.ModelSerializer):
    class Meta:
        model = TrainingHours
        fields = ["id", "officer", "year", "date", "hours", "topic", "organizer"]
        read_only_fields = ["year"]


class ExamSerializer(ScopedParentMixin, serializers.ModelSerializer):
    class Meta:
        model = ExamResult
        fields = ["id", "officer", "date", "subject", "score", "passed"]


class ReasonItemSerializer(serializers.Serializer):
    rule = serializers.CharField(label="规则编号")
    basis = serializers.CharField(label="依据")
    message = serializers.CharField(label="说明")


class EligibilitySerializer(serializers.Serializer):
    allowed = serializers.BooleanField(label="可以执法")
    certificate = serializers.CharField(allow_null=True, label="据以执法的证件编号")
    reasons = ReasonItemSerializer(many=True, label="不能执法的原因")
    field = serializers.CharField(label="执法类别代码")
    region = serializers.CharField(label="行政区划代码")
    date = serializers.DateField(label="日期")


class EligibilityQuerySerializer(serializers.Serializer):
    field = serializers.CharField(label="执法类别代码")
    region = serializers.CharField(label="行政区划代码")
    date = serializers.DateField(required=False, label="日期（默认今天）")

    def validate_field(self, value):
        found = EnforcementField.objects.filter(code=value.strip().upper()).first()
        if found is None:
            raise serializers.ValidationError(f"执法类别代码“{value}”不存在。")
        return found

    def validate_region(self, value):
        found = Region.objects.filter(code=value.strip()).first()
        if found is None:
            raise serializers.ValidationError(f"行政区划代码“{value}”不存在。")
        return found
