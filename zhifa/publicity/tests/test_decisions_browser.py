"""In Debian's Chromium at a phone viewport (390×844): the public searches published decisions
from the portal home, filters them, opens one, and sees a withdrawn one's reason (issue 6 item 5,
G5, G9)."""

from datetime import date

import pytest
from playwright.sync_api import expect

from zhifa.cases.tests.conftest import make_case, officers  # noqa: F401 - shared case fixtures
from zhifa.publicity.models import Category
from zhifa.publicity.tests.portal_factory import penalty_fields, publish, withdraw

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def empty_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def decisions(world, make_case):  # noqa: F811
    case = make_case()
    head = world.users["market_head"]
    market = world.orgs["market"]
    xinda = publish(
        case,
        head,
        penalty_fields(
            party="示范市鑫达食品超市有限公司",
            credit_code="91379900MA3C4D5E6F",
            number="示市监罚决〔2026〕12号",
            facts="执法人员检查发现当事人在经营场所销售过期食品“纯牛奶”12箱，货值金额960元。",
            basis="《中华人民共和国食品安全法》第一百二十四条第一款第（三）项",
            fine="5000.00",
            decided_on=date(2026, 3, 10),
            agency_name=market.name,
        ),
        ledger_index=42,
    )
    other = publish(
        case,
        head,
        penalty_fields(
            party="示范市好味道餐饮店",
            number="示市监罚决〔2026〕30号",
            facts="当事人销售过期食品“面包”5袋。",
            basis="《中华人民共和国食品安全法》第一百二十四条",
            fine="2000.00",
            decided_on=date(2026, 2, 20),
            agency_name=market.name,
        ),
    )
    licence_fields = penalty_fields(
        party="李某某",
        party_kind="个体工商户",
        number="示市监许决〔2026〕3号",
        facts="",
        basis="《中华人民共和国食品安全法》第三十五条",
        licence_content="食品经营许可（预包装食品销售）",
        decided_on=date(2026, 1, 15),
        agency_name=market.name,
    )
    licence_fields.update(category="licensing", category_label="行政许可")
    publish(case, head, licence_fields, category=Category.LICENSING)
    withdraw(other, kind_label="决定被撤销", reason="该决定已被行政复议机关撤销。", on=date(2026, 3, 1))
    return {"xinda": xinda, "other": other}


def _fits_the_screen(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page is {width}px wide on a 390px screen"


def test_search_filter_and_detail_on_a_phone(live_server, decisions, phone_page):
    page = phone_page
    page.goto(f"{live_server.url}/")
    page.get_by_label("检索执法决定").fill("过期食品")
    page.get_by_role("button", name="检索", exact=True).click()
    expect(page.get_by_role("heading", name="行政执法决定公示", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("共找到 1 条")  # the withdrawn one's facts are gone
    expect(page.locator("article mark").first).to_have_text("过期食品")
    _fits_the_screen(page)

    # Filter: 行政许可 only, from the folded "更多条件".
    page.get_by_label("检索词").fill("食品安全法")
    page.get_by_text("更多条件").click()
    page.get_by_label("公示类别").select_option(label="行政许可")
    page.get_by_role("button", name="按条件检索").click()
    expect(page.locator("article")).to_have_count(1)
    expect(page.locator("article")).to_contain_text("李某某")

    # A 文号 typed with other brackets, then the detail page.
    page.goto(f"{live_server.url}/decisions/?q=罚决[2026]12号")
    page.get_by_role("link", name="示范市鑫达食品超市有限公司行政处罚决定").click()
    expect(page.get_by_role("heading", name="示范市鑫达食品超市有限公司行政处罚决定")).to_be_visible()
    expect(page.get_by_text("纯牛奶", exact=False)).to_be_visible()
    expect(page.get_by_text("存证序号 42")).to_be_visible()
    expect(page.get_by_role("link", name="包含证明接口")).to_have_attribute(
        "href", "/api/ledger/proofs/inclusion/?index=42"
    )
    expect(page.get_by_text("公示至")).to_contain_text("2027-03-10")
    _fits_the_screen(page)

    # 长者模式 enlarges the text on the detail page too.
    before = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    page.get_by_role("button", name="长者模式").click()
    after = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    assert float(after.rstrip("px")) > float(before.rstrip("px"))
    _fits_the_screen(page)


def test_withdrawn_decision_and_bad_input_on_a_phone_g5(live_server, decisions, phone_page):
    page = phone_page
    page.goto(f"{live_server.url}/decisions/?q=好味道")
    expect(page.locator("article .badge")).to_have_text("已撤回")
    page.get_by_role("link", name="示范市好味道餐饮店行政处罚决定").click()
    expect(page.get_by_role("alert")).to_contain_text("该决定已被行政复议机关撤销。")
    _fits_the_screen(page)

    page.goto(f"{live_server.url}/decisions/?date_from=2026-13-45&amount_min=abc&page=abc")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("不是有效日期")
    expect(alert).to_contain_text("不是有效金额")
    expect(alert).to_contain_text("页码应为正整数")
    _fits_the_screen(page)

    response = page.goto(f"{live_server.url}/decisions/987654/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("该公示信息不存在或已不再公示")
