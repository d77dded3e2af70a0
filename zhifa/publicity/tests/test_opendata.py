"""Open data (G10): the 双公示 layouts, CSV/xlsx exports and the public JSON API.

Entries are written straight into ``PortalEntry`` (with the minimal case, event, publication and
version rows its keys need): these tests are about what the open data makes of the portal's rows,
not about the pipeline that fills them.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from zhifa.publicity import opendata

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
CREDIT = "91350100M000100Y43"

PENALTY_HEADERS = [
    "行政相对人名称",
    "行政相对人类别",
    "统一社会信用代码",
    "工商注册号",
    "组织机构代码",
    "税务登记号",
    "事业单位证书号",
    "社会组织登记证号",
    "法定代表人",
    "法定代表人证件类型",
    "法定代表人证件号码",
    "证件类型",
    "证件号码",
    "行政处罚决定书文号",
    "违法行为类型",
    "违法事实",
    "处罚依据",
    "处罚类别",
    "处罚内容",
    "罚款金额(万元)",
    "没收违法所得、没收非法财物的金额(万元)",
    "暂扣或吊销证照名称及编号",
    "处罚决定日期",
    "处罚有效期",
    "公示截止期",
    "处罚机关",
    "处罚机关统一社会信用代码",
    "数据来源单位",
    "数据来源单位统一社会信用代码",
    "备注",
]
LICENSING_HEADERS = [
    *PENALTY_HEADERS[:13],
    "行政许可决定文书名称",
    "行政许可决定文书号",
    "许可类别",
    "许可证书名称",
    "许可编号",
    "许可内容",
    "许可决定日期",
    "有效期自",
    "有效期至",
    "许可机关",
    "许可机关统一社会信用代码",
    "数据来源单位",
    "数据来源单位统一社会信用代码",
    "备注",
]
ID_COLUMNS = ["法定代表人证件类型", "法定代表人证件号码", "证件类型", "证件号码"]


def penalty_fields(agency, decided_on: date, n: int = 0, **extra) -> dict:
    return {
        "title": f"示范市第{n}超市有限公司行政处罚决定信息",
        "category": "penalty",
        "category_label": "行政处罚",
        "party_name": f"示范市第{n}超市有限公司",
        "party_kind": "法人及非法人组织",
        "party_kind_code": "legal_person",
        "credit_code": CREDIT,
        "legal_representative": "王建国",
        "document_title": "行政处罚决定书",
        "document_number": f"示市监罚〔2026〕{n}号",
        "decided_on": decided_on.isoformat(),
        "display_until": (decided_on + timedelta(days=364)).isoformat(),
        "agency_name": agency.name,
        "agency_credit_code": agency.credit_code,
        "source_name": agency.name,
        "source_credit_code": agency.credit_code,
        "field_name": "市场监管",
        "seriousness_label": "一般",
        "remarks": "",
        "violation_type": "未按规定明码标价",
        "facts": "当事人在经营场所销售商品未按规定明码标价。",
        "basis": "《中华人民共和国价格法》第四十二条",
        "penalty_kinds": ["警告", "罚款"],
        "penalty_kind_codes": ["warning", "fine"],
        "penalty_content": "警告；罚款人民币5000.00元",
        "fine_yuan": "5000.00",
        "confiscation_yuan": "1234.56",
        "licence_affected": "",
        "penalty_valid_until": "",
        **extra,
    }


def licensing_fields(agency, decided_on: date, n: int = 0, **extra) -> dict:
    return {
        "title": f"示范市第{n}餐饮有限公司行政许可决定信息",
        "category": "licensing",
        "category_label": "行政许可",
        "party_name": f"示范市第{n}餐饮有限公司",
        "party_kind": "法人及非法人组织",
        "credit_code": CREDIT,
        "legal_representative": "李华",
        "document_title": "准予行政许可决定书",
        "document_number": f"示市监许〔2026〕{n}号",
        "decided_on": decided_on.isoformat(),
        "display_until": "",
        "agency_name": agency.name,
        "agency_credit_code": agency.credit_code,
        "source_name": agency.name,
        "source_credit_code": agency.credit_code,
        "licence_category": "普通",
        "certificate_name": "食品经营许可证",
        "licence_number": f"JY1379900{n:07d}",
        "licence_content": "预包装食品销售（含冷藏冷冻食品）",
        "valid_from": decided_on.isoformat(),
        "valid_to": (decided_on + timedelta(days=365 * 5)).isoformat(),
        "basis": "《中华人民共和国食品安全法》第三十五条",
        **extra,
    }


@pytest.fixture
def make_entries(world):
    """``make(n, ...)``: n PortalEntry rows with bulk inserts (so a test can have thousands)."""
    from zhifa.cases.models import Case, CaseEvent, ProcedureVersion
    from zhifa.publicity.models import PortalEntry, Publication, PublicationVersion

    procedure = ProcedureVersion.objects.filter(code="penalty_general").first()
    user = world.users["market_officer"]
    counter = iter(range(1, 10**9))

    def make(
        n=1,
        *,
        category="penalty",
        agency=None,
        decided_on=date(2026, 3, 2),
        fields=None,
        withdrawn=False,
        display_until="auto",
        updated_at=None,
        version_number=1,
    ):
        agency = agency or world.orgs["market"]
        serials = [next(counter) for _ in range(n)]
        until = decided_on + timedelta(days=364) if display_until == "auto" else display_until
        cases = Case.objects.bulk_create(
            Case(
                agency=agency,
                procedure=procedure,
                year=decided_on.year,
                source="inspection",
                field=world.fields["market"],
                region=world.regions["city"],
                cause="未按规定明码标价",
                discovered_on=decided_on,
                stage="closed",
                created_by=user,
            )
            for _ in serials
        )
        events = CaseEvent.objects.bulk_create(
            CaseEvent(
                case=case,
                sequence=1,
                action="decide_penalty" if category == "penalty" else "grant",
                action_name="作出决定",
                stage_before="a",
                stage_after="b",
                actor=user,
                request_key=f"k{s}",
                case_version=1,
            )
            for case, s in zip(cases, serials, strict=True)
        )
        now = timezone.now()
        publications = Publication.objects.bulk_create(
            Publication(
                agency=agency,
                case=case,
                event=event,
                category=category,
                decided_on=decided_on,
                due_on=decided_on,
                status="withdrawn" if withdrawn else "published",
                display_until=until,
                published_at=now,
            )
            for case, event in zip(cases, events, strict=True)
        )
        build = penalty_fields if category == "penalty" else licensing_fields
        contents = [
            fields(agency, decided_on, s) if fields else build(agency, decided_on, s) for s in serials
        ]
        versions = PublicationVersion.objects.bulk_create(
            PublicationVersion(publication=p, number=version_number, fields=f, approved_at=now)
            for p, f in zip(publications, contents, strict=True)
        )
        entries = []
        for publication, version, content in zip(publications, versions, contents, strict=True):
            if withdrawn:
                content = {
                    key: content.get(key, "")
                    for key in ("title", "party_name", "document_number", "decided_on", "agency_name")
                } | {
                    "category_label": content["category_label"],
                    "withdrawal_kind_label": "决定被撤销",
                    "withdrawal_reason": "经行政复议，原处罚决定被撤销。",
                    "withdrawn_on": TODAY.isoformat(),
                }
            entries.append(
                PortalEntry(
                    publication=publication,
                    version=version,
                    version_number=version_number,
                    agency=agency,
                    agency_name=agency.name,
                    region_code=agency.region.code,
                    field=world.fields["market"],
                    category=category,
                    withdrawn=withdrawn,
                    title=content["title"],
                    party_name=content["party_name"],
                    document_number=content["document_number"],
                    decided_on=decided_on,
                    display_until=until,
                    amount=None if withdrawn or category != "penalty" else Decimal("6234.56"),
                    fields=content,
                    search_text="",
                    published_at=now,
                    updated_at=updated_at or now,
                )
            )
        return PortalEntry.objects.bulk_create(entries)

    return make


# --- Layouts (pure projection) -------------------------------------------------------------------


def test_g10_penalty_columns_in_standard_order():
    """G10: the 行政处罚 export has exactly the 双公示 columns, in order."""
    assert opendata.headers("penalty") == PENALTY_HEADERS


def test_g10_licensing_columns_in_standard_order():
    """G10: the 行政许可 twin."""
    assert opendata.headers("licensing") == LICENSING_HEADERS


def test_g10_penalty_row_amounts_in_wan_yuan_and_iso_dates(world):
    agency = world.orgs["market"]
    values = dict(
        zip(
            PENALTY_HEADERS, opendata.row("penalty", penalty_fields(agency, date(2026, 3, 2), 7)), strict=True
        )
    )
    assert values["罚款金额(万元)"] == Decimal("0.5000")
    assert values["没收违法所得、没收非法财物的金额(万元)"] == Decimal("0.1235")  # 1234.56 元
    assert values["处罚决定日期"] == "2026-03-02"
    assert values["公示截止期"] == "2027-03-01"
    assert values["处罚类别"] == "警告;罚款"
    assert values["行政相对人名称"] == "示范市第7超市有限公司"
    assert values["统一社会信用代码"] == CREDIT
    assert values["法定代表人"] == "王建国"
    assert values["处罚机关"] == agency.name and values["处罚机关统一社会信用代码"] == agency.credit_code
    assert values["数据来源单位"] == agency.name
    assert values["备注"] == ""


def test_g10_amounts_absent_stay_empty_not_zero(world):
    fields = penalty_fields(world.orgs["market"], date(2026, 3, 2), fine_yuan="", confiscation_yuan="")
    values = dict(zip(PENALTY_HEADERS, opendata.row("penalty", fields), strict=True))
    assert values["罚款金额(万元)"] == "" and values["没收违法所得、没收非法财物的金额(万元)"] == ""


def test_g10_id_columns_are_never_filled(world):
    """G10: ID type/number of natural persons and legal representatives are not public — empty
    even if a snapshot carried one."""
    fields = penalty_fields(
        world.orgs["market"],
        date(2026, 3, 2),
        party_kind="自然人",
        party_name="张某",
        credit_code="",
        legal_representative="",
        party_id_number="110101199003077777",
        legal_representative_id_number="110101198001016666",
        id_type="身份证",
    )
    values = dict(zip(PENALTY_HEADERS, opendata.row("penalty", fields), strict=True))
    assert all(values[c] == "" for c in ID_COLUMNS)
    assert "110101199003077777" not in str(values) and "110101198001016666" not in str(values)
    assert values["行政相对人类别"] == "自然人" and values["行政相对人名称"] == "张某"


def test_g10_corrected_version_is_noted_in_remarks(world):
    values = opendata.row("licensing", licensing_fields(world.orgs["market"], date(2026, 3, 2)), 2)
    assert values[-1] == "本条为更正后的第2版公示内容。"


def test_public_fields_drop_private_and_unknown_keys():
    fields = {"party_name": "张某", "party_id_number": "110101199003077777", "_names": ["张三"], "phone": "1"}
    assert opendata.public_fields("penalty", fields) == {"party_name": "张某"}


# --- Exports -------------------------------------------------------------------------------------


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_g10_csv_export_streams_layout_without_withdrawn_or_other_categories(world, client, make_entries):
    make_entries(2, decided_on=date(2026, 3, 2))
    make_entries(1, decided_on=date(2026, 3, 5), withdrawn=True)
    make_entries(1, category="licensing")
    response = client.get(reverse("portal:opendata_export", args=["penalty", "csv"]))
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"] and ".csv" in response["Content-Disposition"]
    rows = _csv(response)
    assert rows[0] == PENALTY_HEADERS
    assert len(rows) == 3  # G5: the withdrawn one is left out; licensing is another table
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["罚款金额(万元)"] == "0.5000"
    assert record["处罚决定日期"] == "2026-03-02"
    assert all(record[c] == "" for c in ID_COLUMNS)


def test_g10_licensing_csv_export(world, client, make_entries):
    make_entries(1, category="licensing", decided_on=date(2026, 2, 1))
    rows = _csv(client.get(reverse("portal:opendata_export", args=["licensing", "csv"])))
    assert rows[0] == LICENSING_HEADERS
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["许可决定日期"] == "2026-02-01" and record["有效期自"] == "2026-02-01"
    assert record["许可证书名称"] == "食品经营许可证" and record["许可类别"] == "普通"


def test_g10_export_filters_agency_and_dates(world, client, make_entries):
    make_entries(2, decided_on=date(2026, 1, 10))
    make_entries(3, decided_on=date(2026, 2, 10))
    make_entries(4, decided_on=date(2026, 2, 10), agency=world.orgs["east_market"])
    url = reverse("portal:opendata_export", args=["penalty", "csv"])
    market = world.orgs["market"].pk
    assert len(_csv(client.get(url))) == 1 + 9
    assert len(_csv(client.get(url, {"agency": market}))) == 1 + 5
    rows = _csv(client.get(url, {"agency": market, "decided_from": "2026-02-01", "decided_to": "2026-02-28"}))
    assert len(rows) == 1 + 3 and {r[22] for r in rows[1:]} == {"2026-02-10"}


def test_g9_expired_items_are_not_exported_even_before_the_sweep(world, client, make_entries):
    make_entries(1, decided_on=date(2020, 1, 1), display_until=date(2020, 12, 31))
    make_entries(1, decided_on=date(2026, 1, 1))
    assert len(_csv(client.get(reverse("portal:opendata_export", args=["penalty", "csv"])))) == 2


def test_g10_xlsx_export(world, client, make_entries):
    make_entries(3, decided_on=date(2026, 3, 2))
    make_entries(1, decided_on=date(2026, 3, 3), withdrawn=True)
    response = client.get(reverse("portal:opendata_export", args=["penalty", "xlsx"]))
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert book.sheetnames == ["行政处罚", "说明"]
    rows = list(book["行政处罚"].iter_rows(values_only=True))
    assert list(rows[0]) == PENALTY_HEADERS and len(rows) == 4
    record = dict(zip(rows[0], rows[1], strict=True))
    assert Decimal(str(record["罚款金额(万元)"])) == Decimal("0.5")
    assert record["处罚决定日期"] == "2026-03-02"
    assert all(record[c] in (None, "") for c in ID_COLUMNS)
    notes = dict(book["说明"].iter_rows(values_only=True))
    assert "万元" in notes["金额"] and "不公开" in notes["证件类型和证件号码"]


def test_formula_like_text_stays_text(world, client, make_entries):
    def fields(agency, decided_on, n):
        return penalty_fields(agency, decided_on, n, facts='=HYPERLINK("http://evil.example","点")')

    make_entries(1, fields=fields)
    rows = _csv(client.get(reverse("portal:opendata_export", args=["penalty", "csv"])))
    assert rows[1][15].startswith("'=")
    response = client.get(reverse("portal:opendata_export", args=["penalty", "xlsx"]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cell = book["行政处罚"].cell(row=2, column=16)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_export_streams_many_rows_in_chunks(world, client, make_entries, django_assert_max_num_queries):
    """Thousands of rows are written chunk by chunk from a server-side iterator, not built in memory."""
    make_entries(2500, decided_on=date(2026, 3, 2))
    make_entries(2500, decided_on=date(2026, 3, 1))
    response = client.get(reverse("portal:opendata_export", args=["penalty", "csv"]))
    with django_assert_max_num_queries(5):
        chunks = list(response.streaming_content)
    assert len(chunks) > 10  # header + batches of 500 rows
    rows = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8")[1:])))
    assert len(rows) == 5001
    assert rows[1][22] == "2026-03-02" and rows[-1][22] == "2026-03-01"  # newest first
    response = client.get(reverse("portal:opendata_export", args=["penalty", "xlsx"]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert sum(1 for _ in book["行政处罚"].iter_rows(values_only=True)) == 5001


def test_export_over_the_cap_is_refused_with_a_friendly_page(world, client, make_entries, monkeypatch):
    monkeypatch.setattr(opendata, "XLSX_MAX_ROWS", 3)
    make_entries(4)
    response = client.get(reverse("portal:opendata_export", args=["penalty", "xlsx"]))
    assert response.status_code == 400
    page = response.content.decode()
    assert "超过单次导出上限" in page and "decided_from" in page
    make_entries(1, decided_on=date(2026, 1, 1))
    ok = client.get(reverse("portal:opendata_export", args=["penalty", "xlsx"]), {"decided_to": "2026-01-31"})
    assert ok.status_code == 200


@pytest.mark.parametrize(
    "params, name",
    [
        ({"decided_from": "2026-13-01"}, "decided_from"),
        ({"decided_from": "2026-03-01", "decided_to": "2026-02-01"}, "decided_to"),
        ({"agency": "市场监管局"}, "agency"),
        ({"agency": "²"}, "agency"),  # a digit to str.isdigit(), not to int()
        ({"updated_since": "昨天"}, "updated_since"),
    ],
)
def test_export_bad_parameters_give_a_friendly_400(world, client, params, name):
    response = client.get(reverse("portal:opendata_export", args=["penalty", "csv"]), params)
    assert response.status_code == 400
    page = response.content.decode()
    assert "请求参数有误" in page and name in page


def test_unknown_export_is_404(client, db):
    assert client.get("/open-data/inspection.csv").status_code == 404
    assert client.get("/open-data/penalty.pdf").status_code == 404


# --- JSON API ------------------------------------------------------------------------------------

API = "/api/publicity/open-data/"


def test_api_needs_no_login_and_publishes_public_fields(world, client, make_entries):
    def fields(agency, decided_on, n):
        return penalty_fields(agency, decided_on, n, party_id_number="110101199003077777", _names=["王建国"])

    (entry,) = make_entries(1, fields=fields)
    response = client.get(API)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    body = response.json()
    assert set(body) == {"next", "next_cursor", "results"} and body["next"] is None
    item = body["results"][0]
    assert item["id"] == entry.publication_id and item["category"] == "penalty"
    assert item["amount_wan"] == "0.6235" and item["decided_on"] == "2026-03-02"
    assert item["withdrawal"] is None and item["withdrawn"] is False
    assert item["url"] == f"http://testserver{entry.get_absolute_url()}"
    assert "party_id_number" not in item["fields"] and "_names" not in item["fields"]
    assert "110101199003077777" not in response.content.decode()
    assert list(item["shuanggongshi"]) == PENALTY_HEADERS
    assert item["shuanggongshi"]["罚款金额(万元)"] == "0.5000"


def test_api_keeps_withdrawn_entries_flagged_g5(world, client, make_entries):
    make_entries(1, withdrawn=True)
    item = client.get(API).json()["results"][0]
    assert item["withdrawn"] is True and item["shuanggongshi"] is None
    assert item["withdrawal"] == {
        "kind_label": "决定被撤销",
        "reason": "经行政复议，原处罚决定被撤销。",
        "withdrawn_on": TODAY.isoformat(),
    }
    assert client.get(API, {"withdrawn": "false"}).json()["results"] == []


def test_api_filters(world, client, make_entries):
    long_ago = timezone.now() - timedelta(days=30)
    make_entries(2, decided_on=date(2026, 1, 10), updated_at=long_ago)
    make_entries(3, decided_on=date(2026, 2, 10))
    make_entries(1, decided_on=date(2026, 2, 11), category="licensing")
    make_entries(4, decided_on=date(2026, 2, 10), agency=world.orgs["east_market"])

    def count(**params):
        return len(client.get(API, {"limit": 500, **params}).json()["results"])

    assert count() == 10
    assert count(agency=world.orgs["east_market"].pk) == 4
    assert count(category="licensing") == 1
    assert count(category="penalty", agency=world.orgs["market"].pk) == 5
    assert count(decided_from="2026-02-01") == 8
    assert count(decided_to="2026-01-31") == 2
    assert count(decided_from="2026-02-11", decided_to="2026-02-11") == 1
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert count(updated_since=since) == 8
    assert count(updated_since=(TODAY - timedelta(days=40)).isoformat()) == 10
    # an unencoded "+" in the offset arrives as a space: still understood
    assert count(updated_since=(timezone.localtime() - timedelta(days=1)).isoformat().replace("+", " ")) == 8


def test_api_forged_cursor_with_a_huge_id_is_400(world, client):
    import base64

    cursor = base64.urlsafe_b64encode(b'["decided","2026-01-01",99999999999999999999]').decode()
    assert client.get(API, {"cursor": cursor}).status_code == 400


def _walk(client, params) -> list[dict]:
    items, url, pages = [], API, 0
    response = client.get(url, params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        items += body["results"]
        pages += 1
        if not body["next"]:
            return items
        response = client.get(body["next"])


def test_api_keyset_pagination_walks_every_entry_once(world, client, make_entries):
    make_entries(5, decided_on=date(2026, 3, 2))  # ties on the date: the id breaks them
    make_entries(4, decided_on=date(2026, 3, 1))
    make_entries(3, decided_on=date(2026, 2, 1))
    items = _walk(client, {"limit": 2})
    ids = [i["id"] for i in items]
    assert len(ids) == 12 == len(set(ids))
    keys = [(i["decided_on"], i["id"]) for i in items]
    assert keys == sorted(keys, reverse=True)


def test_api_updated_order_for_synchronising(world, client, make_entries):
    base = timezone.now() - timedelta(hours=5)
    for hour in range(5):
        make_entries(2, updated_at=base + timedelta(hours=hour))
    items = _walk(client, {"limit": 3, "order": "updated"})
    keys = [(i["updated_at"], i["id"]) for i in items]
    assert len(keys) == 10 == len({k[1] for k in keys})
    assert [k[1] for k in keys] == [k[1] for k in sorted(keys)]
    since = (base + timedelta(hours=3)).isoformat()
    assert len(_walk(client, {"limit": 1, "order": "updated", "updated_since": since})) == 4


def test_api_deep_pages_use_the_key_not_an_offset(world, client, make_entries):
    make_entries(30)
    first = client.get(API, {"limit": 10}).json()
    with CaptureQueriesContext(connection) as queries:
        second = client.get(first["next"]).json()
    assert len(queries) == 1
    assert "OFFSET" not in queries[0]["sql"].upper()
    assert len(second["results"]) == 10
    assert not {i["id"] for i in first["results"]} & {i["id"] for i in second["results"]}


@pytest.mark.parametrize(
    "params, name",
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "501"}, "limit"),
        ({"order": "random"}, "order"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"agency": "-3"}, "agency"),
        ({"agency": "²"}, "agency"),
        ({"limit": "²"}, "limit"),
        ({"category": "tax"}, "category"),
        ({"decided_from": "20260101x"}, "decided_from"),
        ({"withdrawn": "maybe"}, "withdrawn"),
    ],
)
def test_api_bad_parameters_are_400_in_chinese(world, client, params, name):
    response = client.get(API, params)
    assert response.status_code == 400
    message = response.json()[name]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(message))


def test_api_cursor_of_another_order_is_refused(world, client, make_entries):
    make_entries(3)
    cursor = client.get(API, {"limit": 1}).json()["next_cursor"]
    response = client.get(API, {"order": "updated", "cursor": cursor})
    assert response.status_code == 400 and "order" in response.json()["cursor"]


def test_api_detail_and_404(world, client, make_entries):
    (entry,) = make_entries(1)
    assert client.get(f"{API}{entry.publication_id}/").json()["id"] == entry.publication_id
    assert client.get(f"{API}{entry.publication_id + 999}/").status_code == 404
    assert client.get(f"{API}abc/").status_code == 404
    assert client.get(f"{API}99999999999999999999999/").status_code == 404


def test_api_layouts_document_the_columns(client, db):
    layouts = client.get(f"{API}layouts/").json()
    assert [layout["category"] for layout in layouts] == ["penalty", "licensing"]
    assert [c["name"] for c in layouts[0]["columns"]] == PENALTY_HEADERS
    assert {c["name"] for c in layouts[0]["columns"] if c["kind"] == "hidden"} == set(ID_COLUMNS)
    assert layouts[1]["xlsx"].endswith("/open-data/licensing.xlsx")


def test_openapi_schema_documents_the_open_data_endpoints(client, db):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    for path in (
        "/api/publicity/open-data/",
        "/api/publicity/open-data/{id}/",
        "/api/publicity/open-data/layouts/",
    ):
        assert path in schema["paths"], path
        assert schema["paths"][path]["get"]["tags"] == ["公开数据"]
    names = {p["name"] for p in schema["paths"]["/api/publicity/open-data/"]["get"]["parameters"]}
    assert {"agency", "category", "decided_from", "decided_to", "updated_since", "cursor", "limit"} <= names
    entry = schema["components"]["schemas"]["OpenEntry"]["properties"]
    assert "万元" in entry["amount_wan"]["description"]


# --- Documentation page --------------------------------------------------------------------------


def test_docs_page_lists_every_column_field_and_the_rules(client, db):
    from zhifa.publicity import snapshot
    from zhifa.publicity.serializers import OpenEntrySerializer

    response = client.get(reverse("portal:opendata_docs"))
    assert response.status_code == 200
    page = response.content.decode()
    for header in PENALTY_HEADERS + LICENSING_HEADERS:
        assert header in page, header
    for fields in snapshot.BY_CATEGORY.values():
        for field in fields:
            assert f"<code>{field.key}</code>" in page, field.key
    for name in OpenEntrySerializer().fields:
        assert f"<code>{name}</code>" in page, name
    for text in (
        "万元",
        "YYYY-MM-DD",
        "不公开",
        "撤回",
        "使用条件",
        "curl",
        "/api/publicity/open-data/",
        "UTF-8",
    ):
        assert text in page, text


def test_api_fast_representation_matches_the_declared_fields(world, make_entries, rf):
    """The hand-built representation must equal what the documented serializer fields give."""
    from rest_framework import serializers

    from zhifa.publicity.serializers import OpenEntrySerializer

    entries = [*make_entries(1), *make_entries(1, withdrawn=True), *make_entries(1, category="licensing")]
    context = {"request": rf.get(API)}
    for entry in entries:
        serializer = OpenEntrySerializer(context=context)
        generic = serializers.ModelSerializer.to_representation(serializer, entry)
        assert serializer.to_representation(entry) == generic
