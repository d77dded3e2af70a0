"""Staff case pages: list filters and scope, query counts, registration, the case page and the
guided action forms (P1, P2, P6, P10, S7)."""

import re
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from zhifa.cases import engine
from zhifa.cases.dashboard import dashboard_panel
from zhifa.cases.models import Case, CaseEvent, CaseOfficer, Deadline, Party
from zhifa.cases.services import create_case
from zhifa.cases.tests import data as test_data
from zhifa.core.rules import id_number_check_char
from zhifa.powers.models import PowerItem

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def id_number(body="37990219800101001"):
    return body + id_number_check_char(body)


def person(name="赵某", body="37990219800101001"):
    return {"kind": "natural_person", "name": name, "id_number": id_number(body), "address": "示范市"}


def east_case(world, cause="东城区案件"):
    return create_case(
        world.users["east_head"],
        agency=world.orgs["east_market"],
        procedure_code="penalty_general",
        parties=[person("东城当事人")],
        source="inspection",
        field=world.fields["market"],
        region=world.regions["east"],
        cause=cause,
        discovered_on=TODAY,
    )


def act(case, code, user, **data):
    case.refresh_from_db()
    return engine.perform(
        case.pk, code, user, data, expected_version=case.version, request_key=uuid.uuid4().hex
    )


def decision(fine="200", **extra):
    return {
        "facts": "当事人销售商品未按规定明码标价。",
        "evidence": "现场检查笔录、照片",
        "violated": "《中华人民共和国价格法》第十三条第一款",
        "basis": "《中华人民共和国价格法》第四十二条",
        "penalty_kinds": ["fine"],
        "fine": fine,
        "decided_on": TODAY.isoformat(),
        "place": "示范市人民路1号",
        "facts_certain": "on",
        "payment_method": "bank",
        **extra,
    }


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def html(response) -> str:
    return response.content.decode()


# --- List -----------------------------------------------------------------------------------
def test_list_shows_only_the_scope_and_the_worst_deadline_badge_s7(world, client_for, make_case):
    mine = make_case(cause="未按规定明码标价")
    other = east_case(world)
    act(mine, "decide_on_spot", world.users["market_officer"], **decision())
    Deadline.objects.filter(case=mine, code="payment").update(level="red")
    page = html(client_for(world.users["market_officer"]).get(reverse("cases:case_list")))
    assert mine.number in page and "东城区案件" not in page
    assert 'class="badge bad">超期' in page and "缴纳罚款期限" in page
    supervisor = html(client_for(world.users["city_supervisor"]).get(reverse("cases:case_list")))
    assert mine.number in supervisor and other.cause in supervisor


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("level=red", {"红色案件"}),
        ("level=yellow", {"黄色案件"}),
        ("procedure=penalty_general", {"一般案件"}),
        ("stage=decided", {"红色案件", "黄色案件"}),
        ("status=open", {"红色案件", "黄色案件", "一般案件"}),
        ("q=钱某", {"一般案件"}),
        ("q=黄色", {"黄色案件"}),
        ("officer_name=张", {"红色案件", "黄色案件"}),
        (
            f"created_from={TODAY.isoformat()}&created_to={TODAY.isoformat()}",
            {"红色案件", "黄色案件", "一般案件"},
        ),
        (f"created_to={(TODAY - timedelta(days=1)).isoformat()}", set()),
    ],
)
def test_list_filters(world, client_for, make_case, query, expected):
    red = make_case(cause="红色案件")
    yellow = make_case(cause="黄色案件")
    make_case(procedure="penalty_general", cause="一般案件", parties=[person("钱某")])
    user = world.users["market_officer"]
    for case, level in ((red, "red"), (yellow, "yellow")):
        act(case, "decide_on_spot", user, **decision())
        Deadline.objects.filter(case=case, rule="P12").update(level=level)
    page = html(client_for(user).get(reverse("cases:case_list") + "?" + query))
    shown = {c for c in ("红色案件", "黄色案件", "一般案件") if c in page}
    assert shown == expected


def test_list_filters_by_agency_officer_and_mine(world, client_for, make_case, officers):
    own = make_case(cause="本局案件")
    east_case(world)
    client = client_for(world.users["city_supervisor"])
    page = html(client.get(reverse("cases:case_list") + f"?agency={world.orgs['market'].pk}"))
    assert "本局案件" in page and "东城区案件" not in page
    page = html(client.get(reverse("cases:case_list") + f"?officer={officers[0].pk}"))
    assert "本局案件" in page and "东城区案件" not in page
    officers[0].user = world.users["market_officer"]
    officers[0].save()
    page = html(client_for(world.users["market_officer"]).get(reverse("cases:case_list") + "?mine=true"))
    assert own.number in page


def test_export_is_scoped(world, client_for, make_case):
    make_case(cause="本局案件")
    east_case(world)
    response = client_for(world.users["market_officer"]).get(reverse("cases:case_list") + "?export=csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "本局案件" in body and "东城区案件" not in body
    xlsx = client_for(world.users["market_officer"]).get(reverse("cases:case_list") + "?export=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_list_query_count_does_not_grow_with_the_list(world, client_for, make_case):
    client = client_for(world.users["market_officer"])
    user = world.users["market_officer"]

    def add(n):
        for _ in range(n):
            case = make_case()
            act(case, "decide_on_spot", user, **decision())

    add(2)
    url = reverse("cases:case_list") + "?level=green"
    client.get(url)
    few = count_queries(client, url)
    add(18)
    assert count_queries(client, url) == few <= 12


# --- Case page ------------------------------------------------------------------------------
def test_other_agency_case_is_404_on_page_and_action_form(world, client_for):
    other = east_case(world)
    client = client_for(world.users["market_officer"])
    assert client.get(reverse("cases:case_detail", args=[other.pk])).status_code == 404
    url = reverse("cases:case_action", args=[other.pk, "register_lead"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"expected_version": 1, "request_key": "k"}).status_code == 404
    assert not CaseEvent.objects.filter(case=other).exists()


def test_case_page_shows_parties_deadlines_timeline_and_actions(world, client_for, make_case):
    case = make_case(parties=[person()])
    act(case, "decide_on_spot", world.users["market_officer"], **decision())
    page = html(client_for(world.users["market_officer"]).get(case.get_absolute_url()))
    assert "行政处罚简易程序（第4版）" in page and "已当场决定" in page
    assert id_number() in page  # officers may change cases: full 身份证号
    assert "缴纳罚款期限" in page and "P12" in page and "自然日" in page
    assert "当场作出行政处罚决定" in page and "现场登记 → 已当场决定" in page
    assert "违法事实确凿并有法定依据" in page and "到指定银行或通过电子支付系统缴纳" in page
    assert "当场行政处罚决定书" in page
    # report_filing is allowed: a link; close_case is refused: a disabled button with its reasons
    assert reverse("cases:case_action", args=[case.pk, "report_filing"]) in page
    assert reverse("cases:case_action", args=[case.pk, "close_case"]) not in page
    assert re.search(r"<button[^>]*disabled[^>]*>结案</button>", page)
    assert "〔程序〕" in page and "第四条" in page


def test_viewers_see_masked_id_numbers_and_no_action_buttons(world, client_for, make_case):
    case = make_case(parties=[person()])
    page = html(client_for(world.users["city_supervisor"]).get(case.get_absolute_url()))
    assert id_number() not in page and id_number()[:6] + "********" in page
    assert "办理</h2>" not in page


def test_case_page_query_count_does_not_grow_with_events_and_parties(world, client_for, make_case, officers):
    head, officer = world.users["market_head"], world.users["market_officer"]
    client = client_for(head)

    def filed(parties, records):
        case = make_case(procedure="penalty_general", parties=parties)
        act(case, "file_case", head, officers=",".join(str(o.pk) for o in officers))
        for i in range(records):
            act(case, "inspect", officer, **test_data.inspection(f"第{i + 1}次检查"))
        return case

    small = filed([person()], 1)
    large = filed([person(f"当事人{i}", f"3799021980010100{i}") for i in range(5)], 8)
    client.get(small.get_absolute_url())
    assert count_queries(client, large.get_absolute_url()) == count_queries(client, small.get_absolute_url())
    # Most of these are the P1 guard checking each officer's certificate for each action that
    # needs it (available_actions evaluates every action); they do not grow with the case.
    assert count_queries(client, small.get_absolute_url()) <= 80


# --- Registration ---------------------------------------------------------------------------
def create_form(world, officers, procedure="penalty_summary", **overrides):
    data = {
        "procedure": procedure,
        "agency": world.orgs["market"].pk,
        "field": world.fields["market"].pk,
        "region": world.regions["city"].pk,
        "source": "inspection",
        "cause": "未按规定明码标价",
        "discovered_on": TODAY.isoformat(),
        "officer_ids": [o.pk for o in officers],
        "parties-TOTAL_FORMS": "1",
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "1",
        "parties-MAX_NUM_FORMS": "20",
        "parties-0-kind": "natural_person",
        "parties-0-name": "赵某",
        "parties-0-id_number": id_number(),
        "parties-0-address": "示范市人民路1号",
    }
    data.update(overrides)
    return data


def test_create_summary_case_with_officers_on_site(world, client_for, officers):
    client = client_for(world.users["market_officer"])
    assert "在场执法人员" in html(client.get(reverse("cases:case_create")))
    response = client.post(reverse("cases:case_create"), create_form(world, officers))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert case.number.startswith("示市监罚简〔") and case.parties.get().name == "赵某"
    assert set(case.assignments.values_list("officer_id", flat=True)) == {o.pk for o in officers}


def test_invalid_party_id_is_refused_at_the_field_and_nothing_saved(world, client_for, officers):
    client = client_for(world.users["market_officer"])
    bad = id_number()[:-1] + ("0" if id_number()[-1] != "0" else "1")
    response = client.post(
        reverse("cases:case_create"), create_form(world, officers, **{"parties-0-id_number": bad})
    )
    assert response.status_code == 200
    form = response.context["parties"].forms[0]
    assert "id_number" in form.errors and "校验" in form.errors["id_number"][0]
    assert not Case.objects.exists() and not Party.objects.exists()


def test_organisation_party_needs_a_credit_code(world, client_for, officers):
    data = create_form(world, officers, **{"parties-0-kind": "legal_person", "parties-0-id_number": ""})
    response = client_for(world.users["market_officer"]).post(reverse("cases:case_create"), data)
    assert "GB 32100" in response.context["parties"].forms[0].errors["credit_code"][0]
    assert not Case.objects.exists()


def test_summary_case_needs_two_officers_on_site_p1(world, client_for, officers):
    data = create_form(world, officers, officer_ids=[officers[0].pk])
    response = client_for(world.users["market_officer"]).post(reverse("cases:case_create"), data)
    error = response.context["form"].errors["officer_ids"][0]
    assert "不得少于2人" in error and "P1" in error and "第四十二条" in error
    assert not Case.objects.exists()


def test_only_the_agencys_fields_and_area_are_offered(world, client_for, officers):
    client = client_for(world.users["east_officer"])
    page = html(client.get(reverse("cases:case_create")))
    assert "生态环境" not in page and "东城区（379902）" in page and "示范市（379900）" not in page
    data = create_form(world, officers, agency=world.orgs["east_market"].pk, field=world.fields["env"].pk)
    response = client.post(reverse("cases:case_create"), data)
    assert {"field", "officer_ids", "region"} <= set(response.context["form"].errors)
    assert not Case.objects.exists()


# --- Actions --------------------------------------------------------------------------------
def action_post(client, case, code, data, key=None, version=None):
    url = reverse("cases:case_action", args=[case.pk, code])
    payload = {"expected_version": version or case.version, "request_key": key or uuid.uuid4().hex, **data}
    return client.post(url, payload)


def test_action_form_renders_with_a_fresh_request_key(world, client_for, make_case):
    case = make_case()
    client = client_for(world.users["market_officer"])
    url = reverse("cases:case_action", args=[case.pk, "decide_on_spot"])
    first, second = html(client.get(url)), html(client.get(url))
    keys = [re.search(r'name="request_key" value="(\w+)"', page).group(1) for page in (first, second)]
    assert keys[0] != keys[1]
    assert 'name="expected_version" value="1"' in first and "罚款金额（元）" in first


def test_action_form_success_redirects_with_a_message(world, client_for, make_case):
    case = make_case()
    client = client_for(world.users["market_officer"])
    response = action_post(client, case, "decide_on_spot", decision())
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    case.refresh_from_db()
    assert case.stage == "decided"
    page = html(client.get(case.get_absolute_url()))
    assert "已完成“当场作出行政处罚决定”" in page


def test_refusal_is_shown_with_rule_and_basis_and_nothing_changes_p2(world, client_for, make_case):
    case = make_case(parties=[person()])
    client = client_for(world.users["market_officer"])
    response = action_post(client, case, "decide_on_spot", decision(fine="500"))
    page = html(response)
    assert response.status_code == 200 and "〔P2〕" in page and "第五十一条" in page
    assert 'value="500"' in page  # the input is kept
    case.refresh_from_db()
    assert case.stage == "registered" and case.version == 1 and not case.events.exists()


def test_action_out_of_order_is_refused_with_the_rule(world, client_for, make_case):
    case = make_case()
    client = client_for(world.users["market_head"])
    page = html(client.get(reverse("cases:case_action", args=[case.pk, "close_case"])))
    assert "目前不能办理" in page and "〔程序〕" in page
    page = html(action_post(client, case, "close_case", {}))
    assert "未能办理" in page and "“结案”只能在“已履行”阶段进行" in page
    assert not case.events.exists()


def test_fine_outside_the_cited_items_range_is_refused_p10(world, client_for, make_case, officers):
    item = PowerItem.objects.create(
        name="对未按规定明码标价的处罚",
        category="penalty",
        agency=world.orgs["market"],
        basis_text="《中华人民共和国价格法》第四十二条",
        penalty_kinds=["warning", "fine"],
        fine_max=5000,
    )
    case = make_case(procedure="penalty_general", power_item=item)
    head, officer = world.users["market_head"], world.users["market_officer"]
    act(case, "file_case", head, officers=",".join(str(o.pk) for o in officers))
    act(case, "finish_investigation", officer, **{**decision(fine="8000"), "penalty_kinds": ["fine"]})
    case.refresh_from_db()
    page = html(
        action_post(client_for(officer), case, "notify", {"served_on": TODAY.isoformat(), "method": "direct"})
    )
    assert "〔P10〕" in page and "8000" in page and "价格法" in page
    case.refresh_from_db()
    assert case.stage == "investigated"


def test_invalid_input_is_shown_at_the_field(world, client_for, make_case):
    case = make_case()
    response = action_post(
        client_for(world.users["market_officer"]), case, "decide_on_spot", decision(fine="", decided_on="")
    )
    assert "decided_on" in response.context["form"].errors and "fine" in response.context["form"].errors
    assert not case.events.exists()


def test_stale_version_asks_to_reload(world, client_for, make_case):
    case = make_case()
    client = client_for(world.users["market_officer"])
    act(case, "decide_on_spot", world.users["market_officer"], **decision())
    page = html(action_post(client, case, "report_filing", {}, version=1))
    assert "案件已被他人更新" in page and "重新载入" in page
    assert case.events.count() == 1


def test_double_submit_acts_once(world, client_for, make_case):
    case = make_case()
    client = client_for(world.users["market_officer"])
    first = action_post(client, case, "decide_on_spot", decision(), key="double-click")
    second = action_post(client, case, "decide_on_spot", decision(), key="double-click")
    assert first.status_code == second.status_code == 302
    assert case.events.count() == 1
    assert "重复提交未再次办理" in html(client.get(case.get_absolute_url()))


def test_filing_form_offers_the_agencys_officers_by_name(world, client_for, make_case, officers):
    case = make_case(procedure="penalty_general")
    client = client_for(world.users["market_head"])
    page = html(client.get(reverse("cases:case_action", args=[case.pk, "file_case"])))
    assert "张明（编号" in page and 'type="checkbox"' in page
    response = action_post(client, case, "file_case", {"officers": [str(o.pk) for o in officers]})
    assert response.status_code == 302
    assert set(CaseOfficer.objects.filter(case=case).values_list("officer_id", flat=True)) == {
        o.pk for o in officers
    }
    page = html(client.get(case.get_absolute_url()))
    assert "立案" in page and "张明、李强" in page


# --- Home page ------------------------------------------------------------------------------
def test_dashboard_lists_the_officers_own_red_and_yellow_deadlines_worst_first_s7(
    world, client_for, make_case, officers
):
    user = world.users["market_officer"]
    officers[0].user = user
    officers[0].save()
    cases = [make_case(cause=f"案件{i}") for i in range(3)]
    for case, level in zip(cases, ("yellow", "red", "green"), strict=True):
        act(case, "decide_on_spot", user, **decision())
        Deadline.objects.filter(case=case, rule="P12").update(level=level)
    items = dashboard_panel(user)["items"]
    assert [i["level"] for i in items] == ["bad", "warn"]
    assert cases[1].number in items[0]["text"] and "已于" in items[0]["text"]
    CaseOfficer.objects.filter(case=cases[1]).delete()
    assert [i["level"] for i in dashboard_panel(user)["items"]] == ["warn"]
    assert len(dashboard_panel(world.users["market_head"])["items"]) == 2
    assert dashboard_panel(world.users["east_head"])["items"] == []
    home = html(client_for(user).get(reverse("core:home")))
    assert "办案期限预警" in home and cases[0].get_absolute_url() in home
