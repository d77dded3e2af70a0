"""In Debian's Chromium: a head previews the pools, draws a 双随机 task, confirms it, and opens
one of the 行政检查 cases it produced (P1: two drawn officers on each)."""

import re

import pytest
from playwright.sync_api import expect

from zhifa.core.testing import DEFAULT_PASSWORD
from zhifa.inspections.models import InspectionAssignment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_head_draws_and_confirms_a_task(live_server, world, make_targets, pool, make_task, page):
    make_targets(8)
    task = make_task(sample_count=3)
    page.goto(f"{live_server.url}/staff/accounts/login/")
    page.get_by_label("用户名").fill("market_head")
    page.get_by_label("密码").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()

    page.get_by_role("link", name="双随机抽查").first.click()
    page.get_by_role("link", name=task.name).click()
    page.get_by_role("link", name="随机抽取检查对象").click()
    expect(page.get_by_text("8户")).to_be_visible()
    expect(page.get_by_text("4名").first).to_be_visible()
    page.get_by_role("button", name="随机抽取").click()

    expect(page.get_by_text(re.compile("已完成第1次随机抽取"))).to_be_visible()
    expect(page.get_by_role("heading", name="抽取结果（待确认）")).to_be_visible()
    rows = page.locator("#draw tbody tr")
    expect(rows).to_have_count(3)
    page.get_by_role("button", name="确认抽取结果并生成检查案件").click()

    expect(page.get_by_text("已确认抽取结果，生成3件行政检查案件。")).to_be_visible()
    links = page.get_by_role("link", name=re.compile(r"示市监检〔\d{4}〕\d+号"))
    expect(links).to_have_count(3)
    first = InspectionAssignment.objects.filter(task=task).order_by("position").first()
    links.first.click()
    expect(page.get_by_role("heading", name=re.compile(re.escape(first.case.number)))).to_be_visible()
    expect(page.get_by_text("行政检查（第2版）")).to_be_visible()
    expect(page.get_by_role("link", name="实施检查（制作现场检查笔录）")).to_be_visible()
