from django.urls import path
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import permissions, viewsets
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from . import rules, services
from .filters import CalendarDayFilter
from .models import CalendarDay, CalendarYear
from .serializers import (
    CalendarDaySerializer,
    CalendarYearSerializer,
    ComputeQuerySerializer,
    ComputeResultSerializer,
    CountQuerySerializer,
    CountResultSerializer,
)


class CanViewCalendar(permissions.BasePermission):
    message = "您的角色无权查看工作日历。"

    def has_permission(self, request, view):
        return request.user.has_perm("workdays.view_calendarday")


class CalendarDayViewSet(viewsets.ReadOnlyModelViewSet):
    """法定节假日与调休工作日（全国统一，只记录周一至周五规则的例外，D4）。"""

    queryset = CalendarDay.objects.all()
    serializer_class = CalendarDaySerializer
    filterset_class = CalendarDayFilter
    permission_classes = [permissions.IsAuthenticated, CanViewCalendar]
    lookup_field = "date"
    pagination_class = None


class CalendarYearViewSet(viewsets.ReadOnlyModelViewSet):
    """各年度节假日安排是否已完整载入；未载入年度的期限为“暂定”（D4）。"""

    queryset = CalendarYear.objects.all()
    serializer_class = CalendarYearSerializer
    permission_classes = [permissions.IsAuthenticated, CanViewCalendar]
    lookup_field = "year"
    pagination_class = None


class ComputeView(APIView):
    permission_classes = [permissions.IsAuthenticated, CanViewCalendar]

    @extend_schema(
        summary="计算期限届满日",
        description="从事件发生日的次日起算（D3）。work：第N个工作日（D1 处罚法第85条、D2 强制法第69条）；"
        "natural：第N个自然日，遇周末或法定节假日顺延至下一个工作日（D3）。"
        "所涉年度未载入国务院办公厅节假日安排时 provisional 为 true（D4）。",
        parameters=[ComputeQuerySerializer],
        responses=ComputeResultSerializer,
        examples=[
            OpenApiExample(
                "2026年国庆后5个工作日",
                value={
                    "start": "2026-09-30",
                    "days": 5,
                    "kind": "work",
                    "due": "2026-10-13",
                    "provisional": False,
                    "basis": rules.D1_BASIS,
                },
                response_only=True,
            )
        ],
    )
    def get(self, request):
        query = ComputeQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, days, kind = (query.validated_data[k] for k in ("start", "days", "kind"))
        due = services.compute(start, days, kind)
        basis = "；".join([rules.D1_BASIS, rules.D2_BASIS] if kind == "work" else [rules.D3_BASIS])
        return Response(
            ComputeResultSerializer(
                {
                    "start": start,
                    "days": days,
                    "kind": kind,
                    "due": due.date,
                    "provisional": due.provisional,
                    "basis": basis,
                }
            ).data
        )


class CountView(APIView):
    permission_classes = [permissions.IsAuthenticated, CanViewCalendar]

    @extend_schema(
        summary="统计两日之间的工作日数",
        description="统计 (start, end] 内的工作日：起点当日不计、终点当日计入（D3）；"
        "所涉年度未载入节假日安排时 provisional 为 true（D4）。",
        parameters=[CountQuerySerializer],
        responses=CountResultSerializer,
    )
    def get(self, request):
        query = CountQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, end = query.validated_data["start"], query.validated_data["end"]
        count = services.count_workdays(start, end)
        return Response(
            CountResultSerializer(
                {"start": start, "end": end, "workdays": count.days, "provisional": count.provisional}
            ).data
        )


router = SimpleRouter()
router.register("days", CalendarDayViewSet, basename="calendarday")
router.register("years", CalendarYearViewSet, basename="calendaryear")
urlpatterns = router.urls + [
    path("compute/", ComputeView.as_view(), name="workdays-compute"),
    path("count/", CountView.as_view(), name="workdays-count"),
]
