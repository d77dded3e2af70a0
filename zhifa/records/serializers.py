from django.urls import reverse
from rest_framework import serializers

from .kinds import schema_rows
from .models import Document, Evidence


class DocumentSerializer(serializers.ModelSerializer):
    kind_name = serializers.CharField(source="title", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    created_by_name = serializers.CharField(source="created_by.get_full_name", read_only=True)
    docx_url = serializers.SerializerMethodField(help_text="下载Word文件")
    pdf_url = serializers.SerializerMethodField(help_text="下载PDF文件；PDF尚在生成时为空")
    pdf_pending = serializers.BooleanField(read_only=True, help_text="PDF文件正在后台生成")

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "kind_name",
            "number",
            "agency",
            "agency_name",
            "case_id",
            "case_label",
            "issued_on",
            "template_version",
            "docx_sha256",
            "pdf_sha256",
            "pdf_pending",
            "replaces",
            "created_by_name",
            "created_at",
            "docx_url",
            "pdf_url",
        ]
        read_only_fields = fields

    def _url(self, document, fmt) -> str:
        url = reverse(f"records-document-{fmt}", args=[document.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    def get_docx_url(self, document) -> str:
        return self._url(document, "docx")

    def get_pdf_url(self, document) -> str | None:
        """Empty while the PDF is still being rendered (``pdf_pending``)."""
        return None if document.pdf_pending else self._url(document, "pdf")


class KindSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    abbreviation = serializers.CharField(help_text="默认文号代字；空表示不编文号")
    numbered = serializers.BooleanField()
    has_remedy = serializers.BooleanField()
    basis = serializers.CharField()
    context_keys = serializers.ListField(child=serializers.CharField())
    schema = serializers.SerializerMethodField()

    def get_schema(self, kind) -> list[dict]:
        return [{"path": path, "description": description} for path, description in schema_rows(kind)]


class EvidenceSerializer(serializers.ModelSerializer):
    kind_name = serializers.CharField(source="get_kind_display", read_only=True)
    media_type_name = serializers.CharField(source="get_media_type_display", read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True)
    captured_by_name = serializers.CharField(source="captured_by.get_full_name", read_only=True)
    algorithm = serializers.CharField(source="blob.algorithm", read_only=True, help_text="sha256 或 sm3")
    digest = serializers.CharField(source="blob.digest", read_only=True)
    size = serializers.IntegerField(source="blob.size", read_only=True)
    retired = serializers.BooleanField(source="is_retired", read_only=True)
    download_url = serializers.SerializerMethodField(
        help_text="下载地址；须带 reason 参数说明事由，下载将记入调阅记录"
    )

    class Meta:
        model = Evidence
        fields = [
            "id",
            "case",
            "case_number",
            "kind",
            "kind_name",
            "media_type",
            "media_type_name",
            "title",
            "description",
            "captured_at",
            "captured_by",
            "captured_by_name",
            "device",
            "location",
            "latitude",
            "longitude",
            "stage",
            "activity",
            "event",
            "original_filename",
            "content_type",
            "algorithm",
            "digest",
            "size",
            "uploaded_at",
            "upload_due_on",
            "is_late",
            "days_late",
            "late_provisional",
            "retired",
            "retired_at",
            "retired_reason",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, obj) -> str:
        return reverse("records-evidence-download", args=[obj.pk])
