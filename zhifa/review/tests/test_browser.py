"""On a phone (390×844) in Debian's Chromium: a reviewer claims a round and records an opinion
item by item (L3, L4)."""

import uuid

import pytest
from playwright.sync_api import expect

from zhifa.core.testing import DEFAULT_PASSWORD
from zhifa.review import rules, services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reviewer_records_an_opinion_on_a_phone(live_server, world, heard_case, reviewer, phone_page):
    page = phone_page
    round_, _ = services.submit(
        heard_case,
        world.users["market_officer"],
        outcome="处罚",
        review_report="拟罚款十五万元。",
        request_key=uuid.uuid4().hex,
    )
    page.goto(f"{live_server.url}/staff/accounts/login/")
    page.get_by_label("用户名").fill("market_reviewer")
    page.get_by_label("密码").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server.url}/staff/review/")
    page.get_by_role("link", name=str(heard_case)).first.click()
    page.get_by_role("button", name="领取审核任务").click()
    for _code, label in rules.CHECKLIST:
        page.get_by_role("group", name=label).get_by_label("通过").check()
    page.locator("input[name=opinion][value=agree]").check()
    page.get_by_label("审核意见", exact=True).fill("事实清楚，证据确凿，同意承办机构意见。")
    page.get_by_role("button", name="出具审核意见").click()
    expect(page.get_by_text("审核意见已出具")).to_be_visible()
    round_.refresh_from_db()
    assert round_.passed and round_.document is not None
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"
