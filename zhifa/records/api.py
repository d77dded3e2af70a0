from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from zhifa.core.api import ModelPermissions, ScopedReadOnlyViewSet

from . import evidence
from .filters import DocumentFilter, EvidenceFilter
from .kinds import KINDS
from .models import Document, Evidence
from .serializers import DocumentSerializer, EvidenceSerializer, KindSerializer
from .tus import UploadCreateView, UploadView
from .views import document_file_response
from .views_evidence import blob_response, client_ip


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


class EvidenceViewSet(ScopedReadOnlyViewSet):
    """证据（只读，按案件所属执法主体的范围过滤；默认不含已注销的证据）。上传用 tus 接口 uploads/。"""

    queryset = Evidence.objects.select_related("case", "captured_by", "blob")
    serializer_class = EvidenceSerializer
    filterset_class = EvidenceFilter
    permission_classes = [ModelPermissions]

    @extend_schema(
        parameters=[
            OpenApiParameter("reason", str, OpenApiParameter.QUERY, required=True, description="调阅事由")
        ],
        responses={(200, "application/octet-stream"): bytes},
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """下载证据文件；事由与下载人、时间、IP 记入证据的调阅记录（R5）。"""
        item = self.get_object()
        try:
            evidence.record_download(
                item, request.user, request.query_params.get("reason", ""), client_ip(request)
            )
        except ValidationError as exc:
            return Response({"reason": exc.messages}, status=400)
        except PermissionDenied as exc:
            return Response({"detail": str(exc)}, status=403)
        return blob_response(item, attachment=True)


router = SimpleRouter()
router.register("documents", DocumentViewSet, basename="records-document")
router.register("kinds", KindViewSet, basename="records-kind")
router.register("evidence", EvidenceViewSet, basename="records-evidence")
urlpatterns = [
    path("uploads/", UploadCreateView.as_view(), name="records-upload-create"),
    path("uploads/<uuid:upload_id>/", UploadView.as_view(), name="records-upload"),
    *router.urls,
]
