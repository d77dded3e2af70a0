"""The seeded calendar, administrators' overrides and the per-process cache (D4)."""

from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from zhifa.workdays import seed, services
from zhifa.workdays.models import CalendarDay, CalendarRevision, CalendarYear, DaySource

pytestmark = pytest.mark.django_db
D = date.fromisoformat


def test_d4_migration_seeds_every_year_the_package_covers():
    assert set(CalendarYear.objects.filter(complete=True).values_list("year", flat=True)) == set(
        range(2004, 2027)
    )
    assert CalendarDay.objects.count() == len(seed.package_days())
    spring = CalendarDay.objects.get(date=D("2026-02-15"))
    assert (spring.kind, spring.name, spring.source) == ("holiday", "春节", DaySource.NOTICE)
    assert CalendarDay.objects.get(date=D("2026-02-14")).get_kind_display() == "调休工作日"
    assert CalendarDay.objects.get(date=D("2026-04-05")).name == "清明节"


def test_d1_services_compute_on_the_seeded_calendar():
    assert services.add_workdays(D("2026-09-30"), 5).date == D("2026-10-13")
    assert services.add_natural_days(D("2026-09-24"), 7).date == D("2026-10-08")
    assert services.count_workdays(D("2026-02-13"), D("2026-02-28")).days == 6
    assert not services.is_workday(D("2026-10-01"))


def test_d4_admin_override_changes_the_result_and_year_flag_clears_provisional(world):
    admin = world.users["admin"]
    before = services.add_workdays(D("2026-12-25"), 5)
    assert (before.date, before.provisional) == (D("2027-01-01"), True)

    services.set_day(admin, D("2027-01-01"), "holiday", "元旦", "国办发明电〔2026〕X号")
    after = services.add_workdays(D("2026-12-25"), 5)
    assert (after.date, after.provisional) == (D("2027-01-04"), True)

    services.set_year(admin, 2027, True, "")
    assert services.add_workdays(D("2026-12-25"), 5).provisional is False
    assert CalendarYear.objects.get(year=2027).updated_by == admin

    services.clear_day(admin, D("2027-01-01"))
    assert services.add_workdays(D("2026-12-25"), 5).date == D("2027-01-01")


def test_d4_overriding_a_notice_day_makes_it_the_administrators(world):
    admin = world.users["admin"]
    services.set_day(admin, D("2026-10-08"), "holiday", "国庆节", "地方补充安排")
    row = CalendarDay.objects.get(date=D("2026-10-08"))
    assert (row.source, row.updated_by, row.note) == (DaySource.ADMIN, admin, "地方补充安排")
    assert services.add_workdays(D("2026-09-30"), 1).date == D("2026-10-09")


def test_d4_weekday_cannot_be_a_shift_workday(world):
    with pytest.raises(ValidationError) as exc:
        services.set_day(world.users["admin"], D("2026-10-08"), "workday", "国庆节")
    assert "周六或周日" in exc.value.message_dict["kind"][0]
    assert not CalendarDay.objects.filter(date=D("2026-10-08")).exists()


def test_d4_name_is_required(world):
    with pytest.raises(ValidationError) as exc:
        services.set_day(world.users["admin"], D("2026-10-08"), "holiday", "  ")
    assert "name" in exc.value.message_dict


def test_d4_clearing_a_day_without_exception_is_refused(world):
    with pytest.raises(ValidationError, match="无需删除"):
        services.clear_day(world.users["admin"], D("2026-10-08"))


def test_d4_officer_cannot_edit_the_calendar(world):
    officer = world.users["market_officer"]
    with pytest.raises(PermissionDenied):
        services.set_day(officer, D("2026-10-10"), "holiday", "国庆节")
    with pytest.raises(PermissionDenied):
        services.clear_day(officer, D("2026-10-01"))
    with pytest.raises(PermissionDenied):
        services.set_year(officer, 2027, True)
    assert CalendarDay.objects.get(date=D("2026-10-10")).kind == "workday"


def test_d4_cache_follows_changes_made_by_another_worker(django_assert_num_queries):
    services.current_calendar()
    with django_assert_num_queries(1):  # only the revision token is read
        services.current_calendar()
    # Another worker's change: a row and a new token, without this process's signals.
    CalendarDay.objects.bulk_create([CalendarDay(date=D("2026-10-08"), kind="holiday", name="国庆节")])
    assert services.is_workday(D("2026-10-08")).workday is True  # same token: cached
    CalendarRevision.objects.filter(pk=1).update(token="00000000-0000-0000-0000-000000000001")
    assert services.is_workday(D("2026-10-08")).workday is False


def test_d4_admin_site_edit_invalidates_cache():
    services.current_calendar()
    CalendarDay.objects.filter(date=D("2026-10-07")).get().delete()  # as the Django admin would
    assert services.is_workday(D("2026-10-07")).workday is True


def test_d4_seed_calendar_command_keeps_administrators_rows(world):
    services.set_day(world.users["admin"], D("2026-10-10"), "holiday", "国庆节", "本地安排")
    CalendarDay.objects.filter(date=D("2026-10-01")).delete()
    out = StringIO()
    call_command("seed_calendar", stdout=out)
    assert "新增1天" in out.getvalue()
    assert CalendarDay.objects.get(date=D("2026-10-10")).source == DaySource.ADMIN
    assert CalendarDay.objects.get(date=D("2026-10-01")).source == DaySource.NOTICE
    assert not services.is_workday(D("2026-10-01"))


def test_d4_dashboard_reminds_admin_of_missing_years(world, monkeypatch):
    monkeypatch.setattr(services.timezone, "localdate", lambda: D("2026-11-15"))
    panel = services.dashboard_panel(world.users["admin"])
    assert [item["text"][:5] for item in panel["items"]] == ["2027年"]
    monkeypatch.setattr(services.timezone, "localdate", lambda: D("2026-06-15"))
    assert services.dashboard_panel(world.users["admin"])["items"] == []
    assert services.dashboard_panel(world.users["market_officer"]) is None
