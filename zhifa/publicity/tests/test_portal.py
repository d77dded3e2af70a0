"""Portal agency pages (G1, S1): public, no login, only public fields."""

import pytest
from django.urls import reverse

from zhifa.core.testing import make_credit_code
from zhifa.organizations.models import Entrustment, Organization, OrgKind, SubjectKind

pytestmark = pytest.mark.django_db


def test_home_and_agency_list_need_no_login(world, client):
    assert "示范市市场监督管理局" in client.get(reverse("portal:home")).content.decode()
    page = client.get(reverse("portal:agency_list"), {"q": "市场"}).content.decode()
    assert "东城区市场监督管理局" in page and "司法局" not in page


def test_agency_detail_shows_entrustment_with_basis_s1(world, client):
    entrusted = Organization.objects.add_child(
        world.orgs["east_gov"],
        instance=Organization(
            kind=OrgKind.AGENCY,
            name="某镇综合执法队",
            region=world.regions["east"],
            subject_kind=SubjectKind.ENTRUSTED,
            credit_code=make_credit_code("379902", prefix="12"),
        ),
    )
    Entrustment.objects.create(
        entrusting=world.orgs["east_market"],
        entrusted=entrusted,
        matters="市容违法行为处罚",
        powers="警告、罚款",
        start_date="2026-01-01",
        end_date="2027-12-31",
    )
    page = client.get(reverse("portal:agency_detail", args=[entrusted.pk])).content.decode()
    assert "东城区市场监督管理局" in page and "市容违法行为处罚" in page and "第二十条" in page


def test_inactive_agency_is_not_public(world, client):
    market = world.orgs["market"]
    market.is_active = False
    market.save()
    assert client.get(reverse("portal:agency_detail", args=[market.pk])).status_code == 404


def test_government_nodes_are_not_agency_pages(world, client):
    assert client.get(reverse("portal:agency_detail", args=[world.orgs["gov"].pk])).status_code == 404


def test_agency_list_query_count_is_constant(world, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get(reverse("portal:agency_list"))
