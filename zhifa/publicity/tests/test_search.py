"""Chinese full-text search over published decisions, its filters, bad parameters, the detail
page (G5 withdrawal, G9 display period, corrections, ledger position), the Atom feed and the
sitemap (issue 6, item 5). Runs on SQLite (FTS5) and PostgreSQL (GIN) alike."""

from __future__ import annotations

import re
import uuid
from datetime import date
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from zhifa.cases.tests.conftest import make_case, officers  # noqa: F401 - shared case fixtures
from zhifa.publicity import search, views_decisions
from zhifa.publicity.models import Category, PortalEntry
from zhifa.publicity.tests.portal_factory import penalty_fields, publish, withdraw

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    """Detail pages are cached per process (keyed by entry version, so a cache from an earlier
    test is never wrong, but each test should start from nothing)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


MARKET = "示范市市场监督管理局"
FOOD_BASIS = "《中华人民共和国食品安全法》第一百二十四条第一款第（三）项"


@pytest.fixture
def corpus(world, make_case):  # noqa: F811
    case = make_case()
    user = world.users["market_head"]
    market, east = world.orgs["market"], world.orgs["east_market"]

    def pub(key, *, agency=market, category=Category.PENALTY, field=None, **kw):
        decided_on = kw.pop("decided_on", date(2026, 3, 1))
        fields = penalty_fields(agency_name=agency.name, decided_on=decided_on, **kw)
        if category != Category.PENALTY:
            fields["category"], fields["category_label"] = category, Category(category).label
        return key, publish(case, user, fields, agency=agency, category=category, field=field)

    entries = dict(
        [
            pub(
                "xinda",
                party="示范市鑫达食品超市有限公司",
                credit_code="91379900MA3C4D5E6F",
                number="示市监罚决〔2026〕12号",
                facts="2026年1月5日，执法人员检查发现当事人在经营场所销售过期食品“纯牛奶”12箱，货值金额960元。",
                basis=FOOD_BASIS,
                fine="5000.00",
                decided_on=date(2026, 3, 10),
            ),
            pub(
                "zhang",
                party="张某",
                party_kind="自然人",
                number="示市监罚决〔2026〕120号",
                facts="当事人在集贸市场销售蔬菜未按规定明码标价。",
                basis="《中华人民共和国价格法》第四十二条",
                fine="200.00",
                decided_on=date(2026, 2, 1),
            ),
            pub(
                "hengtong",
                party="示范市恒通物流有限公司",
                number="示市监罚决〔2025〕12号",
                facts="当事人使用的货车超限运输，车货总重超过标准。",
                basis="《中华人民共和国公路法》第七十六条",
                fine="30000.00",
                decided_on=date(2025, 11, 20),
            ),
            pub(
                "licence",
                category=Category.LICENSING,
                party="李某某",
                party_kind="个体工商户",
                number="示市监许决〔2026〕3号",
                facts="",
                basis="《中华人民共和国食品安全法》第三十五条",
                licence_content="食品经营许可（预包装食品销售）",
                decided_on=date(2026, 1, 15),
            ),
            pub(
                "canyin",
                party="示范市好味道餐饮店",
                number="示市监罚决〔2026〕30号",
                facts="当事人使用超过保质期的原料，过期未办理健康证明，食品储存不当。",
                basis="《中华人民共和国食品安全法》第一百二十六条",
                fine="2000.00",
                decided_on=date(2026, 2, 20),
            ),
            pub(
                "wang",
                party="王某",
                party_kind="自然人",
                number="示市监罚决〔2026〕41号",
                facts="当事人无照经营小吃摊点。",
                basis="《无证无照经营查处办法》第十三条",
                fine="500.00",
                decided_on=date(2026, 2, 25),
            ),
            pub(
                "east",
                agency=east,
                field=world.fields["env"],
                party="东城区宏远建材有限公司",
                number="东市监罚决〔2026〕7号",
                facts="当事人销售不合格建材，过期食品不涉及。",
                basis="《中华人民共和国产品质量法》第四十九条",
                fine="12000.00",
                decided_on=date(2026, 3, 5),
            ),
        ]
    )
    return entries


def found(client, **params) -> list[int]:
    response = client.get(reverse("portal:decision_list"), params)
    assert response.status_code == 200
    return [int(pk) for pk in re.findall(r'href="/decisions/(\d+)/"', response.content.decode())]


def ids(corpus, *keys) -> list[int]:
    return [corpus[k].pk for k in keys]


# --- Tokens ---------------------------------------------------------------------------------------


def test_tokens_are_bigrams_plus_the_last_unit_with_ascii_words_whole():
    assert search.tokens("张某超市") == ["张某", "某超", "超市", "市"]
    assert search.tokens("罚决〔2026〕12号") == ["罚决", "决2026", "202612", "12号", "号"]
    assert search.tokens("ＡＢＣ１２") == ["abc12"]  # full-width folded by NFKC
    assert search.query_terms("张")[0].prefix


# --- Chinese queries ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("鑫达食品", ["xinda"]),  # part of a company name
        ("示范市鑫达食品超市有限公司", ["xinda"]),
        ("张某", ["zhang"]),  # a masked natural person: not 李某某, not 王某
        ("示市监罚决〔2026〕12号", ["xinda"]),  # not 〔2026〕120号, not 〔2025〕12号
        ("罚决[2026]12号", ["xinda"]),  # other brackets
        ("罚决（２０２６）１２号", ["xinda"]),  # full-width digits
        ("过期食品", ["xinda"]),  # not 好味道 (过期 … 食品 apart), not 宏远 (withheld below)
        ("食品安全法第一百二十四条", ["xinda"]),  # typed without 《》; not 第一百二十六条
        ("恒通 超限运输", ["hengtong"]),  # two words: both must match
        ("鑫", ["xinda"]),  # one character
        ("91379900MA3C", ["xinda"]),  # credit code prefix
        ("价格法第四十二条", ["zhang"]),
        ("恒通 过期食品", []),
        ("不存在的公司", []),
    ],
)
def test_chinese_queries_return_the_right_decisions(client, corpus, q, expected):
    result = found(client, q=q)
    if q == "过期食品":  # 宏远's facts say “过期食品不涉及”: a real occurrence of the phrase
        expected = ["xinda", "east"]
    assert sorted(result) == sorted(ids(corpus, *expected))


def test_results_are_newest_first_and_the_count_is_shown(client, corpus):
    response = client.get(reverse("portal:decision_list"), {"q": "食品安全法"})
    page = response.content.decode()
    pks = [int(pk) for pk in re.findall(r'href="/decisions/(\d+)/"', page)]
    assert pks == ids(corpus, "xinda", "canyin", "licence")  # 3-10, 2-20, 1-15
    assert "<mark>食品安全法</mark>" in page or "食品安全法" in page
    assert "共找到 3 条" in page


def test_a_real_name_removed_by_redaction_is_not_searchable_g4(client, world, make_case):  # noqa: F811
    case = make_case()
    fields = penalty_fields(
        party="赵某某",
        party_kind="自然人",
        number="示市监罚简〔2026〕5号",
        facts="当事人赵某某销售商品未明码标价。",
        basis="《中华人民共和国价格法》第四十二条",
        decided_on=date(2026, 3, 1),
        agency_name=MARKET,
    )
    entry = publish(case, world.users["market_head"], fields)
    assert found(client, q="赵某某") == [entry.pk]
    assert found(client, q="赵大海") == []


# --- Filters --------------------------------------------------------------------------------------


def test_filters_by_category_agency_field_date_and_amount(client, world, corpus):
    assert found(client, category="licensing") == ids(corpus, "licence")
    assert found(client, agency=world.orgs["east_market"].pk) == ids(corpus, "east")
    assert found(client, field=world.fields["env"].pk) == ids(corpus, "east")
    assert found(client, date_from="2025-01-01", date_to="2025-12-31") == ids(corpus, "hengtong")
    assert found(client, amount_min="10000") == ids(corpus, "east", "hengtong")
    assert found(client, amount_min="1万", amount_max="2万") == ids(corpus, "east")
    assert found(client, amount_max="500") == ids(corpus, "wang", "zhang")
    assert found(client, q="食品", category="penalty", date_from="2026-03-01") == ids(corpus, "xinda", "east")
    assert found(client, q="食品", agency=world.orgs["market"].pk, amount_min="3000") == ids(corpus, "xinda")


def test_pagination_is_newest_first_without_a_full_count(client, world, make_case):  # noqa: F811
    case = make_case()
    made = [
        publish(
            case,
            world.users["market_head"],
            penalty_fields(
                party=f"示范市第{i}号商店",
                number=f"示市监罚决〔2026〕{100 + i}号",
                facts="当事人销售商品未按规定明码标价，罚款。",
                basis="《中华人民共和国价格法》第四十二条",
                fine="100.00",
                decided_on=date(2026, 1, 1 + i),
                agency_name=MARKET,
            ),
        ).pk
        for i in range(25)
    ]
    newest_first = list(reversed(made))
    first = client.get(reverse("portal:decision_list"), {"q": "明码标价"}).content.decode()
    assert [int(pk) for pk in re.findall(r'href="/decisions/(\d+)/"', first)] == newest_first[:20]
    assert "下一页" in first
    assert found(client, q="明码标价", page=2) == newest_first[20:]
    assert found(client) == newest_first[:20]  # no query: every entry, newest first


def test_a_query_matching_more_than_the_count_cap_says_so(client, corpus, monkeypatch):
    monkeypatch.setattr(search, "COUNT_CAP", 2)
    monkeypatch.setattr(search, "PAGE_SIZE", 2)
    page = client.get(reverse("portal:decision_list"), {"q": "当事人"}).content.decode()
    assert "找到超过 2 条" in page and "下一页" in page
    page = client.get(reverse("portal:decision_list"), {"q": "当事人", "page": "2"}).content.decode()
    assert "第 2 页" in page and "上一页" in page


@pytest.mark.parametrize(
    ("rows", "sampled", "dense"),
    [((2, 3), 0.0, 0.0), ((2, 3), 0.0, 1.1), ((1, 1000), 0.0, 0.0), ((2, 3), 2.0, 0.0)],
    ids=["sample-then-date-order", "sample-then-gin", "sample-is-everything", "gin-only"],
)
def test_every_postgresql_plan_returns_the_same_decisions(client, corpus, monkeypatch, rows, sampled, dense):
    """PostgreSQL chooses between a sample of the newest rows, a date-ordered scan and the GIN
    index; each must give the same decisions in the same order."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the plan choice is PostgreSQL's")
    monkeypatch.setattr(search, "SAMPLE_ROWS", rows)
    monkeypatch.setattr(search, "SAMPLED", sampled)
    monkeypatch.setattr(search, "DENSE", dense)
    monkeypatch.setattr(search, "_pg_stats", lambda: ({}, 0.5))
    assert found(client, q="食品安全法") == ids(corpus, "xinda", "canyin", "licence")
    assert found(client, q="过期食品") == ids(corpus, "xinda", "east")
    assert found(client, q="示市监罚决〔2026〕12号") == ids(corpus, "xinda")
    assert found(client, q="当事人", category="penalty", date_to="2026-02-28") == ids(
        corpus, "wang", "canyin", "zhang", "hengtong"
    )
    monkeypatch.setattr(search, "PAGE_SIZE", 1)
    monkeypatch.setattr(search, "COUNT_CAP", 1)
    assert found(client, q="食品安全法", page=2) == ids(corpus, "canyin")
    page = client.get(reverse("portal:decision_list"), {"q": "当事人"}).content.decode()
    assert re.search("找到(约|超过) [0-9.万]+ 条", page)


# --- Bad parameters -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "2026-13-45"}, "不是有效日期"),
        ({"date_to": "2026-02-30"}, "不是有效日期"),
        ({"date_from": "昨天"}, "不是有效日期"),
        ({"amount_min": "abc"}, "不是有效金额"),
        ({"amount_max": "1e5"}, "不是有效金额"),
        ({"amount_min": "-5"}, "不是有效金额"),
        ({"page": "abc"}, "页码应为正整数"),
        ({"page": "0"}, "页码应为正整数"),
        ({"page": "99999999999999999999999999"}, "页码应为正整数"),
        ({"page": "999999"}, "最多列出前"),
        ({"page": "7"}, "没有第7页"),
        ({"q": "食" * 500}, "检索词过长"),
        ({"q": "！！！……"}, "没有可检索的文字"),
        ({"category": "bogus"}, "公示类别不正确"),
        ({"agency": "abc"}, "执法机关参数不正确"),
        ({"agency": "99999999999999999999999"}, "执法机关参数不正确"),
        ({"agency": "987654321"}, "没有该执法机关"),
        ({"field": "-1"}, "执法领域参数不正确"),
        ({"field": "987654"}, "没有该执法领域"),
        ({"date_from": "2026-03-01", "date_to": "2026-01-01"}, "已按先后对调"),
    ],
)
def test_malformed_parameters_give_a_friendly_message_never_a_500(client, corpus, params, message):
    response = client.get(reverse("portal:decision_list"), params)
    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize(
    "q",
    [
        '"',
        "AND OR NOT",
        'NEAR("a" "b")',
        "食品*",
        "'; DROP TABLE x; --",
        "a & b | !c <-> d",
        "%_\\",
        "\x00张某",
    ],
)
def test_query_syntax_characters_are_plain_text(client, corpus, q):
    response = client.get(reverse("portal:decision_list"), {"q": q})
    assert response.status_code == 200


def test_an_unknown_agency_is_dropped_not_applied(client, corpus):
    assert len(found(client, agency="987654321")) == len(corpus)


def test_list_has_no_n_plus_one(client, corpus, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get(reverse("portal:decision_list"), {"q": "食品"})


# --- Detail ---------------------------------------------------------------------------------------


def test_detail_shows_every_public_field_with_its_label(client, corpus):
    entry = corpus["xinda"]
    page = client.get(entry.get_absolute_url()).content.decode()
    for label in (
        "行政相对人名称",
        "决定文书文号",
        "违法事实",
        "处罚依据",
        "罚款金额（元）",
        "统一社会信用代码",
    ):
        assert label in page
    assert "示市监罚决〔2026〕12号" in page and "纯牛奶" in page and "5000.00" in page
    assert "公示至 <strong>2027-03-10</strong>" in page  # the display period end (G9)
    assert "存证序号将在日志下一次排序后显示" in page


def test_detail_shows_the_ledger_position_with_proof_links(client, world, make_case):  # noqa: F811
    fields = penalty_fields(
        party="示范市甲公司",
        number="示市监罚决〔2026〕77号",
        facts="x",
        basis="y",
        decided_on=date(2026, 3, 1),
        agency_name=MARKET,
    )
    entry = publish(make_case(), world.users["market_head"], fields, ledger_index=4711)
    page = client.get(entry.get_absolute_url()).content.decode()
    assert "存证序号 4711" in page
    assert 'href="/api/ledger/proofs/inclusion/?index=4711"' in page and 'href="/ledger/"' in page
    PortalEntry.objects.filter(pk=entry.pk).update(ledger_index=4712)  # as fill_ledger_positions does
    assert "存证序号 4712" in client.get(entry.get_absolute_url()).content.decode()


def test_detail_shows_the_correction_history_g5(client, world, make_case):  # noqa: F811
    fields = penalty_fields(
        party="示范市乙公司",
        number="示市监罚决〔2026〕78号",
        facts="当事人销售过期食品。",
        basis=FOOD_BASIS,
        decided_on=date(2026, 3, 1),
        agency_name=MARKET,
    )
    entry = publish(make_case(), world.users["market_head"], fields, corrections=("更正处罚依据的条款序号",))
    page = client.get(entry.get_absolute_url()).content.decode()
    assert (
        "第1版" in page and "第2版（现行）" in page and "更正处罚依据的条款序号" in page and "已更正" in page
    )


def test_a_withdrawn_decision_shows_the_notice_and_reason_g5(client, corpus):
    entry = withdraw(
        corpus["xinda"], kind_label="决定被撤销", reason="该决定已被行政复议机关撤销。", on=date(2026, 4, 1)
    )
    page = client.get(entry.get_absolute_url()).content.decode()
    assert "本公示已撤回" in page and "该决定已被行政复议机关撤销。" in page and "决定被撤销" in page
    assert "第四十八条第二款" in page and "纯牛奶" not in page
    listing = client.get(reverse("portal:decision_list"), {"q": "鑫达"}).content.decode()
    assert "已撤回" in listing
    assert found(client, q="纯牛奶") == []  # the facts are no longer public


def test_an_expired_or_unknown_decision_is_a_friendly_404_g9(client, corpus):
    entry = corpus["zhang"]
    PortalEntry.objects.filter(pk=entry.pk).delete()  # what services.expire does (G9)
    response = client.get(reverse("portal:decision_detail", args=[entry.pk]))
    assert response.status_code == 404 and "公示期限已满" in response.content.decode()
    assert client.get("/decisions/99999999999999999999999/").status_code == 404
    assert found(client, q="张某") == []


def test_detail_is_cached_per_version_and_answers_304(client, corpus, django_assert_max_num_queries):
    url = corpus["xinda"].get_absolute_url()
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert "csrftoken" not in first.cookies and "sessionid" not in first.cookies
    with django_assert_max_num_queries(1):  # the cached page: one primary-key check
        assert client.get(url).content == first.content
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    withdraw(corpus["xinda"], kind_label="决定被撤销", reason="已撤销。", on=date(2026, 4, 1))
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and "本公示已撤回" in changed.content.decode()


def test_within_the_fresh_window_the_page_needs_no_database(
    client, corpus, settings, django_assert_num_queries
):
    """A deployment may let a page be served from the cache alone for ZHIFA_PORTAL_FRESH_SECONDS;
    a withdrawal (G5, due within 3 working days) shows once the window has passed."""
    from django.core.cache import cache

    settings.ZHIFA_PORTAL_FRESH_SECONDS = 10
    url = corpus["xinda"].get_absolute_url()
    client.get(url)
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200
    withdraw(corpus["xinda"], kind_label="决定被撤销", reason="已撤销。", on=date(2026, 4, 1))
    assert "本公示已撤回" not in client.get(url).content.decode()  # still within the window
    cache.delete(f"portal:decision-head:{corpus['xinda'].pk}")  # the window ends
    assert "本公示已撤回" in client.get(url).content.decode()


# --- Feed and sitemap -----------------------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"


def test_atom_feed_per_agency(client, world, corpus):
    response = client.get(reverse("portal:agency_decisions_feed", args=[world.orgs["market"].pk]))
    assert response.status_code == 200 and "atom" in response["Content-Type"]
    feed = ElementTree.fromstring(response.content)
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert titles[0] == "示范市鑫达食品超市有限公司行政处罚决定"  # newest first
    assert "东城区宏远建材有限公司行政处罚决定" not in titles
    links = [e.find(f"{ATOM}link").get("href") for e in feed.findall(f"{ATOM}entry")]
    assert links[0].endswith(corpus["xinda"].get_absolute_url())
    assert client.get(reverse("portal:agency_decisions_feed", args=[world.orgs["gov"].pk])).status_code == 404
    assert client.get("/agencies/99999999999999999999999/decisions/feed/").status_code == 404


def test_sitemap_lists_every_published_decision_in_files_by_id(client, corpus, monkeypatch):
    monkeypatch.setattr(views_decisions, "SITEMAP_BUCKET", 3)
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    index = ElementTree.fromstring(client.get("/sitemap.xml").content)
    files = [loc.text for loc in index.iter(f"{ns}loc")]
    assert files[0].endswith("/sitemap-pages.xml")
    urls = []
    for loc in files[1:]:
        response = client.get(loc.replace("http://testserver", ""))
        assert response.status_code == 200
        urls += [u.text for u in ElementTree.fromstring(response.content).iter(f"{ns}loc")]
    expected = sorted(f"http://testserver/decisions/{e.pk}/" for e in corpus.values())
    assert sorted(urls) == expected
    assert client.get("/sitemap-decisions-999999.xml").status_code == 404


# --- The real pipeline ----------------------------------------------------------------------------


def test_pipeline_approval_makes_a_decision_searchable_and_withdrawal_shows_g5(client, world, make_case):  # noqa: F811
    from zhifa.cases import engine
    from zhifa.core.rules import id_number_check_char
    from zhifa.publicity import services
    from zhifa.publicity.models import Publication

    body = "37010219800101001"
    case = make_case(
        parties=[
            {
                "kind": "natural_person",
                "name": "赵大海",
                "id_number": body + id_number_check_char(body),
                "address": "示范市幸福小区3栋2单元501室",
            }
        ]
    )
    officer, head = world.users["market_officer"], world.users["market_head"]
    case.refresh_from_db()
    event, _ = engine.perform(
        case.pk,
        "decide_on_spot",
        officer,
        {
            "facts": "当事人赵大海在示范市人民路1号销售过期食品“酸奶”3盒。",
            "evidence": "现场检查笔录、照片",
            "violated": "《中华人民共和国食品安全法》第三十四条",
            "basis": "《中华人民共和国食品安全法》第一百二十四条",
            "penalty_kinds": ["fine"],
            "fine": "200",
            "decided_on": "2026-11-20",
            "place": "示范市人民路1号",
            "facts_certain": "on",
            "payment_method": "bank",
        },
        expected_version=case.version,
        request_key=uuid.uuid4().hex,
    )
    publication = Publication.objects.get(event=event)
    assert found(client, q="过期食品") == []  # a draft is not public
    services.approve(publication.versions.get(), head)
    assert found(client, q="过期食品") == [publication.pk]
    assert found(client, q="食品安全法第一百二十四条") == [publication.pk]
    assert found(client, q="赵某某") == [publication.pk]
    assert found(client, q="赵大海") == []  # the real name is redacted (G4)
    number = PortalEntry.objects.get(pk=publication.pk).document_number
    assert number and found(client, q=number) == [publication.pk]

    services.withdraw(publication, head, kind="revoked", reason="该决定已被行政复议机关撤销。")
    page = client.get(reverse("portal:decision_detail", args=[publication.pk])).content.decode()
    assert "本公示已撤回" in page and "该决定已被行政复议机关撤销。" in page
    assert found(client, q="过期食品") == []
    assert found(client, q=number) == [publication.pk]  # still listed, marked withdrawn
