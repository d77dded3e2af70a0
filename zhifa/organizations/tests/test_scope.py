"""Scope: an agency user sees its own subtree, a supervisor its region, nobody guesses ids."""

import pytest
from django.urls import reverse

from zhifa.organizations.models import Organization

pytestmark = pytest.mark.django_db


def names(queryset):
    return {o.name for o in queryset}


def test_agency_user_sees_own_agency_subtree_only(world):
    assert names(Organization.objects.for_user(world.users["market_officer"])) == {
        "示范市市场监督管理局",
        "执法稽查支队",
    }


def test_city_supervisor_sees_whole_region(world):
    visible = names(Organization.objects.for_user(world.users["city_supervisor"]))
    assert {"东城区市场监督管理局", "示范市市场监督管理局", "示范市人民政府"} <= visible


def test_county_supervisor_sees_only_its_county(world):
    visible = names(Organization.objects.for_user(world.users["east_supervisor"]))
    assert "东城区市场监督管理局" in visible
    assert "示范市市场监督管理局" not in visible


def test_other_agency_detail_is_404(world, client_for):
    client = client_for(world.users["east_head"])
    other = world.orgs["market"]
    assert client.get(reverse("organizations:organization_detail", args=[other.pk])).status_code == 404
    own = world.orgs["east_market"]
    assert client.get(reverse("organizations:organization_detail", args=[own.pk])).status_code == 200


def test_other_agency_api_is_404(world, client_for):
    client = client_for(world.users["east_head"])
    url = f"/api/organizations/organizations/{world.orgs['market'].pk}/"
    assert client.get(url).status_code == 404
    listed = {row["name"] for row in client.get("/api/organizations/organizations/").json()["results"]}
    assert "示范市市场监督管理局" not in listed


def test_export_is_scoped(world, client_for):
    client = client_for(world.users["east_head"])
    response = client.get(reverse("organizations:organization_list") + "?export=csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "东城区市场监督管理局" in body and "示范市市场监督管理局" not in body
