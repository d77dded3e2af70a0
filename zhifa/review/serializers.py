from rest_framework import serializers

from zhifa.organizations.models import Organization, OrgKind

from . import rules
from .models import CatalogueEntry, Escalation, Filing, ReviewRound
from .services import OUTCOMES


class CatalogueEntrySerializer(serializers.ModelSerializer):
    conditions_text = serializers.CharField(read_only=True)

    class Meta:
        model = CatalogueEntry
        fields = [
            "id",
            "agency",
            "title",
            "category",
            "penalty_kinds",
            "min_fine_natural",
            "min_fine_organisation",
            "min_confiscation",
            "hearing_held",
            "field",
            "power_level",
            "basis",
            "is_active",
            "is_published",
            "conditions_text",
        ]

    def validate_penalty_kinds(self, kinds):
        from zhifa.powers.rules import PENALTY_KIND_LABELS

        unknown = [k for k in kinds or [] if k not in PENALTY_KIND_LABELS]
        if unknown:
            raise serializers.ValidationError(f"未知的处罚种类：{'、'.join(map(str, unknown))}。")
        return kinds

    def validate_agency(self, agency):
        user = self.context["request"].user
        if not Organization.objects.for_user(user).filter(pk=agency.pk, kind=OrgKind.AGENCY).exists():
            raise serializers.ValidationError("只能为本人管辖范围内的执法主体建立目录清单。")
        return agency


class EscalationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Escalation
        fields = [
            "id",
            "kind",
            "handler_view",
            "reviewer_view",
            "adviser",
            "adviser_opinion",
            "raised_by",
            "raised_at",
            "conclusion",
            "concluded_by",
            "concluded_at",
        ]
        read_only_fields = fields


class ReviewRoundSerializer(serializers.ModelSerializer):
    case = serializers.IntegerField(source="review.case_id", read_only=True)
    case_number = serializers.CharField(source="review.case.number", read_only=True)
    decision_text = serializers.CharField(read_only=True)
    escalations = EscalationSerializer(many=True, read_only=True)

    class Meta:
        model = ReviewRound
        fields = [
            "id",
            "case",
            "case_number",
            "number",
            "outcome",
            "decision_text",
            "proposal",
            "materials",
            "reasons",
            "changes",
            "submitted_by",
            "submitted_at",
            "due_on",
            "reviewer",
            "assigned_at",
            "checklist",
            "opinion",
            "opinion_text",
            "supplement_due",
            "decided_at",
            "document",
            "escalations",
        ]
        read_only_fields = fields


class SubmitSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    outcome = serializers.ChoiceField(choices=OUTCOMES)
    review_report = serializers.CharField(max_length=10000)
    request_key = serializers.CharField(max_length=64)


class AssignSerializer(serializers.Serializer):
    reviewer = serializers.IntegerField(help_text="法制审核人员的用户ID；省略则领取给本人。", required=False)


class ChecklistItemSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=rules.ItemResult.CHOICES)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class OpinionSerializer(serializers.Serializer):
    opinion = serializers.ChoiceField(choices=rules.Opinion.CHOICES)
    text = serializers.CharField(max_length=10000)
    supplement_due = serializers.DateField(required=False, allow_null=True)
    checklist = serializers.DictField(
        child=ChecklistItemSerializer(),
        help_text="审核要点：" + "、".join(f"{c}（{label}）" for c, label in rules.CHECKLIST),
    )


class FilingSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)

    class Meta:
        model = Filing
        fields = [
            "id",
            "case",
            "case_number",
            "legal_office",
            "decided_on",
            "due_on",
            "status",
            "report",
            "submitted_by",
            "submitted_at",
            "handled_by",
            "handled_at",
            "opinion",
            "history",
        ]
        read_only_fields = fields


class FilingReportSerializer(serializers.Serializer):
    report = serializers.CharField(max_length=10000)


class FilingDecisionSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    opinion = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
