"""Portal: officer list and certificate verification show public fields only (G1, P1, S13)."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from zhifa.personnel import services
from zhifa.personnel.models import CertificateStatus, OfficerStatus

from .factories import make_certificate, make_officer, qualified_officer

pytestmark = pytest.mark.django_db


def holder(world, name, organization=None, phone="13912345678", **certificate):
    officer = make_officer(organization or world.orgs["market_team"], name=name, phone=phone)
    values = {"issued_on": date(2023, 3, 1), "valid_until": date(2030, 2, 28)}
    values.update(certificate)
    cert = make_certificate(
        officer, world.orgs["justice"], [world.fields["market"]], [world.regions["city"]], **values
    )
    return officer, cert


def test_portal_pages_never_show_id_number_or_phone(world, client):
    officer, certificate = holder(world, "公示人")
    pages = [
        reverse("portal:officer_list"),
        reverse("portal:officer_list") + "?q=公示",
        reverse("portal:officer_list") + f"?q={certificate.number}",
        reverse("portal:verify_certificate", args=[certificate.number]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "公示人" in html, url
        assert officer.id_number not in html and officer.id_number[-6:] not in html, url
        assert officer.phone not in html, url


def test_public_records_have_no_private_attributes(world):
    holder(world, "公示人")
    row = services.public_rows(services.public_officers())[0]
    for private in ("id_number", "phone", "user", "legal_qualification_number"):
        assert not hasattr(row, private) and not hasattr(row.certificates[0], private)


def test_portal_lists_only_active_holders(world, client):
    holder(world, "在岗人")
    left, _ = holder(world, "离岗人")
    left.status = OfficerStatus.LEFT
    left.save()
    revoked, _ = holder(world, "注销人", status=CertificateStatus.REVOKED)
    make_officer(world.orgs["market_team"], name="合同工", employment_type="contract")
    html = client.get(reverse("portal:officer_list")).content.decode()
    assert "在岗人" in html
    assert "离岗人" not in html and "注销人" not in html and "合同工" not in html


def test_portal_search_by_agency_name(world, client):
    holder(world, "市局人")
    holder(world, "东城人", organization=world.orgs["east_market"])
    html = client.get(reverse("portal:officer_list") + "?unit=东城区市场").content.decode()
    assert "东城人" in html and "市局人" not in html


def test_portal_list_query_count_is_constant_and_without_count(world, client):
    for index in range(3):
        holder(world, f"甲{index}")
    url = reverse("portal:officer_list") + "?unit=市场"
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(40):
        holder(world, f"乙{index:02d}", organization=world.orgs["east_market"] if index % 2 else None)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many) == len(few) <= 8
    assert not any("COUNT(" in q["sql"].upper() for q in many.captured_queries)
    assert "下一页" in response.content.decode()
    assert client.get(url + "&page=2").status_code == 200


@pytest.mark.parametrize(
    ("changes", "shown"),
    [
        ({}, "证件有效"),
        ({"valid_until": "yesterday"}, "过期"),
        ({"status": CertificateStatus.SUSPENDED, "status_reason": "未出示证件"}, "暂扣"),
        ({"status": CertificateStatus.REVOKED}, "注销"),
    ],
)
def test_verification_page_says_valid_or_why_not(world, client, changes, shown):
    if changes.get("valid_until") == "yesterday":
        changes = {"issued_on": date(2018, 1, 1), "valid_until": timezone.localdate() - timedelta(days=1)}
    officer, certificate = holder(world, "查验人", **changes)
    html = client.get(reverse("portal:verify_certificate", args=[certificate.number])).content.decode()
    assert shown in html and "查验人" in html and "示范市市场监督管理局" in html and "市场监管" in html
    assert ("证件无效" in html) is (shown != "证件有效")


def test_verification_of_an_unknown_number(world, client):
    response = client.get(reverse("portal:verify_certificate", args=["37990099999999"]))
    assert response.status_code == 404 and "查无此证" in response.content.decode()


def test_verification_form_and_stable_link_normalise_the_number(world, client):
    _, certificate = holder(world, "查验人", number="3799AB20260001")
    response = client.get(reverse("portal:verify") + "?number=３７９９ab２０２６０００１")
    assert response.status_code == 302 and response["Location"] == reverse(
        "portal:verify_certificate", args=[certificate.number]
    )
    lower = client.get(reverse("portal:verify_certificate", args=["3799ab20260001"]))
    assert lower.status_code == 302


@pytest.mark.parametrize("typed", ["a/b", "张三", "<script>"])
def test_verification_form_with_something_that_is_no_number(world, client, typed):
    response = client.get(reverse("portal:verify"), {"number": typed})
    assert response.status_code == 404 and "查无此证" in response.content.decode()
    assert "<SCRIPT>" not in response.content.decode()  # normalised, then escaped


def test_verification_query_count(world, client, django_assert_max_num_queries):
    _, certificate = holder(world, "查验人")
    with django_assert_max_num_queries(5):
        client.get(reverse("portal:verify_certificate", args=[certificate.number]))


def test_photo_is_served_by_a_portal_view_only_for_listed_officers(world, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = BytesIO()
    Image.new("RGB", (30, 40), "white").save(buffer, "PNG")
    officer, certificate = holder(world, "有照片")
    officer.photo = SimpleUploadedFile("p.png", buffer.getvalue(), content_type="image/png")
    officer.save()
    url = reverse("portal:officer_photo", args=[officer.pk])
    assert url in client.get(reverse("portal:verify_certificate", args=[certificate.number])).content.decode()
    assert client.get(url).status_code == 200
    certificate.status = CertificateStatus.REVOKED
    certificate.save()
    assert client.get(url).status_code == 404


def test_officer_without_public_certificate_has_no_portal_photo(world, client):
    officer, _ = qualified_officer(world)
    assert client.get(reverse("portal:officer_photo", args=[officer.pk])).status_code == 404
