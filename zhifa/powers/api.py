import django_filters
from django.db.models import Prefetch
from rest_framework import viewsets
from rest_framework.routers import SimpleRouter

from zhifa.core.api import ModelPermissions, ScopedModelViewSet

from . import services
from .filters import InspectionItemFilter, LawFilter, PowerItemFilter
from .models import Article, InspectionItem, InspectionItemBasis, Law, LawVersion, PowerItem, PowerItemBasis
from .serializers import (
    ArticleSerializer,
    InspectionItemSerializer,
    LawSerializer,
    LawVersionSerializer,
    PowerItemSerializer,
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


router = SimpleRouter()
router.register("laws", LawViewSet, basename="law")
router.register("versions", LawVersionViewSet, basename="lawversion")
router.register("articles", ArticleViewSet, basename="article")
router.register("items", PowerItemViewSet, basename="poweritem")
router.register("inspections", InspectionItemViewSet, basename="inspectionitem")
urlpatterns = router.urls
