"""The only code that changes 检查对象名录, 抽查任务, draws, 回避 and that turns a confirmed draw
into 行政检查 cases. Every change runs in a transaction; the statute logic is in ``rules``."""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhifa.cases.handlers import INSPECTION_RESULT_LABELS
from zhifa.core.scope import scope_for
from zhifa.organizations.models import Organization, OrgKind, Region
from zhifa.personnel.models import Officer

from . import rules
from .models import (
    InspectionAssignment,
    InspectionDraw,
    InspectionTarget,
    InspectionTask,
    Recusal,
    TaskStatus,
)

PROCEDURE = "inspection"


# --- Permissions and scope -------------------------------------------------------------------
def _require(user, permission: str, action: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied(f"您的角色无权{action}。")


def _ensure_scope(user, organization: Organization | None) -> None:
    if organization is None or not scope_for(user).contains_path(organization.path):
        raise PermissionDenied("该执法主体不在您的管理范围内。")


def _region_within(region: Region, root: Region) -> bool:
    node, depth = region, 0
    while node is not None and depth < 4:
        if node.pk == root.pk:
            return True
        node, depth = node.parent, depth + 1
    return False


def _agency_errors(agency: Organization, field, region) -> dict[str, str]:
    errors = {}
    if agency.kind != OrgKind.AGENCY:
        errors["agency"] = "检查主体必须是执法主体。"
        return errors
    if field is not None and not agency.fields.filter(pk=field.pk).exists():
        errors["field"] = (
            f"{agency.name}没有“{field.name}”领域的监管职责（《中华人民共和国行政处罚法》第十七条）。"
        )
    if region is not None and agency.region_id and not _region_within(region, agency.region):
        errors["region"] = f"所选区划不在{agency.name}的管辖区域内。"
    return errors


# --- 检查对象名录 -------------------------------------------------------------------------------
@transaction.atomic
def save_target(user, target: InspectionTarget) -> InspectionTarget:
    """Add or change a 名录 entry (统一社会信用代码 checked against GB 32100)."""
    _require(
        user,
        "inspections.change_inspectiontarget" if target.pk else "inspections.add_inspectiontarget",
        "维护检查对象名录",
    )
    _ensure_scope(user, target.agency)
    if target.pk and not InspectionTarget.objects.for_user(user).filter(pk=target.pk).exists():
        raise PermissionDenied("该检查对象不在您的管理范围内。")
    errors = _agency_errors(target.agency, target.field if target.field_id else None, None)
    if (
        target.region_id
        and target.agency.region_id
        and not _region_within(target.region, target.agency.region)
    ):
        errors["region"] = f"检查对象所在区划不在{target.agency.name}的管辖区域内。"
    if errors:
        raise ValidationError(errors)
    target.full_clean()
    target.save()
    return target


# --- 抽查任务 -----------------------------------------------------------------------------------
def default_ratio(items) -> object:
    """The first percentage found in the chosen 抽查事项' ratios (e.g. “5%”)."""
    for item in items:
        ratio = rules.parse_ratio(item.ratio)
        if ratio is not None:
            return ratio
    return None


@transaction.atomic
def create_task(user, task: InspectionTask, items) -> InspectionTask:
    """Register a 抽查任务 for 抽查事项 of the agency's 随机抽查事项清单."""
    _require(user, "inspections.add_inspectiontask", "创建抽查任务")
    _ensure_scope(user, task.agency)
    items = list(items)
    errors = _agency_errors(
        task.agency, task.field if task.field_id else None, task.region if task.region_id else None
    )
    if not items:
        errors["items"] = "请至少选择一项随机抽查事项（抽查事项须列入随机抽查事项清单）。"
    foreign = [str(i) for i in items if i.agency_id != task.agency_id or not i.is_active]
    if foreign:
        errors["items"] = f"以下事项不是{task.agency.name}有效的随机抽查事项：{'；'.join(foreign)}。"
    if task.period_start and task.period_end and task.period_end < task.period_start:
        errors["period_end"] = "检查结束日期不能早于开始日期。"
    if task.sample_count is None and task.sample_ratio is None:
        task.sample_ratio = default_ratio(items)
        if task.sample_ratio is None:
            errors["sample_count"] = "请填写抽取数量或抽取比例（所选事项没有可用的抽查比例）。"
    elif task.sample_count is not None and task.sample_ratio is not None:
        errors["sample_count"] = "抽取数量与抽取比例只填写一项。"
    if task.sample_ratio is not None and not 0 < task.sample_ratio <= 100:
        errors["sample_ratio"] = "抽取比例须大于0且不超过100%。"
    if task.sample_count is not None and task.sample_count < 1:
        errors["sample_count"] = "抽取数量至少为1。"
    p1 = rules.officers_per_target_error(task.officers_per_target)
    if p1:
        errors["officers_per_target"] = p1
    if errors:
        raise ValidationError(errors)
    task.created_by = user
    task.status = TaskStatus.DRAFT
    task.full_clean(exclude=["created_by"])
    task.save()
    task.items.set(items)
    return task


def candidate_targets(task: InspectionTask):
    """The 名录 entries this task draws from: the agency's active targets of the task's field, in
    its region (and the regions below), of its category if it names one."""
    region = task.region_id
    queryset = InspectionTarget.objects.filter(
        agency_id=task.agency_id, field_id=task.field_id, is_active=True
    ).filter(Q(region_id=region) | Q(region__parent_id=region) | Q(region__parent__parent_id=region))
    if task.target_category:
        queryset = queryset.filter(category=task.target_category)
    return queryset


@dataclass
class OfficerPool:
    eligible: list[Officer] = field(default_factory=list)
    excluded: list[dict] = field(default_factory=list)  # {"id", "name", "reasons": [..]}


def officer_pool(task: InspectionTask, on: date) -> OfficerPool:
    """The agency's active officers split into those who may enforce in the task's field and region
    on ``on`` (P1, S2, S13 via personnel.may_enforce) and those excluded, with the reasons."""
    from zhifa.personnel.services import may_enforce

    pool = OfficerPool()
    officers = (
        Officer.objects.filter(organization__path__startswith=task.agency.path)
        .active()
        .select_related("organization")
        .order_by("id")
    )
    for officer in officers:
        answer = may_enforce(officer, task.field, task.region, on)
        if answer.allowed:
            pool.eligible.append(officer)
        else:
            pool.excluded.append({"id": officer.pk, "name": officer.name, "reasons": answer.messages})
    return pool


@dataclass
class DrawPreview:
    """What a draw would use now: the pools and the number to draw."""

    targets: int
    sample_size: int
    pool: OfficerPool
    error: str = ""


def preview_draw(task: InspectionTask, on: date | None = None) -> DrawPreview:
    on = on or timezone.localdate()
    targets = candidate_targets(task).count()
    pool = officer_pool(task, on)
    size = rules.sample_size(targets, count=task.sample_count, ratio=task.sample_ratio)
    error = ""
    if size == 0:
        error = _no_targets_message(task)
    elif len(pool.eligible) < task.officers_per_target:
        error = rules.too_few_officers_message(len(pool.eligible), task.officers_per_target)
    return DrawPreview(targets, size, pool, error)


def _no_targets_message(task: InspectionTask) -> str:
    return (
        f"检查对象名录中没有符合本任务条件（{task.field.name}、{task.region.name}"
        f"{'、' + task.target_category if task.target_category else ''}）的在营检查对象，无法抽取。"
    )


def _locked(user, task: InspectionTask) -> InspectionTask:
    _ensure_scope(user, task.agency)
    return (
        InspectionTask.objects.for_user(user)
        .select_for_update(of=("self",))
        .select_related("agency", "field", "region")
        .get(pk=task.pk)
    )


@transaction.atomic
def draw_task(user, task: InspectionTask, *, reason: str = "", seed: str | None = None) -> InspectionDraw:
    """随机抽取检查对象、随机选派执法检查人员 with a fresh random seed, recorded with the pools so
    the result can be recomputed. A new draw before confirmation needs a reason; the earlier draw
    stays on record. ``seed`` is for replaying a recorded draw in tests, never chosen by a user."""
    _require(user, "inspections.change_inspectiontask", "抽取检查对象")
    task = _locked(user, task)
    reason = (reason or "").strip()
    if task.status == TaskStatus.CONFIRMED:
        raise ValidationError("抽查任务已确认并生成检查案件，不能重新抽取。")
    if task.status == TaskStatus.DRAWN and not reason:
        raise ValidationError(
            {"reason": "已经抽取过，重新抽取须说明理由；原抽取结果保留备查（随机抽查须公开、可追溯）。"}
        )
    today = timezone.localdate()
    targets = list(candidate_targets(task).order_by("id").values_list("id", flat=True))
    pool = officer_pool(task, today)
    size = rules.sample_size(len(targets), count=task.sample_count, ratio=task.sample_ratio)
    if size == 0:
        raise ValidationError(_no_targets_message(task))
    seed = seed or secrets.token_hex(16)
    officer_ids = [o.pk for o in pool.eligible]
    try:
        drawn = rules.draw(seed, targets, officer_ids, size, task.officers_per_target)
    except rules.DrawRefused as exc:
        raise ValidationError(str(exc)) from exc
    previous = list(task.draws.order_by("sequence").values_list("sequence", flat=True))
    task.draws.update(is_current=False)
    record = InspectionDraw.objects.create(
        task=task,
        sequence=(previous[-1] + 1) if previous else 1,
        seed=seed,
        target_pool=targets,
        officer_pool=officer_ids,
        excluded_officers=pool.excluded,
        sample_size=size,
        officers_per_target=task.officers_per_target,
        reason=reason,
        drawn_by=user,
        drawn_on=today,
    )
    InspectionAssignment.objects.bulk_create(
        InspectionAssignment(
            task=task, draw=record, position=i, target_id=d.target_id, officer_ids=list(d.officer_ids)
        )
        for i, d in enumerate(drawn, 1)
    )
    task.status = TaskStatus.DRAWN
    task.save(update_fields=["status"])
    return record


def current_draw(task: InspectionTask) -> InspectionDraw | None:
    return task.draws.filter(is_current=True).first()


def conflicts_of(draw: InspectionDraw) -> set[tuple[int, int]]:
    return set(
        Recusal.objects.filter(assignment__draw=draw).values_list("assignment__target_id", "officer_id")
    )


def replay(draw: InspectionDraw) -> bool:
    """Recompute the draw from its seed, pools and the recorded 回避 and compare it with what is
    stored: True when every target and every officer matches."""
    try:
        expected = rules.draw(
            draw.seed,
            draw.target_pool,
            draw.officer_pool,
            draw.sample_size,
            draw.officers_per_target,
            conflicts_of(draw),
        )
    except rules.DrawRefused:
        return False
    stored = [
        rules.Drawn(target, tuple(officers))
        for target, officers in draw.assignments.order_by("position").values_list("target_id", "officer_ids")
    ]
    return stored == expected


@transaction.atomic
def declare_recusal(user, assignment: InspectionAssignment, officer: Officer, reason: str) -> Recusal:
    """回避 (处罚法第四十三条): the officer leaves this target's team and the next officer of the
    target's recorded random order replaces them. An officer may declare their own conflict; a
    head (who may change the task) records it for anyone. Refused once the inspection has begun."""
    _require(user, "inspections.add_recusal", "登记回避")
    _locked(user, assignment.task)  # serialises with draws, confirmation and other 回避
    assignment = (
        InspectionAssignment.objects.select_related("draw", "target", "case")
        .select_for_update(of=("self",))
        .get(pk=assignment.pk)
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": "请说明回避理由（与检查对象有直接利害关系或者其他关系可能影响公正执法）。"}
        )
    if not assignment.draw.is_current:
        raise ValidationError("该抽取结果已被重新抽取取代，不能再登记回避。")
    if officer.pk not in assignment.officer_ids:
        raise ValidationError({"officer": f"{officer.name}未被选派检查{assignment.target.name}。"})
    own = getattr(user, "officer", None)
    if not user.has_perm("inspections.change_inspectiontask") and (own is None or own.pk != officer.pk):
        raise PermissionDenied("执法人员只能为本人登记回避；为他人登记回避须由负责人办理。")
    case = assignment.case
    if case is not None and case.stage != "pending":
        raise ValidationError(
            f"对{assignment.target.name}的检查已经实施，回避申请须由行政机关负责人决定（{rules.RECUSAL_BASIS}），"
            "不能在此重新选派。"
        )
    conflicts = conflicts_of(assignment.draw) | {(assignment.target_id, officer.pk)}
    draw = assignment.draw
    try:
        team = rules.pick_officers(
            draw.seed, assignment.target_id, draw.officer_pool, draw.officers_per_target, conflicts
        )
    except rules.DrawRefused as exc:
        raise ValidationError(str(exc)) from exc
    added = [o for o in team if o not in assignment.officer_ids]
    assignment.officer_ids = list(team)
    assignment.save(update_fields=["officer_ids"])
    if case is not None:
        from zhifa.cases.services import assign_officers

        assign_officers(case, list(team))
    return Recusal.objects.create(
        assignment=assignment,
        officer=officer,
        replacement_id=added[0] if added else None,
        reason=reason,
        declared_by=user,
    )


@transaction.atomic
def confirm_task(user, task: InspectionTask) -> list:
    """Confirm the current draw: one 行政检查 case per drawn target, its party taken from the 名录 and
    the drawn officers assigned (P1). Returns the cases."""
    from zhifa.cases.models import CaseSource
    from zhifa.cases.services import create_case

    _require(user, "inspections.change_inspectiontask", "确认抽查结果")
    task = _locked(user, task)
    if task.status != TaskStatus.DRAWN:
        raise ValidationError(
            "抽查任务已经确认。" if task.status == TaskStatus.CONFIRMED else "尚未抽取检查对象，不能确认。"
        )
    draw = current_draw(task)
    today = timezone.localdate()
    item_names = "；".join(str(i) for i in task.items.all())
    cases = []
    for assignment in draw.assignments.select_related("target", "target__region").order_by("position"):
        target = assignment.target
        case = create_case(
            user,
            agency=task.agency,
            procedure_code=PROCEDURE,
            parties=[target.party_data()],
            officer_ids=assignment.officer_ids,
            source=CaseSource.INSPECTION,
            field=task.field,
            region=target.region,
            cause=f"双随机抽查：{task.name}"[:300],
            summary=(
                f"抽查事项：{item_names}。抽查任务“{task.name}”第{draw.sequence}次抽取第{assignment.position}号"
                f"（随机种子{draw.seed}），检查期间{task.period_start:%Y-%m-%d}至{task.period_end:%Y-%m-%d}。"
            ),
            discovered_on=today,
            details={
                "inspection_task": {
                    "task_id": task.pk,
                    "draw": draw.sequence,
                    "position": assignment.position,
                    "seed": draw.seed,
                }
            },
        )
        assignment.case = case
        assignment.save(update_fields=["case"])
        cases.append(case)
    task.status = TaskStatus.CONFIRMED
    task.confirmed_by = user
    task.confirmed_at = timezone.now()
    task.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    return cases


# --- Results ------------------------------------------------------------------------------------
STAGE_LABELS = {
    "pending": "待检查",
    "inspecting": "检查中",
    "resulted": "已出结果",
    "transferred": "已转立案",
}


@dataclass
class Progress:
    """The task's roll-up: targets drawn, cases by stage and by result."""

    drawn: int = 0
    with_case: int = 0
    by_stage: dict[str, int] = field(default_factory=dict)
    by_result: list[tuple[str, int]] = field(default_factory=list)
    closed: int = 0
    transferred: int = 0

    @property
    def results(self) -> int:
        return sum(n for _, n in self.by_result)

    @property
    def complete(self) -> bool:
        return self.drawn > 0 and self.closed == self.drawn


def progress(assignments) -> Progress:
    """Roll up already loaded assignments (each with its case) — no queries."""
    out = Progress()
    stages, results = Counter(), Counter()
    for a in assignments:
        out.drawn += 1
        case = a.case
        if case is None:
            continue
        out.with_case += 1
        if case.status == "closed":
            out.closed += 1
        else:
            stages[STAGE_LABELS.get(case.stage, case.stage)] += 1
        if case.outcome:
            results[case.outcome] += 1
        if (case.details or {}).get("filing_transfer"):
            out.transferred += 1
    order = {label: i for i, label in enumerate(INSPECTION_RESULT_LABELS.values())}
    out.by_stage = dict(stages)
    out.by_result = sorted(results.items(), key=lambda kv: (order.get(kv[0], 99), kv[0]))
    return out


def task_assignments(task: InspectionTask):
    """The current draw's targets with their cases, for pages and the API (constant queries)."""
    return (
        InspectionAssignment.objects.filter(task=task, draw__is_current=True)
        .select_related("target", "target__region", "case")
        .order_by("position")
    )


def officer_names(assignments) -> dict[int, str]:
    ids = {i for a in assignments for i in a.officer_ids}
    return dict(Officer.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}
