"""The engine's mechanics: refusals with reasons, idempotent retries, stale versions, 案号."""

import uuid
from decimal import Decimal

import pytest

from zhifa.cases import engine
from zhifa.cases.models import CaseEvent, Deadline
from zhifa.cases.tests import data as test_data

pytestmark = pytest.mark.django_db


def decide(case, user, fine="200", kinds=("fine",), key=None, version=None, **extra):
    data = {
        "facts": "当事人销售商品未按规定明码标价。",
        "evidence": "现场检查笔录、照片",
        "violated": "《中华人民共和国价格法》第十三条第一款",
        "basis": "《中华人民共和国价格法》第四十二条",
        "penalty_kinds": list(kinds),
        "fine": fine,
        "decided_on": "2026-11-20",
        "place": "示范市人民路1号",
        "facts_certain": "on",
        "payment_method": "bank",
        **extra,
    }
    return engine.perform(
        case.pk,
        "decide_on_spot",
        user,
        data,
        expected_version=version or case.version,
        request_key=key or uuid.uuid4().hex,
    )


def natural_person():
    from zhifa.core.rules import id_number_check_char

    body = "37990219800101001"
    return [
        {
            "kind": "natural_person",
            "name": "赵某",
            "id_number": body + id_number_check_char(body),
            "address": "示范市",
        }
    ]


def test_summary_fine_200_for_a_natural_person_is_allowed_p2(world, make_case):
    case = make_case(parties=natural_person())
    event, created = decide(case, world.users["market_officer"], fine="200")
    assert created and event.stage_after == "decided"
    case.refresh_from_db()
    assert case.number.startswith("示市监罚简〔") and case.outcome == "处罚"
    assert Deadline.objects.get(case=case, code="payment").days == 15


def test_summary_fine_200_01_for_a_natural_person_is_refused_p2(world, make_case):
    case = make_case(parties=natural_person())
    with pytest.raises(engine.ActionRefused) as refused:
        decide(case, world.users["market_officer"], fine="200.01")
    assert any(r.rule == "P2" and "第五十一条" in r.basis for r in refused.value.refusals)
    case.refresh_from_db()
    assert case.stage == "registered" and not CaseEvent.objects.filter(case=case).exists()


def test_summary_fine_3000_for_an_organisation_is_allowed_and_3000_01_refused_p2(world, make_case):
    assert decide(make_case(), world.users["market_officer"], fine="3000")[1]
    with pytest.raises(engine.ActionRefused):
        decide(make_case(), world.users["market_officer"], fine="3000.01")


def test_a_retried_request_acts_once(world, make_case):
    case = make_case()
    first, created = decide(case, world.users["market_officer"], key="phone-retry-1")
    again, created_again = decide(case, world.users["market_officer"], key="phone-retry-1")
    assert created and not created_again and first.pk == again.pk
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_a_stale_version_is_refused_with_a_clear_message(world, make_case):
    case = make_case()
    decide(case, world.users["market_officer"])
    with pytest.raises(engine.StaleCase) as stale:
        engine.perform(
            case.pk, "report_filing", world.users["market_officer"], {}, expected_version=1, request_key="x"
        )
    assert "已被他人更新" in stale.value.refusals[0].message


def test_available_actions_explain_what_is_not_possible(world, make_case):
    case = make_case()
    actions = {a.action.code: a for a in engine.available_actions(case, world.users["market_officer"])}
    assert actions["decide_on_spot"].allowed
    closing = actions["close_case"]
    assert not closing.allowed and any("阶段" in r.message for r in closing.refusals)


def test_one_qualified_officer_is_not_enough_p1(world, make_case, officers):
    from zhifa.personnel.models import CertificateStatus

    officers[1].certificates.update(status=CertificateStatus.SUSPENDED)
    case = make_case()
    with pytest.raises(engine.ActionRefused) as refused:
        decide(case, world.users["market_officer"])
    messages = " ".join(r.message for r in refused.value.refusals)
    assert "不得少于2人" in messages and "李强" in messages


def test_another_agency_cannot_act_on_the_case(world, make_case):
    case = make_case()
    with pytest.raises(engine.Case.DoesNotExist):
        decide(case, world.users["east_officer"])


def test_events_are_immutable(world, make_case):
    case = make_case()
    event, _ = decide(case, world.users["market_officer"])
    event.data = {}
    with pytest.raises(RuntimeError):
        event.save()


def test_summary_case_runs_to_closing(world, make_case):
    case = make_case()
    user = world.users["market_officer"]
    decide(case, user, fine="500")
    case.refresh_from_db()
    engine.perform(case.pk, "report_filing", user, {}, expected_version=case.version, request_key="r")
    case.refresh_from_db()
    payment = {"paid_on": "2026-11-21", "amount": "500", "receipt_number": "A001"}
    engine.perform(case.pk, "record_payment", user, payment, expected_version=case.version, request_key="p")
    case.refresh_from_db()
    engine.perform(
        case.pk,
        "close_case",
        world.users["market_head"],
        test_data.closing(),
        expected_version=case.version,
        request_key="c",
    )
    case.refresh_from_db()
    assert case.status == "closed" and case.closed_on
    # every case period ends; the 30-day 立卷归档 period starts (R4); the 公示 period (G3) runs
    # until the head approves the publication
    running = Deadline.objects.filter(case=case, status="running").values_list("code", flat=True)
    assert sorted(running) == ["archive", "publication"]
    assert Decimal(case.details["payment"]["amount"]) == Decimal("500")


def test_a_warning_opens_no_payment_period_p12(world, make_case):
    case = make_case()
    decide(case, world.users["market_officer"], fine="", kinds=("warning",))
    assert not Deadline.objects.filter(case=case, code="payment").exists()


def test_the_service_itself_refuses_a_registration_outside_the_agencys_powers(world, make_case):
    """Every path that creates a case (web, API, imports, 双随机 tasks) gets the same checks:
    the agency's fields (处罚法第十七条) and territory (第二十二条)."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        make_case(field=world.fields["env"])
    assert "第十七条" in error.value.message_dict["field"][0]
    with pytest.raises(ValidationError) as error:
        make_case(procedure="coercive_seizure", region=world.regions["province"])
    assert "第二十二条" in error.value.message_dict["region"][0]
