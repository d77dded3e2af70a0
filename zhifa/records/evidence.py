"""The only code that changes evidence state: storing bytes (content-addressed, streamed while
hashed), creating Evidence with its R3 timeliness, the custody log, and retiring.

Public API for other apps::

    validate_metadata(user, metadata) -> Metadata          # raises ValidationError (Chinese)
    check_content(head, *declared, complete=True)          # raises ContentRefused (sniffing)
    create_evidence(user, metadata, source, *, request_key, ip=None) -> Evidence
    log_access(evidence, user, action, reason="", ip=None) -> EvidenceAccess
    retire(evidence, user, reason, ip=None) -> Evidence
    open_blob(blob, byte_range=None) -> binary file object (streams; S3 reads are not buffered whole)
    ledger_payload(evidence) -> dict                        # for zhifa.ledger leaves
    late_statistics(user, **filters) -> dict                # R3 per officer and agency
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from zhifa.cases.models import Case, CaseEvent, CaseOfficer, CaseStatus
from zhifa.ledger import services as ledger
from zhifa.workdays.services import current_calendar

from . import evidence_rules as rules
from .models import AccessAction, Blob, Evidence, EvidenceAccess, EvidenceKind, RecordingRule

logger = logging.getLogger(__name__)

ADD_PERMISSION = "records.add_evidence"
RETIRE_PERMISSION = "records.change_evidence"
MAX_REASON = 300


# --- Settings ---------------------------------------------------------------------------------
def hash_algorithm() -> str:
    algorithm = settings.ZHIFA_EVIDENCE_HASH.lower()
    if algorithm not in rules.HASH_ALGORITHMS:
        raise ImproperHashSetting(algorithm)
    return algorithm


class ImproperHashSetting(RuntimeError):
    def __init__(self, algorithm):
        super().__init__(f"ZHIFA_EVIDENCE_HASH must be sha256 or sm3, not {algorithm!r}")


def max_bytes() -> int:
    return settings.ZHIFA_EVIDENCE_MAX_BYTES


def too_large_message(size: int | None = None) -> str:
    stated = f"（{rules.human_size(size)}）" if size is not None else ""
    return f"文件过大{stated}：单个证据文件不能超过{rules.human_size(max_bytes())}。请分段录制后分别上传。"


def evidence_storage():
    return storages[settings.ZHIFA_EVIDENCE_STORAGE]


# --- Metadata ------------------------------------------------------------------------------------
@dataclass
class Metadata:
    case: Case
    kind: str
    media_type: str
    title: str
    filename: str
    content_type: str
    captured_at: datetime
    description: str = ""
    device: str = ""
    location: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    event: CaseEvent | None = None
    activity: str = ""
    expected_digest: str = ""
    algorithm: str = "sha256"


def uploadable_cases(user):
    """Cases in the user's scope that still take evidence (not closed)."""
    return Case.objects.for_user(user).filter(status=CaseStatus.OPEN)


def assigned_open_cases(user):
    """The open cases the user is assigned to as an officer (the capture page's list)."""
    assigned = CaseOfficer.objects.filter(officer__user=user).values("case_id")
    return uploadable_cases(user).filter(pk__in=assigned).select_related("agency").order_by("-created_at")


def _case(user, value) -> Case:
    text = str(value or "").strip()
    if not text.isdigit():
        raise ValidationError({"case": "请选择案件。"})
    case = Case.objects.for_user(user).filter(pk=int(text)).first()
    if case is None:
        raise ValidationError({"case": "案件不存在或不在您的权限范围内。"})
    if case.status != CaseStatus.OPEN:
        raise ValidationError({"case": f"案件{case}已结案，不能再上传证据。"})
    return case


def _coordinate(value: str, name: str, limit: int) -> Decimal | None:
    if not (value or "").strip():
        return None
    try:
        number = Decimal(value.strip()).quantize(Decimal("0.000001"))
    except InvalidOperation:
        raise ValidationError({name: "坐标应为数字。"}) from None
    if abs(number) > limit:
        raise ValidationError({name: f"坐标超出范围（±{limit}）。"})
    return number


def declared_type(data: dict) -> tuple[str, str, str]:
    """(file name, content type, media type) as the client declared them, sanitised."""
    filename = (data.get("filename") or "").strip().replace("/", "_").replace("\\", "_")[:255]
    content_type = (data.get("filetype") or "").strip()[:120] or "application/octet-stream"
    media_type = (data.get("media_type") or "").strip() or rules.media_type_for(content_type, filename)
    return filename, content_type, media_type


def validate_metadata(user, data: dict, algorithm: str | None = None) -> Metadata:
    """Check an upload's metadata before any byte is stored (same rules for tus and the form).
    ``algorithm``: the hash the upload was started with (default: the configured one)."""
    if not user.has_perm(ADD_PERMISSION):
        raise PermissionDenied("您的角色无权上传证据。")
    case = _case(user, data.get("case"))
    kind = (data.get("kind") or "").strip()
    if kind not in EvidenceKind.values:
        names = "、".join(EvidenceKind.labels)
        raise ValidationError({"kind": f"请选择证据种类：{names}（P4，{rules.P4_BASIS}）。"})
    filename, content_type, media_type = declared_type(data)
    if not filename:
        raise ValidationError({"filename": "缺少文件名。"})
    if refusal := rules.dangerous_name(filename):
        raise ContentRefused({"file": refusal})
    try:
        captured_at = rules.parse_captured_at(data.get("captured_at", ""), timezone.now())
    except rules.RuleError as exc:
        raise ValidationError({"captured_at": str(exc)}) from None
    from .models import MediaType

    if media_type not in MediaType.values:
        raise ValidationError({"media_type": "载体类型不正确。"})
    event = None
    if event_id := str(data.get("event") or "").strip():
        event = CaseEvent.objects.filter(case=case, pk=int(event_id) if event_id.isdigit() else 0).first()
        if event is None:
            raise ValidationError({"event": "所选办案环节不属于该案件。"})
    activity = (data.get("activity") or "").strip()
    if activity and not RecordingRule.objects.filter(code=activity, is_active=True).exists():
        raise ValidationError({"activity": "所选执法活动不在音像记录事项清单中（R2）。"})
    algorithm = algorithm or hash_algorithm()
    expected = (data.get(algorithm) or "").strip().lower()
    if expected and not rules.DIGEST_RE[algorithm].match(expected):
        raise ValidationError({algorithm: f"客户端提供的{algorithm.upper()}校验值格式不正确。"})
    return Metadata(
        case=case,
        kind=kind,
        media_type=media_type,
        title=((data.get("title") or "").strip() or filename)[:200],
        filename=filename,
        content_type=content_type,
        captured_at=captured_at,
        description=(data.get("description") or "").strip()[:2000],
        device=(data.get("device") or "").strip()[:200],
        location=(data.get("location") or "").strip()[:200],
        latitude=_coordinate(data.get("latitude", ""), "latitude", 90),
        longitude=_coordinate(data.get("longitude", ""), "longitude", 180),
        event=event,
        activity=activity,
        expected_digest=expected,
        algorithm=algorithm,
    )


# --- Content sniffing ---------------------------------------------------------------------------
class ContentRefused(ValidationError):
    """The file is a program or script, or its content is not what was declared: nothing is stored."""


def read_head(source) -> bytes:
    """The first ``SNIFF_BYTES`` of a seekable binary file; leaves it at its start."""
    source.seek(0)
    head = b""
    while len(head) < rules.SNIFF_BYTES and (chunk := source.read(rules.SNIFF_BYTES - len(head))):
        head += chunk
    source.seek(0)
    return head


def check_content(
    head: bytes, filename: str, content_type: str, media_type: str, *, complete: bool = True
) -> rules.Sniffed:
    """Refuse (``ContentRefused``) content that is executable or does not match its declaration.

    ``complete=False``: ``head`` is a shorter prefix of a file still arriving; only executables
    are refused then (the rest needs the full ``SNIFF_BYTES``).
    """
    sniffed = rules.sniff(head)
    if not complete and not sniffed.executable:
        return sniffed
    refusal = rules.content_refusal(
        sniffed, filename=filename, content_type=content_type, media_type=media_type
    )
    if refusal:
        logger.warning(
            "evidence upload refused: %s declared %s/%s is %s",
            filename,
            content_type,
            media_type,
            sniffed.code,
        )
        raise ContentRefused({"file": refusal})
    return sniffed


# --- Bytes ---------------------------------------------------------------------------------------
def digest_of(source, algorithm: str) -> tuple[str, int]:
    """Hash a seekable binary file from its start, chunk by chunk."""
    source.seek(0)
    return rules.hash_chunks(rules.read_chunks(source), algorithm)


def _ensure_stored(storage, name: str, source, size: int) -> None:
    """Put the bytes at ``name`` unless identical bytes are already there (content addressing).

    A file at ``name`` with the wrong size is the remnant of a crashed write that no Blob row
    refers to; it is replaced.
    """
    if storage.exists(name):
        if storage.size(name) == size:
            return
        logger.warning("replacing incomplete blob %s", name)
        storage.delete(name)
    if _link_into(storage, name, source):
        return
    source.seek(0)
    saved = storage.save(name, File(source, name=name.rsplit("/", 1)[-1]))
    if saved != name:  # a concurrent upload of the same bytes won the name: keep one copy
        storage.delete(saved)


def _link_into(storage, name: str, source) -> bool:
    """Hard-link a staged tus upload or a Django temporary upload into local blob storage instead
    of copying it (a 1 GB upload is then written once). Only files nobody else writes to: the
    staged file keeps its own link until the evidence is recorded (a crash in between loses
    nothing) and is then removed. False when not possible: copy instead."""
    temporary = getattr(source, "temporary_file_path", None)
    path = temporary() if temporary else getattr(source, "name", None)
    if not isinstance(storage, FileSystemStorage) or not isinstance(path, str) or not os.path.isfile(path):
        return False
    staging = os.path.realpath(settings.ZHIFA_UPLOAD_STAGING_DIR)
    if not temporary and os.path.commonpath([staging, os.path.realpath(path)]) != staging:
        return False
    target = storage.path(name)
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.link(path, target)
    except FileExistsError:
        return os.path.getsize(target) == os.path.getsize(path)  # a concurrent upload of the same bytes
    except OSError:  # another file system, or links not permitted
        return False
    return True


def store_blob(
    source, algorithm: str, expected_digest: str = "", *, hashed: tuple[str, int] | None = None
) -> Blob:
    """Hash ``source`` (a seekable binary file), verify it, and store it once. ``hashed`` is the
    (digest, size) already computed over exactly these bytes while they were received (a tus
    upload finished in the process that staged it); the file is then not read again."""
    digest, size = hashed or digest_of(source, algorithm)
    if expected_digest and digest != expected_digest:
        raise ValidationError(
            {
                algorithm: f"文件校验失败：收到的文件{algorithm.upper()}为{digest}，与客户端提供的"
                f"{expected_digest}不一致，文件可能在传输中损坏，未予保存，请重新上传。"
            }
        )
    existing = Blob.objects.filter(algorithm=algorithm, digest=digest).first()
    if existing is not None:
        return existing
    name = rules.blob_storage_name(algorithm, digest)
    _ensure_stored(evidence_storage(), name, source, size)
    try:
        with transaction.atomic():
            return Blob.objects.create(algorithm=algorithm, digest=digest, size=size, storage_name=name)
    except IntegrityError:
        return Blob.objects.get(algorithm=algorithm, digest=digest)


def open_blob(blob: Blob, byte_range: tuple[int, int] | None = None):
    """A readable binary stream of the stored bytes, or of the inclusive ``byte_range`` only. On S3
    the object body is streamed as it is read (django-storages' S3File would first copy the whole
    object) and a range is fetched as a range, since the body cannot seek."""
    storage = evidence_storage()
    bucket = getattr(storage, "bucket", None)
    if bucket is not None:
        from storages.utils import clean_name

        item = bucket.Object(storage._normalize_name(clean_name(blob.storage_name)))
        return item.get(**({"Range": "bytes={}-{}".format(*byte_range)} if byte_range else {}))["Body"]
    handle = storage.open(blob.storage_name, "rb")
    if byte_range:
        handle.seek(byte_range[0])
    return handle


# --- Evidence --------------------------------------------------------------------------------------
def existing_for_request(user, request_key: str) -> Evidence | None:
    return Evidence.objects.filter(uploaded_by=user, request_key=request_key).first()


def create_evidence(
    user,
    metadata: Metadata,
    source,
    *,
    request_key: str,
    ip: str | None = None,
    hashed: tuple[str, int] | None = None,
) -> Evidence:
    """Store ``source`` and record it as evidence of ``metadata.case``.

    ``request_key`` makes the call idempotent: a repeated submit returns the first Evidence.
    ``hashed``: see :func:`store_blob`.
    """
    if previous := existing_for_request(user, request_key):
        return previous
    check_content(read_head(source), metadata.filename, metadata.content_type, metadata.media_type)
    blob = store_blob(source, metadata.algorithm, metadata.expected_digest, hashed=hashed)
    now = timezone.now()
    lateness = rules.upload_lateness(
        current_calendar(), timezone.localdate(metadata.captured_at), timezone.localdate(now)
    )
    try:
        with transaction.atomic():
            evidence = Evidence.objects.create(
                case=metadata.case,
                kind=metadata.kind,
                media_type=metadata.media_type,
                title=metadata.title,
                description=metadata.description,
                captured_at=metadata.captured_at,
                captured_by=user,
                device=metadata.device,
                location=metadata.location,
                latitude=metadata.latitude,
                longitude=metadata.longitude,
                stage=metadata.case.stage,
                activity=metadata.activity,
                event=metadata.event,
                original_filename=metadata.filename,
                content_type=metadata.content_type,
                blob=blob,
                uploaded_at=now,
                uploaded_by=user,
                upload_due_on=lateness.due_on,
                is_late=lateness.is_late,
                days_late=lateness.days_late,
                late_provisional=lateness.provisional,
                request_key=request_key,
            )
            log_access(evidence, user, AccessAction.UPLOAD, _upload_note(lateness), ip)
            ledger.append(
                "evidence", evidence, ledger_payload(evidence), organization_id=metadata.case.agency_id
            )
    except IntegrityError:
        if previous := existing_for_request(user, request_key):
            return previous
        raise
    return evidence


def _upload_note(lateness: rules.Lateness) -> str:
    if not lateness.is_late:
        return ""
    return f"逾期上传{lateness.days_late}个工作日（R3，应于{lateness.due_on:%Y-%m-%d}前上传）"


def log_access(
    evidence: Evidence, user, action: str, reason: str = "", ip: str | None = None
) -> EvidenceAccess:
    return EvidenceAccess.objects.create(
        evidence=evidence, user=user, action=action, reason=(reason or "").strip()[:MAX_REASON], ip_address=ip
    )


def require_reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({"reason": f"请填写{what}事由（R5：调阅须经授权并留痕）。"})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": f"事由不能超过{MAX_REASON}字。"})
    return reason


def record_download(evidence: Evidence, user, reason: str, ip: str | None = None) -> EvidenceAccess:
    """Log a download with its reason; an archived case's evidence needs an approved 调阅 (R5)."""
    from .archive import read
    from .models import AccessScope

    reason = require_reason(reason, "下载")
    read(evidence.case_id, user, AccessScope.EVIDENCE, f"下载证据：{evidence.title}", ip)
    return log_access(evidence, user, AccessAction.DOWNLOAD, reason, ip)


def retire(evidence: Evidence, user, reason: str, ip: str | None = None) -> Evidence:
    """Withdraw evidence from use; its bytes and rows stay (R5). The retirement is a log entry."""
    if not user.has_perm(RETIRE_PERMISSION):
        raise PermissionDenied("只有承办机构负责人或机关负责人可以注销证据。")
    reason = require_reason(reason, "注销")
    from .archive import refuse_if_archived

    refuse_if_archived(evidence.case_id, "注销证据")
    with transaction.atomic():
        locked = Evidence.objects.select_for_update().get(pk=evidence.pk)
        if locked.retired_at is not None:
            raise ValidationError(
                {
                    "reason": f"该证据已于{timezone.localtime(locked.retired_at):%Y-%m-%d %H:%M}注销，无需重复注销。"
                }
            )
        locked.retired_at, locked.retired_by, locked.retired_reason = timezone.now(), user, reason
        locked.save(update_fields=["retired_at", "retired_by", "retired_reason"])
        entry = log_access(locked, user, AccessAction.RETIRE, reason, ip)
        ledger.append(
            "evidence_retirement", entry, retirement_payload(entry), organization_id=locked.case.agency_id
        )
    return locked


# --- Ledger --------------------------------------------------------------------------------------
def ledger_payload(evidence: Evidence) -> dict:
    """What the tamper-evident ledger records for a piece of evidence (no file content)."""
    blob = evidence.blob
    return {
        "type": "evidence",
        "evidence_id": evidence.pk,
        "case_id": evidence.case_id,
        "kind": evidence.kind,
        "media_type": evidence.media_type,
        "captured_at": evidence.captured_at.isoformat(),
        "captured_by": evidence.captured_by_id,
        "uploaded_at": evidence.uploaded_at.isoformat(),
        "algorithm": blob.algorithm,
        "digest": blob.digest,
        "size": blob.size,
        "files": [
            {
                "name": "evidence",
                "storage": settings.ZHIFA_EVIDENCE_STORAGE,
                "storage_path": blob.storage_name,
                blob.algorithm: blob.digest,
            }
        ],
    }


def retirement_payload(entry: EvidenceAccess) -> dict:
    """The ledger leaf of a retirement: nothing is deleted, the withdrawal is itself a record."""
    return {
        "evidence_id": entry.evidence_id,
        "action": entry.action,
        "by": entry.user_id,
        "at": entry.at.isoformat(),
        "reason": entry.reason,
    }


# --- R3 statistics --------------------------------------------------------------------------------
def late_statistics(user, date_from=None, date_to=None) -> dict:
    """R3: uploads and late uploads per officer (采集人) and per agency, in the user's scope."""
    rows = Evidence.objects.for_user(user)
    if date_from:
        rows = rows.filter(uploaded_at__date__gte=date_from)
    if date_to:
        rows = rows.filter(uploaded_at__date__lte=date_to)
    measures = {
        "total": Count("id"),
        "late": Count("id", filter=Q(is_late=True)),
        "late_days": Sum("days_late"),
        "max_late": Max("days_late"),
    }
    officers = list(
        rows.values("captured_by", "captured_by__full_name", "captured_by__username", "case__agency__name")
        .annotate(**measures)
        .order_by("-late", "captured_by__username")
    )
    agencies = list(rows.values("case__agency", "case__agency__name").annotate(**measures).order_by("-late"))
    for row in officers + agencies:
        row["rate"] = round(100 * row["late"] / row["total"], 1) if row["total"] else 0
        row["late_days"] = row["late_days"] or 0
    return {"officers": officers, "agencies": agencies}
