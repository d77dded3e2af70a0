"""案号 patterns per agency and procedure (issue 3, Build 2): the agency's own pattern or the
procedure definition's default, gap-free per agency, procedure and year, unique within the agency;
patterns need {年} and {序号} (GB/T 9704-2012 §7.2.4 by analogy with the 文号)."""

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from zhifa.cases import engine, rules, services
from zhifa.cases.definitions import bundled, parse
from zhifa.cases.models import Case, CaseNumberPattern
from zhifa.core.models import Sequence

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = TODAY.year
API = "/api/cases/number-patterns/"


def act(case, code, user, **data):
    case.refresh_from_db()
    return engine.perform(
        case.pk, code, user, data, expected_version=case.version, request_key=uuid.uuid4().hex
    )[0]


def file_general_case(world, make_case, officers):
    case = make_case(procedure="penalty_general", violation_date=TODAY - timedelta(days=30))
    act(case, "register_lead", world.users["market_officer"])
    act(
        case,
        "file_case",
        world.users["market_head"],
        officers=",".join(str(o.pk) for o in officers),
        approval_note="同意立案",
    )
    case.refresh_from_db()
    return case


def set_pattern(world, org="market", procedure="penalty_summary", pattern="{简称}简〔{年}〕{序号}号", pad=0):
    return CaseNumberPattern.objects.create(
        agency=world.orgs[org], procedure_code=procedure, pattern=pattern, pad_width=pad
    )


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- The pattern language (pure) -----------------------------------------------------------------
def test_every_bundled_default_pattern_is_valid():
    for raw, _digest in bundled():
        assert rules.case_number_pattern_errors(parse(raw).number_pattern) == [], raw["code"]


@pytest.mark.parametrize(
    ("pattern", "fragment"),
    [
        ("{简称}罚立{序号}号", "案号格式必须包含 {年}"),
        ("{简称}罚立〔{年}〕号", "案号格式必须包含 {序号}"),
        ("{简称}{缩写}〔{年}〕{序号}号", "无法识别的占位符：{缩写}"),
        ("{简称}罚立〔{年}〕{序号}号}", "花括号不成对"),
        ("", "案号格式必须包含 {年}"),
    ],
)
def test_patterns_without_year_or_serial_or_with_unknown_tokens_are_refused(pattern, fragment):
    errors = rules.case_number_pattern_errors(pattern)
    assert any(fragment in e for e in errors), errors
    with pytest.raises(ValueError):
        rules.format_case_number(pattern, short_name="示市监", year=2026, sequence=1)


def test_pad_width_boundary_is_six():
    assert rules.pad_width_error(6) is None
    assert rules.pad_width_error(7) == "序号位数应在0到6之间。"


def test_format_pads_the_serial_but_never_cuts_it():
    pattern = "{简称}罚立〔{年}〕{序号}号"
    assert (
        rules.format_case_number(pattern, short_name="示市监", year=2026, sequence=12)
        == "示市监罚立〔2026〕12号"
    )
    padded = rules.format_case_number(pattern, short_name="示市监", year=2026, sequence=12, pad_width=3)
    assert padded == "示市监罚立〔2026〕012号"
    long = rules.format_case_number(pattern, short_name="示市监", year=2026, sequence=1234, pad_width=3)
    assert long == "示市监罚立〔2026〕1234号"


# --- Numbering ---------------------------------------------------------------------------------------
def test_agency_pattern_is_used_when_filing_a_general_case(world, make_case, officers):
    set_pattern(world, procedure="penalty_general", pattern="{简称}立字〔{年}〕第{序号}号", pad=3)
    case = file_general_case(world, make_case, officers)
    assert case.number == f"示市监立字〔{YEAR}〕第001号" and case.serial == 1


def test_agency_pattern_is_used_when_creating_a_summary_case(world, make_case):
    set_pattern(world, pattern="{简称}简〔{年}〕{序号}号", pad=4)
    assert make_case().number == f"示市监简〔{YEAR}〕0001号"


def test_the_definition_default_is_used_without_an_own_pattern(world, make_case, officers):
    set_pattern(world, org="east_market", pattern="{简称}当场〔{年}〕{序号}号")  # another agency's
    assert make_case().number == f"示市监罚简〔{YEAR}〕1号"
    assert file_general_case(world, make_case, officers).number == f"示市监罚立〔{YEAR}〕1号"


def test_changing_the_pattern_mid_year_continues_the_sequence(world, make_case):
    first, second = make_case(), make_case()
    assert (first.serial, second.serial) == (1, 2)
    services.save_case_number_pattern(
        world.users["market_head"],
        CaseNumberPattern(
            agency=world.orgs["market"],
            procedure_code="penalty_summary",
            pattern="{简称}简字{年}-{序号}",
            pad_width=3,
        ),
    )
    third = make_case()
    assert third.serial == 3 and third.number == f"示市监简字{YEAR}-003"
    assert first.number == f"示市监罚简〔{YEAR}〕1号"  # numbers already given are kept


def test_a_number_already_used_in_the_agency_is_refused_and_the_serial_given_back(world, make_case):
    first = make_case()
    # As if an earlier pattern of the agency had written the number the next case would get.
    Case.objects.filter(pk=first.pk).update(number=f"示市监罚简〔{YEAR}〕2号")
    with pytest.raises(ValidationError) as error:
        make_case()
    assert "已被本机关其他案件使用" in str(error.value.message_dict["number"])
    key = services.case_sequence_key(world.orgs["market"].pk, "penalty_summary", YEAR)
    assert Sequence.objects.get(key=key).value == 1  # gap-free: the refused case used no number


@pytest.mark.django_db(transaction=True)
def test_parallel_creations_with_an_agency_pattern_are_unique_and_gap_free(world, officers):
    set_pattern(world, pattern="{简称}简〔{年}〕{序号}号", pad=3)
    party = [{"kind": "legal_person", "name": "示范市某某有限公司", "credit_code": "91350100M000100Y43"}]

    def create(i):
        try:
            return services.create_case(
                world.users["market_officer"],
                agency=world.orgs["market"],
                procedure_code="penalty_summary",
                parties=party,
                officer_ids=[o.pk for o in officers],
                source="inspection",
                field=world.fields["market"],
                region=world.regions["city"],
                cause=f"并发登记{i}",
                discovered_on=date.today(),
            ).number
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        numbers = list(pool.map(create, range(30)))
    assert sorted(numbers) == [f"示市监简〔{YEAR}〕{n:03d}号" for n in range(1, 31)]


# --- Service -------------------------------------------------------------------------------------------
def test_service_checks_scope_permission_pattern_and_clash(world):
    head = world.users["east_head"]
    own = CaseNumberPattern(
        agency=world.orgs["east_market"], procedure_code="licensing", pattern="{简称}许可〔{年}〕{序号}号"
    )
    services.save_case_number_pattern(head, own)
    with pytest.raises(PermissionDenied):
        services.save_case_number_pattern(
            head,
            CaseNumberPattern(
                agency=world.orgs["market"], procedure_code="licensing", pattern="{简称}许〔{年}〕{序号}号"
            ),
        )
    with pytest.raises(PermissionDenied):
        services.save_case_number_pattern(
            world.users["east_officer"],
            CaseNumberPattern(
                agency=world.orgs["east_market"],
                procedure_code="inspection",
                pattern="{简称}查〔{年}〕{序号}号",
            ),
        )
    bad = CaseNumberPattern(
        agency=world.orgs["east_market"], procedure_code="inspection", pattern="{简称}检{序号}"
    )
    with pytest.raises(ValidationError) as error:
        services.save_case_number_pattern(head, bad)
    assert "{年}" in str(error.value.message_dict["pattern"])
    # The same text as another procedure's default would give two cases one 案号.
    clash = CaseNumberPattern(
        agency=world.orgs["east_market"],
        procedure_code="penalty_summary",
        pattern="{简称}罚立〔{年}〕{序号}号",
    )
    with pytest.raises(ValidationError) as error:
        services.save_case_number_pattern(head, clash)
    assert "行政处罚一般程序" in str(error.value.message_dict["pattern"])


# --- Staff pages ---------------------------------------------------------------------------------------
def test_head_sets_the_pattern_of_the_own_agency_only(world, client_for):
    client = client_for(world.users["east_head"])
    listing = client.get(reverse("cases:number_pattern_list")).content.decode()
    assert "{简称}罚立〔{年}〕{序号}号" in listing and f"东市监罚立〔{YEAR}〕1号" in listing
    form = client.get(reverse("cases:number_pattern_create")).content.decode()
    assert "东城区市场监督管理局" in form and "示范市市场监督管理局" not in form
    response = client.post(
        reverse("cases:number_pattern_create"),
        {
            "agency": world.orgs["east_market"].pk,
            "procedure_code": "penalty_general",
            "pattern": "{简称}立〔{年}〕{序号}号",
            "pad_width": 3,
        },
    )
    assert response.status_code == 302
    pattern = CaseNumberPattern.objects.get()
    assert f"东市监立〔{YEAR}〕001号" in client.get(reverse("cases:number_pattern_list")).content.decode()
    refused = client.post(
        reverse("cases:number_pattern_create"),
        {
            "agency": world.orgs["market"].pk,
            "procedure_code": "penalty_general",
            "pattern": "{简称}立〔{年}〕{序号}号",
            "pad_width": 0,
        },
    )
    assert refused.status_code == 200 and CaseNumberPattern.objects.count() == 1
    bad = client.post(
        reverse("cases:number_pattern_update", args=[pattern.pk]),
        {"pattern": "{简称}立{序号}", "pad_width": 0},
    )
    assert "案号格式必须包含 {年}" in bad.content.decode()
    too_wide = client.post(
        reverse("cases:number_pattern_update", args=[pattern.pk]),
        {"pattern": "{简称}立〔{年}〕{序号}号", "pad_width": 7},
    )
    assert "序号位数应在0到6之间" in too_wide.content.decode()
    # Another agency's head does not find it; an officer sees the page but may not change it.
    other = client_for(world.users["market_head"])
    assert other.get(reverse("cases:number_pattern_update", args=[pattern.pk])).status_code == 404
    response = other.post(
        reverse("cases:number_pattern_update", args=[pattern.pk]), {"pattern": "{简称}改〔{年}〕{序号}号"}
    )
    assert response.status_code == 404
    pattern.refresh_from_db()
    assert pattern.pattern == "{简称}立〔{年}〕{序号}号"
    officer = client_for(world.users["market_officer"])
    assert officer.get(reverse("cases:number_pattern_list")).status_code == 200
    assert officer.get(reverse("cases:number_pattern_create")).status_code == 403


def test_duplicate_setting_is_refused_in_chinese(world, client_for):
    set_pattern(world, org="east_market")
    response = client_for(world.users["east_head"]).post(
        reverse("cases:number_pattern_create"),
        {
            "agency": world.orgs["east_market"].pk,
            "procedure_code": "penalty_summary",
            "pattern": "{简称}当场〔{年}〕{序号}号",
            "pad_width": 0,
        },
    )
    assert "该执法主体已设置此程序的案号格式" in response.content.decode()


def test_admin_edits_any_agency_pattern_and_sees_them_all(world, client_for):
    east = set_pattern(world, org="east_market")
    set_pattern(world, org="market", procedure="licensing", pattern="{简称}许可〔{年}〕{序号}号")
    admin = client_for(world.users["admin"])
    listing = admin.get(reverse("cases:number_pattern_list")).content.decode()
    assert "东城区市场监督管理局" in listing and "示范市市场监督管理局" in listing
    assert f"某某局罚立〔{YEAR}〕1号" in listing  # the defaults, written for a sample agency
    response = admin.post(
        reverse("cases:number_pattern_update", args=[east.pk]),
        {"pattern": "{简称}当场〔{年}〕{序号}号", "pad_width": 2},
    )
    assert response.status_code == 302
    east.refresh_from_db()
    assert (east.pattern, east.pad_width) == ("{简称}当场〔{年}〕{序号}号", 2)


def test_pattern_list_queries_do_not_grow(world, client_for, django_assert_max_num_queries):
    client = client_for(world.users["admin"])
    set_pattern(world, org="east_market")
    client.get(reverse("cases:number_pattern_list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("cases:number_pattern_list"))
    for org in ("market", "east_market"):
        for code in ("licensing", "inspection", "coercive_seizure"):
            set_pattern(world, org=org, procedure=code, pattern="{简称}" + code + "〔{年}〕{序号}号")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("cases:number_pattern_list"))
    page = response.content.decode()
    assert f"示市监coercive_seizure〔{YEAR}〕1号" in page and f"东市监coercive_seizure〔{YEAR}〕1号" in page


def test_settings_page_links_to_the_patterns(world, client_for):
    page = client_for(world.users["admin"]).get(reverse("cases:settings")).content.decode()
    assert reverse("cases:number_pattern_list") in page


# --- API ----------------------------------------------------------------------------------------------
def test_api_lists_only_the_users_agency_and_hides_others(world):
    east = set_pattern(world, org="east_market")
    market = set_pattern(world, org="market")
    client = api_for(world.users["east_head"])
    listing = client.get(API).json()
    rows = listing["results"] if isinstance(listing, dict) else listing
    assert [row["id"] for row in rows] == [east.pk]
    assert client.get(f"{API}{market.pk}/").status_code == 404
    response = client.patch(f"{API}{market.pk}/", {"pattern": "{简称}改〔{年}〕{序号}号"}, format="json")
    assert response.status_code == 404
    market.refresh_from_db()
    assert market.pattern == "{简称}简〔{年}〕{序号}号"


def test_api_creates_and_edits_with_the_same_chinese_errors(world):
    client = api_for(world.users["east_head"])
    body = {
        "agency": world.orgs["east_market"].pk,
        "procedure_code": "penalty_general",
        "pattern": "{简称}立{序号}",
    }
    refused = client.post(API, body, format="json")
    assert refused.status_code == 400
    assert any("案号格式必须包含 {年}" in e for e in refused.json()["pattern"])
    other = client.post(
        API, {**body, "agency": world.orgs["market"].pk, "pattern": "{简称}立〔{年}〕{序号}号"}, format="json"
    )
    assert other.status_code == 400 and "agency" in other.json()
    created = client.post(API, {**body, "pattern": "{简称}立〔{年}〕{序号}号", "pad_width": 2}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["agency_name"] == "东城区市场监督管理局"
    duplicate = client.post(API, {**body, "pattern": "{简称}立案〔{年}〕{序号}号"}, format="json")
    assert duplicate.status_code == 400
    assert "该执法主体已设置此程序的案号格式" in duplicate.json()["procedure_code"][0]
    url = f"{API}{created.json()['id']}/"
    wide = client.patch(url, {"pad_width": 7}, format="json")
    assert wide.status_code == 400 and wide.json()["pad_width"] == ["序号位数应在0到6之间。"]
    changed = client.patch(
        url, {"pattern": "{简称}罚立字〔{年}〕{序号}号", "procedure_code": "licensing"}, format="json"
    )
    assert changed.status_code == 200
    pattern = CaseNumberPattern.objects.get()
    assert (pattern.pattern, pattern.procedure_code) == ("{简称}罚立字〔{年}〕{序号}号", "penalty_general")
    clash = client.patch(url, {"pattern": "{简称}罚简〔{年}〕{序号}号"}, format="json")
    assert clash.status_code == 400 and "行政处罚简易程序" in str(clash.json())


def test_api_officers_read_but_do_not_write(world):
    set_pattern(world)
    client = api_for(world.users["market_officer"])
    assert client.get(API).status_code == 200
    body = {
        "agency": world.orgs["market"].pk,
        "procedure_code": "licensing",
        "pattern": "{简称}许〔{年}〕{序号}号",
    }
    assert client.post(API, body, format="json").status_code == 403


def test_api_list_queries_do_not_grow(world, django_assert_max_num_queries):
    client = api_for(world.users["admin"])
    set_pattern(world)
    client.get(API)
    with CaptureQueriesContext(connection) as few:
        client.get(API)
    for org in ("market", "east_market"):
        for code in ("licensing", "inspection", "coercive_seizure"):
            set_pattern(world, org=org, procedure=code, pattern="{简称}" + code + "〔{年}〕{序号}号")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(API).status_code == 200
