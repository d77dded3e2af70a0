"""行政检查 through the engine: P1 (two qualified officers, certificates shown, a 笔录), results
with a 责令改正 period, 复查, 转立案 to a linked 一般程序 case, and 结案."""

import uuid
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from zhifa.cases import engine
from zhifa.cases.models import Case, Deadline
from zhifa.cases.services import assign_officers
from zhifa.personnel.tests.factories import make_officer

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


def visit(**extra):
    start = datetime.combine(TODAY, datetime.min.time()).replace(hour=9)
    return {
        "started_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ended_at": (start + timedelta(minutes=40)).strftime("%Y-%m-%dT%H:%M"),
        "place": "示范市人民路1号",
        "present": "王某（负责人）",
        "recusal": "不申请回避",
        "content": "检查了经营许可证、进货查验记录和贮存条件。",
        "recorder": "张明",
        "certificates_shown": "on",
        **extra,
    }


def result(kind="no_problem", **extra):
    return {"result": kind, "result_on": TODAY.isoformat(), **extra}


@pytest.fixture
def inspection(make_case, officers):
    case = make_case(procedure="inspection", cause="双随机抽查：食品经营者")
    assign_officers(case, [o.pk for o in officers])
    return case


def test_inspection_case_is_numbered_at_registration(inspection):
    assert inspection.number.startswith("示市监检〔") and inspection.stage == "pending"


def test_inspection_needs_two_qualified_officers_p1(world, make_case, officers):
    case = make_case(procedure="inspection")
    assign_officers(case, [officers[0].pk, make_officer(world.orgs["market_team"], name="无证人员").pk])
    refusals = refused(case, "inspect", world.users["market_officer"], **visit())
    assert refusals[0].rule == "P1" and "第四十二条" in refusals[0].basis and "只有1人" in refusals[0].message


def test_inspection_needs_certificates_shown_p1(world, inspection):
    refusals = refused(inspection, "inspect", world.users["market_officer"], **visit(certificates_shown=""))
    assert [r.rule for r in refusals] == ["P1"] and "第五十五条" in refusals[0].basis
    assert "出示执法证件" in refusals[0].message


def test_no_problem_inspection_end_to_end(world, inspection):
    officer, head = world.users["market_officer"], world.users["market_head"]
    assert refused(inspection, "record_result", officer, **result())[0].rule == "程序"  # not inspected yet
    event = act(inspection, "inspect", officer, **visit())
    assert [d["kind"] for d in event.data.get("documents", [])] == ["inspection_record"]
    act(inspection, "record_result", officer, **result())
    inspection.refresh_from_db()
    assert inspection.stage == "resulted" and inspection.outcome == "未发现问题"
    assert inspection.details["result"]["result_on"] == TODAY.isoformat()
    # no correction period; only the 20-working-day publication of the result runs (G3)
    assert list(Deadline.objects.filter(case=inspection).values_list("rule", "days")) == [("G3", 20)]
    assert refused(
        inspection, "transfer_to_filing", officer, transferred_on=TODAY.isoformat(), cause="x", reason="y"
    )
    assert refused(inspection, "recheck", officer, **visit(corrected="yes"))
    assert refused(inspection, "close_case", officer)[0].rule == "职权"
    act(inspection, "close_case", head)
    inspection.refresh_from_db()
    assert inspection.status == "closed" and inspection.outcome == "未发现问题"


def test_correction_period_runs_from_the_result_and_is_rechecked(world, inspection):
    officer, head = world.users["market_officer"], world.users["market_head"]
    act(inspection, "inspect", officer, **visit())
    with pytest.raises(Exception) as excinfo:
        act(inspection, "record_result", officer, **result("ordered_correction", findings="未分区存放"))
    assert "改正期限" in str(excinfo.value)
    act(
        inspection,
        "record_result",
        officer,
        **result("ordered_correction", findings="未分区存放", correction_days="15"),
    )
    deadline = Deadline.objects.get(case=inspection, code="correction")
    assert deadline.days == 15 and deadline.unit == "natural" and deadline.starts_on == TODAY
    assert deadline.due_on >= TODAY + timedelta(days=15) and deadline.status == "running"
    blocked = refused(inspection, "close_case", head)
    assert "尚未复查" in blocked[0].message and "第二十八条" in blocked[0].basis
    act(inspection, "recheck", officer, **visit(corrected="yes", content="已整改到位。"))
    deadline.refresh_from_db()
    assert deadline.status == "met"
    assert "已经复查" in refused(inspection, "recheck", officer, **visit(corrected="yes"))[0].message
    act(inspection, "close_case", head)


def test_transfer_to_filing_creates_a_linked_penalty_case(world, inspection):
    officer, head = world.users["market_officer"], world.users["market_head"]
    act(inspection, "inspect", officer, **visit())
    act(inspection, "record_result", officer, **result("to_filing", findings="销售过期食品"))
    assert "尚未转立案" in refused(inspection, "close_case", head)[0].message
    event = act(
        inspection,
        "transfer_to_filing",
        officer,
        transferred_on=TODAY.isoformat(),
        cause="经营超过保质期的食品",
        reason="现场发现过期食品3批次，已拍照取证。",
        penalty_case="999999",  # ignored: the system fills it in
    )
    inspection.refresh_from_db()
    penalty = Case.objects.get(pk=inspection.details["filing_transfer"]["penalty_case"])
    assert event.data["penalty_case"] == penalty.pk and inspection.stage == "transferred"
    assert penalty.procedure.code == "penalty_general" and penalty.stage == "lead" and not penalty.number
    assert penalty.source == "inspection" and penalty.cause == "经营超过保质期的食品"
    assert penalty.details["source_inspection"] == {"case_id": inspection.pk, "number": inspection.number}
    assert inspection.number in penalty.summary
    assert [p.credit_code for p in penalty.parties.all()] == [p.credit_code for p in inspection.parties.all()]
    act(inspection, "close_case", head)
    inspection.refresh_from_db()
    assert inspection.status == "closed"


def test_overdue_correction_can_be_transferred(world, inspection):
    officer = world.users["market_officer"]
    act(inspection, "inspect", officer, **visit())
    act(
        inspection,
        "record_result",
        officer,
        **result("ordered_correction", findings="无健康证明", correction_days="7"),
    )
    act(
        inspection,
        "transfer_to_filing",
        officer,
        transferred_on=TODAY.isoformat(),
        cause="从业人员无健康证明",
        reason="逾期未改正",
    )
    assert Deadline.objects.get(case=inspection, code="correction").status == "met"
