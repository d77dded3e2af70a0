"""Tasks, draws, 回避 and confirmation through the services (P1; 处罚法第四十二条、第四十三条)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhifa.cases.models import Case, CaseOfficer
from zhifa.inspections import rules, services
from zhifa.inspections.models import (
    InspectionAssignment,
    InspectionDraw,
    InspectionTarget,
    Recusal,
    TaskStatus,
)
from zhifa.personnel.tests.factories import make_officer, qualified_officer

pytestmark = pytest.mark.django_db


def head(world):
    return world.users["market_head"]


def test_draw_records_seed_and_pools_and_is_reproducible(world, make_targets, pool, make_task):
    targets = make_targets(10)
    task = make_task()
    draw = services.draw_task(head(world), task)
    task.refresh_from_db()
    assert task.status == TaskStatus.DRAWN
    assert len(draw.seed) == 32 and draw.sample_size == 3
    assert draw.target_pool == sorted(t.pk for t in targets)
    assert draw.officer_pool == sorted(o.pk for o in pool)
    stored = [rules.Drawn(a.target_id, tuple(a.officer_ids)) for a in draw.assignments.order_by("position")]
    assert stored == rules.draw(draw.seed, draw.target_pool, draw.officer_pool, 3, 2)
    assert services.replay(draw)


def test_a_given_seed_gives_the_same_draw(world, make_targets, pool, make_task):
    make_targets(10)
    first = services.draw_task(head(world), make_task(), seed="00ff")
    second = services.draw_task(head(world), make_task(name="第二个任务"), seed="00ff")
    pick = lambda d: [(a.target_id, a.officer_ids) for a in d.assignments.order_by("position")]  # noqa: E731
    assert pick(first) == pick(second)


def test_sample_by_ratio_rounds_up(world, make_targets, pool, make_task):
    make_targets(7)
    draw = services.draw_task(head(world), make_task(sample_count=None, sample_ratio=30))
    assert draw.sample_size == 3  # 7 × 30 % = 2.1 → 3


def test_ratio_defaults_from_the_inspection_item(world, make_targets, pool, make_task):
    task = make_task(sample_count=None)
    assert task.sample_ratio == 30  # the item's “30%”


def test_only_targets_of_the_task_scope_are_candidates(world, make_targets, pool, make_task):
    inside = make_targets(3)
    make_targets(2, start=50, is_active=False)
    make_targets(2, start=60, category="药品零售企业")
    make_targets(2, start=70, agency=world.orgs["east_market"], region=world.regions["east"])
    draw = services.draw_task(head(world), make_task(sample_count=10, target_category="食品经营者"))
    assert sorted(draw.target_pool) == sorted(t.pk for t in inside) and draw.sample_size == 3


def test_ineligible_officers_are_excluded_with_reasons_p1(world, make_targets, pool, make_task):
    make_targets(5)
    uncertified = make_officer(world.orgs["market_team"], name="钱无证")
    expired, certificate = qualified_officer(world, name="孙过期")
    certificate.valid_until = date(2024, 1, 1)
    certificate.save()
    draw = services.draw_task(head(world), make_task())
    assert uncertified.pk not in draw.officer_pool and expired.pk not in draw.officer_pool
    excluded = {row["name"]: row["reasons"] for row in draw.excluded_officers}
    assert set(excluded) == {"钱无证", "孙过期"} and all(excluded.values())
    drawn = {i for a in draw.assignments.all() for i in a.officer_ids}
    assert drawn <= {o.pk for o in pool}


def test_fewer_than_two_eligible_officers_is_refused_p1(world, make_targets, make_task):
    """P1: 执法人员不得少于两人 (处罚法第四十二条) — one qualified officer cannot be drawn."""
    make_targets(5)
    qualified_officer(world, name="张明")
    make_officer(world.orgs["market_team"], name="李无证")
    task = make_task()
    with pytest.raises(ValidationError) as excinfo:
        services.draw_task(head(world), task)
    message = " ".join(excinfo.value.messages)
    assert "P1" in message and "《中华人民共和国行政处罚法》第四十二条" in message and "只有1名" in message
    assert not InspectionDraw.objects.exists()
    task.refresh_from_db()
    assert task.status == TaskStatus.DRAFT
    assert services.preview_draw(task).error.startswith("可随机选派")


def test_one_officer_per_target_is_refused_at_creation_p1(world, item, make_task):
    with pytest.raises(ValidationError) as excinfo:
        make_task(officers_per_target=1)
    assert "P1" in excinfo.value.message_dict["officers_per_target"][0]


def test_task_needs_items_of_its_own_agency(world, make_task):
    from zhifa.powers.models import InspectionItem

    other = InspectionItem.objects.create(
        agency=world.orgs["east_market"], field_name="x", name="东城事项", target="y", method="现场检查"
    )
    task_kwargs = {"agency": world.orgs["market"]}
    with pytest.raises(ValidationError) as excinfo:
        from zhifa.inspections.models import InspectionTask

        services.create_task(
            head(world),
            InspectionTask(
                name="越权任务",
                field=world.fields["market"],
                region=world.regions["city"],
                period_start=date(2026, 5, 1),
                period_end=date(2026, 4, 30),
                sample_count=1,
                **task_kwargs,
            ),
            [other],
        )
    errors = excinfo.value.message_dict
    assert "items" in errors and "period_end" in errors


def test_other_agency_cannot_create_or_draw(world, make_targets, pool, make_task):
    task = make_task()
    with pytest.raises(PermissionDenied):
        make_task(user=world.users["east_head"])
    with pytest.raises(PermissionDenied):
        services.draw_task(world.users["east_head"], task)
    with pytest.raises(PermissionDenied):
        services.draw_task(world.users["market_officer"], task)


def test_redraw_needs_a_reason_and_keeps_the_first_draw(world, make_targets, pool, make_task):
    make_targets(10)
    task = make_task()
    first = services.draw_task(head(world), task)
    with pytest.raises(ValidationError) as excinfo:
        services.draw_task(head(world), task)
    assert "理由" in excinfo.value.message_dict["reason"][0]
    second = services.draw_task(head(world), task, reason="名录更新后重新抽取")
    first.refresh_from_db()
    assert not first.is_current and second.is_current and second.sequence == 2
    assert first.assignments.count() == 3 and services.task_assignments(task).count() == 3


def test_recusal_redraws_that_target_and_is_recorded(world, make_targets, pool, make_task):
    """处罚法第四十三条: the officer leaves; the next of that target's random order replaces them."""
    make_targets(10)
    task = make_task()
    draw = services.draw_task(head(world), task)
    assignments = list(draw.assignments.order_by("position"))
    victim = assignments[1]
    leaving = victim.officer_ids[0]
    others = {a.pk: list(a.officer_ids) for a in assignments if a.pk != victim.pk}
    from zhifa.personnel.models import Officer

    recusal = services.declare_recusal(
        head(world), victim, Officer.objects.get(pk=leaving), "其配偶为该店股东"
    )
    victim.refresh_from_db()
    assert leaving not in victim.officer_ids and len(victim.officer_ids) == 2
    assert recusal.replacement_id in victim.officer_ids and recusal.replacement_id != leaving
    assert {a.pk: a.officer_ids for a in InspectionAssignment.objects.exclude(pk=victim.pk)} == others
    assert services.replay(draw)  # reproducible from the seed and the recorded 回避
    with pytest.raises(ValidationError):
        services.declare_recusal(head(world), victim, Officer.objects.get(pk=leaving), "再次")


def test_officer_declares_only_their_own_recusal(world, make_targets, pool, make_task):
    make_targets(10)
    draw = services.draw_task(head(world), make_task())
    assignment = draw.assignments.order_by("position").first()
    from zhifa.personnel.models import Officer

    mine, other = (Officer.objects.get(pk=i) for i in assignment.officer_ids)
    officer_user = world.users["market_officer"]
    mine.user = officer_user
    mine.save()
    with pytest.raises(PermissionDenied):
        services.declare_recusal(officer_user, assignment, other, "同事的亲属")
    services.declare_recusal(officer_user, assignment, mine, "本人亲属经营")
    assert Recusal.objects.filter(officer=mine).exists()


def test_recusal_that_leaves_too_few_officers_is_refused(world, make_targets, make_task):
    make_targets(3)
    two = [qualified_officer(world, name=n)[0] for n in ("张明", "李强")]
    draw = services.draw_task(head(world), make_task(sample_count=1))
    assignment = draw.assignments.get()
    with pytest.raises(ValidationError) as excinfo:
        services.declare_recusal(head(world), assignment, two[0], "利害关系")
    assert "P1" in excinfo.value.messages[0]
    assert not Recusal.objects.exists()


def test_confirm_creates_one_inspection_case_per_target(world, make_targets, pool, make_task):
    make_targets(10)
    task = make_task()
    draw = services.draw_task(head(world), task)
    cases = services.confirm_task(head(world), task)
    task.refresh_from_db()
    assert task.status == TaskStatus.CONFIRMED and task.confirmed_by == head(world)
    assert len(cases) == 3
    for assignment in draw.assignments.select_related("case", "target"):
        case = assignment.case
        assert case.procedure.code == "inspection" and case.stage == "pending"
        assert case.number.startswith("示市监检〔") and case.source == "inspection"
        assert list(CaseOfficer.objects.filter(case=case).values_list("officer_id", flat=True)) == list(
            assignment.officer_ids
        )
        party = case.parties.get()
        assert party.name == assignment.target.name and party.credit_code == assignment.target.credit_code
        assert case.details["inspection_task"]["seed"] == draw.seed
    with pytest.raises(ValidationError):
        services.confirm_task(head(world), task)
    with pytest.raises(ValidationError):
        services.draw_task(head(world), task, reason="确认后再抽")


def test_recusal_after_confirmation_reassigns_the_case(world, make_targets, pool, make_task):
    make_targets(10)
    task = make_task()
    services.draw_task(head(world), task)
    services.confirm_task(head(world), task)
    assignment = services.task_assignments(task).first()
    from zhifa.personnel.models import Officer

    leaving = Officer.objects.get(pk=assignment.officer_ids[0])
    services.declare_recusal(head(world), assignment, leaving, "利害关系")
    assignment.refresh_from_db()
    assert set(CaseOfficer.objects.filter(case=assignment.case).values_list("officer_id", flat=True)) == set(
        assignment.officer_ids
    )


def test_confirm_before_drawing_is_refused(world, make_task):
    with pytest.raises(ValidationError, match="尚未抽取"):
        services.confirm_task(head(world), make_task())


def test_target_credit_code_is_checked_gb32100(world):
    target = InspectionTarget(
        agency=world.orgs["market"],
        name="校验码错误的公司",
        kind="legal_person",
        credit_code="91350100M000100Y44",
        field=world.fields["market"],
        region=world.regions["city"],
        address="示范市",
    )
    with pytest.raises(ValidationError) as excinfo:
        services.save_target(head(world), target)
    assert "GB 32100" in excinfo.value.message_dict["credit_code"][0]


def test_individual_business_needs_the_operator_id_number(world):
    target = InspectionTarget(
        agency=world.orgs["market"],
        name="某某小吃店",
        kind="individual_business",
        credit_code="91350100M000100Y43",
        field=world.fields["market"],
        region=world.regions["city"],
        address="示范市",
    )
    with pytest.raises(ValidationError) as excinfo:
        services.save_target(head(world), target)
    assert "operator_id_number" in excinfo.value.message_dict


def test_progress_counts_results(world, make_targets, pool, make_task):
    make_targets(10)
    task = make_task()
    services.draw_task(head(world), task)
    services.confirm_task(head(world), task)
    Case.objects.filter(pk=services.task_assignments(task).first().case_id).update(outcome="未发现问题")
    progress = services.progress(list(services.task_assignments(task)))
    assert progress.drawn == 3 and progress.results == 1 and progress.by_result == [("未发现问题", 1)]
    assert progress.by_stage == {"待检查": 3}
