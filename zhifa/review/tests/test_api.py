"""法制审核 through the API: a full 一般程序 case with a hearing, review and 备案 (L1–L6)."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from zhifa.cases.tests import data as test_data
from zhifa.cases.tests.test_api import perform
from zhifa.review import rules
from zhifa.review.models import CatalogueEntry

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
ROUNDS = "/api/review/rounds/"
PENALTY = {
    "facts": "当事人销售标签不符合规定的预包装食品",
    "evidence": "现场检查笔录\n询问笔录",
    "violated": "《中华人民共和国食品安全法》第七十一条第一款",
    "basis": "《中华人民共和国食品安全法》第一百二十五条第一款",
    "penalty_kinds": ["fine"],
    "fine": "150000",
}


@pytest.fixture
def api(world, reviewer):
    def login(name):
        client = APIClient()
        client.force_authenticate(world.users[name])
        return client

    return login


def checklist(result="pass"):
    return {
        code: {"result": result, "comment": "" if result == "pass" else "问题"} for code, _ in rules.CHECKLIST
    }


def test_general_procedure_with_hearing_review_and_filing_through_the_api(world, api, make_case, officers):
    from zhifa.personnel.tests.factories import qualified_officer

    case = make_case(procedure="penalty_general", violation_date=TODAY - timedelta(days=30))
    head, officer, reviewer = api("market_head"), api("market_officer"), api("market_reviewer")
    presiding = qualified_officer(world, name="周主持")[0]
    served = TODAY - timedelta(days=14)
    steps = [
        (head, "file_case", {"officers": f"{officers[0].pk},{officers[1].pk}"}),
        (officer, "inspect", test_data.inspection()),
        (officer, "finish_investigation", PENALTY),
        (officer, "notify", {"served_on": served.isoformat(), "method": "direct"}),
        (officer, "request_hearing", {"requested_on": (served + timedelta(days=1)).isoformat()}),
        (
            head,
            "schedule_hearing",
            {
                "notified_on": (TODAY - timedelta(days=12)).isoformat(),
                "hearing_on": (TODAY - timedelta(days=1)).isoformat(),
                "hearing_time": "09:30",
                "place": "听证室",
                "presiding_officer": presiding.pk,
                "clerk": "陈静",
            },
        ),
        (head, "hold_hearing", test_data.hearing_record()),
    ]
    for client, code, data in steps:
        assert perform(client, case.pk, code, data).status_code == 201, code

    decision = {**PENALTY, "decided_on": TODAY.isoformat(), "payment_method": "银行缴纳"}
    refused = perform(head, case.pk, "decide_penalty", decision)
    assert refused.status_code == 422
    assert any(r["rule"] == "L2" and "尚未提交法制审核" in r["message"] for r in refused.json()["refusals"])

    key = uuid.uuid4().hex
    body = {
        "case": case.pk,
        "outcome": "处罚",
        "review_report": "拟罚款十五万元，理由见调查终结报告。",
        "request_key": key,
    }
    submitted = officer.post(f"{ROUNDS}submit/", body, format="json")
    assert submitted.status_code == 201, submitted.json()
    assert officer.post(f"{ROUNDS}submit/", body, format="json").status_code == 200  # a retry
    round_id = submitted.json()["id"]
    assert "经过听证程序" in submitted.json()["reasons"][0]["message"]

    assert reviewer.post(f"{ROUNDS}{round_id}/assign/", {}, format="json").status_code == 200
    bad = reviewer.post(
        f"{ROUNDS}{round_id}/opinion/",
        {"opinion": "agree", "text": "同意", "checklist": checklist("problem")},
        format="json",
    )
    assert bad.status_code == 400 and "不能出具“同意”" in str(bad.json())
    opinion = {
        "opinion": "agree",
        "text": "事实清楚，证据确凿，程序合法，处罚适当。",
        "checklist": checklist(),
    }
    agreed = reviewer.post(f"{ROUNDS}{round_id}/opinion/", opinion, format="json")
    assert agreed.status_code == 200 and agreed.json()["document"]

    for client, code, data in [
        (head, "decide_penalty", decision),
        (officer, "serve_decision", {"served_on": TODAY.isoformat(), "method": "direct"}),
        (officer, "record_payment", {"paid_on": TODAY.isoformat(), "amount": "150000"}),
        (head, "close_case", test_data.closing()),
    ]:
        response = perform(client, case.pk, code, data)
        assert response.status_code == 201, (code, response.json())

    filing = api("market_officer").get("/api/review/filings/").json()["results"][0]
    assert filing["status"] == "due"
    sent = officer.post(
        f"/api/review/filings/{filing['id']}/submit/", {"report": "听证后经法制审核作出决定。"}, format="json"
    )
    assert sent.status_code == 200
    assert api("east_supervisor").get(f"/api/review/filings/{filing['id']}/").status_code == 404
    accepted = api("city_supervisor").post(
        f"/api/review/filings/{filing['id']}/handle/", {"accept": True}, format="json"
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"


def test_rounds_are_scoped_and_catalogue_is_managed_by_heads(world, api):
    entry = {"agency": world.orgs["market"].pk, "title": "吊销许可证件", "penalty_kinds": ["revoke_license"]}
    bad_kind = api("market_head").post(
        "/api/review/catalogue/", {**entry, "penalty_kinds": ["x"]}, format="json"
    )
    assert bad_kind.status_code == 400 and "未知的处罚种类" in str(bad_kind.json())
    assert api("market_officer").post("/api/review/catalogue/", entry, format="json").status_code == 403
    created = api("market_head").post("/api/review/catalogue/", entry, format="json")
    assert created.status_code == 201 and "吊销" in created.json()["conditions_text"]
    foreign = {**entry, "agency": world.orgs["east_market"].pk}
    assert api("market_head").post("/api/review/catalogue/", foreign, format="json").status_code == 400
    assert api("east_head").get(f"/api/review/catalogue/{created.json()['id']}/").status_code == 404
    assert CatalogueEntry.objects.count() == 1
