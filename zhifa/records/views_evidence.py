"""Staff pages for evidence (lists, detail with custody log, download with a reason, retire, R3
statistics) and the mobile capture PWA (/m/capture/)."""

from __future__ import annotations

import json
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from zhifa.accounts.roles import Role
from zhifa.cases.models import Case
from zhifa.core.views import ScopedListView, StaffMixin

from . import archive, dossier, evidence
from . import evidence_rules as rules
from .filters import EvidenceFilter, without_retired
from .forms import EvidenceUploadForm, ReasonForm, activity_choices
from .models import AccessScope, Evidence, EvidenceAccess, EvidenceKind
from .tus import client_ip

VIEW_PERMISSION = "records.view_evidence"
PREVIEW_SALT = "zhifa.records.evidence-preview"
PREVIEW_MAX_AGE = 15 * 60
INLINE_MEDIA = ("photo", "audio", "video")


def scoped_evidence(user):
    return Evidence.objects.for_user(user).select_related("case", "captured_by", "blob")


def blob_response(item: Evidence, *, attachment: bool, range_header: str = "") -> HttpResponse:
    """The stored bytes; a single ``Range`` is answered with 206 so phones can seek in a video."""
    size = item.blob.size
    wanted = rules.byte_range(range_header, size)
    if wanted is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    handle = evidence.open_blob(item.blob, wanted)
    start, end = wanted or (0, size - 1)
    response = FileResponse(
        _Window(handle, end - start + 1) if wanted else handle,
        as_attachment=attachment,
        filename=item.original_filename,
        content_type=item.content_type or "application/octet-stream",
        status=206 if wanted else 200,
    )
    if wanted:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = end - start + 1 if wanted else size
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, no-store"
    return response


class _Window:
    """At most ``length`` bytes of a stream from its position. A file-like object (not a
    generator), so FileResponse still sets Content-Disposition and closes the stream."""

    def __init__(self, handle, length: int):
        self._handle, self._left = handle, length

    def read(self, size: int = -1) -> bytes:
        size = self._left if size is None or size < 0 else min(size, self._left)
        data = self._handle.read(size) if size else b""
        self._left -= len(data)
        return data

    def close(self) -> None:
        self._handle.close()


# --- Lists --------------------------------------------------------------------------------------
class EvidenceListView(ScopedListView):
    """Agency-wide (or region-wide for a supervisor) evidence list with filters."""

    model = Evidence
    permission_required = VIEW_PERMISSION
    filterset_class = EvidenceFilter
    template_name = "records/evidence_list.html"

    def get_queryset(self):
        rows = super().get_queryset().select_related("case__agency", "captured_by", "blob")
        return without_retired(rows, self.request.GET)


class CaseEvidenceView(StaffMixin, View):
    """One case's evidence, with the small-file upload form."""

    permission_required = VIEW_PERMISSION
    template_name = "records/case_evidence.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.case = get_object_or_404(
                Case.objects.for_user(request.user).select_related("agency"), pk=kwargs["case_id"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, case_id):
        return self.render(EvidenceUploadForm(initial={"request_key": uuid.uuid4().hex}))

    def post(self, request, case_id):
        if not request.user.has_perm(evidence.ADD_PERMISSION):
            raise PermissionDenied("您的角色无权上传证据。")
        form = EvidenceUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form, status=400)
        data, upload = form.cleaned_data, form.cleaned_data["file"]
        try:
            meta = evidence.validate_metadata(
                request.user,
                {
                    "case": str(self.case.pk),
                    "kind": data["kind"],
                    "activity": data["activity"],
                    "title": data["title"],
                    "captured_at": data["captured_at"].isoformat(),
                    "device": data["device"],
                    "location": data["location"],
                    "description": data["description"],
                    "filename": upload.name,
                    "filetype": upload.content_type,
                },
            )
            item = evidence.create_evidence(
                request.user,
                meta,
                upload,
                request_key=f"form:{data['request_key']}"[:64],
                ip=client_ip(request),
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
            return self.render(form, status=400)
        text = f"已上传证据“{item.title}”。"
        if item.is_late:
            text += f"注意：距采集已超过2个工作日，逾期{item.days_late}个工作日，已记录（R3）。"
        messages.success(request, text)
        return redirect("records:case_evidence", self.case.pk)

    def render(self, form, status=200):
        user = self.request.user
        rows = scoped_evidence(user).filter(case=self.case)
        show_retired = self.request.GET.get("retired") == "1"
        if not show_retired:
            rows = rows.active()
        context = {
            "case": self.case,
            "rows": rows,
            "form": form,
            "show_retired": show_retired,
            "can_upload": user.has_perm(evidence.ADD_PERMISSION) and self.case.status == "open",
            "max_size": rules.human_size(evidence.max_bytes()),
            **recording_context(self.case, user),
        }
        return render(self.request, self.template_name, context, status=status)


def recording_context(case, user) -> dict:
    """R2 on the case's evidence page: the actions needing full audio/video, and the explanations."""
    from zhifa.cases.definitions import procedure_of

    from .models import RecordingException, RecordingRule

    procedure = procedure_of(case.procedure)
    full = {r.code: r for r in RecordingRule.objects.filter(is_active=True, requirement="full")}
    needed = [
        (action, full[code])
        for action in procedure.actions.values()
        for code in action.recordings
        if code in full
    ]
    names = {a.code: a.name for a in procedure.actions.values()}
    exceptions = list(
        RecordingException.objects.filter(case=case).select_related("rule", "requested_by", "decided_by")
    )
    for exception in exceptions:
        exception.action_name = names.get(exception.action, exception.action)
    return {
        "recording_needed": needed,
        "recording_exceptions": exceptions,
        "may_decide_recording": user.is_superuser
        or user.has_perm("cases.change_case")
        and any(user.has_role(r) for r in (Role.AGENCY_HEAD, Role.DIVISION_HEAD)),
    }


class RecordingExceptionView(StaffMixin, View):
    """R2: explain why a required recording could not be made; the head approves or rejects."""

    permission_required = "cases.change_case"

    def post(self, request, case_id):
        from . import recording
        from .models import RecordingException

        case = get_object_or_404(Case.objects.for_user(request.user), pk=case_id)
        try:
            if pk := request.POST.get("exception"):
                exception = get_object_or_404(RecordingException.objects.filter(case=case), pk=pk)
                approve = request.POST.get("approve") == "1"
                recording.decide(exception, request.user, approve=approve, note=request.POST.get("note", ""))
                messages.success(request, "已批准该说明。" if approve else "已不予批准。")
            else:
                action, _, code = request.POST.get("target", "").partition(":")
                recording.explain(
                    case, request.user, action=action, rule_code=code, reason=request.POST.get("reason", "")
                )
                messages.success(request, "说明已提交，待负责人批准（R2）。")
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
        return redirect("records:case_evidence", case.pk)


# --- Detail, content, download, retire ---------------------------------------------------------------
class EvidenceDetailView(StaffMixin, View):
    """Metadata, hash, custody log and preview. Every view is logged (R5)."""

    permission_required = VIEW_PERMISSION

    def get(self, request, pk):
        item = get_object_or_404(
            scoped_evidence(request.user).select_related(
                "case__agency", "uploaded_by", "retired_by", "event"
            ),
            pk=pk,
        )
        evidence.log_access(item, request.user, "view", "查看证据详情", client_ip(request))
        accesses = EvidenceAccess.objects.filter(evidence=item).select_related("user")
        token = signing.dumps({"e": item.pk, "u": request.user.pk}, salt=PREVIEW_SALT)
        return render(
            request,
            "records/evidence_detail.html",
            {
                "object": item,
                "accesses": accesses,
                "preview_url": reverse("records:evidence_content", args=[item.pk]) + f"?t={token}"
                if item.media_type in INLINE_MEDIA
                else "",
                "download_form": ReasonForm(),
                "retire_form": ReasonForm(),
                "can_retire": request.user.has_perm(evidence.RETIRE_PERMISSION) and not item.is_retired,
                "size": rules.human_size(item.blob.size),
            },
        )


class EvidenceContentView(StaffMixin, View):
    """Inline preview for the detail page. It needs the token issued with a logged page view, so
    each preview is covered by that view's custody entry."""

    permission_required = VIEW_PERMISSION

    def get(self, request, pk):
        try:
            claim = signing.loads(request.GET.get("t", ""), salt=PREVIEW_SALT, max_age=PREVIEW_MAX_AGE)
        except signing.BadSignature:
            return HttpResponse(
                "预览链接已失效，请刷新证据页面。", status=403, content_type="text/plain; charset=utf-8"
            )
        if claim != {"e": pk, "u": request.user.pk}:
            return HttpResponse("预览链接无效。", status=403, content_type="text/plain; charset=utf-8")
        item = get_object_or_404(scoped_evidence(request.user), pk=pk)
        archive.read(
            item.case_id, request.user, AccessScope.EVIDENCE, f"预览证据：{item.title}", client_ip(request)
        )
        return blob_response(item, attachment=False, range_header=request.headers.get("Range", ""))


class EvidenceDownloadView(StaffMixin, View):
    """Download with a stated reason (POST), logged before the first byte is sent."""

    permission_required = VIEW_PERMISSION

    def get(self, request, pk):
        return redirect("records:evidence_detail", pk)

    def post(self, request, pk):
        item = get_object_or_404(scoped_evidence(request.user), pk=pk)
        try:
            evidence.record_download(item, request.user, request.POST.get("reason", ""), client_ip(request))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect(item)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect(item)
        return blob_response(item, attachment=True)


class EvidenceRetireView(StaffMixin, View):
    permission_required = evidence.RETIRE_PERMISSION

    def post(self, request, pk):
        item = get_object_or_404(scoped_evidence(request.user), pk=pk)
        try:
            evidence.retire(item, request.user, request.POST.get("reason", ""), client_ip(request))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "证据已注销：不再出现在证据列表中，文件和记录永久保留。")
        return redirect(item)


class LateStatisticsView(StaffMixin, TemplateView):
    """R3: late uploads per officer and per agency."""

    permission_required = VIEW_PERMISSION
    template_name = "records/evidence_late.html"

    def get_context_data(self, **kwargs):
        from django import forms

        class Period(forms.Form):
            date_from = forms.DateField(
                label="上传日期自", required=False, widget=forms.DateInput(attrs={"type": "date"})
            )
            date_to = forms.DateField(
                label="上传日期至", required=False, widget=forms.DateInput(attrs={"type": "date"})
            )

        period = Period(self.request.GET or None)
        values = period.cleaned_data if period.is_valid() else {}
        stats = evidence.late_statistics(self.request.user, values.get("date_from"), values.get("date_to"))
        return super().get_context_data(period=period, basis=rules.R3_BASIS, **stats, **kwargs)


# --- Mobile capture (PWA) ----------------------------------------------------------------------------
class CaptureView(LoginRequiredMixin, View):
    """执法取证: pick an assigned open case, capture photos/video, upload with tus."""

    def get(self, request):
        if not request.user.has_perm(evidence.ADD_PERMISSION):
            raise PermissionDenied("您的角色无权上传证据。")
        cases = list(
            evidence.assigned_open_cases(request.user).prefetch_related(
                Prefetch("parties", to_attr="party_list")
            )
        )
        return render(
            request,
            "records/capture.html",
            {
                "cases": cases,
                "kinds": EvidenceKind.choices,
                "default_kind": EvidenceKind.AUDIOVISUAL,
                "activities": activity_choices(),
                "endpoint": reverse("records-upload-create"),
                "max_bytes": evidence.max_bytes(),
                "max_size": rules.human_size(evidence.max_bytes()),
            },
        )


def manifest(request):
    icons = [
        {"src": static(f"records/icons/capture-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
        for size in (192, 512)
    ]
    data = {
        "name": "执法取证",
        "short_name": "执法取证",
        "description": f"{getattr(settings, 'ZHIFA_SITE_NAME', '执法')} · 现场取证，断点续传上传照片和录像",
        "start_url": reverse("capture"),
        "scope": "/m/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": "#8b0000",
        "lang": "zh-CN",
        "icons": icons,
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


def service_worker(request):
    assets = [
        static("vendor/tus.min.js"),
        static("records/capture.js"),
        static("zhifa/zhifa.css"),
        static("zhifa/zhifa.js"),
        static("vendor/htmx.min.js"),
        static("records/icons/capture-192.png"),
    ]
    response = render(
        request,
        "records/capture_sw.js",
        {"page": reverse("capture"), "assets": json.dumps(assets)},
        content_type="application/javascript; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache"
    return response


# --- 案卷, 归档, 调阅 (R4, R5) ------------------------------------------------------------------
class CaseArchiveView(StaffMixin, View):
    """A case's 案卷 versions, 归档, annotations, and 调阅 requests with their log."""

    permission_required = "records.view_dossier"
    template_name = "records/case_archive.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.case = get_object_or_404(
                Case.objects.for_user(request.user).select_related("agency", "procedure"),
                pk=kwargs["case_id"],
            )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, case_id):
        from .models import ArchiveAccess, ArchiveAccessLog, CaseArchive, Dossier

        case, user = self.case, request.user
        context = {
            "case": case,
            "archived": CaseArchive.objects.filter(case=case)
            .select_related("dossier", "archived_by")
            .first(),
            "dossiers": Dossier.objects.filter(case=case).select_related("generated_by"),
            "annotations": case.annotations.select_related("created_by"),
            "requests": ArchiveAccess.objects.filter(case=case).select_related("requested_by", "decided_by"),
            "log": ArchiveAccessLog.objects.filter(case=case).select_related("user", "access")[:100],
            "is_keeper": user.has_perm(archive.KEEPER_PERMISSION),
            "retentions": archive.RETENTIONS,
            "scopes": AccessScope.choices,
            "closed": case.status == "closed",
        }
        return render(request, self.template_name, context)

    def post(self, request, case_id):
        from .models import ArchiveAccess

        case, user, data = self.case, request.user, request.POST
        do = data.get("do", "")
        try:
            if do == "dossier":
                if not user.has_perm("records.add_dossier"):
                    raise PermissionDenied("只有档案管理人员可以组卷。")
                version = dossier.build(case, user)
                messages.success(request, f"已生成第{version.version}版案卷，共{version.pages}页。")
            elif do == "archive":
                record = archive.archive_case(case, user, data.get("retention", ""))
                messages.success(request, f"已归档，档号{record.number}。")
            elif do == "annotate":
                archive.annotate(case, user, data.get("text", ""))
                messages.success(request, "备注已添加。")
            elif do == "request":
                days = int(data.get("days") or 0) if str(data.get("days", "")).isdigit() else 0
                archive.request_access(
                    case, user, reason=data.get("reason", ""), scope=data.get("scope", ""), days=days
                )
                messages.success(request, "调阅申请已提交，待档案管理人员审批。")
            elif do == "decide":
                access = get_object_or_404(ArchiveAccess.objects.filter(case=case), pk=data.get("access"))
                archive.decide_access(
                    access, user, approve=data.get("approve") == "1", note=data.get("note", "")
                )
                messages.success(request, "已审批调阅申请。")
            else:
                messages.error(request, "未知的操作。")
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
        return redirect("records:case_archive", case.pk)


class DossierFileView(StaffMixin, View):
    """Download one 案卷 PDF; reading an archived case's 案卷 needs an approved 调阅 (R5)."""

    permission_required = "records.view_dossier"

    def get(self, request, pk):
        from django.http import FileResponse

        from .models import Dossier

        item = get_object_or_404(Dossier.objects.for_user(request.user).select_related("case"), pk=pk)
        archive.read(
            item.case_id, request.user, AccessScope.ALL, f"阅览案卷第{item.version}版", client_ip(request)
        )
        return FileResponse(
            item.pdf.open("rb"), content_type="application/pdf", filename=f"{item.case}案卷.pdf"
        )
