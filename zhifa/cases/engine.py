"""The procedure engine: what may be done next, and doing it.

``available_actions(case, user)`` lists every action of the case's procedure with, for those
not available now, the reasons (each naming its rule and legal basis). ``perform(...)`` checks the
same guards, applies the action's handler, records an immutable event, closes and opens deadlines
and moves the stage — in one transaction, idempotent for a repeated request key, and refusing a
request made against a stale version of the case.
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import cached_property

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from zhifa.accounts.roles import Role
from zhifa.core.scope import scope_for
from zhifa.ledger.producers import record_case_event

from . import deadlines as deadline_service
from . import documents, statements
from .definitions import Action, Procedure, procedure_of
from .guards import GUARDS, WARNINGS
from .handlers import HANDLERS
from .models import Case, CaseEvent, CaseStatus, ProcedureVersion
from .parameters import Settings, settings_for
from .parameters import revision_token as settings_revision
from .rules import Refusal
from .signals import action_performed

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
    loaded: dict = field(default_factory=dict, repr=False)  # the case's columns as perform() read them

    def remember(self, key, compute):
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    @property
    def settings(self) -> Settings:
        """The settings for the case's field and region (parameters.settings_for, shared through
        the memo); perform() reads their revision token with the locked case row."""
        case = self.case
        token = {"token": case.settings_token} if hasattr(case, "settings_token") else {}
        return self.remember(
            ("settings", case.field_id, case.region_id),
            lambda: settings_for(case.field_id, case.region_id, **token),
        )

    def setting(self, key: str):
        return self.settings.value(key)

    def national_setting(self, key: str):
        return self.settings.national(key)

    @cached_property
    def calendar(self):
        from zhifa.workdays.services import current_calendar

        # perform() reads the revision token with the locked case row; otherwise it is read here
        if hasattr(self.case, "calendar_token"):
            return self.remember("calendar", lambda: current_calendar(self.case.calendar_token))
        return self.remember("calendar", current_calendar)

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
    if ctx.action.recordings:  # R2: the 音像记录事项清单 (zhifa.records.recording)
        from zhifa.records.recording import findings

        missing, advice = findings(ctx.case, ctx.action, preview=ctx.preview)
        refusals.extend(missing)
        warnings.extend(advice)
    return refusals, warnings


# The P1 guard; it asks, for each officer on the case, whether that officer may enforce here today.
P1_GUARD = "officers_qualified"


def _share_officer_answers(case: Case, today: date, memo: dict, chosen: list[int] | None = None) -> None:
    """Answer P1's question for all the case's officers at once (``chosen`` ones when an action
    assigns them) — a constant number of queries instead of about ten per officer — and leave the
    answers in the memo under the keys guards.officers_qualified and documents.py look them up by."""
    from zhifa.personnel.models import Officer
    from zhifa.personnel.services import may_enforce_many

    if chosen:
        officers = list(Officer.objects.filter(pk__in=chosen).select_related("organization__region"))
    else:
        if "assigned_officers" not in memo:
            assigned = case.assignments.select_related("officer__organization__region")
            memo["assigned_officers"] = [a.officer for a in assigned]
        officers = memo["assigned_officers"]
    missing = [o for o in officers if ("may_enforce", o.pk) not in memo]
    if missing:
        for pk, answer in may_enforce_many(missing, case.field, case.region, today).items():
            memo["may_enforce", pk] = answer


def available_actions(case: Case, user) -> list[Availability]:
    procedure = procedure_of(case.procedure)
    today = timezone.localdate()
    memo: dict = {}  # e.g. each officer's eligibility is computed once, not once per action
    if case.status != CaseStatus.CLOSED and any(
        P1_GUARD in a.guards and case.stage in a.from_stages for a in procedure.actions.values()
    ):
        _share_officer_answers(case, today, memo)
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
    try:
        return _perform(case_id, action_code, user, data, expected_version, request_key)
    except IntegrityError:
        # A repeat carries the version its first attempt saw, so _perform finds it among the
        # events once the version has moved on. A key reused with the current version is only
        # caught here: the event's unique (case, request_key) refused it and all was rolled back.
        previous = CaseEvent.objects.filter(case_id=case_id, request_key=request_key).first()
        if previous is None:
            raise
        return previous, False


def _perform(case_id: int, action_code: str, user, data: dict, expected_version: int, request_key: str):
    with transaction.atomic():
        case = _locked_case(case_id, user)
        procedure = procedure_of(case.procedure)
        action = procedure.actions.get(action_code)
        if action is None:
            raise ValidationError({"action": f"本程序没有“{action_code}”这一操作。"})
        if case.version != expected_version:
            # A repeated request (a phone retrying, a double click) finds the event of its first
            # attempt, even when the lock waited for that attempt to finish.
            previous = CaseEvent.objects.filter(case=case, request_key=request_key).first()
            if previous is not None:
                return previous, False
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
        ctx.loaded = _saved_values(case)
        if out_of_turn := _stage_and_role_refusals(ctx):
            raise ActionRefused(out_of_turn)  # before the form: its errors would hide the real reason
        handler = HANDLERS.get(action.handler) if action.handler else None
        if handler is not None:
            ctx.cleaned = handler.clean(ctx)
        if P1_GUARD in action.guards or action.documents:  # 文书 name the officers and certificates
            _share_officer_answers(case, ctx.today, ctx.memo, ctx.cleaned.get("officers"))
        refusals, warnings = _check(ctx)
        if refusals:
            raise ActionRefused(refusals)
        event_data = handler.apply(ctx) if handler is not None else {}
        if action.documents:
            event_data["documents"] = _issue_documents(ctx)
        if warnings:
            event_data["warnings"] = [asdict(w) for w in warnings]
        return _record(ctx, event_data, request_key), True


def _locked_case(case_id: int, user) -> Case:
    """The case, locked for this transaction, read in one statement together with the revision
    tokens of the calendar and the settings (``calendar_token``, ``settings_token``: see
    ``Context.calendar`` and ``Context.settings``).

    Only the case row is locked (``of``). The agency is loaded when an action needs it
    (numbering, 文书), not for every action; the procedure version comes from this process's cache.
    The statement is the ORM's, composed once per user scope (see :class:`_LockedCasePlan`).
    """
    plan = _LockedCasePlan.of(scope_for(user))
    row = None
    if plan is not None:
        with connection.cursor() as cursor:
            cursor.execute(plan.sql, [case_id if p is _CASE_ID else p for p in plan.params])
            row = cursor.fetchone()
    if row is None:
        raise Case.DoesNotExist("Case matching query does not exist.")
    case = plan.instance(row)
    case.procedure = _procedure_version(case.procedure_id)
    return case


_CASE_ID = object()  # where the case id goes among a plan's parameters


class _LockedCasePlan:
    """``Case.objects.for_user(user).select_for_update(of=("self",)).annotate(tokens).get(pk=…)``,
    compiled once per user scope and database connection and then only executed; the row becomes a
    Case exactly as the ORM's ModelIterable makes it (same converters). Composing the query took
    about a third of an action's client time."""

    @classmethod
    def of(cls, scope) -> _LockedCasePlan | None:
        # kept on the connection (each thread has its own), which the compiled plans refer to
        plans = connections[connection.alias].__dict__.setdefault("_zhifa_locked_case_plans", {})
        if scope not in plans:
            if len(plans) > 4096:  # one per agency or region subtree in use; keep it bounded
                plans.clear()
            plans[scope] = cls._compile(scope)
        return plans[scope]

    @classmethod
    def _compile(cls, scope) -> _LockedCasePlan | None:
        from zhifa.workdays.services import revision_token as calendar_revision

        marker = -7_319_024_117  # an id no case has, to find the id's place among the parameters
        queryset = scope.apply(Case.objects.all(), Case.scope_path)
        if queryset.query.is_empty():
            return None  # a user who may see no case at all
        queryset = (
            queryset.select_for_update(of=("self",))
            .annotate(calendar_token=calendar_revision(), settings_token=settings_revision())
            .filter(pk=marker)
        )
        compiler = queryset.query.get_compiler(using=connection.alias)
        sql, params = compiler.as_sql()
        if list(params).count(marker) != 1:
            raise RuntimeError("无法确定案件查询中案件ID参数的位置。")
        return cls(compiler, sql, tuple(_CASE_ID if p == marker else p for p in params))

    def __init__(self, compiler, sql: str, params: tuple):
        self.compiler, self.sql, self.params = compiler, sql, params
        fields = compiler.klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [column[0].target.attname for column in compiler.select[self.start : self.end]]
        self.annotations = dict(compiler.annotation_col_map)
        self.converters = compiler.get_converters(
            [column[0] for column in compiler.select[: compiler.col_count]]
        )

    def instance(self, row) -> Case:
        if self.converters:
            row = next(self.compiler.apply_converters([row], self.converters))
        case = Case.from_db(connection.alias, self.init_list, row[self.start : self.end])
        for name, position in self.annotations.items():
            setattr(case, name, row[position])
        return case


# ProcedureVersion rows are never edited (a changed definition is a new row, see
# services.sync_procedures) nor deleted while a case uses them, so each is read once per process.
_versions: dict[int, ProcedureVersion] = {}


def _procedure_version(pk: int) -> ProcedureVersion:
    version = _versions.get(pk)
    if version is None:
        version = _versions[pk] = ProcedureVersion.objects.get(pk=pk)
    return version


def _saved_values(case: Case) -> dict:
    """The case's column values as read, to save only what the action changed (a copy of the
    JSON ones, which handlers may change in place)."""
    return {
        f.attname: copy.deepcopy(value) if isinstance(value, dict | list) else value
        for f in case._meta.concrete_fields
        if not f.primary_key
        for value in (getattr(case, f.attname),)
    }


def _changed_fields(case: Case, loaded: dict) -> list[str] | None:
    if not loaded:  # not read by perform(): save every column
        return None
    changed = [
        f.name
        for f in case._meta.concrete_fields
        if f.attname in loaded and getattr(case, f.attname) != loaded[f.attname]
    ]
    return changed if "updated_at" in changed else [*changed, "updated_at"]


def _issue_documents(ctx: Context) -> list[dict]:
    """The action's 文书, built from the case and issued in this transaction (see documents.py)."""
    references = []
    for kind in ctx.action.documents:
        try:
            references.append(documents.issue(kind, ctx))
        except ValidationError as exc:
            raise ActionRefused([documents.refusal(kind, exc)]) from exc
    return references


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
    case.last_sequence += 1  # read with the locked row: no other event can come in between
    changed = _changed_fields(case, ctx.loaded)
    if changed is None:
        case.save()
    else:
        statements.update(case, changed)
    event = CaseEvent(
        case=case,
        sequence=case.last_sequence,
        action=action.code,
        action_name=action.name,
        stage_before=stage_before,
        stage_after=case.stage,
        actor=ctx.user,
        data=event_data,
        request_key=request_key,
        case_version=case.version,
    )
    statements.insert(event)
    record_case_event(event)  # principle 3: every state change is appended to the ledger
    if action.extends:
        deadline_service.extend(ctx, event)
    if action.suspends:
        deadline_service.suspend(ctx, event)
    if action.resumes:
        deadline_service.resume(ctx, event)
    deadline_service.close(case, action.closes, event)
    deadline_service.open(ctx, action.opens, event)
    if case.status == CaseStatus.CLOSED:
        deadline_service.close_all(case, event)
    action_performed.send(sender=Case, ctx=ctx, event=event)
    return event
