"""Services: the may_enforce guard, certificate life cycle, records, dashboard (P1, S2, S12, S13)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zhifa.personnel import services
from zhifa.personnel.models import (
    AnnualInspection,
    Certificate,
    CertificateStatus,
    EmploymentType,
    Officer,
    PersonnelPolicy,
    RevocationCause,
)

from .factories import add_training, make_certificate, make_id_number, make_officer, qualified_officer

pytestmark = pytest.mark.django_db
ON = date(2026, 6, 15)


def new_certificate(world, officer, number="37990020260001", **changes):
    values = {
        "number": number,
        "officer": officer,
        "issuing_authority": world.orgs["justice"],
        "issued_on": date(2026, 1, 10),
        "valid_until": date(2031, 1, 9),
    }
    values.update(changes)
    return Certificate(**values)


def issue(world, officer, user="city_supervisor", regions=None, **changes):
    return services.issue_certificate(
        world.users[user],
        new_certificate(world, officer, **changes),
        [world.fields["market"]],
        regions or [world.regions["city"]],
    )


# --- may_enforce -------------------------------------------------------------------------------
def test_may_enforce_allows_qualified_officer_p1(world):
    officer, _ = qualified_officer(world)
    result = services.may_enforce(officer, world.fields["market"], world.regions["east"], ON)
    assert result.allowed, result.messages


def test_may_enforce_accepts_codes_and_explains_refusal_p1(world):
    officer, _ = qualified_officer(world)
    result = services.may_enforce(officer, "STHJ", "379902", ON)
    assert not result.allowed and "生态环境" in result.messages[0]


def test_may_enforce_unknown_code_is_a_chinese_error(world):
    officer, _ = qualified_officer(world)
    with pytest.raises(ValidationError, match="不存在"):
        services.may_enforce(officer, "NOPE", "379900", ON)


def test_may_enforce_uses_a_constant_number_of_queries(world):
    officer, _ = qualified_officer(world)
    with CaptureQueriesContext(connection) as few:
        services.may_enforce(officer, world.fields["market"], world.regions["east"], ON)
    for year in range(2015, 2023):
        make_certificate(
            officer,
            world.orgs["justice"],
            [world.fields["market"], world.fields["env"]],
            [world.regions["city"], world.regions["east"]],
            issued_on=date(year, 1, 1),
            valid_until=date(year, 12, 31),
            inspected_years=[year],
        )
        add_training(officer, year, 12)
    with CaptureQueriesContext(connection) as many:
        services.may_enforce(officer, world.fields["market"], world.regions["east"], ON)
    assert len(many) == len(few) <= 10


def test_region_policy_overrides_national_minimum_hours_s2(world):
    officer, _ = qualified_officer(world)
    officer.trainings.all().delete()
    add_training(officer, 2025, 30)
    assert not services.may_enforce(officer, "SCJG", "379900", ON).allowed
    PersonnelPolicy.objects.create(region=world.regions["province"], min_training_hours=Decimal("30"))
    assert services.may_enforce(officer, "SCJG", "379900", ON).allowed


# --- issuing -----------------------------------------------------------------------------------
def test_supervisor_issues_and_number_is_normalised_s13(world):
    officer = make_officer(world.orgs["market_team"])
    certificate = issue(world, officer, number=" ３７９９００２０２６ab０１ ")
    assert certificate.number == "3799002026AB01"
    assert list(certificate.fields.all()) == [world.fields["market"]]


def test_agency_head_cannot_issue_certificates(world):
    officer = make_officer(world.orgs["market_team"])
    with pytest.raises(PermissionDenied):
        issue(world, officer, user="market_head")
    assert not Certificate.objects.exists()


def test_supervisor_of_another_region_cannot_issue(world):
    officer = make_officer(world.orgs["market_team"])
    with pytest.raises(PermissionDenied):
        issue(world, officer, user="east_supervisor", issuing_authority=world.orgs["east_justice"])


@pytest.mark.parametrize(
    "employment", [EmploymentType.CONTRACT, EmploymentType.DISPATCHED, EmploymentType.TEMPORARY]
)
def test_no_certificate_for_contract_or_temporary_staff_s13(world, employment):
    officer = make_officer(world.orgs["market_team"], employment_type=employment)
    with pytest.raises(ValidationError) as excinfo:
        issue(world, officer)
    assert "司办通〔2020〕78号" in excinfo.value.message_dict["officer"][0]
    assert not Certificate.objects.exists()


def test_duplicate_number_is_refused_in_chinese_s13(world):
    issue(world, make_officer(world.orgs["market_team"]))
    with pytest.raises(ValidationError) as excinfo:
        issue(world, make_officer(world.orgs["market_team"], name="李四"), number="37990020260001")
    assert "不能重复" in excinfo.value.message_dict["number"][0]
    assert Certificate.objects.count() == 1


def test_number_must_start_with_issuer_province_code_s13(world):
    officer = make_officer(world.orgs["market_team"])
    with pytest.raises(ValidationError) as excinfo:
        issue(world, officer, number="11990020260001")
    assert "“37”" in excinfo.value.message_dict["number"][0]


def test_malformed_number_is_refused_s13(world):
    with pytest.raises(ValidationError) as excinfo:
        issue(world, make_officer(world.orgs["market_team"]), number="37-99")
    assert "格式不正确" in excinfo.value.message_dict["number"][0]


def test_reversed_validity_is_refused(world):
    with pytest.raises(ValidationError) as excinfo:
        issue(world, make_officer(world.orgs["market_team"]), valid_until=date(2025, 1, 1))
    assert "不能早于发证日期" in excinfo.value.message_dict["valid_until"][0]
    assert not Certificate.objects.exists()


def test_issuer_must_be_government_or_justice_bureau(world):
    with pytest.raises(ValidationError) as excinfo:
        issue(world, make_officer(world.orgs["market_team"]), issuing_authority=world.orgs["market"])
    assert "人民政府或其司法行政部门" in excinfo.value.message_dict["issuing_authority"][0]


def test_county_issuer_cannot_cover_the_whole_city(world):
    officer = make_officer(world.orgs["east_market"])
    with pytest.raises(ValidationError) as excinfo:
        issue(world, officer, user="east_supervisor", issuing_authority=world.orgs["east_justice"])
    assert "不在发证机关" in excinfo.value.message_dict["regions"][0]


def test_county_issuer_cannot_certify_city_agency_staff(world):
    officer = make_officer(world.orgs["market_team"])
    with pytest.raises(ValidationError) as excinfo:
        issue(
            world,
            officer,
            user="admin",
            issuing_authority=world.orgs["east_justice"],
            regions=[world.regions["east"]],
        )
    assert "管辖范围" in excinfo.value.message_dict["issuing_authority"][0]


def test_misuse_revocation_bars_a_new_certificate_for_two_years_s13(world):
    officer = make_officer(world.orgs["market_team"])
    first = issue(world, officer)
    services.revoke_certificate(
        world.users["city_supervisor"], first, "出借证件给他人", RevocationCause.MISUSE
    )
    with pytest.raises(ValidationError) as excinfo:
        issue(world, officer, number="37990020260002")
    assert "不得重新申领" in excinfo.value.message_dict["officer"][0]


# --- suspension, revocation ----------------------------------------------------------------------
def test_suspend_then_reinstate_s13(world):
    officer, certificate = qualified_officer(world)
    supervisor = world.users["city_supervisor"]
    services.suspend_certificate(supervisor, certificate, "未按规定出示执法证件")
    result = services.may_enforce(officer, "SCJG", "379900", ON)
    assert not result.allowed and result.reasons[0].rule == "S13"
    services.reinstate_certificate(supervisor, certificate)
    assert services.may_enforce(officer, "SCJG", "379900", ON).allowed


def test_suspend_needs_a_reason_and_a_valid_certificate(world):
    _, certificate = qualified_officer(world)
    supervisor = world.users["city_supervisor"]
    with pytest.raises(ValidationError):
        services.suspend_certificate(supervisor, certificate, "  ")
    services.revoke_certificate(supervisor, certificate, "调离执法岗位", RevocationCause.LEFT)
    with pytest.raises(ValidationError, match="只有有效的证件"):
        services.suspend_certificate(supervisor, certificate, "再次暂扣")


def test_agency_head_cannot_suspend(world):
    _, certificate = qualified_officer(world)
    with pytest.raises(PermissionDenied):
        services.suspend_certificate(world.users["market_head"], certificate, "原因")
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID


# --- officers and records ------------------------------------------------------------------------
def officer_for(world, **changes):
    values = {
        "name": "王芳",
        "gender": "female",
        "organization": world.orgs["market_team"],
        "employment_type": EmploymentType.CIVIL_SERVANT,
        "id_number": make_id_number("female"),
    }
    values.update(changes)
    return Officer(**values)


def test_create_officer_checks_id_number_gb11643(world):
    bad = officer_for(world, id_number="110105194912310021")
    with pytest.raises(ValidationError) as excinfo:
        services.create_officer(world.users["market_head"], bad)
    assert "校验码" in excinfo.value.message_dict["id_number"][0]
    assert not Officer.objects.exists()


def test_gender_must_agree_with_id_number(world):
    with pytest.raises(ValidationError) as excinfo:
        services.create_officer(
            world.users["market_head"], officer_for(world, id_number=make_id_number("male"))
        )
    assert "性别与身份证号不符" in excinfo.value.message_dict["gender"][0]


def test_duplicate_id_number_is_refused_in_chinese(world):
    first = services.create_officer(world.users["market_head"], officer_for(world))
    with pytest.raises(ValidationError) as excinfo:
        services.create_officer(world.users["market_head"], officer_for(world, id_number=first.id_number))
    assert "已经登记" in excinfo.value.message_dict["id_number"][0]


def test_officer_outside_scope_is_refused(world):
    with pytest.raises(PermissionDenied):
        services.create_officer(world.users["east_head"], officer_for(world))


def test_officer_cannot_sit_directly_under_a_government(world):
    with pytest.raises(ValidationError) as excinfo:
        services.create_officer(world.users["admin"], officer_for(world, organization=world.orgs["gov"]))
    assert "organization" in excinfo.value.message_dict


def test_duplicate_inspection_year_is_refused_s2(world):
    _, certificate = qualified_officer(world)
    duplicate = AnnualInspection(
        certificate=certificate, year=2024, result="passed", inspected_on=date(2025, 2, 1)
    )
    with pytest.raises(ValidationError, match="已经登记"):
        services.record_inspection(world.users["city_supervisor"], duplicate)
    assert certificate.inspections.filter(year=2024).count() == 1


def test_agency_head_records_training_but_not_inspections(world):
    officer, certificate = qualified_officer(world)
    from zhifa.personnel.models import TrainingHours

    training = TrainingHours(officer=officer, date=date(2026, 3, 1), hours=Decimal("4.5"), topic="案卷制作")
    services.record_training(world.users["market_head"], training)
    assert training.year == 2026
    inspection = AnnualInspection(
        certificate=certificate, year=2026, result="passed", inspected_on=date(2026, 3, 1)
    )
    with pytest.raises(PermissionDenied):
        services.record_inspection(world.users["market_head"], inspection)


def test_zero_training_hours_are_refused(world):
    officer, _ = qualified_officer(world)
    from zhifa.personnel.models import TrainingHours

    with pytest.raises(ValidationError) as excinfo:
        services.record_training(
            world.users["market_head"],
            TrainingHours(officer=officer, date=date(2026, 3, 1), hours=0, topic="x"),
        )
    assert "hours" in excinfo.value.message_dict


# --- dashboard (S12) -----------------------------------------------------------------------------
def test_dashboard_warns_of_expiry_inspection_and_training_within_scope_s12(world):
    today = timezone.localdate()
    officer = make_officer(world.orgs["market_team"], name="赵预警")
    make_certificate(
        officer,
        world.orgs["justice"],
        [world.fields["market"]],
        [world.regions["city"]],
        issued_on=date(today.year - 3, 1, 1),
        valid_until=today + timedelta(days=30),
    )
    add_training(officer, today.year - 1, 12)
    panel = services.dashboard_panel(world.users["city_supervisor"])
    texts = " ".join(item["text"] for item in panel["items"])
    assert "赵预警的执法证件" in texts and "到期" in texts
    assert "12学时" in texts
    if today > date(today.year, 1, 1) + timedelta(days=89 - 60):
        assert f"{today.year - 1}年度年审" in texts
    east = services.dashboard_panel(world.users["east_supervisor"])
    assert "赵预警" not in " ".join(item["text"] for item in east["items"])


def test_dashboard_shows_the_officer_own_eligibility(world):
    today = timezone.localdate()
    user = world.users["market_officer"]
    officer, _ = qualified_officer(world, on_year=today.year)
    officer.user = user
    officer.save()
    panel = services.dashboard_panel(user)
    assert any(
        item["level"] == "ok" and "本人可在示范市从事市场监管执法" in item["text"] for item in panel["items"]
    )


# --- public --------------------------------------------------------------------------------------
def test_verify_certificate_returns_public_fields_only(world):
    officer, certificate = qualified_officer(world)
    result = services.verify_certificate(certificate.number.lower())
    assert result.holder == officer.name and result.unit == "示范市市场监督管理局 执法稽查支队"
    assert not hasattr(result, "id_number") and not hasattr(result, "phone")
    assert officer.id_number not in repr(result)
    assert services.verify_certificate("37000000000000") is None
