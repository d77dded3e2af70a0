from rest_framework import viewsets
from rest_framework.routers import SimpleRouter

from zhifa.core.api import ModelPermissions, ScopedModelViewSet

from . import services
from .filters import OrganizationFilter
from .models import EnforcementField, Entrustment, Organization, Region
from .serializers import (
    EnforcementFieldSerializer,
    EntrustmentSerializer,
    OrganizationSerializer,
    RegionSerializer,
)


class OrganizationViewSet(ScopedModelViewSet):
    """组织机构树（人民政府、执法主体、内设机构），按用户范围过滤。"""

    queryset = Organization.objects.select_related("region").prefetch_related("fields")
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter
    permission_classes = [ModelPermissions]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        parent = data.pop("parent", None)
        fields = data.pop("fields", [])
        serializer.instance = services.create_organization(
            self.request.user, Organization(**data), parent, fields
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("parent", None)
        serializer.instance = services.update_organization(self.request.user, serializer.instance, data)


class EntrustmentViewSet(ScopedModelViewSet):
    queryset = Entrustment.objects.select_related("entrusting", "entrusted")
    serializer_class = EntrustmentSerializer
    permission_classes = [ModelPermissions]
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = services.save_entrustment(
            self.request.user, Entrustment(**serializer.validated_data)
        )


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    filterset_fields = ["code", "parent"]


class EnforcementFieldViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = EnforcementField.objects.all()
    serializer_class = EnforcementFieldSerializer
    pagination_class = None


router = SimpleRouter()
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("entrustments", EntrustmentViewSet, basename="entrustment")
router.register("regions", RegionViewSet, basename="region")
router.register("fields", EnforcementFieldViewSet, basename="enforcementfield")
urlpatterns = router.urls
