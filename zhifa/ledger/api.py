"""The ledger API. Checkpoints, the public key, leaf hashes and proofs are public: they hold only
hashes. A leaf's canonical JSON is given only to staff allowed to see that agency's records."""

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from zhifa.core.api import ModelPermissions, ScopedReadOnlyViewSet

from . import services
from .models import LedgerCheckpoint, LedgerLeaf
from .serializers import (
    CheckpointSerializer,
    ConsistencyProofSerializer,
    InclusionProofSerializer,
    LeafSerializer,
    PublicKeySerializer,
    StaffLeafSerializer,
)

PUBLIC = [permissions.AllowAny]


def _int(request, name: str, *, required: bool = True, default=None) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        if required and default is None:
            raise ValidationError({name: "缺少该参数。"})
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({name: "应为非负整数。"}) from None
    if value < 0:
        raise ValidationError({name: "应为非负整数。"})
    return value


def _latest_size() -> int | None:
    return LedgerCheckpoint.objects.order_by("-size").values_list("size", flat=True).first()


def _ledger_call(function, *args):
    try:
        return function(*args)
    except services.LedgerError as exc:
        raise ValidationError({"non_field_errors": [str(exc)]}) from exc


class CheckpointList(generics.ListAPIView):
    """已签发的检查点（新的在前），C2SP tlog-checkpoint 格式。POST：立即签发（管理员）。"""

    queryset = LedgerCheckpoint.objects.order_by("-size")
    serializer_class = CheckpointSerializer
    permission_classes = PUBLIC
    filter_backends = []

    @extend_schema(request=None, responses={201: CheckpointSerializer, 200: CheckpointSerializer})
    def post(self, request):
        if not request.user.has_perm("ledger.add_ledgercheckpoint"):
            raise PermissionDenied("只有管理员可以立即签发检查点。")
        checkpoint, created = services.checkpoint()
        if checkpoint is None:
            raise ValidationError({"non_field_errors": ["存证日志还没有记录，无需签发检查点。"]})
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(CheckpointSerializer(checkpoint).data, status=code)


class CheckpointLatest(APIView):
    """最新的检查点。"""

    permission_classes = PUBLIC

    @extend_schema(responses=CheckpointSerializer)
    def get(self, request):
        checkpoint = LedgerCheckpoint.objects.order_by("-size").first()
        if checkpoint is None:
            raise NotFound("尚未签发检查点。")
        return Response(CheckpointSerializer(checkpoint).data)


class CheckpointDetail(generics.RetrieveAPIView):
    """指定树大小的检查点。"""

    queryset = LedgerCheckpoint.objects.all()
    serializer_class = CheckpointSerializer
    permission_classes = PUBLIC
    lookup_field = "size"


class PublicKey(APIView):
    """日志的签名公钥（Ed25519 或 SM2）及验证公钥串。"""

    permission_classes = PUBLIC

    @extend_schema(responses=PublicKeySerializer)
    def get(self, request):
        return Response(services.public_key_info())


class InclusionProof(APIView):
    """叶子的包含证明（RFC 9162 §2.1.3）。按 index 或 leaf_hash 指定叶子；tree_size 缺省为最新检查点的大小。"""

    permission_classes = PUBLIC

    @extend_schema(
        parameters=[
            OpenApiParameter("index", int, description="叶子序号（从0开始）"),
            OpenApiParameter("leaf_hash", str, description="叶子哈希（十六进制），可代替 index"),
            OpenApiParameter("tree_size", int, description="树大小，缺省为最新检查点"),
        ],
        responses=InclusionProofSerializer,
    )
    def get(self, request):
        size = _int(request, "tree_size", required=False, default=_latest_size())
        if size is None:
            raise ValidationError({"tree_size": "尚未签发检查点，请指定树大小。"})
        leaf_hash = request.query_params.get("leaf_hash", "").strip().lower()
        if leaf_hash:
            index = (
                LedgerLeaf.objects.filter(leaf_hash=leaf_hash, index__isnull=False)
                .order_by("index")
                .values_list("index", flat=True)
                .first()
            )
            if index is None:
                raise NotFound("没有该哈希的已排序叶子（可能尚待排序）。")
        else:
            index = _int(request, "index")
        return Response(_ledger_call(services.inclusion_proof, index, size))


class ConsistencyProof(APIView):
    """两个树大小之间的一致性证明（RFC 9162 §2.1.4）。second 缺省为最新检查点的大小。"""

    permission_classes = PUBLIC

    @extend_schema(
        parameters=[
            OpenApiParameter("first", int, required=True, description="旧树大小"),
            OpenApiParameter("second", int, description="新树大小，缺省为最新检查点"),
        ],
        responses=ConsistencyProofSerializer,
    )
    def get(self, request):
        first = _int(request, "first")
        second = _int(request, "second", required=False, default=_latest_size())
        if second is None:
            raise ValidationError({"second": "尚未签发检查点，请指定新树大小。"})
        return Response(_ledger_call(services.consistency_proof, first, second))


class LeafDetail(APIView):
    """按序号查看叶子：公开哈希与位置；规范JSON仅对范围内的工作人员提供。"""

    permission_classes = PUBLIC

    @extend_schema(responses=LeafSerializer)
    def get(self, request, index: int):
        leaf = LedgerLeaf.objects.filter(index=index).first()
        if leaf is None:
            raise NotFound("没有该序号的叶子。")
        visible = set()
        if request.user.has_perm("ledger.view_ledgerleaf"):
            visible = set(
                LedgerLeaf.objects.for_user(request.user).filter(pk=leaf.pk).values_list("pk", flat=True)
            )
        return Response(LeafSerializer(leaf, context={"visible_ids": visible}).data)


class StaffLeafViewSet(ScopedReadOnlyViewSet):
    """存证叶子（含规范JSON），按用户范围过滤；可按 kind、source、object_id 筛选。"""

    queryset = LedgerLeaf.objects.order_by("-id")
    serializer_class = StaffLeafSerializer
    permission_classes = [ModelPermissions]
    filterset_fields = ["kind", "source", "object_id", "index"]


router = SimpleRouter()
router.register("entries", StaffLeafViewSet, basename="ledger-leaf")
urlpatterns = [
    path("checkpoints/", CheckpointList.as_view(), name="ledger-checkpoints"),
    path("checkpoints/latest/", CheckpointLatest.as_view(), name="ledger-checkpoint-latest"),
    path("checkpoints/<int:size>/", CheckpointDetail.as_view(), name="ledger-checkpoint-detail"),
    path("public-key/", PublicKey.as_view(), name="ledger-public-key"),
    path("proofs/inclusion/", InclusionProof.as_view(), name="ledger-inclusion-proof"),
    path("proofs/consistency/", ConsistencyProof.as_view(), name="ledger-consistency-proof"),
    path("leaves/<int:index>/", LeafDetail.as_view(), name="ledger-leaf-by-index"),
    *router.urls,
]
