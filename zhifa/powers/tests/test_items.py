"""权责清单 and 随机抽查事项: citation linking, validation, scope (web, API, export), query counts."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from zhifa.powers import services
from zhifa.powers.models import InspectionItem, PowerItem, PowerItemBasis

pytestmark = pytest.mark.django_db

BASIS_92 = "《安全生产法》(2021年6月10日第三次修正)第九十二条 承担安全评价、认证、检测、检验职责的机构出具失实报告的……"


def power_item(world, agency="market", **fields):
    values = {
        "agency": world.orgs[agency],
        "name": "对出具失实报告的处罚",
        "category": "penalty",
        "basis_text": BASIS_92,
        "penalty_kinds": ["fine"],
        "fine_min": Decimal("30000"),
        "fine_max": Decimal("200000"),
    }
    return PowerItem(**{**values, **fields})


def save(world, user="admin", **fields):
    return services.save_power_item(world.users[user], power_item(world, **fields))


def test_saving_links_basis_text_to_current_articles(world, laws):
    item = save(world, basis_text="《中华人民共和国食品安全法》第一百二十二条第一款；" + BASIS_92)
    links = list(item.basis_links.select_related("article__version__law"))
    assert [(link.article.version.law.short_title, link.article.number, link.kuan) for link in links] == [
        ("食品安全法", 122, 1),
        ("安全生产法", 92, None),
    ]
    assert all(link.article.version.is_current for link in links)
    assert links[0].citation_label == "第一百二十二条第一款"


def test_editing_basis_relinks(world, laws):
    item = save(world)
    item.basis_text = "《安全生产法》第一百零六条"
    services.save_power_item(world.users["admin"], item)
    assert list(item.articles.values_list("number", flat=True)) == [106]


def test_find_article_by_short_or_full_title(laws):
    assert services.find_article("安全生产法", 106).number == 106
    assert services.find_article("中华人民共和国安全生产法", 106).number == 106
    assert services.find_article("《食品安全法》", 122).version.law.short_title == "食品安全法"
    assert services.find_article("安全生产法", 999) is None
    assert services.find_article("不存在法", 1) is None


def test_citations_the_library_lacks_are_reported(world, laws, client_for):
    item = save(world, basis_text=BASIS_92 + " 2.《安全生产违法行为行政处罚办法》第四十七条")
    assert item.basis_links.count() == 1
    body = client_for(world.users["market_head"]).get(item.get_absolute_url()).content.decode()
    assert "未找到" in body and "《安全生产违法行为行政处罚办法》第四十七条" in body
    assert "依据条文所列罚款" in body and "3万元以上20万元以下" in body


def test_penalty_item_range_is_validated_at_save(world, laws):
    with pytest.raises(ValidationError) as caught:
        save(world, fine_min=Decimal("200000.01"), fine_max=Decimal("200000"))
    assert "不能低于下限" in caught.value.message_dict["fine_max"][0]
    with pytest.raises(ValidationError) as caught:
        save(world, penalty_kinds=[], fine_min=None, fine_max=None)
    assert "第四条" in caught.value.message_dict["penalty_kinds"][0]
    assert PowerItem.objects.count() == 0


def test_undertaking_unit_must_belong_to_the_agency(world, laws):
    with pytest.raises(ValidationError) as caught:
        save(world, undertaking_unit=world.orgs["east_market"])
    assert "undertaking_unit" in caught.value.message_dict
    assert save(world, undertaking_unit=world.orgs["market_team"]).undertaking_unit_name == "执法稽查支队"


def test_codes_unique_per_agency_but_free_in_format(world, laws):
    save(world, code="1111022100010289193110221325000")
    save(world, agency="east_market", code="1111022100010289193110221325000", user="east_head")
    with pytest.raises(ValidationError):
        save(world, code="1111022100010289193110221325000")
    with pytest.raises(ValidationError) as caught:
        save(world, code="XK 0001")
    assert "空格" in caught.value.message_dict["code"][0]


def test_service_refuses_agency_outside_scope(world, laws):
    with pytest.raises(PermissionDenied):
        save(world, user="east_head")  # the city 市场监管局 is not theirs
    item = save(world)
    item.agency = world.orgs["east_market"]
    with pytest.raises(PermissionDenied):
        services.save_power_item(world.users["market_head"], item)


# --- web -----------------------------------------------------------------------------------------
def form_data(world, **overrides):
    data = {
        "agency": world.orgs["market"].pk,
        "code": "CF-001",
        "name": "对出具失实报告的处罚",
        "category": "penalty",
        "basis_text": BASIS_92,
        "penalty_kinds": ["fine", "confiscate_income"],
        "fine_min": "30000",
        "fine_max": "200000",
        "is_active": "on",
    }
    return {**data, **overrides}


def test_create_through_the_form_links_articles(world, laws, client_for):
    client = client_for(world.users["market_head"])
    response = client.post(reverse("powers:poweritem_create"), form_data(world))
    item = PowerItem.objects.get()
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    assert item.penalty_kinds == ["fine", "confiscate_income"]
    assert item.articles.get().number == 92


def test_form_shows_range_error_at_the_field(world, laws, client_for):
    client = client_for(world.users["market_head"])
    response = client.post(reverse("powers:poweritem_create"), form_data(world, fine_min="300000"))
    assert response.status_code == 200
    assert "罚款上限（200000元）不能低于下限（300000元）" in response.content.decode()
    assert PowerItem.objects.count() == 0


def test_form_offers_only_agencies_in_scope(world, laws, client_for):
    client = client_for(world.users["east_head"])
    response = client.post(reverse("powers:poweritem_create"), form_data(world))
    assert response.status_code == 200 and PowerItem.objects.count() == 0
    assert "示范市市场监督管理局" not in response.content.decode()


def test_other_agencys_item_is_404_on_web(world, laws, client_for):
    item = save(world)
    client = client_for(world.users["east_head"])
    assert client.get(item.get_absolute_url()).status_code == 404
    assert client.get(reverse("powers:poweritem_update", args=[item.pk])).status_code == 404
    assert client_for(world.users["city_supervisor"]).get(item.get_absolute_url()).status_code == 200


def test_list_and_export_are_scoped(world, laws, client_for):
    save(world, name="市局事项")
    save(world, agency="east_market", user="east_head", name="东城事项")
    client = client_for(world.users["east_head"])
    listing = client.get(reverse("powers:poweritem_list")).content.decode()
    assert "东城事项" in listing and "市局事项" not in listing
    response = client.get(reverse("powers:poweritem_list") + "?export=csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "东城事项" in body and "市局事项" not in body
    assert "《安全生产法》第九十二条" in body
    xlsx = client.get(reverse("powers:poweritem_list") + "?export=xlsx&category=penalty")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_list_filters_by_agency_category_and_q(world, laws, client_for):
    save(world, name="处罚事项")
    save(world, name="检查事项", category="inspection", penalty_kinds=[], fine_min=None, fine_max=None)
    client = client_for(world.users["admin"])
    url = reverse("powers:poweritem_list")
    assert "检查事项" not in client.get(url, {"category": "penalty"}).content.decode()
    assert "处罚事项" not in client.get(url, {"q": "检查"}).content.decode()
    assert "处罚事项" not in client.get(url, {"agency": world.orgs["east_market"].pk}).content.decode()


def test_article_page_lists_citing_items_in_scope(world, laws, client_for):
    save(world, name="市局引用九十二条")
    save(world, agency="east_market", user="east_head", name="东城引用九十二条")
    article = services.find_article("安全生产法", 92)
    city = client_for(world.users["market_head"]).get(article.get_absolute_url()).content.decode()
    assert "市局引用九十二条" in city and "东城引用九十二条" not in city
    assert "承担安全评价、认证、检测、检验职责的机构" in city
    supervisor = client_for(world.users["city_supervisor"]).get(article.get_absolute_url()).content.decode()
    assert "市局引用九十二条" in supervisor and "东城引用九十二条" in supervisor


def test_inspection_item_crud_and_scope(world, laws, client_for):
    client = client_for(world.users["market_head"])
    data = {
        "agency": world.orgs["market"].pk,
        "field_name": "食品生产环节监督抽查",
        "name": "食品生产者落实主体责任情况的检查",
        "target": "食品生产企业",
        "method": "现场检查",
        "ratio": "5%",
        "basis_text": "《中华人民共和国食品安全法》第一百一十条",
        "is_active": "on",
    }
    response = client.post(reverse("powers:inspectionitem_create"), data)
    item = InspectionItem.objects.get()
    assert response.status_code == 302
    assert item.articles.get().number == 110
    assert client.get(item.get_absolute_url()).status_code == 200
    response = client.post(reverse("powers:inspectionitem_update", args=[item.pk]), {**data, "ratio": "10%"})
    item.refresh_from_db()
    assert item.ratio == "10%"
    other = client_for(world.users["east_head"])
    assert other.get(item.get_absolute_url()).status_code == 404
    export = other.get(reverse("powers:inspectionitem_list") + "?export=csv")
    assert "食品生产者" not in b"".join(export.streaming_content).decode("utf-8-sig")


def test_officer_can_read_but_not_create(world, laws, client_for):
    client = client_for(world.users["market_officer"])
    assert client.get(reverse("powers:poweritem_list")).status_code == 200
    assert client.get(reverse("powers:poweritem_create")).status_code == 403


# --- API -----------------------------------------------------------------------------------------
def test_api_article_search_by_law_and_number(world, laws, client_for):
    client = client_for(world.users["market_officer"])
    rows = client.get("/api/powers/articles/", {"law": "食品安全法", "number": 122, "current": "true"}).json()
    assert rows["count"] == 1
    article = rows["results"][0]
    assert article["label"] == "第一百二十二条" and article["paragraphs"][0]["kuan"] == 1
    assert client.get("/api/powers/laws/").json()["count"] == 4


def test_api_create_links_and_validates(world, laws, client_for):
    client = client_for(world.users["market_head"])
    payload = {
        "agency": world.orgs["market"].pk,
        "name": "对出具失实报告的处罚",
        "category": "penalty",
        "basis_text": BASIS_92,
        "penalty_kinds": ["fine"],
        "fine_min": "30000",
        "fine_max": "200000",
    }
    response = client.post("/api/powers/items/", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["basis_links"][0]["citation"] == "《中华人民共和国安全生产法》第九十二条"
    bad = client.post(
        "/api/powers/items/", {**payload, "fine_min": "300000"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "不能低于下限" in bad.json()["fine_max"][0]


def test_api_other_agencys_item_is_404_and_absent(world, laws, client_for):
    item = save(world, name="市局事项")
    client = client_for(world.users["east_head"])
    assert client.get(f"/api/powers/items/{item.pk}/").status_code == 404
    assert (
        client.patch(
            f"/api/powers/items/{item.pk}/", {"name": "改"}, content_type="application/json"
        ).status_code
        == 404
    )
    names = [row["name"] for row in client.get("/api/powers/items/").json()["results"]]
    assert "市局事项" not in names
    payload = {
        "agency": world.orgs["market"].pk,
        "name": "越权",
        "category": "inspection",
        "basis_text": "无",
    }
    assert client.post("/api/powers/items/", payload, content_type="application/json").status_code == 400


def test_api_officer_cannot_write(world, laws, client_for):
    client = client_for(world.users["market_officer"])
    payload = {"agency": world.orgs["market"].pk, "name": "x", "category": "inspection", "basis_text": "无"}
    assert client.post("/api/powers/items/", payload, content_type="application/json").status_code == 403
    assert client.get("/api/powers/items/").status_code == 200


# --- query counts --------------------------------------------------------------------------------
@pytest.fixture
def many_items(world, laws):
    for n in range(25):
        save(world, name=f"事项{n}", undertaking_unit=world.orgs["market_team"])
        services.save_inspection_item(
            world.users["admin"],
            InspectionItem(
                agency=world.orgs["market"],
                field_name="领域",
                name=f"抽查{n}",
                target="对象",
                method="现场检查",
                basis_text="《食品安全法》第一百一十条",
            ),
        )
    assert PowerItemBasis.objects.count() == 25


def test_power_item_list_query_count(world, many_items, client_for, django_assert_max_num_queries):
    client = client_for(world.users["market_head"])
    with django_assert_max_num_queries(11):
        assert client.get(reverse("powers:poweritem_list")).status_code == 200


def test_power_item_export_query_count(world, many_items, client_for, django_assert_max_num_queries):
    client = client_for(world.users["market_head"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("powers:poweritem_list") + "?export=csv")
        assert b"".join(response.streaming_content).count("事项".encode()) >= 25


def test_inspection_list_query_count(world, many_items, client_for, django_assert_max_num_queries):
    client = client_for(world.users["market_head"])
    with django_assert_max_num_queries(11):
        assert client.get(reverse("powers:inspectionitem_list")).status_code == 200


def test_law_pages_query_count(world, many_items, client_for, django_assert_max_num_queries):
    client = client_for(world.users["market_head"])
    with django_assert_max_num_queries(10):
        assert client.get(reverse("powers:law_list")).status_code == 200
    version = services.find_article("食品安全法", 1).version
    with django_assert_max_num_queries(12):
        assert client.get(version.get_absolute_url()).status_code == 200
    article = services.find_article("安全生产法", 92)
    with django_assert_max_num_queries(13):
        assert client.get(article.get_absolute_url()).status_code == 200


def test_api_list_query_count(world, many_items, client_for, django_assert_max_num_queries):
    client = client_for(world.users["market_head"])
    with django_assert_max_num_queries(11):
        assert client.get("/api/powers/items/").json()["count"] == 25
