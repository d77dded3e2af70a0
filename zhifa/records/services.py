"""The only code that changes 文书 state: 文号 allocation, issuing documents, template versions and
文号 patterns. The case engine calls :func:`issue_document`; see ``kinds.py`` for the context.

Public API for other apps::

    issue_document(agency, kind, context, user, *, case_id=None, case_label="", on=None,
                   replaces=None, pdf_later=False) -> Document
    render_pending_pdf(document_id) -> Document       # what the background task runs
    allocate_number(agency, kind, on) -> str          # inside the caller's transaction
    render_docx(kind, context, template=None) -> bytes
    to_pdf(docx_bytes) -> bytes
    validate_template(kind, uploaded_file) -> bytes
"""

from __future__ import annotations

import copy
import hashlib
import json
import uuid
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from zhifa.core.scope import scope_for
from zhifa.core.sequences import next_number
from zhifa.ledger import producers as ledger_producers

from . import kinds, rendering, rules
from .models import BUILTIN_VERSION, Document, DocumentTemplate, NumberPattern
from .rendering import RenderError, to_pdf

__all__ = [
    "RenderError",
    "activate_template",
    "allocate_number",
    "complete_context",
    "issue_document",
    "preview",
    "render_docx",
    "render_pending_pdf",
    "save_number_pattern",
    "to_pdf",
    "upload_template",
    "validate_template",
]

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
SAMPLE_DATE = date(2026, 11, 30)
SAMPLE_SEQUENCE = 8


def _kind(code: str) -> kinds.DocumentKind:
    try:
        return kinds.get_kind(code)
    except KeyError as exc:
        raise ValidationError(str(exc.args[0])) from exc


# --- 文号 -------------------------------------------------------------------------------------
def effective_pattern(agency, kind_code: str) -> tuple[str, str, int]:
    """(pattern, abbreviation, pad width): the agency's own, else the national default row, else
    the built-in default."""
    kind = _kind(kind_code)
    patterns = NumberPattern.objects.filter(kind=kind.code)
    row = patterns.filter(agency=agency).first() or patterns.filter(agency__isnull=True).first()
    if row is not None:
        return row.pattern, row.effective_abbreviation, row.pad_width
    return rules.DEFAULT_PATTERN, kind.abbreviation, 0


def allocate_number(agency, kind: str, on: date) -> str:
    """The next 文号 of ``kind`` for ``agency`` in ``on``'s year. Gap-free: call it inside the
    transaction that stores the document, so a rollback gives the number back."""
    document_kind = _kind(kind)
    if not document_kind.numbered:
        raise ValidationError(f"{document_kind.name}不编文号。")
    pattern, abbreviation, pad_width = effective_pattern(agency, kind)
    sequence = next_number(f"records:{agency.pk}:{kind}:{on.year}")
    return rules.format_number(
        pattern,
        short_name=agency.short_name or agency.name,
        abbreviation=abbreviation,
        year=on.year,
        sequence=sequence,
        pad_width=pad_width,
    )


# --- Context and rendering --------------------------------------------------------------------
def complete_context(kind: str, context: dict, *, number: str, on: date) -> dict:
    """The caller's context plus what only this app decides: ``document`` and ``remedy.text``."""
    document_kind = _kind(kind)
    full = copy.deepcopy(context)
    full["document"] = {"name": document_kind.name, "number": number, "date": on}
    if "remedy" in document_kind.context_keys:
        remedy = dict(full.get("remedy") or {})
        remedy["text"] = rules.remedy_text(
            document_kind.code, remedy.get("reconsideration_organ", ""), remedy.get("court", "")
        )
        full["remedy"] = remedy
    return full


def check_context(kind: str, context: dict) -> None:
    if missing := kinds.missing_keys(_kind(kind), context):
        raise ValidationError(
            "文书数据不完整，缺少："
            + "、".join(f"{path}（{kinds.describe(path)}）" for path in missing[:10])
            + ("等。" if len(missing) > 10 else "。")
        )


def template_source(kind: str, template: DocumentTemplate | None = None) -> tuple[bytes, int]:
    """The template bytes and version to use: ``template``, else the active upload, else the
    built-in default (version 0)."""
    if template is None:
        template = DocumentTemplate.objects.filter(kind=kind, is_active=True).first()
    if template is None:
        return rendering.builtin_template_path(kind).read_bytes(), BUILTIN_VERSION
    with template.file.open("rb") as handle:
        return handle.read(), template.version


def render_docx(kind: str, context: dict, template: DocumentTemplate | None = None) -> bytes:
    """Render a complete context (see :func:`complete_context`) with the kind's template."""
    check_context(kind, context)
    source, _ = template_source(kind, template)
    return rendering.render_docx(source, context)


def _json_safe(context: dict) -> dict:
    return json.loads(json.dumps(context, cls=DjangoJSONEncoder, ensure_ascii=False))


# --- Issuing ----------------------------------------------------------------------------------
def issue_document(
    agency,
    kind: str,
    context: dict,
    user,
    *,
    case_id: int | None = None,
    case_label: str = "",
    on: date | None = None,
    replaces: Document | None = None,
    pdf_later: bool = False,
) -> Document:
    """Number (when the kind has a 文号), render to docx and PDF, store both with their SHA-256,
    and record the document. All or nothing: a rendering failure stores nothing and gives the
    文号 back. Raises ValidationError (Chinese) for bad data or a template that cannot render.

    With ``pdf_later`` (the case engine, where a request must not wait a second for LibreOffice)
    the docx is rendered now, inside the caller's transaction, and the PDF by a background task
    once that transaction commits."""
    document_kind = _kind(kind)
    if getattr(agency, "kind", None) != "agency":
        raise ValidationError("文书只能以执法主体的名义出具。")
    if not scope_for(user).contains_path(agency.path):
        raise PermissionDenied("该执法主体不在您的管理范围内。")
    if replaces is not None and replaces.agency_id != agency.pk:
        raise ValidationError("更正文书须由原文书的出具机关出具。")
    check_context(kind, context)
    on = on or timezone.localdate()
    with transaction.atomic():
        number = allocate_number(agency, kind, on) if document_kind.numbered else ""
        if number and Document.objects.filter(agency=agency, number=number).exists():
            raise ValidationError(f"文号“{number}”已被使用，请检查本机关的文号格式设置。")
        full = complete_context(kind, context, number=number, on=on)
        source, version = template_source(kind)
        docx = rendering.render_docx(source, full)
        pdf = None if pdf_later else to_pdf(docx)
        document = Document(
            kind=kind,
            number=number,
            agency=agency,
            case_id=case_id,
            case_label=case_label[:200],
            issued_on=on,
            context=_json_safe(full),
            template_version=version,
            replaces=replaces,
            created_by=user,
            docx_sha256=hashlib.sha256(docx).hexdigest(),
            pdf_sha256=hashlib.sha256(pdf).hexdigest() if pdf is not None else "",
        )
        _store(document, docx, pdf)
        ledger_producers.record_document(document)  # principle 3: every 文书 enters the ledger
        if pdf is None:
            transaction.on_commit(lambda: _queue_pdf(document.pk))
    return document


def _queue_pdf(document_id: int) -> None:
    from .tasks import render_pdf

    render_pdf(document_id)


def _store(document: Document, docx: bytes, pdf: bytes | None) -> None:
    stem = f"{document.kind}-{uuid.uuid4().hex}"
    document.docx.save(f"{stem}.docx", ContentFile(docx), save=False)
    if pdf is not None:
        document.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
    try:
        document.save()
    except Exception:
        document.docx.delete(save=False)
        if pdf is not None:
            document.pdf.delete(save=False)
        raise


def render_pending_pdf(document_id: int) -> Document:
    """Render and store the PDF of a document issued with ``pdf_later``; a document that already
    has its PDF is returned unchanged (the task may run twice)."""
    document = Document.objects.get(pk=document_id)
    if not document.pdf_pending:
        return document
    with document.docx.open("rb") as handle:
        pdf = to_pdf(handle.read())
    field = Document._meta.get_field("pdf")
    name = field.storage.save(
        field.generate_filename(document, f"{document.kind}-{uuid.uuid4().hex}.pdf"), ContentFile(pdf)
    )
    sha256 = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        filled = Document.objects.filter(pk=document_id).fill_pending_pdf(name, sha256)
        if filled:
            ledger_producers.record_document_pdf(Document.objects.get(pk=document_id))
    if not filled:
        field.storage.delete(name)  # another worker stored it first
    return Document.objects.get(pk=document_id)


# --- Templates --------------------------------------------------------------------------------
def sample_context(kind: str) -> dict:
    """The kind's sample, completed as an issued document would be."""
    document_kind = _kind(kind)
    sample = document_kind.sample()
    number = ""
    if document_kind.numbered:
        number = rules.format_number(
            rules.DEFAULT_PATTERN,
            short_name=sample["agency"]["short_name"],
            abbreviation=document_kind.abbreviation,
            year=SAMPLE_DATE.year,
            sequence=SAMPLE_SEQUENCE,
        )
    return complete_context(kind, sample, number=number, on=SAMPLE_DATE)


def validate_template(kind: str, uploaded_file) -> bytes:
    """Check an uploaded template and return its bytes: a real docx, Jinja that compiles, only
    data the kind provides, the sample renders, and what the law requires still appears."""
    document_kind = _kind(kind)
    size = getattr(uploaded_file, "size", None)
    if size == 0:
        raise ValidationError("上传的文件是空的，请重新选择。")
    if size is not None and size > MAX_TEMPLATE_BYTES:
        raise ValidationError("模板文件不能超过5MB。")
    uploaded_file.seek(0)
    source = uploaded_file.read(MAX_TEMPLATE_BYTES + 1)
    if len(source) > MAX_TEMPLATE_BYTES:
        raise ValidationError("模板文件不能超过5MB。")
    unknown = rendering.template_variables(source) - set(document_kind.context_keys)
    if unknown:
        raise ValidationError(
            f"模板使用了{document_kind.name}没有提供的数据："
            + "、".join(sorted(unknown))
            + "。可用的数据见本页“模板可用数据”。"
        )
    sample = sample_context(kind)
    text = rendering.docx_text(rendering.render_docx(source, sample))
    absent = [
        path for path in document_kind.required_text_paths() if str(kinds.lookup(sample, path)) not in text
    ]
    if absent:
        raise ValidationError(
            f"模板缺少{document_kind.name}必须载明的内容（{document_kind.basis}）："
            + "、".join(f"{{{{ {path} }}}}（{kinds.describe(path)}）" for path in absent)
            + "。"
        )
    return source


def _require(user, permission: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied("您的角色无权执行此操作。")


@transaction.atomic
def upload_template(user, kind: str, uploaded_file, note: str = "") -> DocumentTemplate:
    """Validate and store a new version of a kind's template and make it the active one."""
    _require(user, "records.add_documenttemplate")
    source = validate_template(kind, uploaded_file)
    latest = DocumentTemplate.objects.select_for_update().filter(kind=kind).aggregate(v=Max("version"))["v"]
    DocumentTemplate.objects.filter(kind=kind, is_active=True).update(is_active=False)
    template = DocumentTemplate(
        kind=kind,
        version=(latest or BUILTIN_VERSION) + 1,
        sha256=hashlib.sha256(source).hexdigest(),
        is_active=True,
        note=note.strip()[:200],
        uploaded_by=user,
    )
    template.file.save(f"{kind}-v{template.version}.docx", ContentFile(source), save=False)
    template.save()
    return template


@transaction.atomic
def activate_template(user, kind: str, version: int) -> DocumentTemplate | None:
    """Use an earlier version again (version 0: the built-in default). Nothing is deleted."""
    _require(user, "records.change_documenttemplate")
    _kind(kind)
    chosen = None
    if version != BUILTIN_VERSION:
        chosen = DocumentTemplate.objects.filter(kind=kind, version=version).first()
        if chosen is None:
            raise ValidationError(f"没有第{version}版模板。")
    DocumentTemplate.objects.filter(kind=kind, is_active=True).update(is_active=False)
    if chosen is not None:
        chosen.is_active = True
        chosen.save(update_fields=["is_active"])
    return chosen


def preview(kind: str, fmt: str, template: DocumentTemplate | None = None) -> bytes:
    """The kind's sample rendered with the given (or active) template, as docx or PDF."""
    docx = render_docx(kind, sample_context(kind), template)
    return to_pdf(docx) if fmt == "pdf" else docx


# --- 文号 patterns ----------------------------------------------------------------------------
@transaction.atomic
def save_number_pattern(user, pattern: NumberPattern) -> NumberPattern:
    scope = scope_for(user)
    if pattern.agency_id is None:
        if not scope.everything:
            raise PermissionDenied("只有系统管理员可以设置全国默认文号格式。")
    elif not scope.contains_path(pattern.agency.path):
        raise PermissionDenied("该执法主体不在您的管理范围内。")
    pattern.full_clean()
    pattern.save()
    return pattern
