"""行政处罚一般程序 end to end through the engine (P1, P3, P6, P7, P8, P9, P11, P12, L2)."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from zhifa.cases import engine
from zhifa.cases.models import Deadline
from zhifa.cases.tests import data as test_data

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def act(case, code, user, **data):
    case.refresh_from_db()
    return engine.perform(
        case.pk, code, user, data, expected_version=case.version, request_key=uuid.uuid4().hex
    )[0]


def refused(case, code, user, **data):
    with pytest.raises(engine.ActionRefused) as excinfo:
        act(case, code, user, **data)
    return excinfo.value.refusals


def penalty(fine, kinds=("fine",)):
    return {
        "facts": "当事人于2026年9月销售标签不符合规定的预包装食品。",
        "evidence": "现场检查笔录、询问笔录、购货凭证",
        "violated": "《中华人民共和国食品安全法》第七十一条第一款",
        "basis": "《中华人民共和国食品安全法》第一百二十五条第一款",
        "penalty_kinds": list(kinds),
        "fine": str(fine),
    }


@pytest.fixture
def filed_case(world, make_case, officers):
    case = make_case(procedure="penalty_general", violation_date=TODAY - timedelta(days=60))
    head = world.users["market_head"]
    act(case, "register_lead", world.users["market_officer"])
    act(case, "file_case", head, officers=",".join(str(o.pk) for o in officers), approval_note="同意立案")
    case.refresh_from_db()
    return case


def test_filing_numbers_the_case_and_starts_the_90_day_period_p9(filed_case):
    assert filed_case.number.startswith("示市监罚立〔") and filed_case.stage == "investigating"
    decision = Deadline.objects.get(case=filed_case, code="decision")
    assert decision.days == 90 and decision.unit == "natural"
    assert Deadline.objects.get(case=filed_case, code="filing").status == "met"


def test_filing_needs_two_qualified_officers_p1(world, make_case, officers):
    case = make_case(procedure="penalty_general")
    refusals = refused(case, "file_case", world.users["market_head"], officers=str(officers[0].pk))
    assert refusals[0].rule == "P1"


def test_an_officer_cannot_file_a_case(world, make_case, officers):
    case = make_case(procedure="penalty_general")
    refusals = refused(
        case, "file_case", world.users["market_officer"], officers=f"{officers[0].pk},{officers[1].pk}"
    )
    assert any("机关负责人" in r.message for r in refusals)


def test_no_decision_before_the_statement_period_has_passed_p6(world, filed_case):
    user, head = world.users["market_officer"], world.users["market_head"]
    act(filed_case, "finish_investigation", user, **penalty(5000))
    act(filed_case, "notify", user, served_on=TODAY.isoformat(), method="direct")
    refusals = refused(
        filed_case,
        "decide_penalty",
        head,
        **penalty(5000),
        decided_on=TODAY.isoformat(),
        payment_method="银行缴纳",
    )
    assert any(r.rule == "P6" for r in refusals)


def test_full_case_without_hearing_runs_to_closing_p6_p11_p12(world, filed_case):
    user, head = world.users["market_officer"], world.users["market_head"]
    act(filed_case, "finish_investigation", user, **penalty(5000))
    served = TODAY - timedelta(days=14)
    act(filed_case, "notify", user, served_on=served.isoformat(), method="direct")
    assert not Deadline.objects.filter(
        case=filed_case, code="hearing_request"
    ).exists()  # 5000 元: no hearing
    act(
        filed_case,
        "decide_penalty",
        head,
        **penalty(5000),
        decided_on=TODAY.isoformat(),
        payment_method="银行缴纳",
    )
    filed_case.refresh_from_db()
    assert filed_case.outcome == "处罚" and filed_case.stage == "decided"
    assert Deadline.objects.get(case=filed_case, code="service").unit == "work"
    act(filed_case, "serve_decision", user, served_on=TODAY.isoformat(), method="direct")
    assert Deadline.objects.get(case=filed_case, code="payment").status == "running"
    act(filed_case, "record_payment", user, paid_on=TODAY.isoformat(), amount="5000")
    act(filed_case, "close_case", head, **test_data.closing())
    filed_case.refresh_from_db()
    assert filed_case.status == "closed"


def test_decision_may_not_exceed_what_was_notified_p6(world, filed_case):
    user, head = world.users["market_officer"], world.users["market_head"]
    act(filed_case, "finish_investigation", user, **penalty(5000))
    act(filed_case, "notify", user, served_on=(TODAY - timedelta(days=14)).isoformat(), method="direct")
    refusals = refused(
        filed_case,
        "decide_penalty",
        head,
        **penalty(8000),
        decided_on=TODAY.isoformat(),
        payment_method="银行",
    )
    assert any(r.rule == "P6" for r in refusals)


def test_large_fine_offers_a_hearing_and_hearing_cases_need_legal_review_p8_l2(world, filed_case, officers):
    user, head = world.users["market_officer"], world.users["market_head"]
    act(filed_case, "finish_investigation", user, **penalty(150000))
    served = TODAY - timedelta(days=3)
    act(filed_case, "notify", user, served_on=served.isoformat(), method="direct")
    filed_case.refresh_from_db()
    assert filed_case.details["notice"]["hearing_reasons"]
    assert Deadline.objects.get(case=filed_case, code="hearing_request").days == 5
    act(filed_case, "request_hearing", user, requested_on=TODAY.isoformat())
    # a presiding officer who investigated the case is refused
    refusals = refused(
        filed_case,
        "schedule_hearing",
        head,
        notified_on=TODAY.isoformat(),
        hearing_on=(TODAY + timedelta(days=20)).isoformat(),
        place="听证室",
        presiding_officer=officers[0].pk,
    )
    assert any(r.rule == "P8" for r in refusals)
    from zhifa.personnel.tests.factories import qualified_officer

    presiding = qualified_officer(world, name="周主持")[0]
    act(
        filed_case,
        "schedule_hearing",
        head,
        notified_on=TODAY.isoformat(),
        hearing_on=(TODAY + timedelta(days=20)).isoformat(),
        place="听证室",
        presiding_officer=presiding.pk,
    )
    act(filed_case, "hold_hearing", head, **test_data.hearing_record())
    refusals = refused(
        filed_case,
        "decide_penalty",
        head,
        **penalty(150000),
        decided_on=TODAY.isoformat(),
        payment_method="银行",
    )
    assert any(r.rule == "L2" and "尚未提交法制审核" in r.message for r in refusals)


def test_hearing_notice_needs_seven_working_days_p8(world, filed_case):
    user, head = world.users["market_officer"], world.users["market_head"]
    act(filed_case, "finish_investigation", user, **penalty(150000))
    act(filed_case, "notify", user, served_on=TODAY.isoformat(), method="direct")
    act(filed_case, "request_hearing", user, requested_on=TODAY.isoformat())
    refusals = refused(
        filed_case,
        "schedule_hearing",
        head,
        notified_on=TODAY.isoformat(),
        hearing_on=(TODAY + timedelta(days=2)).isoformat(),
        place="听证室",
        presiding_officer=999999,
    )
    assert any(r.rule == "P8" and ("七" in r.message or "7" in r.message) for r in refusals)


def test_major_case_needs_collective_discussion_p7(world, filed_case):
    user, head = world.users["market_officer"], world.users["market_head"]
    act(filed_case, "finish_investigation", user, **penalty(5000), is_major="on")
    act(filed_case, "notify", user, served_on=(TODAY - timedelta(days=14)).isoformat(), method="direct")
    refusals = refused(
        filed_case,
        "decide_penalty",
        head,
        **penalty(5000),
        decided_on=TODAY.isoformat(),
        payment_method="银行",
    )
    rules_hit = {r.rule for r in refusals}
    assert {"P7", "L2"} <= rules_hit


def test_suspected_crime_must_be_transferred_p13(world, filed_case):
    user, head = world.users["market_officer"], world.users["market_head"]
    act(filed_case, "finish_investigation", user, **penalty(5000), suspected_crime="on")
    act(filed_case, "notify", user, served_on=(TODAY - timedelta(days=14)).isoformat(), method="direct")
    refusals = refused(
        filed_case,
        "decide_penalty",
        head,
        **penalty(5000),
        decided_on=TODAY.isoformat(),
        payment_method="银行",
    )
    assert any(r.rule == "P13" for r in refusals)
    act(
        filed_case,
        "transfer_to_judiciary",
        head,
        transferred_on=TODAY.isoformat(),
        receiver="示范市公安局",
        reason="涉嫌生产销售不符合安全标准的食品罪",
    )
    filed_case.refresh_from_db()
    assert filed_case.stage == "transferred"


def test_electronic_service_needs_consent_p11(world, filed_case):
    user, head = world.users["market_officer"], world.users["market_head"]
    act(filed_case, "finish_investigation", user, **penalty(5000))
    act(filed_case, "notify", user, served_on=(TODAY - timedelta(days=14)).isoformat(), method="direct")
    act(
        filed_case,
        "decide_penalty",
        head,
        **penalty(5000),
        decided_on=TODAY.isoformat(),
        payment_method="银行缴纳",
    )
    refusals = refused(filed_case, "serve_decision", user, served_on=TODAY.isoformat(), method="electronic")
    assert refusals[0].rule == "P11"


def test_limitation_expired_is_refused_at_decision_and_warned_at_filing_p3(world, make_case, officers):
    case = make_case(
        procedure="penalty_general", violation_date=TODAY - timedelta(days=800), discovered_on=TODAY
    )
    head = world.users["market_head"]
    event = act(case, "file_case", head, officers=",".join(str(o.pk) for o in officers))
    assert event.data["warnings"][0]["rule"] == "P3"
