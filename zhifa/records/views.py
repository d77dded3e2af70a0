from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from zhifa.core.scope import scope_for
from zhifa.core.views import ScopedCreateView, ScopedDetailView, ScopedListView, ScopedUpdateView, StaffMixin
from zhifa.ledger import services as ledger_services

from . import kinds, rules, services
from .filters import DocumentFilter
from .forms import NumberPatternForm, TemplateUploadForm
from .models import BUILTIN_VERSION, Document, DocumentTemplate, NumberPattern
from .rendering import builtin_template_path

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = {"docx": DOCX_TYPE, "pdf": "application/pdf"}


def _kind_or_404(code: str) -> kinds.DocumentKind:
    try:
        return kinds.get_kind(code)
    except KeyError:
        raise Http404("没有这种文书。") from None


def _attachment(content: bytes, filename: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# --- Templates --------------------------------------------------------------------------------
class TemplateListView(StaffMixin, TemplateView):
    permission_required = "records.view_documenttemplate"
    template_name = "records/template_list.html"

    def get_context_data(self, **kwargs):
        active = {
            t.kind: t for t in DocumentTemplate.objects.filter(is_active=True).select_related("uploaded_by")
        }
        counts = dict(DocumentTemplate.objects.values_list("kind").annotate(n=Count("id")))
        rows = [
            {"kind": kind, "active": active.get(kind.code), "versions": counts.get(kind.code, 0)}
            for kind in kinds.KINDS.values()
        ]
        return super().get_context_data(rows=rows, **kwargs)


class KindMixin:
    def dispatch(self, request, *args, **kwargs):
        self.kind = _kind_or_404(kwargs["kind"])
        return super().dispatch(request, *args, **kwargs)


class TemplateDetailView(StaffMixin, KindMixin, TemplateView):
    permission_required = "records.view_documenttemplate"
    template_name = "records/template_detail.html"

    def get_context_data(self, **kwargs):
        kwargs.pop("kind", None)  # the URL's code; the context gets the DocumentKind
        versions = DocumentTemplate.objects.filter(kind=self.kind.code).select_related("uploaded_by")
        kwargs.setdefault("form", TemplateUploadForm())
        return super().get_context_data(
            kind=self.kind,
            versions=versions,
            builtin_active=not any(v.is_active for v in versions),
            schema=kinds.schema_rows(self.kind),
            required=[(path, kinds.describe(path)) for path in self.kind.required_text_paths()],
            **kwargs,
        )


class TemplateUploadView(StaffMixin, KindMixin, FormView):
    permission_required = "records.add_documenttemplate"
    form_class = TemplateUploadForm
    template_name = "records/template_upload.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(kind=self.kind, **kwargs)

    def form_valid(self, form):
        try:
            template = services.upload_template(
                self.request.user, self.kind.code, form.cleaned_data["file"], form.cleaned_data["note"]
            )
        except ValidationError as exc:
            form.add_error("file", exc)
            return self.form_invalid(form)
        messages.success(self.request, f"已上传并启用{template}。")
        return redirect("records:template_detail", self.kind.code)


class TemplateActivateView(StaffMixin, KindMixin, View):
    permission_required = "records.change_documenttemplate"
    http_method_names = ["post"]

    def post(self, request, kind, version):
        try:
            chosen = services.activate_template(request.user, self.kind.code, version)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已启用{chosen or '系统内置模板'}。")
        return redirect("records:template_detail", self.kind.code)


class TemplateDownloadView(StaffMixin, KindMixin, View):
    permission_required = "records.view_documenttemplate"

    def get(self, request, kind, version):
        if version == BUILTIN_VERSION:
            content = builtin_template_path(self.kind.code).read_bytes()
        else:
            template = get_object_or_404(DocumentTemplate, kind=self.kind.code, version=version)
            with template.file.open("rb") as handle:
                content = handle.read()
        return _attachment(content, f"{self.kind.name}模板（第{version}版）.docx", "docx")


class TemplatePreviewView(StaffMixin, KindMixin, View):
    permission_required = "records.view_documenttemplate"

    def get(self, request, kind, fmt):
        if fmt not in CONTENT_TYPES:
            raise Http404
        template = None
        if (version := request.GET.get("version")) and version != str(BUILTIN_VERSION):
            template = get_object_or_404(DocumentTemplate, kind=self.kind.code, version=version)
        try:
            content = services.preview(self.kind.code, fmt, template)
        except ValidationError as exc:
            messages.error(request, "预览失败：" + "；".join(exc.messages))
            return redirect("records:template_detail", self.kind.code)
        return _attachment(content, f"{self.kind.name}（样例）.{fmt}", fmt)


# --- 文号 patterns ----------------------------------------------------------------------------
class NumberPatternListView(StaffMixin, ListView):
    permission_required = "records.view_numberpattern"
    template_name = "records/pattern_list.html"
    paginate_by = 100

    def get_queryset(self):
        own = NumberPattern.objects.for_user(self.request.user).values("pk")
        return NumberPattern.objects.filter(Q(agency__isnull=True) | Q(pk__in=own)).select_related("agency")

    def get_context_data(self, **kwargs):
        numbered = [kind for kind in kinds.KINDS.values() if kind.numbered]
        return super().get_context_data(
            numbered=numbered,
            default_pattern=rules.DEFAULT_PATTERN,
            can_edit_national=scope_for(self.request.user).everything,
            **kwargs,
        )


class PatternFormMixin:
    model = NumberPattern
    form_class = NumberPatternForm
    template_name = "records/pattern_form.html"

    def form_valid(self, form):
        try:
            self.object = services.save_number_pattern(self.request.user, form.save(commit=False))
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, "文号格式已保存。")
        return redirect("records:pattern_list")


class NumberPatternCreateView(PatternFormMixin, ScopedCreateView):
    permission_required = "records.add_numberpattern"


class NumberPatternUpdateView(PatternFormMixin, ScopedUpdateView):
    permission_required = "records.change_numberpattern"


# --- Issued documents ---------------------------------------------------------------------------
class DocumentListView(ScopedListView):
    model = Document
    permission_required = "records.view_document"
    filterset_class = DocumentFilter
    template_name = "records/document_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("agency", "created_by")


class DocumentDetailView(ScopedDetailView):
    model = Document
    permission_required = "records.view_document"
    template_name = "records/document_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("agency", "created_by", "replaces")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            corrections=Document.objects.for_user(self.request.user).filter(replaces=self.object),
            ledger_leaves=ledger_services.leaf_position(self.object),
            **kwargs,
        )


class DocumentFileView(StaffMixin, View):
    permission_required = "records.view_document"

    def get(self, request, pk, fmt):
        if fmt not in CONTENT_TYPES:
            raise Http404
        document = get_object_or_404(Document.objects.for_user(request.user), pk=pk)
        if document.case_id:
            from . import archive
            from .models import AccessScope
            from .tus import client_ip

            what = f"下载文书：{document}（{fmt}）"
            archive.read(document.case_id, request.user, AccessScope.DOCUMENTS, what, client_ip(request))
        return document_file_response(document, fmt)


class DocumentRenderPdfView(StaffMixin, View):
    """Render a pending PDF now, for a user who cannot wait for the background task."""

    permission_required = "records.view_document"

    def post(self, request, pk):
        document = get_object_or_404(Document.objects.for_user(request.user), pk=pk)
        try:
            services.render_pending_pdf(document.pk)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "PDF文件已生成。")
        return redirect(document)


def document_file_response(document: Document, fmt: str) -> HttpResponse:
    if fmt == "pdf" and document.pdf_pending:
        return HttpResponse(
            "PDF文件正在生成，请稍后刷新页面再下载；Word文件已可下载。",
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    stored = document.pdf if fmt == "pdf" else document.docx
    name = f"{document.title}{document.number}.{fmt}"
    return FileResponse(stored.open("rb"), as_attachment=True, filename=name, content_type=CONTENT_TYPES[fmt])
