"""R2: the 音像记录事项清单 applied to case actions.

An action whose ``recordings`` name a 全程音像记录 activity cannot complete until audio or video of
that activity is attached to the case, or the head has approved a written explanation of why it
could not be recorded. An activity recorded only as needed gives a warning, not a refusal.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa.accounts.roles import Role
from zhifa.cases.rules import Refusal

from .models import MediaType, RecordingException, RecordingRule

R2_BASIS = "《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》（国办发〔2018〕118号）"
AUDIOVISUAL = (MediaType.AUDIO, MediaType.VIDEO)


def rules_for(codes) -> list[RecordingRule]:
    return list(RecordingRule.objects.filter(code__in=codes, is_active=True).order_by("order"))


def recorded(case, code: str) -> bool:
    return case.evidence.filter(activity=code, media_type__in=AUDIOVISUAL, retired_at__isnull=True).exists()


def excepted(case, action: str, code: str) -> bool:
    return RecordingException.objects.filter(
        case=case, action=action, rule__code=code, approved=True
    ).exists()


def findings(case, action, *, preview: bool) -> tuple[list[Refusal], list[Refusal]]:
    """R2 refusals and warnings for performing ``action`` (an engine Action) on ``case``."""
    refusals, warnings = [], []
    for rule in rules_for(action.recordings):
        if recorded(case, rule.code):
            continue
        if rule.required:
            if not excepted(case, action.code, rule.code):
                refusals.append(
                    Refusal(
                        "R2",
                        R2_BASIS,
                        f"“{rule.name}”应当全程音像记录：请先上传该活动的录音录像，或说明未能记录的原因并经负责人批准（R2）。",
                    )
                )
        elif not preview:
            warnings.append(
                Refusal(
                    "R2",
                    R2_BASIS,
                    f"“{rule.name}”尚未上传音像记录；容易引发争议的，应当根据实际情况进行音像记录（R2）。",
                )
            )
    return refusals, warnings


@transaction.atomic
def explain(case, user, *, action: str, rule_code: str, reason: str) -> RecordingException:
    """An officer explains why a required recording could not be made (awaits the head)."""
    if not user.has_perm("cases.change_case"):
        raise PermissionDenied("您的角色无权办理案件。")
    from zhifa.cases.definitions import procedure_of

    rule = RecordingRule.objects.filter(code=rule_code, is_active=True).first()
    if rule is None or not rule.required:
        raise ValidationError(
            {"rule": f"只有应当全程音像记录的事项需要说明未能记录的原因（R2，{R2_BASIS}）。"}
        )
    step = procedure_of(case.procedure).actions.get(action)
    if step is None or rule_code not in step.recordings:
        raise ValidationError({"action": "本案程序中没有需要该项音像记录的操作（R2）。"})
    if not reason.strip():
        raise ValidationError({"reason": "请写明未能音像记录的原因（R2）。"})
    return RecordingException.objects.create(
        case=case, action=action, rule=rule, reason=reason.strip(), requested_by=user
    )


@transaction.atomic
def decide(exception: RecordingException, user, *, approve: bool, note: str = "") -> RecordingException:
    """The head approves or rejects an explanation, once."""
    exception = RecordingException.objects.select_for_update().get(pk=exception.pk)
    if not (user.is_superuser or user.has_role(Role.AGENCY_HEAD) or user.has_role(Role.DIVISION_HEAD)):
        raise PermissionDenied("未能音像记录的说明须经负责人批准（R2）。")
    if exception.requested_by_id == user.pk:
        raise PermissionDenied("不能批准本人提出的说明（R2）。")
    if exception.approved is not None:
        raise ValidationError({"__all__": "该说明已经审批。"})
    if not approve and not note.strip():
        raise ValidationError({"note": "不批准的，请写明理由。"})
    exception.approved, exception.decided_by, exception.decided_at = approve, user, timezone.now()
    exception.decision_note = note.strip()
    exception.save(update_fields=["approved", "decided_by", "decided_at", "decision_note"])
    return exception
