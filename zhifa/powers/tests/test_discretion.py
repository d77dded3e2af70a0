"""裁量基准 (S8): services (save, publish, versions), the case engine's entry points, staff pages,
API and the public portal, scoped by agency."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from zhifa.powers import services
from zhifa.powers.models import BenchmarkStatus, DiscretionBenchmark, DiscretionTier, PowerItem

pytestmark = pytest.mark.django_db
D = Decimal
START = date(2025, 3, 1)


def penalty_item(world, agency="market", **fields):
    values = {
        "agency": world.orgs[agency],
        "name": "擅自设立弃置场受纳建筑垃圾的处罚",
        "category": "penalty",
        "basis_text": "《城市建筑垃圾管理规定》第二十条第（三）项",
        "penalty_kinds": ["warning", "fine"],
        "fine_max": D(10000),
    }
    return services.store_item(PowerItem(**{**values, **fields}))


def volume_tiers():
    """x04: volume bands, fixed amounts for 单位 and 个人."""
    rows = []
    for party, amounts in (("单位", (5000, 8000, 10000)), ("个人", (1000, 2000, 3000))):
        for (label, tier, low, high), amount in zip(
            (("轻微", "lighter", None, 50), ("一般", "general", 50, 100), ("严重", "heavier", 100, None)),
            amounts,
            strict=True,
        ):
            rows.append(
                DiscretionTier(
                    party=party,
                    level_label=label,
                    tier=tier,
                    condition_text=f"擅自设立弃置场受纳建筑垃圾（{label}）",
                    band_measure="堆放量",
                    band_unit="立方米",
                    band_min=D(low) if low is not None else None,
                    band_max=D(high) if high is not None else None,
                    penalty_kinds=["warning", "fine"],
                    fine_min=D(amount),
                    fine_max=D(amount),
                    other_measures="责令限期改正",
                )
            )
    return rows


def draft(world, item, user="market_head", **fields):
    values = {
        "power_item": item,
        "title": "示范市城市管理局行政处罚自由裁量标准",
        "document_number": "示城管规〔2025〕1号",
        "item_number": "52",
        "effective_from": START,
    }
    return services.save_benchmark(
        world.users[user], DiscretionBenchmark(**{**values, **fields}), volume_tiers()
    )


@pytest.fixture
def item(world):
    return penalty_item(world)


@pytest.fixture
def published(world, item):
    return services.publish_benchmark(world.users["market_head"], draft(world, item))


# --- saving and publishing ----------------------------------------------------------------------
def test_s8_saving_a_benchmark_stores_its_tiers_in_order(world, item):
    benchmark = draft(world, item)
    assert benchmark.agency == world.orgs["market"] and benchmark.version == 1
    assert benchmark.status == BenchmarkStatus.DRAFT
    assert [t.order for t in benchmark.tiers.all()] == [1, 2, 3, 4, 5, 6]
    assert benchmark.citation == "《示范市城市管理局行政处罚自由裁量标准》（示城管规〔2025〕1号）第52项"


def test_s8_a_tier_beyond_the_legal_range_is_refused_and_nothing_changes(world, item):
    tiers = volume_tiers()
    tiers[2].fine_min = tiers[2].fine_max = D("10000.01")
    with pytest.raises(ValidationError) as caught:
        services.save_benchmark(
            world.users["market_head"],
            DiscretionBenchmark(power_item=item, title="标准", effective_from=START),
            tiers,
        )
    message = caught.value.messages[0]
    assert message.startswith("第3档（严重）") and "超过法定最高限额" in message
    assert "S8" in message and "《中华人民共和国行政处罚法》第三十四条" in message
    assert DiscretionBenchmark.objects.count() == 0 and DiscretionTier.objects.count() == 0


def test_s8_benchmark_needs_a_penalty_item(world):
    licence = services.store_item(
        PowerItem(agency=world.orgs["market"], name="食品经营许可", category="license", basis_text="无")
    )
    with pytest.raises(ValidationError) as caught:
        draft(world, licence)
    assert "只能针对行政处罚事项" in caught.value.messages[0]


def test_benchmark_outside_the_users_scope_is_refused(world, item):
    with pytest.raises(PermissionDenied):
        draft(world, item, user="east_head")


def test_s8_a_published_benchmark_cannot_be_edited_only_revised(world, published):
    with pytest.raises(ValidationError) as caught:
        services.save_benchmark(world.users["market_head"], published, volume_tiers())
    assert "修订为新版本" in caught.value.messages[0]
    revision = services.revise_benchmark(world.users["market_head"], published, START + timedelta(days=90))
    assert revision.version == 2 and revision.previous == published and revision.tiers.count() == 6
    assert revision.status == BenchmarkStatus.DRAFT


def test_s8_publishing_a_revision_closes_the_previous_version(world, published):
    revision = services.revise_benchmark(world.users["market_head"], published, date(2025, 9, 1))
    services.publish_benchmark(world.users["market_head"], revision)
    published.refresh_from_db()
    assert published.effective_until == date(2025, 8, 31)
    assert services.discretion_for(published.power_item, date(2025, 8, 31)) == published
    assert services.discretion_for(published.power_item, date(2025, 9, 1)) == revision
    assert services.discretion_for(published.power_item, date(2025, 2, 28)) is None


def test_s8_overlapping_published_periods_are_refused(world, item, published):
    earlier = draft(world, item, effective_from=date(2025, 1, 1), effective_until=date(2025, 3, 1))
    with pytest.raises(ValidationError) as caught:
        services.publish_benchmark(world.users["market_head"], earlier)
    assert "生效期间重叠" in caught.value.messages[0]
    earlier.refresh_from_db()
    assert earlier.status == BenchmarkStatus.DRAFT


def test_publishing_needs_the_heads_permission(world, item):
    benchmark = draft(world, item)
    with pytest.raises(PermissionDenied):
        services.publish_benchmark(world.users["market_officer"], benchmark)


def test_withdrawn_benchmarks_are_no_longer_offered(world, published):
    with pytest.raises(ValidationError):
        services.withdraw_benchmark(world.users["market_head"], published, " ")
    services.withdraw_benchmark(world.users["market_head"], published, "上位法修改")
    assert services.discretion_for(published.power_item, date(2025, 6, 1)) is None


def test_s8_publishing_rechecks_against_the_items_current_range(world, item):
    benchmark = draft(world, item)
    item.fine_max = D(9000)
    services.store_item(item)
    with pytest.raises(ValidationError) as caught:
        services.publish_benchmark(world.users["market_head"], benchmark)
    assert "超过法定最高限额" in " ".join(caught.value.messages)


# --- the case engine's entry points -------------------------------------------------------------
def test_s8_suggest_penalty_for_a_unit_in_the_middle_band(world, published):
    result = services.suggest_penalty(
        published.power_item, [], {"堆放量": 60, "party": "单位"}, date(2025, 6, 1)
    )
    assert result.benchmark == published and result.tier == "general"
    assert (result.yuan_min, result.yuan_max) == (D(8000), D(8000))
    assert result.range_text == "责令限期改正；警告；罚款8000元"
    assert result.within is None


def test_s8_check_proposal_within_and_its_decision_sentence(world, published):
    result = services.check_proposal(
        published.power_item,
        [],
        {"堆放量": 60},
        {"amount": 8000, "kinds": ["warning"]},
        date(2025, 6, 1),
        party="单位",
    )
    assert result.within and result.lawful and not result.needs_reason
    assert result.explanation == (
        "依据《示范市城市管理局行政处罚自由裁量标准》（示城管规〔2025〕1号）第52项，"
        "当事人违法行为属于“一般”情形（堆放量60立方米，属于堆放量50立方米以上100立方米以下），"
        "处罚标准为警告，并处罚款8000元，本机关决定给予警告，并处罚款8000元。"
    )


def test_s8_proposal_outside_its_tier_needs_a_reason_stated_in_the_decision(world, published):
    result = services.check_proposal(
        published.power_item,
        [],
        {"堆放量": 60},
        services.ProposedPenalty(amount=D(9500), kinds=["warning", "fine"]),
        date(2025, 6, 1),
        party="单位",
        reason="弃置场紧邻水源保护区",
    )
    assert result.within is False and result.needs_reason and result.lawful
    assert "高于本档次上限" in result.deviations[0]
    assert result.explanation.endswith("该处罚超出上述档次，理由是：弃置场紧邻水源保护区。")


def test_s8_proposal_above_the_legal_maximum_is_unlawful(world, published):
    result = services.check_proposal(
        published.power_item,
        [],
        {"堆放量": 200},
        {"amount": 12000, "kinds": ["warning"]},
        date(2025, 6, 1),
        party="单位",
    )
    assert result.lawful is False and "法定最高限额" in result.legal_problems[0]


def test_s8_statutory_no_penalty_sentence_art33(world, published):
    result = services.suggest_penalty(published.power_item, ["no_fault"], {}, date(2025, 6, 1), party="个人")
    assert result.tier == "none"
    assert result.explanation == (
        "鉴于当事人有证据足以证明没有主观过错（《中华人民共和国行政处罚法》第三十三条第二款），依法不予行政处罚。"
    )


def test_without_a_benchmark_only_the_legal_range_applies(world, item):
    result = services.check_proposal(item, [], {}, {"amount": 9000, "kinds": ["fine"]}, date(2025, 6, 1))
    assert result.benchmark is None and result.within and result.lawful
    assert "没有生效的裁量基准" in result.notes[0]
    assert result.explanation == "本机关在法定处罚幅度（警告、罚款；罚款1万元以下）内裁量，决定处罚款9000元。"


# --- staff pages --------------------------------------------------------------------------------
def test_list_is_scoped_and_filtered(world, published, client_for, django_assert_max_num_queries):
    other = draft(world, penalty_item(world, agency="east_market"), user="east_head")
    client = client_for(world.users["market_head"])
    with django_assert_max_num_queries(12):
        body = client.get(reverse("powers:benchmark_list")).content.decode()
    assert "擅自设立弃置场受纳建筑垃圾的处罚" in body and "已公布" in body
    assert client.get(other.get_absolute_url()).status_code == 404
    admin = client_for(world.users["admin"])
    body = admin.get(reverse("powers:benchmark_list"), {"status": "draft"}).content.decode()
    assert 'data-label="制定机关">东城区市场监督管理局' in body
    assert 'data-label="制定机关">示范市市场监督管理局' not in body


def test_detail_shows_tiers_and_the_calculator(world, published, client_for):
    client = client_for(world.users["market_officer"])
    url = published.get_absolute_url()
    body = client.get(url).content.decode()
    assert "轻微" in body and "警告；罚款5000元" in body and "堆放量50立方米以下" in body
    body = client.get(
        url,
        {
            "calculate": 1,
            "party": "个人",
            "fact_0": "120",
            "proposed_amount": "2500",
            "proposed_kinds": "warning",
        },
    ).content.decode()
    assert "罚款3000元" in body and "低于本档次下限" in body and "须书面说明理由" in body


def test_create_edit_and_publish_through_the_pages(world, item, client_for):
    client = client_for(world.users["market_head"])
    data = {
        "power_item": item.pk,
        "title": "示范市城市管理局行政处罚自由裁量标准",
        "document_number": "示城管规〔2025〕1号",
        "item_number": "3",
        "effective_from": "2025-03-01",
        "band_boundary": "lower",
        "tiers-TOTAL_FORMS": "2",
        "tiers-INITIAL_FORMS": "0",
        "tiers-MIN_NUM_FORMS": "0",
        "tiers-MAX_NUM_FORMS": "1000",
        "tiers-0-level_label": "一般",
        "tiers-0-tier": "general",
        "tiers-0-condition_text": "在规定的营业时间以外营业的。",
        "tiers-0-penalty_kinds": ["warning", "fine"],
        "tiers-0-fine_min": "1000",
        "tiers-0-fine_max": "1000",
        "tiers-1-level_label": "较重",
        "tiers-1-tier": "heavier",
        "tiers-1-condition_text": "锁闭门窗经营的。",
        "tiers-1-tags": "锁闭门窗经营",
        "tiers-1-penalty_kinds": ["warning", "fine"],
        "tiers-1-fine_min": "5000",
        "tiers-1-fine_max": "12000",
    }
    response = client.post(reverse("powers:benchmark_create"), data)
    assert response.status_code == 200
    assert "第2档（较重）" in response.content.decode() and DiscretionBenchmark.objects.count() == 0
    data["tiers-1-fine_max"] = "5000"
    response = client.post(reverse("powers:benchmark_create"), data)
    benchmark = DiscretionBenchmark.objects.get()
    assert response.url == benchmark.get_absolute_url()
    assert list(benchmark.tiers.values_list("tags", flat=True)) == [[], ["锁闭门窗经营"]]

    edit = {**data, "tiers-INITIAL_FORMS": "2", "tiers-TOTAL_FORMS": "2"}
    for index, tier in enumerate(benchmark.tiers.all()):
        edit[f"tiers-{index}-id"] = tier.pk
    edit["tiers-1-DELETE"] = "on"
    client.post(reverse("powers:benchmark_update", args=[benchmark.pk]), edit)
    assert benchmark.tiers.count() == 1

    client.post(reverse("powers:benchmark_publish", args=[benchmark.pk]))
    benchmark.refresh_from_db()
    assert (
        benchmark.status == BenchmarkStatus.PUBLISHED and benchmark.published_by == world.users["market_head"]
    )
    response = client.get(reverse("powers:benchmark_update", args=[benchmark.pk]))
    assert response.status_code == 302
    client.post(reverse("powers:benchmark_withdraw", args=[benchmark.pk]), {"reason": "重新制定"})
    benchmark.refresh_from_db()
    assert benchmark.status == BenchmarkStatus.WITHDRAWN and benchmark.withdraw_reason == "重新制定"


def test_officers_cannot_publish(world, item, client_for):
    benchmark = draft(world, item)
    response = client_for(world.users["market_officer"]).post(
        reverse("powers:benchmark_publish", args=[benchmark.pk])
    )
    assert response.status_code == 403


def test_power_item_page_links_its_benchmarks(world, published, client_for):
    body = (
        client_for(world.users["market_head"]).get(published.power_item.get_absolute_url()).content.decode()
    )
    assert "裁量基准" in body and published.get_absolute_url() in body


# --- API ----------------------------------------------------------------------------------------
def test_api_lists_scoped_and_creates_drafts(world, published, client_for):
    api = client_for(world.users["east_head"])
    assert api.get("/api/powers/benchmarks/").json()["count"] == 0
    api = client_for(world.users["market_head"])
    listed = api.get("/api/powers/benchmarks/").json()["results"]
    assert listed[0]["citation"].startswith("《示范市城市管理局") and len(listed[0]["tiers"]) == 6
    payload = {
        "power_item": published.power_item_id,
        "title": "修订稿",
        "effective_from": "2026-01-01",
        "tiers": [
            {"level_label": "一般", "tier": "general", "condition_text": "一般情形", "penalty_kinds": ["fine"],
             "fine_min": "20000", "fine_max": "30000"},
        ],
    }  # fmt: skip
    response = api.post("/api/powers/benchmarks/", payload, content_type="application/json")
    assert response.status_code == 400 and "超过法定最高限额" in str(response.json())
    payload["tiers"][0].update(fine_min="6000", fine_max="9000")
    response = api.post("/api/powers/benchmarks/", payload, content_type="application/json")
    assert (
        response.status_code == 201
        and response.json()["version"] == 2
        and response.json()["status"] == "draft"
    )


def test_api_suggest_and_check(world, published, client_for):
    api = client_for(world.users["market_officer"])
    response = api.post(
        "/api/powers/benchmarks/suggest/",
        {
            "power_item": published.power_item_id,
            "on_date": "2025-06-01",
            "facts": {"堆放量": "30"},
            "party": "个人",
            "proposed": {"amount": "1000", "penalty_kinds": ["warning", "fine"]},
        },
        content_type="application/json",
    )
    body = response.json()
    assert response.status_code == 200, body
    assert body["tier"] == "lighter" and body["yuan_max"] == "1000.00" and body["within"] is True
    assert body["benchmark"] == published.pk and body["explanation"].startswith("依据《示范市城市管理局")
    outside = client_for(world.users["east_officer"]).post(
        "/api/powers/benchmarks/suggest/",
        {"power_item": published.power_item_id},
        content_type="application/json",
    )
    assert outside.status_code == 404


def test_schema_describes_the_benchmark_api(world, client_for):
    schema = client_for(world.users["admin"]).get("/api/schema/", {"format": "json"}).json()
    assert "/api/powers/benchmarks/suggest/" in schema["paths"]
    assert "/api/powers/benchmarks/{id}/suggest/" in schema["paths"]
    suggest = schema["paths"]["/api/powers/benchmarks/suggest/"]["post"]
    assert "requestBody" in suggest and "200" in suggest["responses"]


# --- the portal ---------------------------------------------------------------------------------
def test_portal_shows_only_published_benchmarks_citing_art34(world, published, client, item):
    draft(world, penalty_item(world, name="草稿事项"), effective_from=START)
    agency = world.orgs["market"]
    body = client.get(reverse("portal:agency_discretion", args=[agency.pk])).content.decode()
    assert "第三十四条" in body and "擅自设立弃置场受纳建筑垃圾的处罚" in body and "罚款8000元" in body
    assert "草稿事项" not in body
    listing = client.get(reverse("portal:discretion_list")).content.decode()
    assert agency.name in listing
    services.withdraw_benchmark(world.users["market_head"], published, "重新制定")
    body = client.get(reverse("portal:agency_discretion", args=[agency.pk])).content.decode()
    assert "尚未公布行政处罚裁量基准" in body


def test_portal_page_query_count(world, published, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get(reverse("portal:agency_discretion", args=[world.orgs["market"].pk]))


def test_staff_forms_render(world, item, client_for):
    client = client_for(world.users["market_head"])
    body = client.get(reverse("powers:benchmark_create"), {"power_item": item.pk}).content.decode()
    assert "第1档" in body and f'value="{item.pk}" selected' in body
    assert "从Excel导入裁量基准" in client.get(reverse("powers:benchmark_import")).content.decode()
    assert (
        client_for(world.users["market_officer"]).get(reverse("powers:benchmark_create")).status_code == 403
    )
