"""API: scoped, permission-checked, 身份证号 write-only/masked, eligibility endpoint."""

import pytest

from zhifa.personnel.models import Certificate, Officer

from .factories import make_id_number, make_officer, qualified_officer

pytestmark = pytest.mark.django_db
BASE = "/api/personnel"


def test_other_agency_officer_is_404_and_absent_from_list(world, client_for):
    other = make_officer(world.orgs["market_team"], name="市局人")
    make_officer(world.orgs["east_market"], name="东城人")
    client = client_for(world.users["east_head"])
    assert client.get(f"{BASE}/officers/{other.pk}/").status_code == 404
    assert client.get(f"{BASE}/officers/{other.pk}/eligibility/?field=SCJG&region=379900").status_code == 404
    names = [row["name"] for row in client.get(f"{BASE}/officers/").json()["results"]]
    assert names == ["东城人"]


def test_id_number_is_write_only_and_masked_for_viewers(world, client_for):
    officer = make_officer(world.orgs["market_team"])
    viewer = client_for(world.users["market_officer"]).get(f"{BASE}/officers/{officer.pk}/").json()
    assert "id_number" not in viewer and viewer["id_number_display"] == officer.masked_id_number
    assert officer.id_number not in str(viewer)
    head = client_for(world.users["market_head"]).get(f"{BASE}/officers/{officer.pk}/").json()
    assert head["id_number_display"] == officer.id_number


def test_create_officer_with_bad_id_number_gives_chinese_400(world, client_for):
    client = client_for(world.users["market_head"])
    data = {
        "name": "王芳",
        "gender": "female",
        "id_number": "110105194912310021",
        "organization": world.orgs["market_team"].pk,
        "employment_type": "civil_servant",
    }
    response = client.post(f"{BASE}/officers/", data)
    assert response.status_code == 400 and "校验码" in response.json()["id_number"][0]
    data["id_number"] = make_id_number("female")
    assert client.post(f"{BASE}/officers/", data).status_code == 201
    assert Officer.objects.get().name == "王芳"


def test_eligibility_endpoint(world, client_for):
    officer, certificate = qualified_officer(world)
    client = client_for(world.users["market_head"])
    url = f"{BASE}/officers/{officer.pk}/eligibility/"
    ok = client.get(url, {"field": "SCJG", "region": "379902", "date": "2026-06-15"}).json()
    assert ok["allowed"] is True and ok["certificate"] == certificate.number and ok["reasons"] == []
    refused = client.get(url, {"field": "SCJG", "region": "379902", "date": "2028-03-01"}).json()
    expired = [r for r in refused["reasons"] if r["rule"] == "P1"]
    assert (
        refused["allowed"] is False
        and "过期" in expired[0]["message"]
        and "第四十二条" in expired[0]["basis"]
    )
    bad = client.get(url, {"field": "NOPE", "region": "379902"})
    assert bad.status_code == 400 and "不存在" in bad.json()["field"][0]


def certificate_payload(world, officer, number="37990020260001"):
    return {
        "number": number,
        "officer": officer.pk,
        "fields": ["SCJG"],
        "regions": ["379900"],
        "issuing_authority": world.orgs["justice"].pk,
        "issued_on": "2026-01-10",
        "valid_until": "2031-01-09",
    }


def test_issue_and_lifecycle_actions(world, client_for):
    officer = make_officer(world.orgs["market_team"])
    client = client_for(world.users["city_supervisor"])
    response = client.post(
        f"{BASE}/certificates/issue/", certificate_payload(world, officer), content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    duplicate = client.post(
        f"{BASE}/certificates/",
        certificate_payload(world, make_officer(world.orgs["market_team"], name="乙")),
        content_type="application/json",
    )
    assert duplicate.status_code == 400 and "不能重复" in duplicate.json()["number"][0]
    suspended = client.post(f"{BASE}/certificates/{pk}/suspend/", {"reason": "未出示证件"})
    assert suspended.json()["state"] == "suspended"
    assert client.post(f"{BASE}/certificates/{pk}/reinstate/", {}).json()["state"] == "valid"
    revoked = client.post(
        f"{BASE}/certificates/{pk}/revoke/", {"reason": "出借证件", "revocation_cause": "misuse"}
    )
    assert revoked.json()["status"] == "revoked"


def test_agency_head_cannot_issue_by_api(world, client_for):
    officer = make_officer(world.orgs["market_team"])
    client = client_for(world.users["market_head"])
    response = client.post(
        f"{BASE}/certificates/", certificate_payload(world, officer), content_type="application/json"
    )
    assert response.status_code == 403
    assert not Certificate.objects.exists()


def test_records_endpoints_are_scoped(world, client_for):
    officer, certificate = qualified_officer(world)
    east = client_for(world.users["east_head"])
    assert east.get(f"{BASE}/training/").json()["results"] == []
    assert east.get(f"{BASE}/inspections/").json()["results"] == []
    response = east.post(
        f"{BASE}/training/", {"officer": officer.pk, "date": "2026-03-01", "hours": "4", "topic": "x"}
    )
    assert response.status_code == 400
    own = client_for(world.users["market_head"])
    response = own.post(
        f"{BASE}/training/", {"officer": officer.pk, "date": "2026-03-01", "hours": "4", "topic": "x"}
    )
    assert response.status_code == 201 and response.json()["year"] == 2026
    inspection = {
        "certificate": certificate.pk,
        "year": 2024,
        "result": "passed",
        "inspected_on": "2025-02-01",
    }
    duplicate = client_for(world.users["city_supervisor"]).post(f"{BASE}/inspections/", inspection)
    assert duplicate.status_code == 400 and "已经登记" in str(duplicate.json())
