"""行政强制措施 (C1, C2) and 行政许可 (T1) through the engine."""

import uuid
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from zhifa.cases import engine
from zhifa.cases.models import Deadline, DeadlineChange
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


def measure(at: datetime, **extra):
    return {
        "measure": "detain",
        "executed_on": at.date().isoformat(),
        "acted_at": at.strftime("%Y-%m-%dT%H:%M"),
        "place": "示范市某仓库",
        "items": "涉嫌过期食品120箱",
        "reason": "《中华人民共和国食品安全法》第一百一十条第四项",
        "party_present": "on",
        **extra,
    }


@pytest.fixture
def seizure_case(make_case, world, officers):
    """A 查封扣押 case whose video of the seizure is already uploaded (R2)."""
    case = make_case(procedure="coercive_seizure")
    test_data.record_video(case, world.users["market_officer"])
    return case


def test_measure_needs_prior_approval_c1(world, seizure_case):
    refusals = refused(
        seizure_case, "execute_measure", world.users["market_officer"], **measure(datetime.now())
    )
    assert "阶段" in refusals[0].message
    act(seizure_case, "approve_measure", world.users["market_head"], reason="证据可能灭失")
    act(seizure_case, "execute_measure", world.users["market_officer"], **measure(datetime.now()))
    deadline = Deadline.objects.get(case=seizure_case, code="seizure")
    assert deadline.days == 30 and deadline.unit == "natural"


def test_absent_party_needs_a_witness_c1(world, seizure_case):
    act(seizure_case, "approve_measure", world.users["market_head"], reason="证据可能灭失")
    with pytest.raises(Exception) as excinfo:
        act(
            seizure_case,
            "execute_measure",
            world.users["market_officer"],
            **measure(datetime.now(), party_present=""),
        )
    assert "见证人" in str(excinfo.value)


def test_extension_at_most_30_days_and_only_once_c2(world, seizure_case):
    head = world.users["market_head"]
    act(seizure_case, "approve_measure", head, reason="证据可能灭失")
    act(seizure_case, "execute_measure", world.users["market_officer"], **measure(datetime.now()))
    assert refused(seizure_case, "extend_measure", head, days=31, reason="需检测")[0].rule == "C2"
    before = Deadline.objects.get(case=seizure_case, code="seizure").due_on
    act(seizure_case, "extend_measure", head, days=30, reason="需检验检测")
    deadline = Deadline.objects.get(case=seizure_case, code="seizure")
    assert deadline.extended_days == 30 and deadline.due_on >= before + timedelta(days=30)
    assert DeadlineChange.objects.filter(deadline=deadline, kind="extend", days=30).exists()
    again = refused(seizure_case, "extend_measure", head, days=1, reason="再延")
    assert again[0].rule == "C2" and "一次" in again[0].message


def test_emergency_measure_reported_after_24_hours_is_refused_c1(world, seizure_case):
    head = world.users["market_head"]
    acted = timezone.localtime().replace(tzinfo=None) - timedelta(hours=30)
    act(seizure_case, "execute_in_emergency", world.users["market_officer"], **measure(acted))
    blocked = refused(
        seizure_case, "decide_handling", head, handling="lift", decided_on=TODAY.isoformat(), reason="解除"
    )
    assert blocked[0].rule == "C1"
    late = refused(
        seizure_case,
        "approve_afterwards",
        head,
        reported_at=timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        approval_note="补批",
    )
    assert late[0].rule == "C1"
    on_time = (acted + timedelta(hours=20)).strftime("%Y-%m-%dT%H:%M")
    act(seizure_case, "approve_afterwards", head, reported_at=on_time, approval_note="同意")
    act(
        seizure_case,
        "decide_handling",
        head,
        handling="lift",
        decided_on=TODAY.isoformat(),
        reason="经检验合格，解除扣押",
    )


def test_licence_flow_with_extension_t1(world, make_case):
    officer, head = world.users["market_officer"], world.users["market_head"]
    case = make_case(procedure="licensing", cause="食品经营许可", discovered_on=TODAY)
    act(case, "register_application", officer)
    act(case, "accept", officer)
    decision = Deadline.objects.get(case=case, code="licence_decision")
    assert decision.days == 20 and decision.unit == "work"
    assert refused(case, "extend_licence_decision", head, days=11, reason="需现场核查")[0].rule == "T1"
    act(case, "extend_licence_decision", head, days=10, reason="需现场核查")
    act(case, "grant", head, decided_on=TODAY.isoformat(), content="准予食品经营许可")
    assert Deadline.objects.get(case=case, code="certificate").days == 10
    act(
        case,
        "issue_certificate",
        officer,
        certificate_name="食品经营许可证",
        certificate_number="JY13799000000001",
        issued_on=TODAY.isoformat(),
    )
    act(case, "close_case", head)
    case.refresh_from_db()
    assert case.status == "closed" and case.outcome == "准予许可"


def test_supplement_request_after_five_working_days_is_refused_t1(world, make_case):
    case = make_case(procedure="licensing", cause="食品经营许可", discovered_on=TODAY - timedelta(days=14))
    refusals = refused(case, "request_supplement", world.users["market_officer"], reason="缺营业执照复印件")
    assert refusals[0].rule == "T1" and "即为受理" in refusals[0].message


def test_inspection_time_is_not_counted_in_the_seizure_period_c2(world, seizure_case):
    """行政强制法第二十五条第三款: 检测 time is left out; only the listed intervals stop the clock."""
    case, head = seizure_case, world.users["market_head"]
    act(case, "approve_measure", head, reason="需扣押检验")
    act(case, "execute_measure", world.users["market_officer"], **measure(datetime.now()))
    deadline = Deadline.objects.get(case=case, code="seizure")
    due = deadline.due_on
    refusals = refused(
        case, "suspend_seizure_period", head, kind="听证", started_on=TODAY.isoformat(), reason="x"
    )
    assert refusals[0].rule == "C2" and "第二十五条第三款" in refusals[0].basis
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    future = refused(case, "suspend_seizure_period", head, kind="检验", started_on=tomorrow, reason="x")
    assert "不能晚于今天" in future[0].message
    act(
        case,
        "suspend_seizure_period",
        head,
        kind="检验",
        started_on=TODAY.isoformat(),
        reason="送省食品检验研究院",
    )
    deadline.refresh_from_db()
    assert deadline.status == "suspended"
    assert refused(
        case, "suspend_seizure_period", head, kind="检验", started_on=TODAY.isoformat(), reason="x"
    )
    act(case, "resume_seizure_period", head, ended_on=TODAY.isoformat())
    deadline.refresh_from_db()
    assert deadline.status == "running" and deadline.suspended_days == 1
    assert deadline.changes.filter(kind="resume", days=1).exists()
    assert deadline.due_on > due
