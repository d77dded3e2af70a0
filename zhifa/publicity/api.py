"""Public open-data API (G10): read-only, no login, keyset-paginated. Reads only ``PortalEntry``.

Wired at ``/api/publicity/`` (zhifa/urls.py); documented in the OpenAPI schema under the tag
“公开数据”, and for people on the portal page ``/open-data/``.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.cache import patch_cache_control
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.utils.urls import replace_query_param

from . import opendata
from .models import Category
from .search import parse_id
from .serializers import LayoutSerializer, OpenEntrySerializer

TAG = "公开数据"
MAX_LIMIT = 500
DEFAULT_LIMIT = 50


def _filters(request):
    try:
        return opendata.parse_filters(request.query_params, categories=Category.values)
    except opendata.FilterError as exc:
        raise ValidationError(exc.errors) from None


class KeysetPagination(BasePagination):
    """Keyset (cursor) pagination: the next page starts after the last row's key, so page 20 000
    costs what page 1 costs. Forward only; no total count (it would cost a scan of 1M rows)."""

    def paginate_queryset(self, queryset, request, view=None):
        params = request.query_params
        errors = {}
        order = (params.get("order") or opendata.ORDER_DECIDED).strip()
        if order not in opendata.ORDERS:
            errors["order"] = (
                "应为 decided（按决定日期从新到旧，默认）或 updated（按更新时间从旧到新，用于增量同步）。"
            )
        raw = (params.get("limit") or "").strip()
        limit = DEFAULT_LIMIT
        if raw:
            if (number := parse_id(raw)) and number <= MAX_LIMIT:
                limit = number
            else:
                errors["limit"] = f"每页条数应为 1 至 {MAX_LIMIT} 的整数。"
        if errors:
            raise ValidationError(errors)
        queryset = opendata.ordered(queryset, order)
        cursor = (params.get("cursor") or "").strip()
        if cursor:
            try:
                queryset = opendata.after_cursor(queryset, order, cursor)
            except opendata.FilterError as exc:
                raise ValidationError(exc.errors) from None
        rows = list(queryset[: limit + 1])
        self.next_cursor = opendata.encode_cursor(order, rows[limit - 1]) if len(rows) > limit else None
        self.request = request
        return rows[:limit]

    def get_paginated_response(self, data):
        next_url = None
        if self.next_cursor:
            next_url = replace_query_param(self.request.build_absolute_uri(), "cursor", self.next_cursor)
        return Response({"next": next_url, "next_cursor": self.next_cursor, "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "next_cursor", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "下一页的完整地址（已带 cursor）；没有下一页为 null。",
                },
                "next_cursor": {
                    "type": "string",
                    "nullable": True,
                    "description": "下一页的 cursor 参数值。增量同步时可保存，下次从此处继续。",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "cursor",
                "in": "query",
                "required": False,
                "description": "翻页游标：取上一页响应中的 next_cursor，不要自行构造。",
                "schema": {"type": "string"},
            },
            {
                "name": "limit",
                "in": "query",
                "required": False,
                "description": f"每页条数，1–{MAX_LIMIT}，默认 {DEFAULT_LIMIT}。",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
            },
            {
                "name": "order",
                "in": "query",
                "required": False,
                "description": "排序：decided 按决定日期从新到旧（默认）；updated 按更新时间从旧到新，配合 updated_since 做增量同步。",
                "schema": {
                    "type": "string",
                    "enum": list(opendata.ORDERS),
                    "default": opendata.ORDER_DECIDED,
                },
            },
        ]


FILTER_PARAMETERS = [
    OpenApiParameter("agency", int, description="执法主体编号：只返回该主体的公示。"),
    OpenApiParameter(
        "category",
        str,
        enum=Category.values,
        description="公示类别：penalty 行政处罚、no_penalty 不予行政处罚、licensing 行政许可、inspection 行政检查、coercion 行政强制。",
    ),
    OpenApiParameter("decided_from", OpenApiTypes.DATE, description="决定日期不早于（含），YYYY-MM-DD。"),
    OpenApiParameter("decided_to", OpenApiTypes.DATE, description="决定日期不晚于（含），YYYY-MM-DD。"),
    OpenApiParameter(
        "updated_since",
        OpenApiTypes.DATETIME,
        description="只返回此时间以后公示、更正或撤回的条目（ISO 8601；只写日期时为当日0时，北京时间）。",
    ),
    OpenApiParameter(
        "withdrawn", bool, description="true 只返回已撤回的条目；false 只返回未撤回的条目；缺省返回全部。"
    ),
]


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="公示条目列表（开放数据）",
        description=(
            "门户上正在公示的执法决定和结果（只读、无需登录）。按游标翻页，深页和首页一样快；不返回总数。"
            "已撤回的条目保留并标明 withdrawn=true 和撤回理由，供增量同步的使用者删除本地副本；"
            "公示期满（G9）的条目不再出现。"
            "行政处罚、行政许可的“双公示”表格（G10）可整批下载：/open-data/penalty.csv、/open-data/penalty.xlsx、"
            "/open-data/licensing.csv、/open-data/licensing.xlsx（支持相同的筛选参数）。说明见门户 /open-data/。"
        ),
        parameters=FILTER_PARAMETERS,
    ),
    retrieve=extend_schema(
        tags=[TAG],
        summary="一条公示",
        description="按公示编号取一条正在公示的条目；不存在、未公示或已期满返回 404。",
    ),
)
class OpenDataViewSet(viewsets.ReadOnlyModelViewSet):
    """公开数据：执法决定和结果公示（G3、G10）。"""

    serializer_class = OpenEntrySerializer
    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    filter_backends = []
    pagination_class = KeysetPagination
    lookup_value_regex = r"\d{1,18}"  # longer numbers overflow the database integer: 404

    def get_queryset(self):
        filters = _filters(self.request) if self.action == "list" else opendata.Filters()
        return opendata.entries(filters).defer("search_text", "version")

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=60)
        return response

    @extend_schema(
        tags=[TAG],
        summary="双公示表格的列说明",
        description="行政处罚、行政许可“双公示”格式（G10）的列名、顺序、含义和导出地址。",
        responses=LayoutSerializer(many=True),
    )
    @action(detail=False, pagination_class=None)
    def layouts(self, request):
        data = [
            {
                "category": category,
                "label": label,
                "csv": request.build_absolute_uri(reverse("portal:opendata_export", args=[category, "csv"])),
                "xlsx": request.build_absolute_uri(
                    reverse("portal:opendata_export", args=[category, "xlsx"])
                ),
                "columns": [
                    {"name": c.name, "meaning": c.meaning, "kind": c.kind} for c in opendata.columns(category)
                ],
            }
            for category, label in opendata.EXPORT_CATEGORIES.items()
        ]
        return Response(LayoutSerializer(data, many=True).data)


router = SimpleRouter()
router.register("open-data", OpenDataViewSet, basename="opendata")
urlpatterns = router.urls
