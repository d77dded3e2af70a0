"""双随机抽查 API: the same services and scope as the staff pages (foreign ids → 404)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from zhifa.core.api import ModelPermissions, ScopedModelViewSet

from . import services
from .filters import TargetFilter, TaskFilter
from .models import InspectionAssignment, InspectionTarget, InspectionTask
from .serializers import (
    DrawPreviewSerializer,
    DrawRequestSerializer,
    DrawSerializer,
    ProgressSerializer,
    RecusalRequestSerializer,
    RecusalSerializer,
    TargetSerializer,
    TaskCreateSerializer,
    TaskDetailSerializer,
    TaskListSerializer,
)

BAD_INPUT = OpenApiResponse(
    OpenApiTypes.OBJECT, description="数据有误或法律不允许：字段名 → 说明（含规则编号和依据）"
)
NOT_FOUND = OpenApiResponse(description="不在您的范围内")


class HasPermission(permissions.BasePermission):
    """A fixed Django permission for an extra action (the service checks it again)."""

    def __init__(self, permission: str):
        self.permission = permission

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.has_perm(self.permission))


class TargetViewSet(ScopedModelViewSet):
    """检查对象名录，按用户范围过滤。统一社会信用代码按 GB 32100 校验；名录条目不删除，停用即可（is_active）。"""

    queryset = InspectionTarget.objects.select_related("agency", "field", "region")
    serializer_class = TargetSerializer
    permission_classes = [ModelPermissions]
    filterset_class = TargetFilter
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = services.save_target(
            self.request.user, InspectionTarget(**serializer.validated_data)
        )

    def perform_update(self, serializer):
        target = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(target, name, value)
        serializer.instance = services.save_target(self.request.user, target)


class TaskViewSet(ScopedModelViewSet):
    """抽查任务：创建、预览候选范围、随机抽取（记录随机种子和候选名单，可复核）、登记回避、确认并生成行政检查案件、查看检查结果汇总。"""

    queryset = InspectionTask.objects.select_related("agency", "field", "region")
    permission_classes = [ModelPermissions]
    filterset_class = TaskFilter
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            return queryset.prefetch_related("items")
        return queryset

    def get_serializer_class(self):
        return {
            "list": TaskListSerializer,
            "create": TaskCreateSerializer,
            "draw": DrawRequestSerializer,
            "recusals": RecusalRequestSerializer,
        }.get(self.action, TaskDetailSerializer)

    def get_permissions(self):
        extra = {
            "draw": "inspections.change_inspectiontask",
            "preview": "inspections.change_inspectiontask",
            "confirm": "inspections.change_inspectiontask",
            "recusals": "inspections.add_recusal",
        }
        if self.action in extra:
            return [HasPermission(extra[self.action])]
        return super().get_permissions()

    def _detail(self, task, code=status.HTTP_200_OK):
        task = self.get_queryset().prefetch_related("items").get(pk=task.pk)
        return Response(TaskDetailSerializer(task, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=TaskCreateSerializer, responses={201: TaskDetailSerializer, 400: BAD_INPUT})
    def create(self, request, *args, **kwargs):
        """创建抽查任务（抽查事项须列入本机关随机抽查事项清单；每个对象不少于2名执法人员，P1）。"""
        serializer = TaskCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        items = data.pop("items")
        task = services.create_task(request.user, InspectionTask(**data), items)
        return self._detail(task, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: DrawPreviewSerializer, 404: NOT_FOUND})
    @action(detail=True, methods=["get"], url_path="draw-preview", filter_backends=[], pagination_class=None)
    def preview(self, request, pk=None):
        """抽取前预览：候选检查对象数、拟抽取数、可选派及不能列入候选的执法人员（附原因）。"""
        preview = services.preview_draw(self.get_object())
        return Response(DrawPreviewSerializer(preview).data)

    @extend_schema(
        request=DrawRequestSerializer, responses={201: DrawSerializer, 400: BAD_INPUT, 404: NOT_FOUND}
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def draw(self, request, pk=None):
        """随机抽取检查对象、随机选派执法人员；重新抽取须说明理由，原记录保留。"""
        task = self.get_object()
        payload = DrawRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        draw = services.draw_task(request.user, task, reason=payload.validated_data.get("reason", ""))
        return Response(DrawSerializer(draw).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=RecusalRequestSerializer, responses={201: RecusalSerializer, 400: BAD_INPUT, 404: NOT_FOUND}
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def recusals(self, request, pk=None):
        """登记回避（处罚法第四十三条）：按记录的随机顺序为该检查对象重新选派一名执法人员。"""
        task = self.get_object()
        payload = RecusalRequestSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        assignment = get_object_or_404(
            InspectionAssignment.objects.for_user(request.user),
            pk=payload.validated_data["assignment"],
            task=task,
        )
        recusal = services.declare_recusal(
            request.user, assignment, payload.validated_data["officer"], payload.validated_data["reason"]
        )
        return Response(RecusalSerializer(recusal).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: TaskDetailSerializer, 400: BAD_INPUT, 404: NOT_FOUND})
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def confirm(self, request, pk=None):
        """确认当前抽取结果：为每个抽中的检查对象登记一件行政检查案件并指派抽中的执法人员。"""
        task = self.get_object()
        services.confirm_task(request.user, task)
        return self._detail(task)

    @extend_schema(request=None, responses={200: ProgressSerializer, 404: NOT_FOUND})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def results(self, request, pk=None):
        """检查结果汇总：抽中户数、已出结果、按结果分类计数、转立案、已结案。"""
        task = self.get_object()
        return Response(ProgressSerializer(services.progress(services.task_assignments(task))).data)


router = SimpleRouter()
router.register("targets", TargetViewSet, basename="inspection-target")
router.register("tasks", TaskViewSet, basename="inspection-task")
urlpatterns = router.urls
