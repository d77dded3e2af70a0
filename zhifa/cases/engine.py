"""The procedure engine: what may be done next, and doing it.

``available_actions(case, user)`` lists every action of the case's procedure with, for those
not available now, the reasons (each naming its rule and legal basis). ``perform(...)`` checks the
same guards, applies the action's handler, records an immutable event, closes and opens deadlines
and moves the stage — in one transaction, idempotent for a repeated request key, and refusing a
request made against a stale version of the case.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from functools import cached_property

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa.accounts.roles import Role

from . import deadlines as deadline_service
from .definitions import Action, Procedure, procedure_of
from .guards import GUARDS, WARNINGS
from .handlers import HANDLERS
from .models import Case, CaseEvent, CaseStatus
from .parameters import setting_value
from .rules import Refusal

PROCEDURE_BASIS = "《中华人民共和国行政处罚法》第四条（依照法定程序实施）"


class ActionRefused(Exception):
    def __init__(self, refusals: list[Refusal]):
        self.refusals = refusals
        super().__init__("；".join(r.message for r in refusals))


class StaleCase(ActionRefused):
    pass


@dataclass
class Context:
    """What a guard or handler sees: the case, the action, the actor and the submitted data."""

    case: Case
    procedure: Procedure
    action: Action
    user: object
    data: dict
    today: date
    preview: bool = False
    cleaned: dict = field(default_factory=dict)
    memo: dict = field(default_factory=dict)  # answers shared by the guards of one request

    def remember(self, key, compute):
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    def setting(self, key: str):
        return setting_value(key, self.case.field_id, self.case.region_id)

    @cached_property
    def calendar(self):
        from zhifa.workdays.services import current_calendar

        return current_calendar()

    @cached_property
    def events(self) -> list[CaseEvent]:
        return list(self.case.events.order_by("sequence"))

    def last_event(self, *actions: str) -> CaseEvent | None:
        matching = [e for e in self.events if e.action in actions]
        return matching[-1] if matching else None


@dataclass(frozen=True)
class Availability:
    action: Action
    refusals: tuple[Refusal, ...]
    warnings: tuple[Refusal, ...] = ()

    @property
    def allowed(self) -> bool:
        return not self.refusals


def _stage_and_role_refusals(ctx: Context) -> list[Refusal]:
    case, action = ctx.case, ctx.action
    refusals = []
    if case.status == CaseStatus.CLOSED or case.stage not in action.from_stages:
        allowed = "、".join(ctx.procedure.stage_name(s) for s in action.from_stages)
        refusals.append(
            Refusal(
                "程序",
                PROCEDURE_BASIS,
                f"案件当前处于“{ctx.procedure.stage_name(case.stage)}”阶段，“{action.name}”只能在“{allowed}”阶段进行。",
            )
        )
    user = ctx.user
    if not (user.is_superuser or any(user.has_role(Role(r)) for r in action.roles)):
        who = "、".join(Role(r).label for r in action.roles)
        refusals.append(Refusal("职权", PROCEDURE_BASIS, f"“{action.name}”须由{who}办理。"))
    return refusals


def _check(ctx: Context) -> tuple[list[Refusal], list[Refusal]]:
    refusals = _stage_and_role_refusals(ctx)
    if refusals and ctx.preview:
        return refusals, []
    for name in ctx.action.guards:
        refusals.extend(GUARDS[name](ctx))
    warnings = [w for name in ctx.action.warnings for w in WARNINGS[name](ctx)]
    return refusals, warnings


def available_actions(case: Case, user) -> list[Availability]:
    procedure = procedure_of(case.procedure)
    today = timezone.localdate()
    memo: dict = {}  # e.g. each officer's eligibility is computed once, not once per action
    result = []
    for action in procedure.actions.values():
        ctx = Context(case, procedure, action, user, {}, today, preview=True, memo=memo)
        refusals, warnings = _check(ctx)
        result.append(Availability(action, tuple(refusals), tuple(warnings)))
    return result


def perform(case_id: int, action_code: str, user, data: dict, *, expected_version: int, request_key: str):
    """Perform an action; returns ``(event, created)``. A repeated ``request_key`` returns the
    event it already produced (``created`` False) instead of acting twice."""
    if not request_key or len(request_key) > 64:
        raise ValidationError({"request_key": "请求标识缺失或过长（用于防止重复提交）。"})
    with transaction.atomic():
        case = (
            Case.objects.for_user(user)
            .select_for_update()
            .select_related("procedure", "agency")
            .get(pk=case_id)
        )
        previous = CaseEvent.objects.filter(case=case, request_key=request_key).first()
        if previous is not None:
            return previous, False
        procedure = procedure_of(case.procedure)
        action = procedure.actions.get(action_code)
        if action is None:
            raise ValidationError({"action": f"本程序没有“{action_code}”这一操作。"})
        if case.version != expected_version:
            raise StaleCase(
                [
                    Refusal(
                        "并发",
                        "案件数据一致性要求",
                        f"案件已被他人更新（当前为第{case.version}版，您看到的是第{expected_version}版），请刷新后重新操作。",
                    )
                ]
            )
        ctx = Context(case, procedure, action, user, data, timezone.localdate())
        handler = HANDLERS.get(action.handler) if action.handler else None
        if handler is not None:
            ctx.cleaned = handler.clean(ctx)
        refusals, warnings = _check(ctx)
        if refusals:
            raise ActionRefused(refusals)
        event_data = handler.apply(ctx) if handler is not None else {}
        if warnings:
            event_data["warnings"] = [asdict(w) for w in warnings]
        return _record(ctx, event_data, request_key), True


def _record(ctx: Context, event_data: dict, request_key: str) -> CaseEvent:
    case, action = ctx.case, ctx.action
    stage_before = case.stage
    if action.to_stage:
        case.stage = action.to_stage
    if action.outcome:
        case.outcome = action.outcome
    if ctx.procedure.stages[case.stage].final:
        case.status = CaseStatus.CLOSED
        case.closed_on = ctx.today
    case.version += 1
    case.save()
    event = CaseEvent.objects.create(
        case=case,
        sequence=(ctx.events[-1].sequence + 1) if ctx.events else 1,
        action=action.code,
        action_name=action.name,
        stage_before=stage_before,
        stage_after=case.stage,
        actor=ctx.user,
        data=event_data,
        request_key=request_key,
        case_version=case.version,
    )
    if action.extends:
        deadline_service.extend(ctx, event)
    deadline_service.close(case, action.closes, event)
    deadline_service.open(ctx, action.opens, event)
    if case.status == CaseStatus.CLOSED:
        deadline_service.close_all(case, event)
    return event
