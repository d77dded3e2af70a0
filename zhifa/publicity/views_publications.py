"""Staff pages of the 公示 pipeline: the queue of drafts and withdrawals, and one publication with
its original and redacted text side by side, approval, correction and withdrawal (G3–G5)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from zhifa.cases.deadlines import yellow_threshold
from zhifa.cases.filters import LEVEL_CSS
from zhifa.cases.rules import warning_level
from zhifa.workdays.services import current_calendar

from . import services, snapshot
from .models import Category, Publication, PublicationVersion, Status, WithdrawalKind
from .search import parse_id

TABS = {
    "todo": ("待审核", Q(status=Status.DRAFT)),
    "withdraw": ("待撤回", Q(status=Status.PUBLISHED, withdraw_due_on__isnull=False)),
    "published": ("已公示", Q(status=Status.PUBLISHED)),
    "closed": ("已撤回、到期或不予公开", Q(status__in=[Status.WITHDRAWN, Status.EXPIRED, Status.SUPPRESSED])),
    "all": ("全部", Q()),
}
_SPLIT = re.compile(r"[\n\r]+")


@login_required
@permission_required("publicity.view_publication", raise_exception=True)
def publication_list(request):
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "todo"
    category = request.GET.get("category", "")
    publications = (
        Publication.objects.for_user(request.user)
        .filter(TABS[tab][1])
        .select_related("case", "agency")
        .order_by("due_on" if tab == "todo" else "-decided_on", "-pk")
    )
    if category in Category.values:
        publications = publications.filter(category=category)
    page = Paginator(publications, 30).get_page(request.GET.get("page"))
    today, calendar, yellow = timezone.localdate(), current_calendar(), yellow_threshold()
    for publication in page:
        due = publication.withdraw_due_on if tab == "withdraw" else publication.due_on
        publication.level_css = LEVEL_CSS[warning_level(due, today, calendar, yellow)] if due else ""
    counts = Publication.objects.for_user(request.user).aggregate(  # one query for every tab
        **{key: Count("pk", filter=query) if query else Count("pk") for key, (_, query) in TABS.items()}
    )
    return render(
        request,
        "publicity/staff/publication_list.html",
        {
            "page": page,
            "tab": tab,
            "tabs": [(key, label, counts[key]) for key, (label, _) in TABS.items()],
            "category": category,
            "categories": Category.choices,
        },
    )


@login_required
@permission_required("publicity.view_publication", raise_exception=True)
def publication_detail(request, pk):
    publication = get_object_or_404(
        Publication.objects.for_user(request.user).select_related("case", "agency", "current", "document"),
        pk=pk,
    )
    if request.method == "POST":
        return _post(request, publication)
    versions = list(publication.versions.select_related("approved_by", "prepared_by").order_by("-number"))
    draft = next((v for v in versions if not v.approved_at), None)
    shown = draft or publication.current
    manual, restored = services.manual_lists(draft) if draft else ([], [])
    return render(
        request,
        "publicity/staff/publication_detail.html",
        {
            "publication": publication,
            "versions": versions,
            "draft": draft,
            "shown": shown,
            "rows": _rows(shown) if shown else [],
            "texts": _texts(shown) if shown else [],
            "manual": "\n".join(manual),
            "restored": "\n".join(restored),
            "may_approve": services.may_approve(publication, request.user),
            "withdrawal_kinds": WithdrawalKind.choices,
        },
    )


def _post(request, publication: Publication):
    operation = request.POST.get("operation", "")
    user = request.user
    try:
        if operation == "update":
            version = _version(request, publication)
            services.update_draft(
                version,
                user,
                manual=_lines(request.POST.get("manual")),
                restored=_lines(request.POST.get("restored")),
            )
            messages.success(request, "已按您的修改重新生成公示内容。")
        elif operation == "approve":
            version = _version(request, publication)
            services.approve(version, user, override_reason=request.POST.get("override_reason", ""))
            messages.success(request, f"第{version.number}版已审核通过并在门户公示。")
        elif operation == "correct":
            version = services.prepare_correction(publication, user, reason=request.POST.get("reason", ""))
            messages.success(request, f"已生成第{version.number}版（更正），审核通过后替换门户上的内容。")
        elif operation == "withdraw":
            services.withdraw(
                publication, user, kind=request.POST.get("kind", ""), reason=request.POST.get("reason", "")
            )
            messages.success(request, "已撤回公示，门户显示撤回说明。")
        else:
            messages.error(request, "未知的操作。")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc))
    return redirect(publication.get_absolute_url())


def _version(request, publication: Publication) -> PublicationVersion:
    """The version a form names; a malformed or foreign id is a 404, never a database error."""
    version_id = parse_id(request.POST.get("version", ""))
    if version_id is None:
        raise Http404("公示版本不存在。")
    return get_object_or_404(PublicationVersion, pk=version_id, publication=publication)


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc) or "您没有执行该操作的权限。"


def _lines(value) -> list[str]:
    return [line.strip() for line in _SPLIT.split(value or "") if line.strip()][:50]


def _rows(version: PublicationVersion) -> list[dict]:
    """Structured fields: original and public value side by side, the changed ones flagged."""
    category = version.original.get("category") or version.publication.category
    free = set(snapshot.free_text_keys(category))
    rows = []
    for field in snapshot.fields_of(category):
        if field.key in free:
            continue
        public = version.fields.get(field.key, "")
        original = version.original.get(field.key, "")
        if public in ("", None, []) and original in ("", None, []):
            continue
        rows.append(
            {
                "label": field.label,
                "original": _text(original),
                "public": _text(public),
                "changed": public != original,
            }
        )
    return rows


def _text(value) -> str:
    return "、".join(map(str, value)) if isinstance(value, list) else str(value or "")


def _texts(version: PublicationVersion) -> list[dict]:
    """Free-text fields as (original piece, public piece, change) segments for the side-by-side view."""
    category = version.original.get("category") or version.publication.category
    by_field: dict[str, list[dict]] = {}
    for change in version.changes:
        by_field.setdefault(change["field"], []).append(change)
    texts = []
    for field in snapshot.fields_of(category):
        if not field.free_text or not version.original.get(field.key):
            continue
        text, segments, position = version.original[field.key], [], 0
        for change in sorted(by_field.get(field.key, []), key=lambda c: c["start"]):
            if change["start"] > position:
                piece = text[position : change["start"]]
                segments.append((piece, piece, None))
            segments.append((change["original"], change["replacement"], change))
            position = change["end"]
        if position < len(text):
            segments.append((text[position:], text[position:], None))
        texts.append({"label": field.label, "segments": segments, "count": len(by_field.get(field.key, []))})
    return texts
