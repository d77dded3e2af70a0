import django_filters
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from zhifa.core.api import ModelPermissions, ScopedModelViewSet

from . import services
from .filters import BenchmarkFilter, InspectionItemFilter, LawFilter, PowerItemFilter
from .models import (
    Article,
    DiscretionBenchmark,
    DiscretionTier,
    InspectionItem,
    InspectionItemBasis,
    Law,
    LawVersion,
    PowerItem,
    PowerItemBasis,
)
from .serializers import (
    ArticleSerializer,
    DiscretionBenchmarkSerializer,
    InspectionItemSerializer,
    LawSerializer,
    LawVersionSerializer,
    PowerItemSerializer,
    SuggestRequestSerializer,
    SuggestResultSerializer,
)


class LawViewSet(viewsets.ReadOnlyModelViewSet):
    """法律法规库：法律法规及其各版本。"""

    queryset = Law.objects.prefetch_related("versions")
    serializer_class = LawSerializer
    filterset_class = LawFilter
    permission_classes = [ModelPermissions]


class LawVersionViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = LawVersion.objects.select_related("law")
    serializer_class = LawVersionSerializer
    filterset_fields = ["law", "is_current"]
    permission_classes = [ModelPermissions]


class ArticleFilter(django_filters.FilterSet):
    law = django_filters.CharFilter(label="法律法规（ID、全称或简称）", method="filter_law")
    number = django_filters.NumberFilter(label="条号")
    version = django_filters.NumberFilter(label="版本ID", field_name="version_id")
    current = django_filters.BooleanFilter(label="仅现行版本", field_name="version__is_current")
    q = django_filters.CharFilter(label="条文内容", field_name="text", lookup_expr="contains")

    class Meta:
        model = Article
        fields = ["law", "number", "version", "current", "q"]

    def filter_law(self, queryset, name, value):
        value = value.strip()
        if value.isdigit():
            return queryset.filter(version__law_id=int(value))
        return queryset.filter(services.law_name_filter(value, "version__law__"))


class ArticleViewSet(viewsets.ReadOnlyModelViewSet):
    """条文查询：``?law=食品安全法&number=122&current=true``。"""

    queryset = Article.objects.select_related("version__law", "chapter").prefetch_related("paragraphs")
    serializer_class = ArticleSerializer
    filterset_class = ArticleFilter
    permission_classes = [ModelPermissions]


class PowerItemViewSet(ScopedModelViewSet):
    """权责清单事项，按用户范围过滤；保存时依据文本中的条文引用自动关联到法律法规库。"""

    queryset = PowerItem.objects.select_related("agency", "undertaking_unit").prefetch_related(
        Prefetch("basis_links", queryset=PowerItemBasis.objects.select_related("article__version__law"))
    )
    serializer_class = PowerItemSerializer
    filterset_class = PowerItemFilter
    permission_classes = [ModelPermissions]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = services.save_power_item(
            self.request.user, PowerItem(**serializer.validated_data)
        )

    def perform_update(self, serializer):
        item = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(item, name, value)
        serializer.instance = services.save_power_item(self.request.user, item)


class InspectionItemViewSet(ScopedModelViewSet):
    """随机抽查事项清单，按用户范围过滤。"""

    queryset = InspectionItem.objects.select_related("agency").prefetch_related(
        Prefetch("basis_links", queryset=InspectionItemBasis.objects.select_related("article__version__law"))
    )
    serializer_class = InspectionItemSerializer
    filterset_class = InspectionItemFilter
    permission_classes = [ModelPermissions]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = services.save_inspection_item(
            self.request.user, InspectionItem(**serializer.validated_data)
        )

    def perform_update(self, serializer):
        item = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(item, name, value)
        serializer.instance = services.save_inspection_item(self.request.user, item)


class CanViewBenchmarks(permissions.BasePermission):
    """Computing a suggestion changes nothing: whoever may read the benchmarks may use it."""

    def has_permission(self, request, view):
        return request.user.is_authenticated and request.user.has_perm("powers.view_discretionbenchmark")


class BenchmarkViewSet(ScopedModelViewSet):
    """裁量基准（S8，处罚法第三十四条），按用户范围过滤。新建为草稿；公布、撤回在工作台办理。"""

    queryset = DiscretionBenchmark.objects.select_related("agency", "power_item").prefetch_related("tiers")
    serializer_class = DiscretionBenchmarkSerializer
    filterset_class = BenchmarkFilter
    permission_classes = [ModelPermissions]
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        tiers = [DiscretionTier(**tier) for tier in data.pop("tiers")]
        serializer.instance = services.save_benchmark(self.request.user, DiscretionBenchmark(**data), tiers)

    @extend_schema(
        request=SuggestRequestSerializer,
        responses=SuggestResultSerializer,
        summary="按情形和事实计算建议档次与罚款数额（可同时核对拟处罚）",
        operation_id="powers_benchmarks_suggest",
    )
    @action(detail=False, methods=["post"], permission_classes=[CanViewBenchmarks])
    def suggest(self, request):
        """``power_item`` 与 ``on_date`` 选出当日生效的裁量基准，返回建议档次、罚款幅度（元）和决定书表述；
        带 ``proposed`` 时核对是否超出档次（超出须说明理由，并提示法制审核）。"""
        payload = SuggestRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        if "power_item" not in data:
            raise serializers.ValidationError({"power_item": "请指定权责事项。"})
        item = get_object_or_404(PowerItem.objects.for_user(request.user), pk=data["power_item"])
        return Response(self._evaluate(item, data, None))

    @extend_schema(
        request=SuggestRequestSerializer,
        responses=SuggestResultSerializer,
        summary="按本裁量基准计算",
        operation_id="powers_benchmarks_suggest_with",
    )
    @action(detail=True, methods=["post"], url_path="suggest", permission_classes=[CanViewBenchmarks])
    def suggest_with(self, request, pk=None):
        """用这一版裁量基准（含草稿）计算，便于制定时试算。"""
        benchmark = self.get_object()
        payload = SuggestRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return Response(self._evaluate(benchmark.power_item, payload.validated_data, benchmark))

    def _evaluate(self, item, data, benchmark):
        on_date = data.get("on_date") or (benchmark.effective_from if benchmark else timezone.localdate())
        args = (item, data.get("circumstances", []), data.get("facts", {}))
        options = {"party": data.get("party", ""), "benchmark": benchmark}
        if data.get("proposed") is not None:
            proposed = data["proposed"]
            proposed = services.ProposedPenalty(
                amount=proposed.get("amount"),
                kinds=list(proposed.get("penalty_kinds") or []),
                text=proposed.get("text", ""),
            )
            result = services.check_proposal(
                *args, proposed, on_date, reason=data.get("reason", ""), **options
            )
        else:
            result = services.suggest_penalty(*args, on_date, **options)
        return SuggestResultSerializer(result).data


router = SimpleRouter()
router.register("laws", LawViewSet, basename="law")
router.register("versions", LawVersionViewSet, basename="lawversion")
router.register("articles", ArticleViewSet, basename="article")
router.register("items", PowerItemViewSet, basename="poweritem")
router.register("inspections", InspectionItemViewSet, basename="inspectionitem")
router.register("benchmarks", BenchmarkViewSet, basename="benchmark")
urlpatterns = router.urls
