from rest_framework import serializers

from zhifa.organizations.models import Organization, OrgKind

from . import rules
from .models import Article, InspectionItem, Law, LawVersion, Paragraph, PowerItem


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
