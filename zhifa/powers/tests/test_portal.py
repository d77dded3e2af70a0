"""Public portal pages (G1 事前公开): laws, 权责清单 and 随机抽查事项清单 per agency, no login."""

from decimal import Decimal

import pytest
from django.urls import reverse

from zhifa.powers import services
from zhifa.powers.models import InspectionItem, PowerItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(world, laws):
    market = world.orgs["market"]
    services.store_item(
        PowerItem(
            agency=market,
            code="1111022100010289193110221325000",
            name="对未取得食品生产经营许可从事食品生产经营活动的处罚",
            category="penalty",
            basis_text="《中华人民共和国食品安全法》第一百二十二条第一款",
            penalty_kinds=["fine", "confiscate_income"],
            fine_min=Decimal("50000"),
            fine_max=Decimal("100000"),
            multiple_base="goods_value",
            multiple_min=Decimal("10"),
            multiple_max=Decimal("20"),
            responsibilities="1.立案责任",
        )
    )
    services.store_item(
        PowerItem(
            agency=market, name="食品生产许可", category="license", basis_text="《食品安全法》第三十五条"
        )
    )
    services.store_item(
        PowerItem(agency=market, name="已停用的事项", category="license", basis_text="无", is_active=False)
    )
    services.store_item(
        InspectionItem(
            agency=market,
            field_name="学校食堂食品安全情况抽查",
            name="学校食堂食品安全情况的检查",
            target="中小学、幼儿园",
            ratio="50%",
            cooperating_departments="教育部门",
            method="现场检查",
            basis_text="《中华人民共和国食品安全法》第一百一十条",
            level="区级发起，区级检查",
        )
    )
    return market


def test_law_list_and_detail_are_public_with_toc_and_anchors(client, laws):
    body = client.get(reverse("portal:law_list")).content.decode()
    assert "中华人民共和国食品安全法" in body and "2021年4月29日" in body
    law = laws[0].law
    assert reverse("portal:law_detail", args=[law.pk]) in body
    detail = client.get(reverse("portal:law_detail", args=[law.pk])).content.decode()
    assert "目录" in detail and 'href="#c1">第一章 总 则</a>' in detail and 'id="c1"' in detail
    assert 'id="a122"' in detail and 'href="#a122"' in detail
    assert "未取得食品生产经营许可从事食品生产经营活动" in detail
    assert "/staff/powers/" not in detail  # no links into staff pages


def test_older_version_is_reachable_and_marked(client, laws):
    law = laws[0].law
    response = client.get(reverse("portal:law_detail", args=[law.pk]), {"version": laws[0].version.pk})
    assert "现行有效" in response.content.decode()


def test_agency_power_list_is_public_and_shows_active_items_with_links(client, published):
    response = client.get(reverse("portal:agency_powers", args=[published.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "示范市市场监督管理局 · 权责清单" in body
    assert "对未取得食品生产经营许可从事食品生产经营活动的处罚" in body
    assert "罚款5万元以上10万元以下；货值金额10倍以上20倍以下罚款" in body
    assert "#a122" in body and "已停用的事项" not in body
    assert body.index("行政许可") < body.index("行政处罚")  # grouped in the published order


def test_agency_inspection_list_is_public(client, published):
    body = client.get(reverse("portal:agency_inspections", args=[published.pk])).content.decode()
    assert "随机抽查事项清单" in body and "学校食堂食品安全情况的检查" in body
    assert "中小学、幼儿园" in body and "50%" in body and "#a110" in body


def test_inactive_agency_and_non_agency_are_404(client, published, world):
    assert client.get(reverse("portal:agency_powers", args=[world.orgs["market_team"].pk])).status_code == 404
    assert client.get(reverse("portal:agency_inspections", args=[world.orgs["gov"].pk])).status_code == 404
    published.is_active = False
    published.save()
    assert client.get(reverse("portal:agency_powers", args=[published.pk])).status_code == 404


def test_portal_query_counts(client, published, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        assert client.get(reverse("portal:agency_powers", args=[published.pk])).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get(reverse("portal:agency_inspections", args=[published.pk])).status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(reverse("portal:law_list")).status_code == 200
    law = services.find_article("食品安全法", 1).version.law
    with django_assert_max_num_queries(7):
        assert client.get(reverse("portal:law_detail", args=[law.pk])).status_code == 200
