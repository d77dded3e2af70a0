"""Case API: scope, filters, registration, actions with refusals, stale versions and retries,
and a whole 一般程序 case without hearing (P1, P2, P6, P10, P11, P12, S7)."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from zhifa.cases.models import Case, CaseEvent, Deadline, Party
from zhifa.cases.tests import data as test_data
from zhifa.core.rules import id_number_check_char

from .test_views import decision, east_case, person

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
CASES = "/api/cases/cases/"


@pytest.fixture
def api(world):
    def login(name):
        client = APIClient()
        client.force_authenticate(world.users[name])
        return client

    return login


def perform(client, case_id, code, data=None, key=None, version=None):
    if version is None:
        version = Case.objects.get(pk=case_id).version
    body = {
        "expected_version": version,
        "request_key": uuid.uuid4().hex if key is None else key,
        "data": data or {},
    }
    return client.post(f"{CASES}{case_id}/actions/{code}/", body, format="json")


def registration(world, officers, **overrides):
    return {
        "procedure": "penalty_summary",
        "agency": world.orgs["market"].pk,
        "field": "SCJG",
        "region": "379900",
        "source": "inspection",
        "cause": "未按规定明码标价",
        "parties": [person()],
        "officer_ids": [o.pk for o in officers],
        **overrides,
    }


# --- Reading --------------------------------------------------------------------------------
def test_list_is_scoped_filtered_and_not_counted_s7(world, api, make_case):
    red, green = make_case(cause="红色案件"), make_case(cause="绿色案件")
    east_case(world)
    client = api("market_officer")
    for case in (red, green):
        assert perform(client, case.pk, "decide_on_spot", decision()).status_code == 201
    Deadline.objects.filter(case=red).update(level="red")
    body = client.get(CASES).json()
    assert "count" not in body and body["next"] is None
    assert {c["cause"] for c in body["results"]} == {"红色案件", "绿色案件"}
    rows = client.get(CASES, {"level": "red"}).json()["results"]
    assert [r["cause"] for r in rows] == ["红色案件"]
    assert rows[0]["worst_deadline"]["level"] == "red" and rows[0]["stage_name"] == "已当场决定"


def test_list_query_count_does_not_grow(world, api, make_case):
    client = api("market_officer")
    for _ in range(2):
        make_case()
    client.get(CASES)
    with CaptureQueriesContext(connection) as few:
        client.get(CASES)
    for _ in range(18):
        make_case()
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(CASES).json()["results"]) == 20
    assert len(many) == len(few) <= 10


def test_retrieve_nests_parties_officers_deadlines_and_events(world, api, make_case, officers):
    case = make_case(parties=[person()])
    client = api("market_officer")
    perform(client, case.pk, "decide_on_spot", decision())
    body = client.get(f"{CASES}{case.pk}/").json()
    assert body["parties"][0]["id_number"] == person()["id_number"]
    assert {o["officer_name"] for o in body["officers"]} == {"张明", "李强"}
    deadlines = {d["rule"]: d["name"] for d in body["deadlines"]}
    assert deadlines["P12"] == "缴纳罚款期限" and deadlines["G3"] == "行政处罚结果公示期限"
    assert body["events"][0]["action"] == "decide_on_spot" and body["details"]["decision"]["fine"] == "200"
    viewer = api("city_supervisor").get(f"{CASES}{case.pk}/").json()
    assert viewer["parties"][0]["id_number"] != person()["id_number"] and viewer["parties"][0]["phone"] == ""


def test_other_agency_case_is_404(world, api):
    other = east_case(world)
    client = api("market_officer")
    assert client.get(f"{CASES}{other.pk}/").status_code == 404
    assert client.get(f"{CASES}{other.pk}/actions/").status_code == 404
    assert perform(client, other.pk, "register_lead", version=1).status_code == 404
    assert not CaseEvent.objects.filter(case=other).exists()
    assert api("east_officer").get(f"{CASES}{other.pk}/").status_code == 200


def test_available_actions_name_rules_and_basis(world, api, make_case):
    case = make_case()
    rows = {a["code"]: a for a in api("market_officer").get(f"{CASES}{case.pk}/actions/").json()}
    assert rows["decide_on_spot"]["allowed"] and rows["decide_on_spot"]["refusals"] == []
    refusal = rows["close_case"]["refusals"][0]
    assert not rows["close_case"]["allowed"] and refusal["rule"] == "程序" and "第四条" in refusal["basis"]


def test_deadlines_endpoint_is_scoped_and_filters_by_level(world, api, make_case):
    cases = [make_case(), make_case()]
    client = api("market_officer")
    for case in cases:
        perform(client, case.pk, "decide_on_spot", decision())
    Deadline.objects.filter(case=cases[0], rule="P12").update(level="yellow")
    rows = client.get("/api/cases/deadlines/", {"level": "yellow"}).json()["results"]
    assert [r["case"] for r in rows] == [cases[0].pk] and rows[0]["case_number"] == cases[0].number
    assert api("east_officer").get("/api/cases/deadlines/").json()["results"] == []


# --- Registration ---------------------------------------------------------------------------
def test_register_summary_case(world, api, officers):
    response = api("market_officer").post(CASES, registration(world, officers), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"].startswith("示市监罚简〔") and body["stage"] == "registered"
    assert [o["officer"] for o in body["officers"]] == [officers[0].pk, officers[1].pk]


def test_invalid_party_id_is_refused_at_the_field_and_nothing_saved(world, api, officers):
    body17 = "37990219800101001"
    wrong = "0" if id_number_check_char(body17) != "0" else "1"
    data = registration(world, officers, parties=[{**person(), "id_number": body17 + wrong}])
    response = api("market_officer").post(CASES, data, format="json")
    assert response.status_code == 400
    assert "校验" in response.json()["parties"]["0"]["id_number"][0]
    assert not Case.objects.exists() and not Party.objects.exists()


def test_registration_rules_are_those_of_the_web_form(world, api, officers):
    client = api("market_officer")
    errors = client.post(
        CASES, registration(world, officers, field="STHJ", officer_ids=[officers[0].pk]), format="json"
    ).json()
    assert "第十七条" in errors["field"][0] and "P1" in errors["officer_ids"][0]
    errors = client.post(CASES, registration(world, officers, parties=[]), format="json").json()
    assert "parties" in errors
    east = api("east_officer").post(CASES, registration(world, officers, region="379900"), format="json")
    assert east.status_code == 400 and "agency" in east.json()
    assert not Case.objects.exists()


def test_unknown_or_foreign_officer_ids_are_refused_at_the_field(world, api, officers):
    from zhifa.personnel.tests.factories import qualified_officer

    east = qualified_officer(world, organization=world.orgs["east_market"], name="东城人")[0]
    client = api("market_officer")
    unknown = client.post(
        CASES, registration(world, officers, officer_ids=[officers[0].pk, 999999]), format="json"
    )
    assert unknown.status_code == 400 and "officer_ids" in unknown.json()
    from zhifa.accounts.models import User

    root = APIClient()
    root.force_authenticate(User.objects.create_superuser("root", password="x"))
    foreign = root.post(
        CASES, registration(world, officers, officer_ids=[officers[0].pk, east.pk]), format="json"
    )
    assert (
        foreign.status_code == 400
        and "东城人不是示范市市场监督管理局的执法人员" in foreign.json()["officer_ids"][0]
    )
    assert not Case.objects.exists()


def test_region_outside_the_agencys_area_is_refused(world, api, officers):
    from zhifa.organizations.models import Region

    Region.objects.create(code="379800", name="邻市", parent=world.regions["province"])
    errors = api("market_officer").post(CASES, registration(world, officers, region="379800"), format="json")
    assert "第二十二条" in errors.json()["region"][0]


def test_supervisors_cannot_register_or_act(world, api, make_case, officers):
    client = api("city_supervisor")
    assert client.post(CASES, registration(world, officers), format="json").status_code == 403
    assert perform(client, make_case().pk, "decide_on_spot", decision()).status_code == 403


# --- Actions --------------------------------------------------------------------------------
def test_action_created_then_repeated_request_returns_the_same_event(world, api, make_case):
    case = make_case()
    client = api("market_officer")
    first = perform(client, case.pk, "decide_on_spot", decision(), key="phone-retry", version=1)
    again = perform(client, case.pk, "decide_on_spot", decision(), key="phone-retry", version=1)
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"] and CaseEvent.objects.filter(case=case).count() == 1


def test_stale_version_is_409(world, api, make_case):
    case = make_case()
    client = api("market_officer")
    perform(client, case.pk, "decide_on_spot", decision())
    response = perform(client, case.pk, "report_filing", version=1)
    assert response.status_code == 409 and "已被他人更新" in response.json()["refusals"][0]["message"]


def test_refusal_is_422_with_rule_basis_and_message_and_nothing_changes_p2(world, api, make_case):
    case = make_case(parties=[person()])
    response = perform(api("market_officer"), case.pk, "decide_on_spot", decision(fine="500"))
    assert response.status_code == 422
    refusal = response.json()["refusals"][0]
    assert refusal["rule"] == "P2" and "第五十一条" in refusal["basis"] and refusal["message"]
    case.refresh_from_db()
    assert case.version == 1 and case.stage == "registered"


def test_invalid_data_is_400_at_the_field_and_unknown_action_404(world, api, make_case):
    case = make_case()
    client = api("market_officer")
    response = perform(client, case.pk, "decide_on_spot", decision(decided_on="not-a-date"))
    assert response.status_code == 400 and "decided_on" in response.json()
    assert perform(client, case.pk, "no_such_action").status_code == 404
    assert perform(client, case.pk, "decide_on_spot", decision(), key="").status_code == 400
    assert not CaseEvent.objects.filter(case=case).exists()


def test_general_procedure_without_hearing_through_the_api_p6_p11_p12(world, api, make_case, officers):
    case = make_case(procedure="penalty_general", violation_date=TODAY - timedelta(days=30))
    head, officer = api("market_head"), api("market_officer")
    penalty = {
        k: v
        for k, v in decision(fine="5000").items()
        if k in ("facts", "evidence", "violated", "basis", "penalty_kinds", "fine")
    }
    steps = [
        (head, "file_case", {"officers": f"{officers[0].pk},{officers[1].pk}", "approval_note": "同意立案"}),
        (officer, "finish_investigation", penalty),
        (officer, "notify", {"served_on": (TODAY - timedelta(days=14)).isoformat(), "method": "direct"}),
        (head, "decide_penalty", {**penalty, "decided_on": TODAY.isoformat(), "payment_method": "银行缴纳"}),
        (officer, "serve_decision", {"served_on": TODAY.isoformat(), "method": "direct"}),
        (officer, "record_payment", {"paid_on": TODAY.isoformat(), "amount": "5000"}),
        (head, "close_case", test_data.closing()),
    ]
    for client, code, data in steps:
        response = perform(client, case.pk, code, data)
        assert response.status_code == 201, (code, response.json())
    body = head.get(f"{CASES}{case.pk}/").json()
    assert body["status"] == "closed" and body["stage"] == "closed" and body["outcome"] == "处罚"
    assert body["number"].startswith("示市监罚立〔")
    assert [e["action"] for e in body["events"]] == [code for _, code, _ in steps]
    # every case period has ended; the 30-day 立卷归档 period (R4) and, until the head approves
    # the publication, the 7-working-day 公示 period (G3) run on
    assert sorted(d["code"] for d in body["deadlines"] if d["status"] == "running") == [
        "archive",
        "publication",
    ]


def test_retrieve_query_count_does_not_grow_with_events(world, api, make_case, officers):
    head, officer = api("market_head"), api("market_officer")

    def filed(records):
        case = make_case(procedure="penalty_general")
        perform(head, case.pk, "file_case", {"officers": ",".join(str(o.pk) for o in officers)})
        for i in range(records):
            perform(officer, case.pk, "inspect", test_data.inspection(f"检查{i}"))
        return case

    small, large = filed(1), filed(8)
    counts = []
    for case in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert len(officer.get(f"{CASES}{case.pk}/").json()["events"]) >= 2
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 12


def test_general_procedure_with_a_hearing_through_the_api_p8_l2(world, api, make_case, officers):
    """Hearing branch end to end: the notice offers a hearing (fine over the threshold), the party
    asks on time, the notice of hearing gives seven working days, a non-investigator presides; the
    decision then meets the legal-review gate (L2: a hearing makes review mandatory; zhifa/review/tests/test_api.py goes on through the review) and the case
    is closed by transfer instead. Every step issues its 文书."""
    from zhifa.personnel.tests.factories import qualified_officer

    case = make_case(procedure="penalty_general", violation_date=TODAY - timedelta(days=30))
    head, officer = api("market_head"), api("market_officer")
    presiding = qualified_officer(world, name="周主持")[0]
    penalty = {
        "facts": "当事人销售标签不符合规定的预包装食品",
        "evidence": "现场检查笔录\n询问笔录",
        "violated": "《中华人民共和国食品安全法》第七十一条第一款",
        "basis": "《中华人民共和国食品安全法》第一百二十五条第一款",
        "penalty_kinds": ["fine"],
        "fine": "150000",
    }
    steps = [
        (head, "file_case", {"officers": f"{officers[0].pk},{officers[1].pk}"}),
        (officer, "inspect", test_data.inspection()),
        (officer, "finish_investigation", penalty),
        (officer, "notify", {"served_on": (TODAY - timedelta(days=2)).isoformat(), "method": "direct"}),
        (officer, "request_hearing", {"requested_on": TODAY.isoformat()}),
        (
            head,
            "schedule_hearing",
            {
                "notified_on": TODAY.isoformat(),
                "hearing_on": (TODAY + timedelta(days=15)).isoformat(),
                "hearing_time": "09:30",
                "place": "听证室",
                "presiding_officer": presiding.pk,
                "clerk": "陈静",
            },
        ),
        (head, "hold_hearing", test_data.hearing_record()),
    ]
    for client, code, data in steps:
        response = perform(client, case.pk, code, data)
        assert response.status_code == 201, (code, response.json())
    decision_data = {**penalty, "decided_on": TODAY.isoformat(), "payment_method": "银行缴纳"}
    refused = perform(head, case.pk, "decide_penalty", decision_data)
    assert refused.status_code == 422  # refused by law (409 is for a stale version)
    assert any(r["rule"] == "L2" and "尚未提交法制审核" in r["message"] for r in refused.json()["refusals"])
    transfer = {
        "transferred_on": TODAY.isoformat(),
        "receiver": "示范市公安局",
        "reason": "涉嫌生产销售伪劣产品罪",
    }
    assert perform(head, case.pk, "transfer_to_judiciary", transfer).status_code == 201
    assert perform(head, case.pk, "close_case", test_data.closing(execution="已移送")).status_code == 201
    body = head.get(f"{CASES}{case.pk}/").json()
    assert body["status"] == "closed" and body["outcome"] == "移送司法机关"
    issued = [d["kind"] for e in body["events"] for d in e["data"].get("documents", [])]
    assert issued == [
        "filing_approval",
        "inspection_record",
        "penalty_notice",
        "hearing_notice",
        "hearing_record",
        "closing_report",
    ]
