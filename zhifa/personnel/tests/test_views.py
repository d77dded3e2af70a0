"""Staff pages: scope, export, masking, query counts, uploads, certificate pages."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from zhifa.personnel.models import Certificate, Officer

from .factories import make_certificate, make_id_number, make_officer, qualified_officer

pytestmark = pytest.mark.django_db


def png(size=(60, 80)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_other_agency_officer_is_404_on_web(world, client_for):
    other = make_officer(world.orgs["market_team"])
    client = client_for(world.users["east_head"])
    assert client.get(reverse("personnel:officer_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("personnel:officer_update", args=[other.pk])).status_code == 404
    own = make_officer(world.orgs["east_market"], name="东城人")
    assert client.get(reverse("personnel:officer_detail", args=[own.pk])).status_code == 200


def test_export_is_scoped_and_masks_id_for_viewers(world, client_for):
    city = make_officer(world.orgs["market_team"], name="市局人")
    east = make_officer(world.orgs["east_market"], name="东城人")
    body = b"".join(
        client_for(world.users["east_officer"])
        .get(reverse("personnel:officer_list") + "?export=csv")
        .streaming_content
    ).decode("utf-8-sig")
    assert "东城人" in body and "市局人" not in body
    assert east.id_number not in body and east.masked_id_number in body
    assert city.id_number not in body


def test_id_number_full_only_with_change_permission(world, client_for):
    officer = make_officer(world.orgs["market_team"])
    url = reverse("personnel:officer_detail", args=[officer.pk])
    assert officer.id_number in client_for(world.users["market_head"]).get(url).content.decode()
    html = client_for(world.users["market_officer"]).get(url).content.decode()
    assert officer.id_number not in html and officer.masked_id_number in html


def count_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_holders(world, count, start=0):
    for index in range(start, start + count):
        officer = make_officer(world.orgs["market_team"], name=f"测试{index:02d}")
        make_certificate(officer, world.orgs["justice"], [world.fields["market"]], [world.regions["city"]])


@pytest.mark.parametrize("url_name", ["personnel:officer_list", "personnel:certificate_list"])
def test_staff_list_query_count_does_not_grow_with_the_list(world, client_for, url_name):
    client = client_for(world.users["city_supervisor"])
    add_holders(world, 2)
    client.get(reverse(url_name))  # warm per-session caches
    few = count_queries(client, reverse(url_name))
    add_holders(world, 30, start=2)
    many = count_queries(client, reverse(url_name))
    assert many == few <= 14


def test_officer_list_has_no_count_query(world, client_for, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_officer(world.orgs["market_team"])
    client = client_for(world.users["city_supervisor"])
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("personnel:officer_list") + "?q=张")
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)


def test_search_by_name_prefix_and_certificate_number(world, client_for):
    officer, certificate = qualified_officer(world, name="欧阳明")
    make_officer(world.orgs["market_team"], name="李欧阳")
    client = client_for(world.users["market_head"])
    html = client.get(reverse("personnel:officer_list") + "?q=欧阳").content.decode()
    assert "欧阳明" in html and "李欧阳" not in html
    html = client.get(reverse("personnel:officer_list") + f"?q={certificate.number.lower()}").content.decode()
    assert "欧阳明" in html


def officer_post(world, **changes):
    data = {
        "name": "王芳",
        "gender": "female",
        "id_number": make_id_number("female").lower(),
        "organization": world.orgs["market_team"].pk,
        "employment_type": "civil_servant",
        "status": "active",
    }
    data.update(changes)
    return data


def test_create_officer_with_photo(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(world.users["market_head"])
    data = officer_post(world, photo=SimpleUploadedFile("a.png", png(), content_type="image/png"))
    response = client.post(reverse("personnel:officer_create"), data)
    officer = Officer.objects.get()
    assert (
        response.status_code == 302
        and officer.photo
        and officer.id_number.endswith(data["id_number"][-1].upper())
    )
    photo = client.get(reverse("personnel:officer_photo", args=[officer.pk]))
    assert photo.status_code == 200


def test_too_large_photo_is_refused_at_the_field(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ZHIFA_MAX_PHOTO_BYTES = 100
    data = officer_post(world, photo=SimpleUploadedFile("a.png", png(), content_type="image/png"))
    response = client_for(world.users["market_head"]).post(reverse("personnel:officer_create"), data)
    assert "文件过大" in response.context["form"].errors["photo"][0]
    assert not Officer.objects.exists()


def test_not_an_image_is_refused(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = officer_post(
        world, photo=SimpleUploadedFile("a.png", b"%PDF-1.4 not an image", content_type="image/png")
    )
    response = client_for(world.users["market_head"]).post(reverse("personnel:officer_create"), data)
    assert "不是有效的图片" in response.context["form"].errors["photo"][0]
    assert not Officer.objects.exists()


def test_bad_id_number_is_reported_at_the_field(world, client_for):
    data = officer_post(world, id_number="110105194912310021")
    response = client_for(world.users["market_head"]).post(reverse("personnel:officer_create"), data)
    assert "校验码" in response.context["form"].errors["id_number"][0]


def test_detail_shows_eligibility_answer_and_qr_code(world, client_for):
    today = timezone.localdate()
    officer, certificate = qualified_officer(world, on_year=today.year)
    expired = make_officer(world.orgs["market_team"], name="过期人")
    make_certificate(
        expired,
        world.orgs["justice"],
        [world.fields["market"]],
        [world.regions["city"]],
        issued_on=date(2019, 1, 1),
        valid_until=today - timedelta(days=1),
    )
    client = client_for(world.users["market_head"])
    html = client.get(reverse("personnel:officer_detail", args=[officer.pk])).content.decode()
    assert "可以执法" in html and "<svg" in html
    assert reverse("portal:verify_certificate", args=[certificate.number]) in html
    html = client.get(reverse("personnel:officer_detail", args=[expired.pk])).content.decode()
    assert "不能执法" in html and "过期" in html and "P1" in html


def test_issue_page_reports_duplicate_number_at_the_field(world, client_for):
    officer, certificate = qualified_officer(world)
    other = make_officer(world.orgs["market_team"], name="新人")
    client = client_for(world.users["city_supervisor"])
    data = {
        "number": certificate.number,
        "issuing_authority": world.orgs["justice"].pk,
        "fields": [world.fields["market"].pk],
        "regions": [world.regions["city"].pk],
        "issued_on": "2026-01-01",
        "valid_until": "2025-01-01",
    }
    response = client.post(reverse("personnel:certificate_issue", args=[other.pk]), data)
    errors = response.context["form"].errors
    assert "不能重复" in errors["number"][0] and "不能早于" in errors["valid_until"][0]
    assert Certificate.objects.count() == 1


def test_issue_page_refuses_contract_staff(world, client_for):
    other = make_officer(world.orgs["market_team"], name="合同工", employment_type="contract")
    data = {
        "number": "37990020260077",
        "issuing_authority": world.orgs["justice"].pk,
        "fields": [world.fields["market"].pk],
        "regions": [world.regions["city"].pk],
        "issued_on": "2026-01-01",
        "valid_until": "2030-01-01",
    }
    response = client_for(world.users["city_supervisor"]).post(
        reverse("personnel:certificate_issue", args=[other.pk]), data
    )
    assert "司办通〔2020〕78号" in response.content.decode()
    assert not Certificate.objects.exists()


def test_agency_head_cannot_open_issue_page(world, client_for):
    officer = make_officer(world.orgs["market_team"])
    response = client_for(world.users["market_head"]).get(
        reverse("personnel:certificate_issue", args=[officer.pk])
    )
    assert response.status_code == 403


def test_suspend_page(world, client_for):
    _, certificate = qualified_officer(world)
    client = client_for(world.users["city_supervisor"])
    response = client.post(
        reverse("personnel:certificate_suspend", args=[certificate.pk]), {"reason": "未出示证件"}
    )
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == "suspended"
    east = client_for(world.users["east_supervisor"])
    assert east.post(reverse("personnel:certificate_revoke", args=[certificate.pk]), {}).status_code == 404


def test_training_page_refuses_future_date(world, client_for):
    officer, _ = qualified_officer(world)
    data = {"date": (timezone.localdate() + timedelta(days=3)).isoformat(), "hours": "4", "topic": "培训"}
    response = client_for(world.users["market_head"]).post(
        reverse("personnel:training_create", args=[officer.pk]), data
    )
    assert "不能晚于今天" in response.context["form"].errors["date"][0]


def test_policy_page_validates_pattern(world, client_for):
    from zhifa.personnel.models import PersonnelPolicy

    policy = PersonnelPolicy.objects.get(region__isnull=True)
    client = client_for(world.users["admin"])
    data = {
        "min_training_hours": "40",
        "inspection_grace_days": "90",
        "warning_days": "60",
        "number_pattern": "[",
        "number_example": "1",
        "number_description": "x",
    }
    response = client.post(reverse("personnel:policy_update", args=[policy.pk]), data)
    assert "正则表达式无效" in response.content.decode()
    assert client_for(world.users["market_head"]).get(reverse("personnel:policy_list")).status_code == 403


def test_my_officer_redirects_to_own_page(world, client_for):
    officer, _ = qualified_officer(world)
    officer.user = world.users["market_officer"]
    officer.save()
    response = client_for(world.users["market_officer"]).get(reverse("personnel:my_officer"))
    assert response.status_code == 302 and response["Location"] == officer.get_absolute_url()


def test_unit_filter_matches_agency_name_within_scope(world, client_for):
    make_officer(world.orgs["market_team"], name="市局人")
    make_officer(world.orgs["east_market"], name="东城人")
    client = client_for(world.users["city_supervisor"])
    html = client.get(reverse("personnel:officer_list") + "?unit=东城区").content.decode()
    assert "东城人" in html and "市局人" not in html
    html = (
        client_for(world.users["east_head"])
        .get(reverse("personnel:officer_list") + "?unit=示范市")
        .content.decode()
    )
    assert "市局人" not in html
