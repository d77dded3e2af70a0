"""事中 (G2, S13): the public officer page with a QR code resolving to certificate verification."""

from __future__ import annotations

import io
from datetime import date

import pytest
import segno
from django.urls import reverse

from zhifa.personnel.models import CertificateStatus, OfficerStatus
from zhifa.personnel.tests.factories import make_certificate, make_officer

pytestmark = pytest.mark.django_db


def holder(world, name="公示人", **certificate):
    officer = make_officer(world.orgs["market_team"], name=name, phone="13912345678")
    values = {"issued_on": date(2023, 3, 1), "valid_until": date(2030, 2, 28), **certificate}
    cert = make_certificate(
        officer, world.orgs["justice"], [world.fields["market"]], [world.regions["city"]], **values
    )
    return officer, cert


def verify_url(number: str) -> str:
    return f"http://testserver{reverse('portal:verify_certificate', args=[number])}"


def test_g2_officer_page_shows_public_fields_and_a_qr_of_the_verification_url(world, client):
    officer, cert = holder(world)
    response = client.get(reverse("portal:officer_detail", args=[officer.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    for public in ("公示人", "示范市市场监督管理局", cert.number, "市场监管", "示范市", "2030-02-28", "有效"):
        assert public in page, public
    assert officer.id_number not in page and officer.id_number[-6:] not in page
    assert officer.phone not in page
    # S13: the QR code encodes the absolute URL of the verification page (re-encoded to compare)
    expected = segno.make(verify_url(cert.number), error="m").svg_inline(
        scale=4, omitsize=True, title=f"执法证件{cert.number}查验二维码"
    )
    assert expected in page
    assert verify_url(cert.number) in page
    assert client.get(verify_url(cert.number)).status_code == 200


def test_s13_qr_png_is_the_verification_url(world, client):
    officer, cert = holder(world)
    response = client.get(reverse("portal:officer_qr_png", args=[officer.pk, cert.number]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    expected = io.BytesIO()
    segno.make(verify_url(cert.number), error="m").save(expected, kind="png", scale=10, border=4)
    assert response.content == expected.getvalue()


def test_g2_invalid_certificate_status_is_shown_honestly(world, client):
    officer, expired = holder(world, issued_on=date(2019, 1, 1), valid_until=date(2022, 12, 31))
    _, suspended = holder(
        world, name="暂扣人", status=CertificateStatus.SUSPENDED, status_reason="未参加年审"
    )
    page = client.get(reverse("portal:officer_detail", args=[officer.pk])).content.decode()
    assert "过期" in page and "已于2022年12月31日过期" in page and "不得凭此证执法" in page
    suspended_page = client.get(
        reverse("portal:officer_detail", args=[suspended.officer_id])
    ).content.decode()
    assert "暂扣" in suspended_page and "未参加年审" in suspended_page
    # the QR still points at the verification page, which says the same
    assert verify_url(expired.number) in page


def test_officer_list_links_to_the_officer_page(world, client):
    officer, _ = holder(world)
    page = client.get(reverse("portal:officer_list")).content.decode()
    assert reverse("portal:officer_detail", args=[officer.pk]) in page


def test_printable_card_carries_the_qr(world, client):
    officer, cert = holder(world)
    response = client.get(reverse("portal:officer_card", args=[officer.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "@media print" in page and cert.number in page and "公示人" in page
    assert (
        segno.make(verify_url(cert.number), error="m").svg_inline(
            scale=4, omitsize=True, title=f"执法证件{cert.number}查验二维码"
        )
        in page
    )
    assert officer.id_number not in page


def test_unknown_left_or_revoked_officers_get_a_friendly_404(world, client):
    left, _ = holder(world, name="离岗人")
    left.status = OfficerStatus.LEFT
    left.save()
    revoked, _ = holder(world, name="注销人", status=CertificateStatus.REVOKED)
    contract = make_officer(world.orgs["market_team"], name="无证人")
    for pk in (left.pk, revoked.pk, contract.pk, 987654):
        response = client.get(reverse("portal:officer_detail", args=[pk]))
        assert response.status_code == 404, pk
        page = response.content.decode()
        assert "查无此人" in page and "离岗人" not in page and "注销人" not in page
        assert client.get(reverse("portal:officer_card", args=[pk])).status_code == 404


def test_qr_png_only_for_the_officers_own_listed_certificates(world, client):
    officer, _ = holder(world)
    other, other_cert = holder(world, name="他人")
    _, revoked = holder(world, name="注销证", status=CertificateStatus.REVOKED)
    url = reverse("portal:officer_qr_png", args=[officer.pk, other_cert.number])
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("portal:officer_qr_png", args=[revoked.officer_id, revoked.number])).status_code
        == 404
    )


def test_staff_page_and_portal_share_one_qr_helper():
    from zhifa.personnel import qr, views

    assert views.qr_svg is qr.qr_svg


def test_officer_page_query_count_is_small(world, client, django_assert_max_num_queries):
    officer, _ = holder(world)
    make_certificate(officer, world.orgs["justice"], [world.fields["market"]], [world.regions["city"]])
    with django_assert_max_num_queries(8):
        assert client.get(reverse("portal:officer_detail", args=[officer.pk])).status_code == 200


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_g2_officer_shows_the_qr_on_a_phone(live_server, world, phone_page):
    """A citizen opens the officer from the list; the officer's card fits a phone screen."""
    from playwright.sync_api import expect

    officer, cert = holder(world, name="林晓东")
    phone_page.goto(f"{live_server.url}/officers/")
    phone_page.get_by_role("link", name="林晓东").click()
    expect(phone_page.get_by_role("heading", name="林晓东")).to_be_visible()
    expect(phone_page.locator(".qr svg").first).to_be_visible()
    phone_page.get_by_role("link", name="出示用（手机、打印）").click()
    qr = phone_page.locator(".qr svg").first
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert 200 <= box["width"] <= 390
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(phone_page.locator(".number")).to_have_text(cert.number)
    expect(phone_page.locator(".state")).to_contain_text("有效")
