"""文书 issued by the engine from case data (issue 3 §6): numbered, with the right remedy wording,
refused with the rule when data the law requires is missing, PDF rendered after commit."""

from datetime import timedelta

import pytest
from django.utils import timezone

from zhifa.cases import engine
from zhifa.cases.models import Case, Deadline
from zhifa.cases.tests import data as test_data
from zhifa.records import rendering
from zhifa.records.models import Document, IssuedDocumentError
from zhifa.records.services import render_pending_pdf

from .test_general_procedure import act, penalty, refused
from .test_views import decision

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = TODAY.year


def text_of(reference: dict) -> str:
    document = Document.objects.get(pk=reference["id"])
    with document.docx.open("rb") as handle:
        return rendering.docx_text(handle.read())


def documents_of(event) -> list[dict]:
    return event.data["documents"]


def test_on_the_spot_decision_is_numbered_and_says_review_comes_first_p2_t2(world, make_case):
    case = make_case()
    event = act(case, "decide_on_spot", world.users["market_officer"], **decision(fine="200"))
    [reference] = documents_of(event)
    assert reference["kind"] == "summary_penalty_decision"
    assert reference["number"] == f"示市监罚当〔{YEAR}〕1号"
    text = text_of(reference)
    assert "示范市某某超市有限公司" in text and "《中华人民共和国价格法》第四十二条" in text
    assert "贰佰元整" in text and "先向示范市人民政府申请行政复议" in text  # T2: 复议前置
    document = Document.objects.get(pk=reference["id"])
    assert document.case_id == case.pk and document.pdf_pending and document.agency == case.agency


def test_missing_violated_provision_refuses_the_decision_and_numbers_nothing_p10(world, make_case):
    case = make_case()
    officer = world.users["market_officer"]
    refusals = refused(case, "decide_on_spot", officer, **decision(fine="200", violated=""))
    assert refusals[0].rule == "文书" and "第五十九条" in refusals[0].message
    assert "第五十一条" in refusals[0].basis  # the basis of the 当场行政处罚决定书
    case.refresh_from_db()
    assert case.stage == "registered" and case.version == 1 and not Document.objects.exists()
    # the 文号 was given back: the next decision takes number 1
    event = act(case, "decide_on_spot", officer, **decision(fine="200"))
    assert documents_of(event)[0]["number"] == f"示市监罚当〔{YEAR}〕1号"


def test_general_procedure_issues_each_document_from_case_data_p6_p10_p11(world, make_case, officers):
    officer, head = world.users["market_officer"], world.users["market_head"]
    case = make_case(procedure="penalty_general", violation_date=TODAY - timedelta(days=30))
    filed = act(
        case, "file_case", head, officers=f"{officers[0].pk},{officers[1].pk}", approval_note="同意立案"
    )
    case.refresh_from_db()
    filing = text_of(documents_of(filed)[0])
    assert case.number in filing and "同意立案" in filing and "张明" in filing

    inspected = act(case, "inspect", officer, **test_data.inspection("货架商品未标价。"))
    record = text_of(documents_of(inspected)[0])
    assert "货架商品未标价" in record and "示范市人民路1号当事人经营场所" in record

    act(case, "finish_investigation", officer, **penalty(5000))
    notified = act(
        case, "notify", officer, served_on=(TODAY - timedelta(days=14)).isoformat(), method="direct"
    )
    [notice] = documents_of(notified)
    assert notice["number"] == f"示市监罚告〔{YEAR}〕1号"
    notice_text = text_of(notice)
    assert "《中华人民共和国食品安全法》第七十一条第一款" in notice_text and "陈述" in notice_text

    decided = act(
        case, "decide_penalty", head, **penalty(5000), decided_on=TODAY.isoformat(), payment_method="银行缴纳"
    )
    [decision_ref] = documents_of(decided)
    decision_text = text_of(decision_ref)
    assert decision_ref["number"] == f"示市监罚决〔{YEAR}〕1号"
    assert "《行政处罚事先告知书》" in decision_text  # the proceedings, from the recorded notice
    assert "六个月内" in decision_text and "示范市人民政府" in decision_text  # remedy (P10, T2)
    assert "伍仟元整" in decision_text

    served = act(case, "serve_decision", officer, served_on=TODAY.isoformat(), method="direct")
    receipt = text_of(documents_of(served)[0])
    assert decision_ref["number"] in receipt and "直接送达" in receipt

    act(case, "record_payment", officer, paid_on=TODAY.isoformat(), amount="5000")
    closed = act(case, "close_case", head, **test_data.closing())
    assert "行政处罚决定已执行完毕" in text_of(documents_of(closed)[0])
    kinds = list(Document.objects.filter(case_id=case.pk).order_by("id").values_list("kind", flat=True))
    assert kinds == [
        "filing_approval",
        "inspection_record",
        "penalty_notice",
        "penalty_decision",
        "service_receipt",
        "closing_report",
    ]


def test_a_repeated_request_issues_no_second_document(world, make_case):
    case = make_case()
    officer = world.users["market_officer"]
    first = engine.perform(
        case.pk, "decide_on_spot", officer, decision(), expected_version=1, request_key="k1"
    )
    again = engine.perform(
        case.pk, "decide_on_spot", officer, decision(), expected_version=1, request_key="k1"
    )
    assert again == (first[0], False) and Document.objects.count() == 1


def test_inquiry_record_checks_the_interviewee_id_number_p1(world, make_case, officers):
    case = make_case(procedure="penalty_general")
    act(case, "file_case", world.users["market_head"], officers=f"{officers[0].pk},{officers[1].pk}")
    base = {
        "started_at": f"{TODAY.isoformat()}T14:00",
        "ended_at": f"{TODAY.isoformat()}T15:00",
        "place": "询问室",
        "recusal": "不申请回避",
        "interviewee_name": "王某",
        "interviewee_gender": "男",
        "interviewee_id_type": "居民身份证",
        "interviewee_id_number": "110101199003071234",
        "transcript": "问：你的商品为何未标价？\n答：忘记了。\n问：以上是否属实？\n答：属实。",
        "recorder": "李强",
    }
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        act(case, "inquire", world.users["market_officer"], **base)
    assert "interviewee_id_number" in error.value.message_dict
    from zhifa.core.rules import id_number_check_char

    body = "11010119900307123"
    event = act(
        case,
        "inquire",
        world.users["market_officer"],
        **{**base, "interviewee_id_number": body + id_number_check_char(body)},
    )
    text = text_of(documents_of(event)[0])
    assert "你的商品为何未标价" in text and "忘记了" in text


def test_seizure_extension_notice_names_the_original_decision_and_new_end_c2(world, make_case, officers):
    officer, head = world.users["market_officer"], world.users["market_head"]
    case = make_case(procedure="coercive_seizure")
    test_data.record_video(case, officer)
    act(case, "approve_measure", head, reason="证据可能灭失")
    executed = act(
        case,
        "execute_measure",
        officer,
        measure="detain",
        executed_on=TODAY.isoformat(),
        acted_at=f"{TODAY.isoformat()}T10:00",
        place="示范市某仓库",
        items="过期奶粉｜800克/罐｜36罐｜",
        reason="有证据证明不符合食品安全标准",
        basis="《中华人民共和国食品安全法》第一百一十条第（四）项",
        party_present="on",
    )
    [seizure] = documents_of(executed)
    assert seizure["number"] == f"示市监封扣〔{YEAR}〕1号"
    assert "过期奶粉" in text_of(seizure) and "36罐" in text_of(seizure)
    extended = act(case, "extend_measure", head, days=30, reason="需送检验机构检验")
    notice = text_of(documents_of(extended)[0])
    due = Deadline.objects.get(case=case, code="seizure").due_on
    assert seizure["number"] in notice and "需送检验机构检验" in notice
    assert f"{due.year}年{due.month}月{due.day}日" in notice


def test_pdf_is_rendered_once_after_commit(world, make_case, django_capture_on_commit_callbacks):
    case = make_case()
    with django_capture_on_commit_callbacks() as callbacks:
        event = act(case, "decide_on_spot", world.users["market_officer"], **decision())
    assert len(callbacks) == 1  # the background task is queued only when the transaction commits
    document_id = documents_of(event)[0]["id"]
    document = render_pending_pdf(document_id)
    with document.pdf.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert len(document.pdf_sha256) == 64 and not document.pdf_pending
    assert render_pending_pdf(document_id).pdf.name == document.pdf.name  # a second run changes nothing
    with pytest.raises(IssuedDocumentError):
        Document.objects.filter(pk=document_id).update(pdf="")


def _served_case(world, make_case, officers, *, served_days_ago: int):
    """A decided, served case whose dates are moved back as if time had passed."""
    officer, head = world.users["market_officer"], world.users["market_head"]
    case = make_case(procedure="penalty_general", violation_date=TODAY - timedelta(days=30))
    act(case, "file_case", head, officers=f"{officers[0].pk},{officers[1].pk}")
    act(case, "finish_investigation", officer, **penalty(5000))
    act(case, "notify", officer, served_on=(TODAY - timedelta(days=14)).isoformat(), method="direct")
    act(case, "decide_penalty", head, **penalty(5000), decided_on=TODAY.isoformat(), payment_method="银行")
    served_on = TODAY - timedelta(days=served_days_ago)
    act(case, "serve_decision", officer, served_on=served_on.isoformat(), method="direct")
    return Case.objects.get(pk=case.pk)


def test_no_demand_before_the_payment_period_has_passed_c4(world, make_case, officers):
    case = _served_case(world, make_case, officers, served_days_ago=0)
    refusals = refused(
        case,
        "demand_performance",
        world.users["market_officer"],
        served_on=TODAY.isoformat(),
        obligation="缴纳罚款",
        method="银行",
    )
    assert refusals[0].rule == "C4" and "届满" in refusals[0].message


def test_demand_states_the_surcharge_and_court_application_waits_ten_workdays_c4_p12(
    world, make_case, officers, client_for
):
    case = _served_case(world, make_case, officers, served_days_ago=40)
    officer, head = world.users["market_officer"], world.users["market_head"]
    payment = Deadline.objects.get(case=case, code="payment")
    assert payment.due_on < TODAY
    page = client_for(head).get(case.get_absolute_url()).content.decode()
    assert "加处罚款" in page and "〔P12〕" in page
    event = act(
        case,
        "demand_performance",
        officer,
        served_on=TODAY.isoformat(),
        obligation="缴纳罚款5000元",
        method="银行缴纳",
    )
    text = text_of(documents_of(event)[0])
    assert f"示市监罚决〔{YEAR}〕1号" in text and "缴纳罚款5000元" in text
    assert Deadline.objects.get(case=case, code="demand").unit == "work"
    refusals = refused(
        case, "apply_court_enforcement", head, applied_on=TODAY.isoformat(), court="示范市人民法院"
    )
    assert refusals[0].rule == "C4" and "最早" in refusals[0].message


def test_surcharge_is_not_counted_during_reconsideration_p12(world, make_case, officers):
    from zhifa.cases.services import surcharge_owed

    case = _served_case(world, make_case, officers, served_days_ago=40)
    deadlines = list(case.deadlines.all())
    before = surcharge_owed(case, deadlines)
    act(
        case,
        "record_appeal",
        world.users["market_officer"],
        kind="reconsideration",
        started_on=(TODAY - timedelta(days=10)).isoformat(),
        organ="示范市人民政府",
    )
    case.refresh_from_db()
    during = surcharge_owed(case, deadlines)
    assert during["days"] == before["days"] - 11 and during["amount"] < before["amount"]
