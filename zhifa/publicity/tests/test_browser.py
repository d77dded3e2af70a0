"""End to end in Debian's Chromium: a supervisor registers an officer and issues a certificate;
the public then verifies it on the portal (P1, S2, S13, G1)."""

import re

import pytest
from playwright.sync_api import expect

from zhifa.core.rules import id_number_check_char
from zhifa.core.testing import DEFAULT_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CERTIFICATE = "37990026000123"


def test_register_officer_then_verify_on_portal(live_server, world, page, phone_page):
    page.goto(f"{live_server.url}/staff/accounts/login/")
    page.get_by_label("用户名").fill("city_supervisor")
    page.get_by_label("密码").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()

    page.goto(f"{live_server.url}/staff/personnel/new/")
    page.get_by_label("姓名").fill("林晓东")
    page.get_by_label("性别").select_option(label="男")
    id_body = "37990219850315001"
    page.get_by_label("身份证号").fill(id_body + id_number_check_char(id_body))
    page.get_by_label("所在单位").select_option(label="示范市市场监督管理局")
    page.get_by_label("用工性质").select_option(label="在编公务员")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name=re.compile("林晓东"))).to_be_visible()

    page.get_by_role("link", name="发放执法证件").click()
    page.get_by_label("证件编号").fill(CERTIFICATE)
    page.get_by_label("发证机关").select_option(label="示范市人民政府")
    page.get_by_label("市场监管").check()
    page.get_by_label("执法区域").select_option(label="示范市（379900）")
    page.get_by_label("发证日期").fill("2026-01-05")
    page.get_by_label("有效期至").fill("2030-12-31")
    page.get_by_role("button", name="发放").click()
    expect(page.get_by_text(CERTIFICATE).first).to_be_visible()

    # The public, on a phone, checks the number an officer showed them.
    phone_page.goto(f"{live_server.url}/verify/")
    phone_page.get_by_label("证件编号").fill(CERTIFICATE)
    phone_page.get_by_role("button", name="查验").click()
    expect(phone_page.get_by_text("林晓东")).to_be_visible()
    expect(phone_page.get_by_text("示范市市场监督管理局").first).to_be_visible()
    expect(phone_page.locator(".verify-result")).to_contain_text("有效")
    assert id_body not in phone_page.content()  # the 身份证号 is never public

    # 长者模式 enlarges the text and is remembered.
    before = phone_page.evaluate("getComputedStyle(document.documentElement).fontSize")
    phone_page.get_by_role("button", name="长者模式").click()
    phone_page.reload()
    after = phone_page.evaluate("getComputedStyle(document.documentElement).fontSize")
    assert float(after.rstrip("px")) > float(before.rstrip("px"))
