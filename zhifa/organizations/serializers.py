from rest_framework import serializers

from .models import EnforcementField, Entrustment, Organization, Region


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "code", "name", "parent"]


class EnforcementFieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = EnforcementField
        fields = ["id", "code", "name"]


class OrganizationSerializer(serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(),
        required=False,
        allow_null=True,
        write_only=True,
        help_text="上级机构ID（仅创建时使用）",
    )
    region_code = serializers.CharField(source="region.code", read_only=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "parent",
            "path",
            "kind",
            "name",
            "short_name",
            "region",
            "region_code",
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
            "depth",
        ]
        read_only_fields = ["path", "depth"]

    def validate_credit_code(self, value):
        return value.strip().upper()

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["parent"].queryset = Organization.objects.for_user(request.user)
        if self.instance is not None:
            fields["kind"].read_only = True
        return fields


class EntrustmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Entrustment
        fields = [
            "id",
            "entrusting",
            "entrusted",
            "agreement_number",
            "matters",
            "powers",
            "start_date",
            "end_date",
            "revoked_at",
            "revoke_reason",
        ]
        read_only_fields = ["revoked_at", "revoke_reason"]
