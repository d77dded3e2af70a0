"""R2: the 音像记录事项清单 as data, enforced by the engine on the actions that name it."""

import uuid
from datetime import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhifa.cases import engine
from zhifa.cases.tests import data as test_data
from zhifa.cases.tests.conftest import make_case, officers  # noqa: F401 - shared case fixtures
from zhifa.cases.tests.test_other_procedures import measure
from zhifa.records import recording
from zhifa.records.models import RecordingRule

pytestmark = pytest.mark.django_db


def act(case, code, user, **data):
    case.refresh_from_db()
    return engine.perform(
        case.pk, code, user, data, expected_version=case.version, request_key=uuid.uuid4().hex
    )[0]


@pytest.fixture
def approved(world, make_case, officers):  # noqa: F811
    case = make_case(procedure="coercive_seizure")
    act(case, "approve_measure", world.users["market_head"], reason="证据可能灭失")
    return case


def test_list_is_seeded_with_the_118_categories_r2():
    full = set(RecordingRule.objects.filter(requirement="full").values_list("code", flat=True))
    assert {"seizure", "demolition", "case_room"} <= full
    assert RecordingRule.objects.get(code="hearing").requirement == "as_needed"


def test_seizure_without_video_is_refused_r2(world, approved):
    with pytest.raises(engine.ActionRefused) as excinfo:
        act(approved, "execute_measure", world.users["market_officer"], **measure(datetime.now()))
    assert any(
        r.rule == "R2" and "全程音像记录" in r.message and "118号" in r.basis for r in excinfo.value.refusals
    )


def test_a_photo_or_another_activity_does_not_count_r2(world, approved):
    officer = world.users["market_officer"]
    test_data.record_video(approved, officer, activity="on_site_inspection")
    with pytest.raises(engine.ActionRefused):
        act(approved, "execute_measure", officer, **measure(datetime.now()))
    test_data.record_video(approved, officer)
    act(approved, "execute_measure", officer, **measure(datetime.now()))


def test_explained_exception_counts_once_the_head_approves_r2(world, approved):
    officer, head = world.users["market_officer"], world.users["market_head"]
    with pytest.raises(ValidationError, match="写明未能音像记录的原因"):
        recording.explain(approved, officer, action="execute_measure", rule_code="seizure", reason=" ")
    with pytest.raises(ValidationError, match="只有应当全程音像记录"):
        recording.explain(approved, officer, action="inspect", rule_code="hearing", reason="x")
    with pytest.raises(ValidationError, match="没有需要该项音像记录的操作"):
        recording.explain(approved, officer, action="approve_measure" * 5, rule_code="seizure", reason="x")
    exception = recording.explain(
        approved, officer, action="execute_measure", rule_code="seizure", reason="执法记录仪故障"
    )
    with pytest.raises(engine.ActionRefused):
        act(approved, "execute_measure", officer, **measure(datetime.now()))
    with pytest.raises(PermissionDenied):
        recording.decide(exception, officer, approve=True)
    with pytest.raises(ValidationError, match="写明理由"):
        recording.decide(exception, head, approve=False)
    recording.decide(exception, head, approve=True, note="同意，已补充现场照片")
    with pytest.raises(ValidationError, match="已经审批"):
        recording.decide(exception, head, approve=False, note="撤回")
    act(approved, "execute_measure", officer, **measure(datetime.now()))


def test_as_needed_activity_only_warns_r2(world, make_case, officers):  # noqa: F811
    from zhifa.cases.tests.test_general_procedure import act as general_act

    case = make_case(procedure="penalty_general")
    general_act(
        case,
        "file_case",
        world.users["market_head"],
        officers=",".join(str(o.pk) for o in officers),
        approval_note="同意立案",
    )
    event = general_act(case, "inspect", world.users["market_officer"], **test_data.inspection())
    assert any(w["rule"] == "R2" and "现场检查" in w["message"] for w in event.data["warnings"])


def test_unknown_activity_refused_at_upload_r2(world, approved):
    with pytest.raises(ValidationError, match="音像记录事项清单"):
        test_data.record_video(approved, world.users["market_officer"], activity="nonsense")


def test_evidence_page_lists_required_recordings_and_takes_explanations_r2(world, approved, client_for):
    officer_page = client_for(world.users["market_officer"])
    url = f"/staff/records/cases/{approved.pk}/evidence/"
    assert "全程音像记录（R2）" in officer_page.get(url).content.decode()
    officer_page.post(
        f"/staff/records/cases/{approved.pk}/recording-exceptions/",
        {"target": "execute_measure:seizure", "reason": "执法记录仪故障"},
    )
    exception = recording.RecordingException.objects.get()
    head_page = client_for(world.users["market_head"])
    assert "批准" in head_page.get(url).content.decode()
    head_page.post(
        f"/staff/records/cases/{approved.pk}/recording-exceptions/",
        {"exception": exception.pk, "approve": "1"},
    )
    exception.refresh_from_db()
    assert exception.approved is True and exception.decided_by == world.users["market_head"]
