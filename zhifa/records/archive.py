"""归档 (R4) and 调阅 (R5).

A closed case gets a 30-day 归档 deadline and its 案卷 is assembled. 归档 gives the case an 档号 and
freezes it: afterwards only annotations are added. Reading an archived case's material needs an
approved, unexpired 调阅 (except for the archive keeper), and every read is logged.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa.cases import deadlines as case_deadlines
from zhifa.cases.models import Case, CaseStatus
from zhifa.core.sequences import next_number
from zhifa.workdays.rules import add_natural_days

from . import dossier as dossiers
from .models import AccessScope, ArchiveAccess, ArchiveAccessLog, CaseAnnotation, CaseArchive

R4_BASIS = "《中华人民共和国档案法》；执法全过程记录制度（执法行为结束之日起三十日内立卷归档，R4）"
R5_BASIS = "执法全过程记录制度：执法记录可追溯、可查询、不丢失，调阅须经批准并留痕（R5）"
ARCHIVE_DAYS = 30
MAX_ACCESS_DAYS = 30
KEEPER_PERMISSION = "records.keep_archive"
RETENTIONS = (("永久", "永久"), ("30年", "30年"), ("10年", "10年"))


def is_archived(case_id: int) -> bool:
    return CaseArchive.objects.filter(case_id=case_id).exists()


def refuse_if_archived(case_id: int, what: str) -> None:
    """R4: an archived case is frozen."""
    if is_archived(case_id):
        raise ValidationError({"__all__": f"案件已归档，不能{what}；归档后只能添加备注（R4，{R4_BASIS}）。"})


# --- the 归档 deadline and the 案卷 at 结案 ---------------------------------------------------------
def on_action_performed(sender, ctx, event, **kwargs) -> None:
    """When an action closes the case: open the 30-day 归档 period and assemble the 案卷 after commit."""
    case = ctx.case
    if case.status != CaseStatus.CLOSED or case.deadlines.filter(code="archive").exists():
        return
    from zhifa.workdays.services import current_calendar

    case_deadlines.open_for(
        case,
        code="archive",
        name="立卷归档期限",
        rule="R4",
        basis=R4_BASIS,
        unit="natural",
        length=ARCHIVE_DAYS,
        starts_on=ctx.today,
        due=add_natural_days(current_calendar(), ctx.today, ARCHIVE_DAYS),
    )
    transaction.on_commit(lambda: _queue_dossier(case.pk))


def _queue_dossier(case_id: int) -> None:
    from .tasks import build_dossier

    build_dossier(case_id)


# --- 归档 ---------------------------------------------------------------------------------------------
def _require_keeper(user) -> None:
    if not user.has_perm(KEEPER_PERMISSION):
        raise PermissionDenied("只有档案管理人员（机关负责人或管理员）可以办理归档和审批调阅。")


def archive_case(case: Case, user, retention: str) -> CaseArchive:
    """R4: number the 案卷 (档号), store its final version and freeze the case."""
    _require_keeper(user)
    if case.status != CaseStatus.CLOSED:
        raise ValidationError({"__all__": "案件办结后方可立卷归档（R4）。"})
    if retention not in dict(RETENTIONS):
        raise ValidationError({"retention": "请选择保管期限。"})
    refuse_if_archived(case.pk, "重复归档")
    prepared = dossiers.prepare(case)  # the slow rendering, before the numbering lock
    with transaction.atomic():
        Case.objects.select_for_update().get(pk=case.pk)
        refuse_if_archived(case.pk, "重复归档")
        year = timezone.localdate().year
        serial = next_number(f"archive:{case.agency_id}:{year}")
        number = f"{case.agency.short_name or case.agency.name}档〔{year}〕{serial}号"
        final = dossiers.finish(case, prepared, user, archive_number=number, retention=retention)
        archive = CaseArchive.objects.create(
            case=case, number=number, dossier=final, retention=retention, archived_by=user
        )
        deadline = case.deadlines.filter(code="archive").first()
        case_deadlines.finish(deadline)
    return archive


def archive_payload(archive: CaseArchive) -> dict:
    """The ledger leaf of a 归档: the 档号 and the archived 案卷 file (re-hashed by verify_ledger)."""
    dossier = archive.dossier
    return {
        "case": archive.case_id,
        "number": archive.number,
        "retention": archive.retention,
        "archived_by": archive.archived_by_id,
        "archived_at": archive.archived_at.isoformat(),
        "dossier_version": dossier.version,
        "pages": dossier.pages,
        "files": [{"name": "dossier", "storage_path": dossier.pdf.name, "sha256": dossier.sha256}],
    }


def annotate(case: Case, user, text: str) -> CaseAnnotation:
    if not text.strip():
        raise ValidationError({"text": "请填写备注内容。"})
    if not is_archived(case.pk):
        raise ValidationError({"__all__": "备注用于已归档的案卷；未归档的案件请在办理过程中记录。"})
    return CaseAnnotation.objects.create(case=case, text=text.strip(), created_by=user)


# --- 调阅 --------------------------------------------------------------------------------------------
def request_access(case: Case, user, *, reason: str, scope: str, days: int) -> ArchiveAccess:
    if not is_archived(case.pk):
        raise ValidationError({"__all__": "只有已归档的案卷需要申请调阅（R5）。"})
    if not reason.strip():
        raise ValidationError({"reason": "请写明调阅事由（R5）。"})
    if len(reason.strip()) > 300:
        raise ValidationError({"reason": "调阅事由不超过300字。"})
    if scope not in AccessScope.values:
        raise ValidationError({"scope": "请选择调阅范围。"})
    if not 1 <= days <= MAX_ACCESS_DAYS:
        raise ValidationError({"days": f"调阅期限为1至{MAX_ACCESS_DAYS}天。"})
    return ArchiveAccess.objects.create(
        case=case, requested_by=user, reason=reason.strip(), scope=scope, days=days
    )


@transaction.atomic
def decide_access(access: ArchiveAccess, user, *, approve: bool, note: str = "") -> ArchiveAccess:
    access = ArchiveAccess.objects.select_for_update().get(pk=access.pk)
    _require_keeper(user)
    if access.requested_by_id == user.pk:
        raise PermissionDenied("不能审批本人的调阅申请（R5）。")
    if access.approved is not None:
        raise ValidationError({"__all__": "该调阅申请已经审批。"})
    if not approve and not note.strip():
        raise ValidationError({"note": "不予批准的，请写明理由。"})
    if len(note.strip()) > 300:
        raise ValidationError({"note": "审批意见不超过300字。"})
    now = timezone.now()
    access.approved, access.decided_by, access.decided_at, access.note = approve, user, now, note.strip()
    access.valid_until = now + timedelta(days=access.days) if approve else None
    access.save()
    return access


def active_access(case_id: int, user, scope: str) -> ArchiveAccess | None:
    scopes = [AccessScope.ALL, scope]
    return (
        ArchiveAccess.objects.filter(
            case_id=case_id,
            requested_by=user,
            approved=True,
            valid_until__gt=timezone.now(),
            scope__in=scopes,
        )
        .order_by("-valid_until")
        .first()
    )


def read(case_id: int, user, scope: str, what: str, ip: str | None = None) -> None:
    """Allow and log one read of an archived case's material (R5); no-op for a case not archived."""
    if not is_archived(case_id):
        return
    access = None
    if not user.has_perm(KEEPER_PERMISSION):
        access = active_access(case_id, user, scope)
        if access is None:
            raise PermissionDenied(f"案卷已归档，调阅须经批准并在有效期内（R5，{R5_BASIS}）。")
    ArchiveAccessLog.objects.create(case_id=case_id, access=access, user=user, what=what[:200], ip=ip)
