"""Case API: the same services, engine and scope as the staff pages."""

from __future__ import annotations

from django.core.paginator import InvalidPage
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from zhifa.core.api import ModelPermissions, ScopedModelViewSet, ScopedReadOnlyViewSet
from zhifa.personnel.paging import CountlessPaginator

from . import engine, services
from .definitions import procedure_of
from .filters import CaseFilter, DeadlineFilter
from .models import Case, CaseEvent, CaseNumberPattern, CaseOfficer, Deadline
from .serializers import (
    ActionRefusedSerializer,
    ActionRequestSerializer,
    AvailabilitySerializer,
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseEventSerializer,
    CaseListSerializer,
    CaseNumberPatternSerializer,
    DeadlineSerializer,
)
from .views import list_queryset


class CountlessPagination(PageNumberPagination):
    """Page links without COUNT(*): one row more than the page tells whether a next page exists."""

    django_paginator_class = CountlessPaginator
    template = None
    invalid_page_message = "页码无效。"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        try:
            self.page = paginator.page(request.query_params.get(self.page_query_param) or 1)
        except InvalidPage as exc:
            raise NotFound(self.invalid_page_message) from exc
        return list(self.page)

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }


def detail_queryset(queryset):
    return queryset.select_related("agency", "procedure", "field", "region").prefetch_related(
        "parties",
        Prefetch("assignments", queryset=CaseOfficer.objects.select_related("officer")),
        "deadlines",
        Prefetch("events", queryset=CaseEvent.objects.select_related("actor").order_by("sequence")),
    )


class HandlesCases(permissions.BasePermission):
    """Performing an action changes the case: ``cases.change_case`` (the engine then checks the
    role each action needs)."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.has_perm("cases.change_case"))


def refusal_body(exc: engine.ActionRefused) -> dict:
    return {
        "detail": str(exc),
        "refusals": [{"rule": r.rule, "basis": r.basis, "message": r.message} for r in exc.refusals],
    }


CODE = OpenApiParameter("code", str, OpenApiParameter.PATH, description="操作代码（见 GET …/actions/）")


class CaseViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """案件，按用户范围过滤。列表不统计总数（next 为空即最后一页）。"""

    queryset = Case.objects.all()
    permission_classes = [ModelPermissions]
    filterset_class = CaseFilter
    pagination_class = CountlessPagination

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            return list_queryset(queryset)
        if self.action == "retrieve":
            return detail_queryset(queryset)
        return queryset.select_related("procedure", "agency")

    def get_serializer_class(self):
        return {
            "list": CaseListSerializer,
            "create": CaseCreateSerializer,
            "available": AvailabilitySerializer,
            "perform": ActionRequestSerializer,
        }.get(self.action, CaseDetailSerializer)

    def get_permissions(self):
        if self.action == "perform":
            return [permissions.IsAuthenticated(), HandlesCases()]
        return super().get_permissions()

    def _case(self, pk) -> Case:
        # Not self.get_object(): the list filters must not apply to one case's sub-resources.
        return get_object_or_404(Case.objects.for_user(self.request.user).select_related("procedure"), pk=pk)

    @extend_schema(request=CaseCreateSerializer, responses={201: CaseDetailSerializer})
    def create(self, request, *args, **kwargs):
        """登记案件（与工作台“登记案件”相同的校验；简易程序须同时指定在场执法人员）。"""
        serializer = CaseCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        case = services.create_case(request.user, **serializer.service_kwargs())
        case = detail_queryset(Case.objects.all()).get(pk=case.pk)
        return Response(
            CaseDetailSerializer(case, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(responses=AvailabilitySerializer(many=True))
    @action(detail=True, methods=["get"], url_path="actions", filter_backends=[], pagination_class=None)
    def available(self, request, pk=None):
        """本案件程序的全部操作：当前能否办理；不能办理的，列出规则编号、依据和说明。"""
        case = self._case(pk)
        return Response(AvailabilitySerializer(engine.available_actions(case, request.user), many=True).data)

    @extend_schema(
        parameters=[CODE],
        request=ActionRequestSerializer,
        responses={
            201: CaseEventSerializer,
            200: OpenApiResponse(
                CaseEventSerializer, description="相同 request_key 已办理过：返回原记录，不再办理"
            ),
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="表单数据有误：字段名 → 错误说明"),
            404: OpenApiResponse(description="案件不在您的范围内，或本程序没有该操作"),
            409: OpenApiResponse(
                ActionRefusedSerializer, description="案件已被他人更新（expected_version 过期）"
            ),
            422: OpenApiResponse(ActionRefusedSerializer, description="法律不允许：规则编号、依据和说明"),
        },
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"actions/(?P<code>[a-z0-9_]+)",
        filter_backends=[],
        pagination_class=None,
    )
    def perform(self, request, pk=None, code=None):
        """办理一项操作。data 为该操作表单的字段；重复提交（相同 request_key）只办理一次。"""
        case = self._case(pk)
        if code not in procedure_of(case.procedure).actions:
            raise NotFound("本程序没有该操作。")
        payload = ActionRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            event, created = engine.perform(
                case.pk,
                code,
                request.user,
                payload.validated_data["data"],
                expected_version=payload.validated_data["expected_version"],
                request_key=payload.validated_data["request_key"],
            )
        except engine.StaleCase as exc:
            return Response(refusal_body(exc), status=status.HTTP_409_CONFLICT)
        except engine.ActionRefused as exc:
            return Response(refusal_body(exc), status=status.HTTP_422_UNPROCESSABLE_ENTITY)
        return Response(
            CaseEventSerializer(event).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class DeadlineViewSet(ScopedReadOnlyViewSet):
    """办案期限（S7 红黄绿预警），按用户范围过滤；?level=red 查看已超期的期限。"""

    queryset = Deadline.objects.select_related("case")
    serializer_class = DeadlineSerializer
    filterset_class = DeadlineFilter
    permission_classes = [ModelPermissions]
    pagination_class = CountlessPagination


class CaseNumberPatternViewSet(ScopedModelViewSet):
    """案号格式：各执法主体按执法程序设置的案号写法（未设置时使用程序定义的默认格式）。
    机关负责人设置本机关的，管理员设置任一机关的；修改后本年度序号继续顺延。"""

    queryset = CaseNumberPattern.objects.select_related("agency")
    serializer_class = CaseNumberPatternSerializer
    permission_classes = [ModelPermissions]
    filterset_fields = ["agency", "procedure_code"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = services.save_case_number_pattern(
            self.request.user, CaseNumberPattern(**serializer.validated_data)
        )

    def perform_update(self, serializer):
        pattern = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(pattern, name, value)
        serializer.instance = services.save_case_number_pattern(self.request.user, pattern)


router = SimpleRouter()
router.register("cases", CaseViewSet, basename="case")
router.register("deadlines", DeadlineViewSet, basename="deadline")
router.register("number-patterns", CaseNumberPatternViewSet, basename="case-number-pattern")
urlpatterns = router.urls
