"""法制审核 API: the same services and scope as the staff pages (foreign ids → 404)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from zhifa.accounts.models import User
from zhifa.cases.models import Case
from zhifa.core.api import ModelPermissions, ScopedModelViewSet, ScopedReadOnlyViewSet

from . import rules, services
from .models import CatalogueEntry, Filing, ReviewRound
from .serializers import (
    AssignSerializer,
    CatalogueEntrySerializer,
    FilingDecisionSerializer,
    FilingReportSerializer,
    FilingSerializer,
    OpinionSerializer,
    ReviewRoundSerializer,
    SubmitSerializer,
)

# Extra actions: the services check role, scope and the L-rules themselves.
ACT = [permissions.IsAuthenticated]
BAD_INPUT = OpenApiResponse(
    OpenApiTypes.OBJECT, description="数据有误或法律不允许：字段名 → 说明（含规则编号和依据）"
)


class CatalogueEntryViewSet(ScopedModelViewSet):
    """重大执法决定法制审核目录清单（L1）：条件同时满足的决定作出前须经法制审核。条目不删除，停用即可。"""

    queryset = CatalogueEntry.objects.select_related("agency", "field")
    serializer_class = CatalogueEntrySerializer
    permission_classes = [ModelPermissions]
    filterset_fields = ["agency", "is_active", "is_published"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]


class ReviewRoundViewSet(viewsets.ReadOnlyModelViewSet):
    """法制审核轮次：送审（submit）、指派或领取（assign）、出具审核意见（opinion，L3 审核要点逐项）。"""

    serializer_class = ReviewRoundSerializer
    permission_classes = [ModelPermissions]
    queryset = ReviewRound.objects.all()
    filterset_fields = ["opinion", "reviewer"]

    def get_queryset(self):
        return (
            ReviewRound.objects.for_user(self.request.user)
            .select_related("review__case")
            .prefetch_related("escalations")
            .order_by("-submitted_at")
        )

    @extend_schema(
        request=SubmitSerializer,
        responses={201: ReviewRoundSerializer, 200: ReviewRoundSerializer, 400: BAD_INPUT},
    )
    @action(detail=False, methods=["post"], permission_classes=ACT)
    def submit(self, request):
        """提交法制审核；同一 request_key 重复提交返回同一轮次（200）。"""
        data = _valid(SubmitSerializer, request)
        case = get_object_or_404(Case.objects.for_user(request.user), pk=data.pop("case"))
        round_, created = services.submit(case, request.user, **data)
        return Response(
            ReviewRoundSerializer(round_).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(request=AssignSerializer, responses={200: ReviewRoundSerializer, 400: BAD_INPUT})
    @action(detail=True, methods=["post"], permission_classes=ACT)
    def assign(self, request, pk=None):
        """指派法制审核人员（负责人）或领取给本人（审核人员）；L5：不得审核本人承办的案件，初次审核须具备法律职业资格。"""
        round_ = self.get_object()
        data = _valid(AssignSerializer, request)
        reviewer = get_object_or_404(User, pk=data["reviewer"]) if data.get("reviewer") else request.user
        return Response(ReviewRoundSerializer(services.assign(round_, reviewer, request.user)).data)

    @extend_schema(request=OpinionSerializer, responses={200: ReviewRoundSerializer, 400: BAD_INPUT})
    @action(detail=True, methods=["post"], permission_classes=ACT)
    def opinion(self, request, pk=None):
        """出具审核意见：同意 / 存在问题 / 补充材料（附期限），并生成法制审核意见书。"""
        round_ = self.get_object()
        data = _valid(OpinionSerializer, request)
        draft = rules.OpinionDraft(
            opinion=data["opinion"],
            text=data["text"],
            supplement_due=data.get("supplement_due"),
            checklist={code: dict(item) for code, item in data["checklist"].items()},
        )
        return Response(ReviewRoundSerializer(services.record_opinion(round_, request.user, draft)).data)


class FilingViewSet(ScopedReadOnlyViewSet):
    """重大执法决定备案（L6）：执法机关报送，本级司法局准予备案或退回。"""

    queryset = Filing.objects.select_related("case", "legal_office")
    serializer_class = FilingSerializer
    permission_classes = [ModelPermissions]
    filterset_fields = ["status", "legal_office"]

    @extend_schema(request=FilingReportSerializer, responses={200: FilingSerializer, 400: BAD_INPUT})
    @action(detail=True, methods=["post"], url_path="submit", permission_classes=ACT)
    def submit_filing(self, request, pk=None):
        data = _valid(FilingReportSerializer, request)
        return Response(
            FilingSerializer(services.submit_filing(self.get_object(), request.user, data["report"])).data
        )

    @extend_schema(request=FilingDecisionSerializer, responses={200: FilingSerializer, 400: BAD_INPUT})
    @action(detail=True, methods=["post"], permission_classes=ACT)
    def handle(self, request, pk=None):
        data = _valid(FilingDecisionSerializer, request)
        return Response(
            FilingSerializer(services.handle_filing(self.get_object(), request.user, **data)).data
        )


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


router = SimpleRouter()
router.register("catalogue", CatalogueEntryViewSet, basename="review-catalogue")
router.register("rounds", ReviewRoundViewSet, basename="review-round")
router.register("filings", FilingViewSet, basename="review-filing")
urlpatterns = router.urls
