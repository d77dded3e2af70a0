"""事前公开 (G1) sections of an agency from the registries: 服务指南, 检查计划, 监督方式和救济渠道."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from zhifa.powers.models import InspectionItem, PowerItem
from zhifa.publicity.remedies import remedies

TODAY = timezone.localdate()


# --- pure rules ----------------------------------------------------------------------------------


def test_g1_remedies_department_goes_to_its_government():
    r = remedies("示范市市场监督管理局", government_name="示范市人民政府", region_name="示范市")
    assert r.reconsideration_body == "示范市人民政府" and "第二十四条" in r.reconsideration_basis
    assert "示范市" in r.litigation and "第十八条" in r.litigation and "六个月" in r.litigation
    assert "第二十三条" in r.summary_first


def test_g1_remedies_vertical_systems_go_to_the_superior_department():
    r = remedies("国家税务总局示范市税务局", government_name="示范市人民政府", region_name="示范市")
    assert r.reconsideration_body == "其上一级主管部门" and "第二十七条" in r.reconsideration_basis


def test_g1_remedies_legal_office_itself():
    r = remedies("示范市司法局", government_name="示范市人民政府", region_name="示范市", is_legal_office=True)
    assert "上一级司法行政部门" in r.reconsideration_body and "第二十八条" in r.reconsideration_basis
    assert "示范市司法局" not in r.complaint  # it does not supervise itself


def test_g1_remedies_complaint_names_phone_and_supervisor():
    r = remedies(
        "示范市市场监督管理局",
        government_name="示范市人民政府",
        region_name="示范市",
        legal_office_name="示范市司法局",
        complaint_phone="0531-12315",
    )
    assert "0531-12315" in r.complaint and "示范市司法局" in r.complaint and "12345" in r.complaint


# --- pages ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_g1_agency_page_links_every_section_and_names_the_remedy_bodies(world, client):
    market = world.orgs["market"]
    market.complaint_phone = "0531-12315"
    market.save()
    page = client.get(reverse("portal:agency_detail", args=[market.pk])).content.decode()
    for name in ("agency_powers", "agency_inspections", "agency_discretion", "agency_review_catalogue"):
        assert reverse(f"portal:{name}", args=[market.pk]) in page, name
    assert reverse("portal:agency_guide", args=[market.pk]) in page
    assert reverse("portal:agency_inspection_plans", args=[market.pk]) in page
    assert reverse("portal:procedure_list") in page and reverse("portal:officer_list") in page
    assert "向示范市人民政府申请行政复议" in page and "0531-12315" in page
    assert "示范市司法局" in page and "人民法院" in page
    east = client.get(reverse("portal:agency_detail", args=[world.orgs["east_market"].pk])).content.decode()
    assert "向东城区人民政府申请行政复议" in east and "东城区司法局" in east


@pytest.mark.django_db
def test_g1_service_guide_lists_licensing_items_with_statutory_periods(world, client):
    market = world.orgs["market"]
    PowerItem.objects.create(
        agency=market,
        name="食品经营许可",
        category="license",
        basis_text="《中华人民共和国食品安全法》第三十五条",
        level="市级",
    )
    PowerItem.objects.create(
        agency=market, name="对未按规定明码标价的处罚", category="penalty", basis_text="价格法"
    )
    PowerItem.objects.create(
        agency=market, name="已停用的许可", category="license", basis_text="某法", is_active=False
    )
    response = client.get(reverse("portal:agency_guide", args=[market.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "食品经营许可" in page and "第三十五条" in page
    assert "明码标价" not in page and "已停用的许可" not in page
    assert "20个工作日" in page and "第四十二条" in page  # from the licensing procedure (T1)
    assert reverse("portal:procedure_detail", args=["licensing"]) in page
    assert "申请行政复议" in page


@pytest.mark.django_db
def test_g1_guide_and_plans_404_for_non_agencies(world, client):
    for name in ("agency_guide", "agency_inspection_plans"):
        assert client.get(reverse(f"portal:{name}", args=[world.orgs["gov"].pk])).status_code == 404
        assert client.get(reverse(f"portal:{name}", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_g1_inspection_plans_show_confirmed_tasks_only(world, client):
    from zhifa.inspections.models import InspectionTask

    market = world.orgs["market"]
    item = InspectionItem.objects.create(
        agency=market,
        field_name="食品经营",
        name="食品经营者主体责任检查",
        target="食品经营者",
        method="现场检查",
    )

    def task(name, status, start, days=30):
        t = InspectionTask.objects.create(
            agency=market,
            name=name,
            field=world.fields["market"],
            region=world.regions["city"],
            period_start=start,
            period_end=start + timedelta(days=days),
            sample_count=20,
            status=status,
            created_by=world.users["market_head"],
        )
        t.items.add(item)
        return t

    task("本季度食品经营抽查", "confirmed", TODAY - timedelta(days=5))
    task("下季度食品经营抽查", "confirmed", TODAY + timedelta(days=60))
    task("尚未确认的草稿任务", "draft", TODAY)
    task("两年前的抽查", "confirmed", TODAY - timedelta(days=800))
    page = client.get(reverse("portal:agency_inspection_plans", args=[market.pk])).content.decode()
    assert "本季度食品经营抽查" in page and "下季度食品经营抽查" in page
    assert "实施中" in page and "计划中" in page and "20户" in page and "食品经营者主体责任检查" in page
    assert "草稿" not in page and "两年前" not in page
