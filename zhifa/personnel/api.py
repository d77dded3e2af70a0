from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from zhifa.core.api import ModelPermissions, ScopedModelViewSet

from . import services
from .filters import CertificateFilter, OfficerFilter
from .models import AnnualInspection, Certificate, ExamResult, Officer, TrainingHours
from .serializers import (
    CertificateSerializer,
    EligibilityQuerySerializer,
    EligibilitySerializer,
    ExamSerializer,
    InspectionSerializer,
    OfficerSerializer,
    ReasonSerializer,
    ReinstateSerializer,
    RevokeSerializer,
    TrainingSerializer,
)


class OfficerViewSet(ScopedModelViewSet):
    """执法人员，按用户范围过滤。身份证号只写不读（读取时脱敏）。"""

    queryset = Officer.objects.select_related("organization")
    serializer_class = OfficerSerializer
    filterset_class = OfficerFilter
    permission_classes = [ModelPermissions]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = services.create_officer(self.request.user, Officer(**serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = services.update_officer(
            self.request.user, serializer.instance, dict(serializer.validated_data)
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("field", str, required=True, description="执法类别代码"),
            OpenApiParameter("region", str, required=True, description="行政区划代码"),
            OpenApiParameter("date", str, required=False, description="日期 YYYY-MM-DD，默认今天"),
        ],
        responses=EligibilitySerializer,
    )
    @action(detail=True, methods=["get"])
    def eligibility(self, request, pk=None):
        """该执法人员能否在某执法类别、某区域、某日执法；不能时说明原因（P1、S2、S13）。"""
        # Not self.get_object(): the list filters would read ?field= as their own parameter.
        officer = get_object_or_404(self.get_queryset(), pk=pk)
        self.check_object_permissions(request, officer)
        query = EligibilityQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        field, region = query.validated_data["field"], query.validated_data["region"]
        on = query.validated_data.get("date") or timezone.localdate()
        answer = services.may_enforce(officer, field, region, on)
        return Response(
            EligibilitySerializer(
                {
                    "allowed": answer.allowed,
                    "certificate": answer.certificate,
                    "reasons": [r._asdict() for r in answer.reasons],
                    "field": field.code,
                    "region": region.code,
                    "date": on,
                }
            ).data
        )


class CertificateViewSet(ScopedModelViewSet):
    """执法证件。发证、暂扣、注销、恢复由司法行政部门（监督人员、管理员）办理。"""

    queryset = (
        Certificate.objects.select_related("officer", "issuing_authority")
        .prefetch_related("fields", "regions")
        .order_by("valid_until", "id")
    )
    serializer_class = CertificateSerializer
    filterset_class = CertificateFilter
    permission_classes = [ModelPermissions]
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        fields, regions = data.pop("fields"), data.pop("regions")
        serializer.instance = services.issue_certificate(
            self.request.user, Certificate(**data), fields, regions
        )

    @action(detail=False, methods=["post"])
    def issue(self, request):
        """发放执法证件（与 POST /certificates/ 相同）。"""
        return self.create(request)

    def _change(self, request, serializer_class, apply):
        certificate = self.get_object()
        payload = serializer_class(data=request.data)
        payload.is_valid(raise_exception=True)
        apply(certificate, payload.validated_data)
        certificate.refresh_from_db()
        return Response(self.get_serializer(certificate).data, status=status.HTTP_200_OK)

    @extend_schema(request=ReasonSerializer, responses=CertificateSerializer)
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        """暂扣执法证件（S13）。"""
        return self._change(
            request, ReasonSerializer, lambda c, d: services.suspend_certificate(request.user, c, d["reason"])
        )

    @extend_schema(request=RevokeSerializer, responses=CertificateSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """注销执法证件（S13；因出借、涂改注销的，2年内不得重新申领）。"""
        return self._change(
            request,
            RevokeSerializer,
            lambda c, d: services.revoke_certificate(request.user, c, d["reason"], d["revocation_cause"]),
        )

    @extend_schema(request=ReinstateSerializer, responses=CertificateSerializer)
    @action(detail=True, methods=["post"])
    def reinstate(self, request, pk=None):
        """恢复被暂扣的执法证件。"""
        return self._change(
            request,
            ReinstateSerializer,
            lambda c, d: services.reinstate_certificate(request.user, c, d.get("reason", "")),
        )


class RecordViewSet(ScopedModelViewSet):
    permission_classes = [ModelPermissions]
    http_method_names = ["get", "post", "head", "options"]
    service = None

    def perform_create(self, serializer):
        model = serializer.Meta.model
        serializer.instance = type(self).service(self.request.user, model(**serializer.validated_data))


class InspectionViewSet(RecordViewSet):
    """年审记录（S2）。"""

    queryset = AnnualInspection.objects.select_related("certificate")
    serializer_class = InspectionSerializer
    filterset_fields = ["certificate", "year", "result"]
    service = services.record_inspection


class TrainingViewSet(RecordViewSet):
    """培训学时（S2：每年不少于规定学时）。"""

    queryset = TrainingHours.objects.select_related("officer")
    serializer_class = TrainingSerializer
    filterset_fields = ["officer", "year"]
    service = services.record_training


class ExamViewSet(RecordViewSet):
    """考试成绩。"""

    queryset = ExamResult.objects.select_related("officer")
    serializer_class = ExamSerializer
    filterset_fields = ["officer", "passed"]
    service = services.record_exam


router = SimpleRouter()
router.register("officers", OfficerViewSet, basename="officer")
router.register("certificates", CertificateViewSet, basename="certificate")
router.register("inspections", InspectionViewSet, basename="annualinspection")
router.register("training", TrainingViewSet, basename="traininghours")
router.register("exams", ExamViewSet, basename="examresult")
urlpatterns = router.urls
