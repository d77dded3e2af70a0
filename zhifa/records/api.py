from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from zhifa.core.api import ModelPermissions, ScopedReadOnlyViewSet

from .filters import DocumentFilter
from .kinds import KINDS
from .models import Document
from .serializers import DocumentSerializer, KindSerializer
from .views import document_file_response


class DocumentViewSet(ScopedReadOnlyViewSet):
    """已出具的执法文书（只读，按用户范围过滤）；docx、pdf 为文件下载。"""

    queryset = Document.objects.select_related("agency", "created_by")
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter
    permission_classes = [ModelPermissions]

    @action(detail=True, methods=["get"])
    def docx(self, request, pk=None):
        return document_file_response(self.get_object(), "docx")

    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        return document_file_response(self.get_object(), "pdf")


@extend_schema_view(
    retrieve=extend_schema(
        parameters=[OpenApiParameter("id", str, OpenApiParameter.PATH, description="文书种类代码")]
    )
)
class KindViewSet(viewsets.ViewSet):
    """文书种类及各模板可用的数据项。"""

    serializer_class = KindSerializer
    lookup_value_regex = "[a-z_]+"

    def list(self, request):
        return Response(KindSerializer(KINDS.values(), many=True).data)

    def retrieve(self, request, pk=None):
        if pk not in KINDS:
            raise NotFound("没有这种文书。")
        return Response(KindSerializer(KINDS[pk]).data)


router = SimpleRouter()
router.register("documents", DocumentViewSet, basename="records-document")
router.register("kinds", KindViewSet, basename="records-kind")
urlpatterns = router.urls
