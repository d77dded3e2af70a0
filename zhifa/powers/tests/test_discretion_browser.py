"""The published 裁量基准 on a phone (S8; 处罚法 Art. 34), in Debian's Chromium."""

import pytest
from playwright.sync_api import expect

from zhifa.powers.tests.test_discretion import draft, penalty_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_published_benchmark_is_readable_on_a_phone(live_server, world, phone_page):
    from zhifa.powers import services

    benchmark = draft(world, penalty_item(world))
    services.publish_benchmark(world.users["market_head"], benchmark)
    phone_page.goto(f"{live_server.url}/")
    phone_page.get_by_role("link", name="裁量基准").first.click()
    phone_page.get_by_role("link", name="示范市市场监督管理局").click()
    expect(phone_page.get_by_text("第三十四条").first).to_be_visible()
    phone_page.get_by_text("擅自设立弃置场受纳建筑垃圾的处罚").click()
    expect(phone_page.get_by_text("警告；罚款8000元").first).to_be_visible()
    expect(phone_page.get_by_text("堆放量50立方米以上100立方米以下").first).to_be_visible()
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
