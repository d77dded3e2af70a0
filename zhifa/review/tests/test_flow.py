"""法制审核 end to end through the engine and the review services (L1–L6)."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhifa.cases.models import Deadline, ProcedureSetting
from zhifa.cases.tests import data as test_data
from zhifa.review import rules, services
from zhifa.review.models import CatalogueEntry, Filing, FilingStatus
from zhifa.review.tests.helpers import TODAY, act, agree, decision, penalty, problems, refusals, submit

pytestmark = pytest.mark.django_db


def test_a_heard_case_cannot_be_decided_before_review_passes_l2(world, heard_case, reviewer):
    head, officer = world.users["market_head"], world.users["market_officer"]
    refused = refusals(heard_case, "decide_penalty", head, **decision(150000))
    assert any(
        r.rule == "L2" and "尚未提交法制审核" in r.message and "第五十八条" in r.basis for r in refused
    )

    first, created = submit(heard_case, officer)
    assert created and first.number == 1 and "经过听证程序" in first.reasons[0]["message"]
    assert Deadline.objects.get(case=heard_case, code="legal_review").status == "running"
    assert any(
        "尚未完成" in r.message for r in refusals(heard_case, "decide_penalty", head, **decision(150000))
    )

    services.assign(first, reviewer, head)
    services.record_opinion(first, reviewer, problems())
    first.refresh_from_db()
    assert first.document is not None and first.document.kind == "legal_review_opinion"
    assert Deadline.objects.get(case=heard_case, code="legal_review").status == "met"
    assert any(
        "审核未通过" in r.message for r in refusals(heard_case, "decide_penalty", head, **decision(150000))
    )

    second, _ = submit(heard_case, officer, report="罚款数额依裁量基准“从重”档次，理由：多次违法。")
    assert second.number == 2 and second.changes == ["review_report"]
    services.assign(second, reviewer, reviewer)  # a qualified reviewer claims it
    services.record_opinion(second, reviewer, agree())

    different = refusals(heard_case, "decide_penalty", head, **decision(160000))
    assert any(r.rule == "L2" and "不一致" in r.message for r in different)
    act(heard_case, "decide_penalty", head, **decision(150000))
    heard_case.refresh_from_db()
    assert heard_case.stage == "decided"
    filing = Filing.objects.get(case=heard_case)
    services.submit_filing(filing, officer, "经两轮法制审核后作出决定。")
    services.handle_filing(filing, world.users["city_supervisor"], accept=True, opinion="")
    assert Filing.objects.get(case=heard_case).status == FilingStatus.ACCEPTED


def test_replaying_an_old_request_does_not_bypass_the_gate_l2(world, heard_case):
    """A request key already used by an earlier action (a phone replaying an old request) returns
    that action's event; it never performs the decision."""
    import uuid as uuid_module

    from zhifa.cases import engine

    head = world.users["market_head"]
    heard_case.refresh_from_db()
    old = heard_case.events.order_by("-sequence").first()
    event, created = engine.perform(
        heard_case.pk,
        "decide_penalty",
        head,
        decision(150000),
        expected_version=old.case_version - 1,
        request_key=old.request_key,
    )
    assert not created and event.pk == old.pk
    heard_case.refresh_from_db()
    assert heard_case.stage == "hearing_held"
    with pytest.raises(engine.ActionRefused):
        engine.perform(
            heard_case.pk,
            "decide_penalty",
            head,
            decision(150000),
            expected_version=heard_case.version,
            request_key=uuid_module.uuid4().hex,
        )


def test_catalogue_level_and_field_conditions_l1(world, filed_case):
    from zhifa.powers.models import PowerItem

    item = PowerItem.objects.create(
        agency=world.orgs["market"], name="销售不合格产品", category="penalty", basis_text="x", level="市级"
    )
    filed_case.power_item = item
    filed_case.save(update_fields=["power_item"])
    act(filed_case, "finish_investigation", world.users["market_officer"], **penalty(5000))
    filed_case.refresh_from_db()
    CatalogueEntry.objects.create(agency=world.orgs["market"], title="区级事项", power_level="区级")
    CatalogueEntry.objects.create(
        agency=world.orgs["market"], title="生态环境领域", field=world.fields["env"]
    )
    assert services.required_reasons(filed_case) == []
    CatalogueEntry.objects.create(
        agency=world.orgs["market"],
        title="市级市场监管事项",
        power_level="市级",
        field=world.fields["market"],
    )
    assert [r.message for r in services.required_reasons(filed_case)] == ["列入目录清单：市级市场监管事项"]


def test_decision_of_a_reviewed_case_opens_its_filing_l6(world, heard_case, reviewer):
    head, officer = world.users["market_head"], world.users["market_officer"]
    round_, _ = submit(heard_case, officer)
    services.assign(round_, reviewer, head)
    services.record_opinion(round_, reviewer, agree())
    act(heard_case, "decide_penalty", head, **decision(150000))

    filing = Filing.objects.get(case=heard_case)
    assert filing.legal_office == world.orgs["justice"] and filing.status == FilingStatus.DUE
    act(heard_case, "serve_decision", officer, served_on=TODAY.isoformat(), method="direct")
    act(heard_case, "record_payment", officer, paid_on=TODAY.isoformat(), amount="150000")
    act(heard_case, "close_case", head, **test_data.closing())
    # closing the case ends its procedural periods, not the 备案 period (L6)
    assert filing.due_on >= TODAY + timedelta(days=10)
    assert Deadline.objects.get(case=heard_case, code="review_filing").rule == "L6"

    with pytest.raises(ValidationError, match="只能审查已报送"):
        services.handle_filing(filing, world.users["city_supervisor"], accept=True, opinion="")
    services.submit_filing(filing, officer, "本案经听证、法制审核，决定罚款十五万元。")
    assert Deadline.objects.get(case=heard_case, code="review_filing").status == "met"
    with pytest.raises(PermissionDenied):
        services.handle_filing(filing, world.users["east_supervisor"], accept=True, opinion="")
    with pytest.raises(ValidationError, match="退回备案的，请写明理由"):
        services.handle_filing(filing, world.users["city_supervisor"], accept=False, opinion="")
    services.handle_filing(filing, world.users["city_supervisor"], accept=False, opinion="请补充听证笔录。")
    filing.refresh_from_db()
    assert filing.status == FilingStatus.RETURNED
    services.submit_filing(filing, officer, "已补充听证笔录。")
    services.handle_filing(filing, world.users["city_supervisor"], accept=True, opinion="")
    filing.refresh_from_db()
    assert filing.status == FilingStatus.ACCEPTED and [h["what"] for h in filing.history] == [
        "报送备案",
        "退回",
        "报送备案",
        "准予备案",
    ]


def test_catalogue_amount_threshold_decides_whether_review_is_needed_l1(world, filed_case):
    CatalogueEntry.objects.create(
        agency=world.orgs["market"], title="对法人处十万元以上罚款", min_fine_organisation=Decimal("100000")
    )
    user, head = world.users["market_officer"], world.users["market_head"]
    act(filed_case, "finish_investigation", user, **penalty("99999.99"))
    act(filed_case, "notify", user, served_on=(TODAY - timedelta(days=14)).isoformat(), method="direct")
    assert services.required_reasons(filed_case) == []
    # the decision itself is what the catalogue looks at: 100 000 元 needs review, 99 999.99 does not
    refused = refusals(filed_case, "decide_penalty", head, **decision(100000))
    assert any(r.rule == "L2" and "对法人处十万元以上罚款" in r.message for r in refused)
    act(filed_case, "decide_penalty", head, **decision("99999.99"))
    assert not Filing.objects.filter(case=filed_case).exists()


def test_manual_listing_requires_review_l1(world, filed_case):
    user, head = world.users["market_officer"], world.users["market_head"]
    act(filed_case, "finish_investigation", user, **penalty(5000))
    with pytest.raises(ValidationError):
        services.list_manually(filed_case, user, " ")
    services.list_manually(filed_case, user, "社会关注度高，媒体多次报道")
    assert "社会关注度高" in services.required_reasons(filed_case)[0].message
    act(filed_case, "notify", user, served_on=(TODAY - timedelta(days=14)).isoformat(), method="direct")
    assert any(r.rule == "L2" for r in refusals(filed_case, "decide_penalty", head, **decision(5000)))


def test_submission_is_idempotent_and_checks_stage_and_pending_rounds(world, filed_case, heard_case):
    officer = world.users["market_officer"]
    with pytest.raises(ValidationError, match="缺少法制审核送审报告"):
        services.submit(heard_case, officer, outcome=services.PENALTY, review_report=" ", request_key="k2")
    key = uuid.uuid4().hex
    first, created = submit(heard_case, officer, key=key)
    again, created_again = submit(heard_case, officer, key=key)
    assert created and not created_again and again.pk == first.pk
    with pytest.raises(ValidationError, match="尚未完成，不能重复提交"):
        submit(heard_case, officer)


def test_submission_refused_before_investigation_ends(world, filed_case):
    with pytest.raises(ValidationError, match="调查终结后、作出决定前"):
        submit(filed_case, world.users["market_officer"])


def test_review_period_follows_the_field_setting(world, heard_case):
    from zhifa.cases.parameters import bump_revision
    from zhifa.workdays.services import current_calendar

    ProcedureSetting.objects.create(key="legal_review_workdays", value=10, field=world.fields["market"])
    bump_revision()
    round_, _ = submit(heard_case, world.users["market_officer"])
    assert round_.due_on == rules.review_due(current_calendar(), TODAY, 10).date


def test_reviewer_may_not_review_own_case_and_first_timer_needs_qualification_l5(
    world, heard_case, reviewer, officers
):
    from zhifa.accounts.models import User
    from zhifa.accounts.roles import Role
    from zhifa.accounts.services import assign_roles

    head = world.users["market_head"]
    round_, _ = submit(heard_case, world.users["market_officer"])
    handler = User.objects.create_user("handler_reviewer", password="x", organization=world.orgs["market"])
    assign_roles(handler, [Role.REVIEWER])
    officers[0].user = handler
    officers[0].legal_qualification_number, officers[0].legal_qualification_date = (
        "A1",
        TODAY - timedelta(days=400),
    )
    officers[0].save()
    with pytest.raises(ValidationError, match="不得审核本人承办的案件"):
        services.assign(round_, handler, head)
    novice = User.objects.create_user("novice", password="x", organization=world.orgs["market"])
    assign_roles(novice, [Role.REVIEWER])
    with pytest.raises(ValidationError, match="法律职业资格"):
        services.assign(round_, novice, head)
    with pytest.raises(ValidationError, match="本机关的法制审核人员"):
        services.assign(round_, world.users["market_officer"], head)
    with pytest.raises(PermissionDenied):
        services.assign(round_, reviewer, world.users["market_officer"])
    candidates = dict(services.eligible_reviewers(round_))
    assert candidates[reviewer] is None and candidates[novice].rule == "L5"


def test_only_the_assigned_reviewer_gives_one_opinion_l4(world, heard_case, reviewer):
    round_, _ = submit(heard_case, world.users["market_officer"])
    with pytest.raises(PermissionDenied):
        services.record_opinion(round_, reviewer, agree())
    services.assign(round_, reviewer, reviewer)
    services.record_opinion(round_, reviewer, agree())
    services.record_opinion(round_, reviewer, agree())  # a double-clicked submit changes nothing
    with pytest.raises(ValidationError, match="不能修改"):
        services.record_opinion(round_, reviewer, problems())


def test_disagreement_goes_to_the_head_but_cannot_pass_the_review_l4(world, heard_case, reviewer):
    head, officer = world.users["market_head"], world.users["market_officer"]
    round_, _ = submit(heard_case, officer)
    services.assign(round_, reviewer, head)
    round_ = services.record_opinion(round_, reviewer, problems())
    escalation = services.escalate(round_, officer, handler_view="当事人多次违法，从重有据。")
    assert escalation.reviewer_view == round_.opinion_text
    with pytest.raises(PermissionDenied):
        services.conclude(escalation, officer, "同意承办机构意见")
    services.conclude(escalation, head, "提请集体讨论")
    services.consult_adviser(round_, reviewer, adviser="李律师", opinion="裁量理由应当写入决定书。")
    assert any(r.rule == "L2" for r in refusals(heard_case, "decide_penalty", head, **decision(150000)))


def test_staffing_and_statistics_l5(world, heard_case, reviewer):
    head, officer = world.users["market_head"], world.users["market_officer"]
    round_, _ = submit(heard_case, officer)
    services.assign(round_, reviewer, head)
    services.record_opinion(round_, reviewer, agree())
    market = world.orgs["market"]
    staffing = {
        row["agency"]: row
        for row in services.staffing([market, world.orgs["east_market"]], world.users["admin"])
    }
    assert staffing[market]["reviewers"] == 1 and staffing[market]["ok"]
    assert (
        staffing[world.orgs["east_market"]]["reviewers"] == 0
        and not staffing[world.orgs["east_market"]]["ok"]
    )
    row = services.statistics([market])[0]
    assert (row["cases"], row["rounds"], row["pass_rate"], row["overdue"]) == (1, 1, 100.0, 0)
    assert row["avg_days"] is not None


def test_supplement_request_opens_a_deadline_and_a_late_resubmission_is_flagged_l4(
    world, heard_case, reviewer
):
    officer = world.users["market_officer"]
    round_, _ = submit(heard_case, officer)
    services.assign(round_, reviewer, reviewer)
    draft = agree()
    draft.opinion, draft.text, draft.supplement_due = (
        rules.Opinion.SUPPLEMENT,
        "请补充检验报告。",
        TODAY + timedelta(days=3),
    )
    round_ = services.record_opinion(round_, reviewer, draft)
    supplement = Deadline.objects.get(case=heard_case, code="review_supplement")
    assert supplement.due_on == TODAY + timedelta(days=3) and supplement.status == "running"
    # the deadline passes before the handler resubmits
    type(round_).objects.filter(pk=round_.pk).update(supplement_due=TODAY - timedelta(days=1))
    second, _ = submit(heard_case, officer, report="已补充检验报告。")
    assert second.late_supplement
    assert Deadline.objects.get(pk=supplement.pk).status == "met"


def test_opinion_refused_when_the_case_changed_after_submission_l4(world, heard_case, reviewer):
    round_, _ = submit(heard_case, world.users["market_officer"])
    services.assign(round_, reviewer, reviewer)
    heard_case.refresh_from_db()
    heard_case.details["proposal"]["fine"] = "180000"
    heard_case.save(update_fields=["details"])
    with pytest.raises(ValidationError, match="处理意见已经改变"):
        services.record_opinion(round_, reviewer, agree())
    round_.refresh_from_db()
    assert round_.opinion == "" and round_.document is None
