"""Creating and editing organizations through the staff web and API; nothing half-saved."""

import pytest
from django.urls import reverse

from zhifa.core.testing import make_credit_code
from zhifa.organizations.models import Entrustment, Organization, OrgKind, SubjectKind

pytestmark = pytest.mark.django_db


def agency_form(world, **overrides):
    data = {
        "parent": world.orgs["gov"].pk,
        "kind": "agency",
        "name": "示范市生态环境局",
        "short_name": "示环",
        "region": world.regions["city"].pk,
        "subject_kind": "organ",
        "credit_code": make_credit_code("379900"),
        "fields": [world.fields["env"].pk],
        "complaint_phone": "0539-12345678",
        "is_active": "on",
    }
    return {**data, **overrides}


def test_supervisor_creates_agency_under_government(world, client_for):
    client = client_for(world.users["city_supervisor"])
    response = client.post(reverse("organizations:organization_create"), agency_form(world))
    assert response.status_code == 302
    created = Organization.objects.get(name="示范市生态环境局")
    assert Organization.objects.get_parent(created) == world.orgs["gov"]
    assert list(created.fields.all()) == [world.fields["env"]]


def test_bad_credit_code_is_reported_at_the_field_and_nothing_saved(world, client_for):
    client = client_for(world.users["city_supervisor"])
    response = client.post(
        reverse("organizations:organization_create"), agency_form(world, credit_code="91350100M000100Y44")
    )
    assert response.status_code == 200
    assert "校验码错误" in response.context["form"].errors["credit_code"][0]
    assert not Organization.objects.filter(name="示范市生态环境局").exists()


def test_duplicate_credit_code_refused(world, client_for):
    client = client_for(world.users["city_supervisor"])
    response = client.post(
        reverse("organizations:organization_create"),
        agency_form(world, credit_code=world.orgs["market"].credit_code),
    )
    assert response.status_code == 200
    assert not Organization.objects.filter(name="示范市生态环境局").exists()


def test_department_cannot_sit_under_a_government(world, client_for):
    client = client_for(world.users["city_supervisor"])
    response = client.post(
        reverse("organizations:organization_create"),
        {
            "parent": world.orgs["gov"].pk,
            "kind": "department",
            "name": "某科",
            "region": world.regions["city"].pk,
        },
    )
    assert "内设机构只能设在" in response.context["form"].errors["parent"][0]


def test_agency_user_cannot_place_a_node_outside_its_scope(world, client_for):
    client = client_for(world.users["east_head"])
    response = client.post(
        reverse("organizations:organization_create"),
        {
            "parent": world.orgs["market"].pk,
            "kind": "department",
            "name": "越权科",
            "region": world.regions["city"].pk,
        },
    )
    assert response.status_code == 200  # the other agency is not even a choice
    assert not Organization.objects.filter(name="越权科").exists()


def test_officer_cannot_create_organizations(world, client_for):
    client = client_for(world.users["market_officer"])
    assert client.get(reverse("organizations:organization_create")).status_code == 403


def test_api_create_and_validation(world, client_for):
    client = client_for(world.users["city_supervisor"])
    payload = agency_form(world)
    response = client.post("/api/organizations/organizations/", payload, content_type="application/json")
    assert response.status_code == 201, response.json()
    bad = {**agency_form(world, name="另一个局"), "credit_code": "123"}
    response = client.post("/api/organizations/organizations/", bad, content_type="application/json")
    assert response.status_code == 400
    assert "18位" in str(response.json()["credit_code"])


def make_entrusted(world):
    return Organization.objects.add_child(
        world.orgs["east_gov"],
        instance=Organization(
            kind=OrgKind.AGENCY,
            name="某镇综合执法队",
            region=world.regions["east"],
            subject_kind=SubjectKind.ENTRUSTED,
            credit_code=make_credit_code("379902", prefix="12"),
        ),
    )


def test_entrustment_with_reversed_term_is_refused(world, client_for):
    entrusted = make_entrusted(world)
    client = client_for(world.users["east_supervisor"])
    response = client.post(
        reverse("organizations:entrustment_create"),
        {
            "entrusting": world.orgs["east_market"].pk,
            "entrusted": entrusted.pk,
            "matters": "市容",
            "powers": "罚款",
            "start_date": "2026-12-31",
            "end_date": "2026-01-01",
        },
    )
    assert response.status_code == 200
    assert "结束日期不能早于开始日期" in str(response.context["form"].errors)
    assert not Entrustment.objects.exists()


def test_entrustment_document_must_be_pdf_or_image(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    entrusted = make_entrusted(world)
    client = client_for(world.users["east_supervisor"])
    response = client.post(
        reverse("organizations:entrustment_create"),
        {
            "entrusting": world.orgs["east_market"].pk,
            "entrusted": entrusted.pk,
            "matters": "市容",
            "powers": "罚款",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "document": SimpleUploadedFile("a.pdf", b"not really a pdf", content_type="application/pdf"),
        },
    )
    assert "不是有效的PDF或图片" in str(response.context["form"].errors["document"])
    assert not Entrustment.objects.exists()


def test_subtree_listing_query_count_is_constant(world, client_for, django_assert_max_num_queries):
    client = client_for(world.users["admin"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("organizations:organization_list")).status_code == 200


def test_admin_adds_region_with_gbt2260_check(world, client_for):
    client = client_for(world.users["admin"])
    url = reverse("organizations:region_create")
    response = client.post(url, {"code": "379903", "name": "西城区", "parent": world.regions["city"].pk})
    assert response.status_code == 302
    response = client.post(url, {"code": "379904", "name": "错区", "parent": world.regions["east"].pk})
    assert "上级应为379900" in str(response.context["form"].errors)
    response = client.post(url, {"code": "07990", "name": "坏码"})
    assert "6位数字" in str(response.context["form"].errors["code"])


def test_officer_cannot_edit_dictionaries(world, client_for):
    client = client_for(world.users["market_officer"])
    assert client.get(reverse("organizations:region_create")).status_code == 403
    assert client.get(reverse("organizations:region_list")).status_code == 200
