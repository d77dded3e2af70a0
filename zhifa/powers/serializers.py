from rest_framework import serializers

from zhifa.organizations.models import Organization, OrgKind

from . import rules
from .models import (
    Article,
    DiscretionBenchmark,
    DiscretionTier,
    InspectionItem,
    Law,
    LawVersion,
    Paragraph,
    PowerItem,
)


class LawVersionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = LawVersion
        fields = ["id", "version_date", "effective_date", "is_current"]


class LawSerializer(serializers.ModelSerializer):
    versions = LawVersionSummarySerializer(many=True, read_only=True)

    class Meta:
        model = Law
        fields = ["id", "title", "short_title", "level", "issuing_body", "versions"]


class LawVersionSerializer(serializers.ModelSerializer):
    law_title = serializers.CharField(source="law.title", read_only=True)

    class Meta:
        model = LawVersion
        fields = ["id", "law", "law_title", "version_date", "effective_date", "history", "is_current"]


class ParagraphSerializer(serializers.ModelSerializer):
    class Meta:
        model = Paragraph
        fields = ["kuan", "xiang", "text"]


class ArticleSerializer(serializers.ModelSerializer):
    law = serializers.IntegerField(source="version.law_id", read_only=True)
    law_title = serializers.CharField(source="version.law.title", read_only=True)
    version_date = serializers.DateField(source="version.version_date", read_only=True)
    is_current = serializers.BooleanField(source="version.is_current", read_only=True)
    chapter = serializers.CharField(source="chapter.title", read_only=True, default="")
    paragraphs = ParagraphSerializer(many=True, read_only=True)

    class Meta:
        model = Article
        fields = [
            "id",
            "law",
            "law_title",
            "version",
            "version_date",
            "is_current",
            "chapter",
            "number",
            "label",
            "text",
            "paragraphs",
        ]


class BasisLinkSerializer(serializers.Serializer):
    article = serializers.IntegerField(source="article_id")
    citation = serializers.SerializerMethodField()

    def get_citation(self, link) -> str:
        return f"{link.article.version.law}{link.citation_label}"


class ScopedAgencyMixin:
    """Agency choices limited to the requesting user's scope."""

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            visible = Organization.objects.for_user(request.user)
            fields["agency"].queryset = visible.filter(kind=OrgKind.AGENCY)
            if "undertaking_unit" in fields:
                fields["undertaking_unit"].queryset = visible.exclude(kind=OrgKind.GOVERNMENT)
        return fields


class PowerItemSerializer(ScopedAgencyMixin, serializers.ModelSerializer):
    penalty_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=rules.PENALTY_KINDS),
        required=False,
        help_text="处罚法第九条的处罚种类代码",
    )
    basis_links = BasisLinkSerializer(many=True, read_only=True)
    legal_range = serializers.CharField(read_only=True)

    class Meta:
        model = PowerItem
        fields = [
            "id",
            "code",
            "name",
            "sub_name",
            "category",
            "agency",
            "undertaking_unit",
            "undertaking_unit_text",
            "level",
            "basis_text",
            "basis_links",
            "responsibilities",
            "accountability",
            "penalty_kinds",
            "fine_min",
            "fine_max",
            "multiple_base",
            "multiple_min",
            "multiple_max",
            "range_text",
            "legal_range",
            "is_active",
        ]


class InspectionItemSerializer(ScopedAgencyMixin, serializers.ModelSerializer):
    basis_links = BasisLinkSerializer(many=True, read_only=True)

    class Meta:
        model = InspectionItem
        fields = [
            "id",
            "field_name",
            "name",
            "target",
            "agency",
            "cooperating_departments",
            "basis_text",
            "basis_links",
            "method",
            "content",
            "ratio",
            "level",
            "is_active",
        ]


# --- 裁量基准 (S8) ---------------------------------------------------------------------------------
class DiscretionTierSerializer(serializers.ModelSerializer):
    penalty_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=rules.PENALTY_KINDS), required=False, help_text="处罚种类代码"
    )
    tags = serializers.ListField(
        child=serializers.CharField(max_length=100),
        required=False,
        help_text="情形标签：法定情形代码（见 suggest 接口的 circumstances）或自定义情形名称",
    )
    range_text = serializers.CharField(read_only=True)

    class Meta:
        model = DiscretionTier
        fields = [
            "id",
            "order",
            "sub_item",
            "party",
            "level_label",
            "tier",
            "condition_text",
            "tags",
            "band_measure",
            "band_unit",
            "band_min",
            "band_max",
            "penalty_kinds",
            "fine_min",
            "fine_max",
            "multiple_base",
            "multiple_min",
            "multiple_max",
            "base_floor",
            "multiple_threshold",
            "other_measures",
            "standard_text",
            "range_text",
        ]
        read_only_fields = ["id", "order"]


class DiscretionBenchmarkSerializer(serializers.ModelSerializer):
    tiers = DiscretionTierSerializer(many=True)
    citation = serializers.CharField(read_only=True)
    legal_range = serializers.CharField(source="power_item.legal_range", read_only=True)

    class Meta:
        model = DiscretionBenchmark
        fields = [
            "id",
            "agency",
            "power_item",
            "title",
            "document_number",
            "item_number",
            "citation",
            "effective_from",
            "effective_until",
            "band_boundary",
            "notes",
            "version",
            "previous",
            "status",
            "published_at",
            "legal_range",
            "tiers",
        ]
        read_only_fields = ["agency", "version", "previous", "status", "published_at"]
        validators = []  # the version is assigned by the service

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and "power_item" in fields:
            fields["power_item"].queryset = PowerItem.objects.for_user(request.user).filter(
                category="penalty"
            )
        return fields


class ProposedSerializer(serializers.Serializer):
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, min_value=0
    )
    penalty_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=rules.PENALTY_KINDS), required=False, help_text="拟处罚种类代码"
    )
    text = serializers.CharField(required=False, allow_blank=True, help_text="决定书中的处罚内容表述，可省略")


class SuggestRequestSerializer(serializers.Serializer):
    power_item = serializers.IntegerField(required=False, help_text="权责事项ID；按日期取生效的裁量基准")
    on_date = serializers.DateField(required=False, help_text="适用日期，默认今天")
    circumstances = serializers.ListField(
        child=serializers.CharField(max_length=100),
        required=False,
        help_text="情形：法定情形代码（"
        + "、".join(f"{code}={label}" for code, label, _, _ in rules.CIRCUMSTANCES)
        + "）或裁量基准中的情形标签",
    )
    facts = serializers.DictField(
        child=serializers.DecimalField(max_digits=18, decimal_places=4, min_value=0),
        required=False,
        help_text='数额与数量，如 {"违法所得": 8000, "堆放量": 60}',
    )
    party = serializers.CharField(
        required=False, allow_blank=True, help_text="当事人类别，如“单位”“个人”“建设单位”"
    )
    proposed = ProposedSerializer(required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True, help_text="超出档次时的理由")


class SuggestResultSerializer(serializers.Serializer):
    benchmark = serializers.IntegerField(source="benchmark.pk", allow_null=True, default=None)
    citation = serializers.CharField(source="benchmark.citation", default="")
    tier = serializers.CharField()
    tier_label = serializers.CharField()
    level_label = serializers.CharField()
    range_text = serializers.CharField()
    yuan_min = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    yuan_max = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    kinds = serializers.ListField(child=serializers.CharField())
    reasons = serializers.ListField(child=serializers.CharField(), source="suggestion.reasons")
    notes = serializers.ListField(child=serializers.CharField())
    within = serializers.BooleanField(allow_null=True)
    lawful = serializers.BooleanField(allow_null=True)
    needs_reason = serializers.BooleanField()
    deviations = serializers.ListField(child=serializers.CharField())
    legal_problems = serializers.ListField(child=serializers.CharField())
    explanation = serializers.CharField()
