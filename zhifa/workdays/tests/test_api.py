"""API of the working-day calendar: day list and deadline computation (D1–D4)."""

import pytest

pytestmark = pytest.mark.django_db
COMPUTE = "/api/workdays/compute/"


@pytest.fixture
def api(world, client_for):
    return client_for(world.users["market_officer"])


def test_d1_compute_working_days_across_national_day_2026(api):
    body = api.get(COMPUTE, {"start": "2026-09-30", "days": 5, "kind": "work"}).json()
    assert (body["due"], body["provisional"]) == ("2026-10-13", False)
    assert "第八十五条" in body["basis"] and "第六十九条" in body["basis"]


def test_d3_compute_natural_days_rolls_off_holiday(api):
    body = api.get(COMPUTE, {"start": "2026-09-24", "days": 7, "kind": "natural"}).json()
    assert (body["due"], body["provisional"]) == ("2026-10-08", False)


def test_d4_compute_into_2027_is_provisional(api):
    body = api.get(COMPUTE, {"start": "2026-12-25", "days": 5}).json()
    assert (body["due"], body["provisional"], body["kind"]) == ("2027-01-01", True, "work")


def test_d1_compute_errors_are_chinese(api):
    response = api.get(COMPUTE, {"start": "2026-02-30", "days": -3, "kind": "lunar"})
    assert response.status_code == 400
    errors = response.json()
    assert "日期格式不正确" in errors["start"][0]
    assert errors["days"] == ["期限天数不能为负数。"]
    assert "work" in errors["kind"][0]
    missing = api.get(COMPUTE).json()
    assert missing["start"] == ["请填写日期。"] and missing["days"] == ["请填写期限天数。"]


def test_d3_count_endpoint(api):
    body = api.get("/api/workdays/count/", {"start": "2026-02-13", "end": "2026-02-28"}).json()
    assert body == {"start": "2026-02-13", "end": "2026-02-28", "workdays": 6, "provisional": False}


def test_d4_day_list_filters_by_year(api):
    rows = api.get("/api/workdays/days/", {"year": 2026}).json()
    assert {row["date"][:4] for row in rows} == {"2026"}
    assert {"date": "2026-02-14", "kind": "workday", "name": "春节"}.items() <= next(
        r for r in rows if r["date"] == "2026-02-14"
    ).items()
    assert len([r for r in rows if r["kind"] == "workday"]) == 6
    assert api.get("/api/workdays/days/2026-10-01/").json()["name"] == "国庆节"
    years = {row["year"]: row["complete"] for row in api.get("/api/workdays/years/").json()}
    assert years[2026] is True and 2027 not in years


def test_d4_day_list_is_read_only(api):
    assert api.post("/api/workdays/days/", {"date": "2026-10-08", "kind": "holiday"}).status_code == 405


def test_anonymous_cannot_compute(client):
    assert client.get(COMPUTE, {"start": "2026-09-30", "days": 5}).status_code in (401, 403)


def test_endpoints_are_documented(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    compute = schema["paths"]["/api/workdays/compute/"]["get"]
    assert {p["name"] for p in compute["parameters"]} == {"start", "days", "kind"}
    assert "/api/workdays/days/" in schema["paths"] and "/api/workdays/count/" in schema["paths"]
