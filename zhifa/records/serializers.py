from django.urls import reverse
from rest_framework import serializers

from .kinds import schema_rows
from .models import Document


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
