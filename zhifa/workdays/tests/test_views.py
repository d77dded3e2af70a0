"""Staff pages of the working-day calendar (D1–D4)."""

from datetime import date

import pytest
from django.urls import reverse

from zhifa.workdays.models import CalendarDay

pytestmark = pytest.mark.django_db
CALENDAR = reverse("workdays:calendar")
EDIT = reverse("workdays:day_edit")


def test_d4_calendar_page_marks_holidays_and_shift_days(world, client_for):
    page = client_for(world.users["market_officer"]).get(CALENDAR + "?year=2026").content.decode()
    assert "2026年工作日历" in page
    assert 'class="holiday" title="国庆节（法定节假日）"' in page
    assert 'class="shift" title="春节（调休上班）"' in page
    assert "暂定" not in page.split("<h1>")[1].split("</h1>")[0]
    assert EDIT not in page  # officers see no edit links


def test_d4_year_without_data_is_flagged_provisional(world, client_for):
    page = client_for(world.users["market_officer"]).get(CALENDAR + "?year=2027").content.decode()
    assert '<span class="badge warn">暂定</span>' in page
    assert "仅按周六、周日休息计算" in page


def test_d4_calendar_page_query_count(world, client_for, django_assert_max_num_queries):
    client = client_for(world.users["admin"])
    with django_assert_max_num_queries(8):
        response = client.get(CALENDAR + "?year=2026")
    assert response.status_code == 200
    assert response.content.decode().count(EDIT + "?date=") >= 365  # every day is editable


def test_d4_officer_cannot_edit(world, client_for):
    client = client_for(world.users["market_officer"])
    assert client.get(EDIT).status_code == 403
    response = client.post(EDIT, {"date": "2026-10-10", "kind": "holiday", "name": "国庆节"})
    assert response.status_code == 403
    assert client.post(reverse("workdays:day_clear", args=["2026-10-01"])).status_code == 403
    assert client.post(reverse("workdays:year", args=[2027]), {"complete": "on"}).status_code == 403
    assert CalendarDay.objects.get(date=date(2026, 10, 10)).kind == "workday"


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(CALENDAR)
    assert response.status_code == 302 and "login" in response["Location"]


def test_d4_admin_edits_a_day(world, client_for):
    client = client_for(world.users["admin"])
    form = client.get(EDIT + "?date=2026-10-01").content.decode()
    assert 'value="国庆节"' in form and "删除此日安排" in form
    response = client.post(EDIT, {"date": "2027-01-01", "kind": "holiday", "name": "元旦", "note": ""})
    assert response.status_code == 302 and response["Location"].endswith("?year=2027#m1")
    assert CalendarDay.objects.get(date=date(2027, 1, 1)).updated_by == world.users["admin"]


def test_d4_weekday_shift_workday_refused_at_the_field(world, client_for):
    client = client_for(world.users["admin"])
    response = client.post(EDIT, {"date": "2026-10-08", "kind": "workday", "name": "国庆节"})
    assert response.status_code == 200
    assert "调休工作日只能是周六或周日" in response.context["form"].errors["kind"][0]
    assert not CalendarDay.objects.filter(date=date(2026, 10, 8)).exists()


def test_d4_admin_clears_a_day_and_marks_a_year(world, client_for):
    client = client_for(world.users["admin"])
    response = client.post(reverse("workdays:day_clear", args=["2026-10-07"]))
    assert response.status_code == 302
    assert not CalendarDay.objects.filter(date=date(2026, 10, 7)).exists()
    assert client.post(reverse("workdays:day_clear", args=["2026-02-30"])).status_code == 404
    client.post(reverse("workdays:year", args=[2027]), {"complete": "on", "source_note": "国办发明电"})
    page = client.get(CALENDAR + "?year=2027").content.decode()
    assert '<span class="badge ok">' in page


def test_d1_deadline_calculator_full_page_and_htmx(world, client_for):
    client = client_for(world.users["market_officer"])
    url = reverse("workdays:compute")
    page = client.get(url, {"start": "2026-09-30", "days": "5", "kind": "work"}).content.decode()
    assert "2026年10月13日" in page and "确定" in page
    partial = client.get(url, {"start": "2026-12-25", "days": "5", "kind": "work"}, HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert "<html" not in body and "2027年1月1日" in body and "暂定" in body


def test_d3_deadline_calculator_errors_in_chinese(world, client_for):
    client = client_for(world.users["market_officer"])
    response = client.get(
        reverse("workdays:compute"), {"start": "2026-13-01", "days": "-1", "kind": "natural"}
    )
    errors = response.context["form"].errors
    assert "日期格式不正确" in errors["start"][0]
    assert errors["days"] == ["期限天数不能为负数。"]
