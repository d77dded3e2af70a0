"""On a phone (390×844) in Debian's Chromium: an officer registers a 简易程序 case with the two
officers on site, decides it on the spot, reports it for 备案 and records the payment (P1, P2, P12)."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from zhifa.core.rules import id_number_check_char
from zhifa.core.testing import DEFAULT_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ID_BODY = "37990219800101001"


def label(page, text):
    """The field labelled exactly ``text`` (a required field's label ends with “*”)."""
    return page.get_by_label(re.compile(rf"^{re.escape(text)}\*?$"))


def assert_no_horizontal_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"


def test_officer_decides_a_summary_case_on_a_phone(live_server, world, officers, phone_page):
    page = phone_page
    page.goto(f"{live_server.url}/staff/accounts/login/")
    page.get_by_label("用户名").fill("market_officer")
    page.get_by_label("密码").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()

    page.goto(f"{live_server.url}/staff/cases/new/")
    assert_no_horizontal_scroll(page)
    page.get_by_label("执法程序").select_option(label="行政处罚简易程序")
    page.get_by_label("案件来源").select_option(label="检查发现")
    label(page, "案由").fill("未按规定明码标价")
    page.get_by_label("张明（执法稽查支队）").check()
    page.get_by_label("李强（执法稽查支队）").check()
    page.get_by_label("姓名或名称").fill("赵某")
    page.get_by_label("身份证号").fill(ID_BODY + id_number_check_char(ID_BODY))
    page.get_by_label("住所/地址").fill("示范市人民路1号")
    page.get_by_role("button", name="登记案件").click()
    expect(page.get_by_role("heading", name=re.compile("示市监罚简〔"))).to_be_visible()
    assert_no_horizontal_scroll(page)

    page.get_by_role("link", name="当场作出行政处罚决定").click()
    expect(page.get_by_role("heading", name="当场作出行政处罚决定")).to_be_visible()
    assert_no_horizontal_scroll(page)
    label(page, "违法事实").fill("当事人销售商品未按规定明码标价。")
    label(page, "证据").fill("现场检查笔录、照片")
    page.get_by_label("违反的法律条款").fill("《中华人民共和国价格法》第十三条第一款")
    page.get_by_label("处罚依据").fill("《中华人民共和国价格法》第四十二条")
    page.get_by_label("罚款", exact=True).check()
    page.get_by_label("罚款金额（元）").fill("200")
    page.get_by_label("执法地点").fill("示范市人民路1号")
    page.get_by_label("违法事实确凿并有法定依据").check()
    page.get_by_label("缴纳方式").select_option(label="到指定银行或通过电子支付系统缴纳")
    page.get_by_role("button", name="确认当场作出行政处罚决定").click()

    expect(page.get_by_text("已完成“当场作出行政处罚决定”")).to_be_visible()
    expect(page.get_by_text("已当场决定").first).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("缴纳罚款期限"))).to_be_visible()
    decision = page.get_by_role("region", name="当场作出行政处罚决定")
    expect(decision).to_contain_text("200元")
    expect(decision).to_contain_text(f"{timezone.localdate().year}年")
    assert_no_horizontal_scroll(page)
    # the numbered decision to hand over on the spot (P2) was issued with the action
    number = re.compile(rf"示市监罚当〔{timezone.localdate().year}〕\d+号")
    expect(page.get_by_role("cell", name=number)).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Word").first.click()
    assert download.value.suggested_filename.startswith("当场行政处罚决定书示市监罚当〔")

    page.get_by_role("link", name="报所属行政机关备案").click()
    page.get_by_role("button", name="确认报所属行政机关备案").click()
    expect(page.get_by_text("已完成“报所属行政机关备案”")).to_be_visible()
    page.get_by_role("link", name="登记履行情况").click()
    expect(page.get_by_label("缴纳金额（元）")).to_have_value("200")
    page.get_by_role("button", name="确认登记履行情况").click()
    expect(page.get_by_text("已完成“登记履行情况”")).to_be_visible()
    expect(page.get_by_text("已履行").first).to_be_visible()
    assert_no_horizontal_scroll(page)
