"""Eligibility and certificate rules at their boundaries (P1, S2, S12, S13)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from zhifa.personnel import rules
from zhifa.personnel.rules import CertificateFact, InspectionFact, OfficerFacts, Policy

ON = date(2026, 6, 15)


def certificate(**changes) -> CertificateFact:
    values = {
        "number": "37990020230001",
        "status": "valid",
        "issued_on": date(2023, 3, 1),
        "valid_until": date(2028, 2, 28),
        "field_codes": frozenset({"SCJG"}),
        "region_codes": frozenset({"379900"}),
        "inspections": (InspectionFact(2023, True), InspectionFact(2024, True), InspectionFact(2025, True)),
    }
    values.update(changes)
    return CertificateFact(**values)


def facts(*certificates, hours=Decimal("40"), **changes) -> OfficerFacts:
    values = {
        "name": "张明",
        "active": True,
        "employment_type": "civil_servant",
        "certificates": certificates or (certificate(),),
        "training_hours": {2025: hours},
        "region_parents": {"379902": "379900", "379900": "370000", "370000": None},
    }
    values.update(changes)
    return OfficerFacts(**values)


def answer(f, field="SCJG", region="379900", on=ON):
    return rules.enforcement_eligibility(f, field, region, on)


def rule_ids(result) -> list[str]:
    return [reason.rule for reason in result.reasons]


def test_qualified_officer_may_enforce_p1():
    result = answer(facts())
    assert result.allowed and result.reasons == [] and result.certificate == "37990020230001"


# --- S2 training hours ---------------------------------------------------------------------------
def test_exactly_40_hours_last_year_is_enough_s2():
    assert answer(facts(hours=Decimal("40"))).allowed


def test_39_and_a_half_hours_is_refused_with_reason_s2():
    result = answer(facts(hours=Decimal("39.5")))
    assert not result.allowed and rule_ids(result) == ["S2"]
    assert "39.5学时" in result.messages[0] and "40学时" in result.messages[0]


def test_hours_of_the_current_year_do_not_count_for_last_year_s2():
    result = answer(facts(training_hours={2026: Decimal("80")}))
    assert not result.allowed and "2025年度培训学时为0学时" in result.messages[0]


def test_minimum_hours_come_from_policy_s2():
    assert answer(facts(hours=Decimal("30"), policy=Policy(min_training_hours=Decimal("30")))).allowed


def test_first_certificate_of_the_current_year_needs_no_previous_hours_s2():
    new = certificate(issued_on=date(2026, 2, 1), valid_until=date(2031, 1, 31), inspections=())
    assert answer(facts(new, training_hours={})).allowed


def test_renewal_this_year_does_not_exempt_from_training_s2():
    old = certificate(status="revoked", valid_until=date(2026, 1, 31))
    renewed = certificate(number="37990020260002", issued_on=date(2026, 2, 1), valid_until=date(2031, 1, 31))
    result = answer(facts(old, renewed, training_hours={}))
    assert not result.allowed and rule_ids(result) == ["S2"]


# --- P1 validity dates ---------------------------------------------------------------------------
@pytest.mark.parametrize(("on", "allowed"), [(date(2027, 2, 28), True), (date(2027, 3, 1), False)])
def test_valid_until_day_allowed_and_day_after_expired_p1(on, allowed):
    inspections = tuple(InspectionFact(year, True) for year in (2023, 2024, 2025, 2026))
    cert = certificate(valid_until=date(2027, 2, 28), inspections=inspections)
    result = answer(facts(cert, training_hours={2026: Decimal("40")}), on=on)
    assert result.allowed is allowed
    if not allowed:
        assert rule_ids(result) == ["P1"] and "过期" in result.messages[0]


def test_before_issue_date_is_not_yet_valid_p1():
    cert = certificate(issued_on=date(2026, 7, 1), valid_until=date(2031, 6, 30), inspections=())
    result = answer(facts(cert), on=date(2026, 6, 30))
    assert not result.allowed and "生效" in result.messages[0]


# --- P1 coverage ---------------------------------------------------------------------------------
def test_city_certificate_covers_its_district_p1():
    assert answer(facts(), region="379902").allowed


def test_district_certificate_does_not_cover_sibling_district_p1():
    cert = certificate(region_codes=frozenset({"379902"}))
    f = facts(cert, region_parents={"379902": "379900", "379903": "379900", "379900": "370000"})
    result = answer(f, region="379903")
    assert not result.allowed and rule_ids(result) == ["P1"] and "执法区域" in result.messages[0]


def test_district_certificate_does_not_cover_its_city_p1():
    cert = certificate(region_codes=frozenset({"379902"}))
    assert not answer(facts(cert), region="379900").allowed


def test_region_parents_from_table_win_over_code_shape_p1():
    # A 直辖市 district hangs directly under the province-level code in the Region table.
    cert = certificate(region_codes=frozenset({"110000"}))
    f = facts(cert, region_parents={"110101": "110000", "110000": None})
    assert answer(f, region="110101").allowed


def test_other_field_is_refused_p1():
    result = answer(facts(), field="STHJ")
    assert not result.allowed and "执法类别" in result.messages[0]


def test_inactive_officer_is_refused_p1():
    result = answer(facts(active=False))
    assert not result.allowed and "离岗" in result.messages[0]


def test_no_certificate_is_refused_p1():
    result = answer(facts(certificates=()))
    assert not result.allowed and "未持有" in result.messages[-1]


# --- S13 status and employment -------------------------------------------------------------------
def test_suspended_certificate_is_refused_with_reason_s13():
    result = answer(facts(certificate(status="suspended", status_reason="未出示证件")))
    assert not result.allowed and rule_ids(result) == ["S13"] and "暂扣" in result.messages[0]
    assert "未出示证件" in result.messages[0]


def test_revoked_certificate_is_refused_s13():
    result = answer(facts(certificate(status="revoked")))
    assert not result.allowed and "注销" in result.messages[0]


@pytest.mark.parametrize("employment", ["contract", "dispatched", "temporary"])
def test_contract_and_temporary_staff_are_refused_s13(employment):
    result = answer(facts(employment_type=employment))
    assert (
        not result.allowed and rule_ids(result) == ["S13"] and "司办通〔2020〕78号" in result.reasons[0].basis
    )


@pytest.mark.parametrize("employment", ["civil_servant", "reference", "institution"])
def test_established_staff_may_hold_certificates_s13(employment):
    assert rules.employment_error(employment) is None


def test_best_certificate_is_reported_when_several_exist_p1():
    expired = certificate(number="37990020180001", valid_until=date(2023, 2, 28))
    valid = certificate(number="37990020230009")
    result = answer(facts(expired, valid))
    assert result.allowed and result.certificate == "37990020230009"


# --- S2 年审 with grace --------------------------------------------------------------------------
GRACE = Policy(inspection_grace_days=90)  # day 90 of 2026 is 31 March


def test_inspection_deadline_is_day_n_of_the_year_s2():
    assert rules.inspection_deadline(2026, 90) == date(2026, 3, 31)
    assert rules.inspection_deadline(2024, 90) == date(2024, 3, 30)  # leap year


@pytest.mark.parametrize(("on", "allowed"), [(date(2026, 3, 31), True), (date(2026, 4, 1), False)])
def test_last_year_inspection_pending_until_grace_day_n_then_required_s2(on, allowed):
    cert = certificate(inspections=(InspectionFact(2023, True), InspectionFact(2024, True)))
    result = answer(facts(cert, policy=GRACE), on=on)
    assert result.allowed is allowed
    if not allowed:
        assert rule_ids(result) == ["S2"] and "2025年度年审" in result.messages[0]


def test_during_grace_the_year_before_must_be_on_record_s2():
    cert = certificate(inspections=(InspectionFact(2023, True),))
    result = answer(facts(cert, policy=GRACE), on=date(2026, 2, 1))
    assert not result.allowed and "2024年度年审" in result.messages[0]


def test_failed_inspection_refuses_even_within_grace_s2():
    cert = certificate(inspections=(InspectionFact(2024, True), InspectionFact(2025, False)))
    result = answer(facts(cert, policy=GRACE), on=date(2026, 1, 10))
    assert not result.allowed and "不合格" in result.messages[0]


def test_certificate_issued_this_year_needs_no_inspection_s2():
    cert = certificate(issued_on=date(2026, 1, 5), valid_until=date(2031, 1, 4), inspections=())
    assert answer(facts(cert), on=date(2026, 12, 31)).allowed


def test_certificate_issued_last_year_needs_its_first_inspection_after_grace_s2():
    cert = certificate(issued_on=date(2025, 11, 1), valid_until=date(2030, 10, 31), inspections=())
    f = facts(cert, policy=GRACE)
    assert answer(f, on=date(2026, 3, 31)).allowed
    assert not answer(f, on=date(2026, 4, 1)).allowed


# --- S12 warnings --------------------------------------------------------------------------------
@pytest.mark.parametrize(("days_left", "warned"), [(60, True), (61, False), (0, True)])
def test_expiry_warning_two_months_ahead_s12(days_left, warned):
    cert = certificate(valid_until=ON + timedelta(days=days_left))
    warning = rules.expiry_warning(cert, ON, Policy(warning_days=60))
    assert (warning is not None) is warned
    if warning:
        assert warning.rule == "S12"


def test_no_expiry_warning_for_expired_or_suspended_s12():
    assert rules.expiry_warning(certificate(valid_until=ON - timedelta(days=1)), ON, Policy()) is None
    assert rules.expiry_warning(certificate(status="suspended", valid_until=ON), ON, Policy()) is None


def test_inspection_warning_within_days_before_deadline_s12():
    cert = certificate(inspections=(InspectionFact(2024, True),))
    policy = Policy(inspection_grace_days=90, warning_days=60)
    assert rules.inspection_warning(cert, date(2026, 1, 29), policy) is None  # 61 days before 31 March
    assert rules.inspection_warning(cert, date(2026, 1, 30), policy).rule == "S12"  # 60 days before
    done = certificate(inspections=(InspectionFact(2025, True),))
    assert rules.inspection_warning(done, date(2026, 3, 1), policy) is None


# --- Certificate numbers and identities ----------------------------------------------------------
def test_number_is_normalised_full_width_and_case_s13():
    assert rules.normalize_certificate_number("３７ａｂ１２３４５６") == "37AB123456"
    assert rules.normalize_certificate_number(" 37ab 1234 56\t") == "37AB123456"


@pytest.mark.parametrize(
    ("number", "fragment"),
    [
        ("", "请填写"),
        ("3799001", "格式不正确"),  # 7 characters
        ("379900202600012345678", "格式不正确"),  # 21 characters
        ("37-990020260001", "格式不正确"),
        ("A7990020260001", "格式不正确"),
        ("11990020260001", "省级行政区划代码“37”"),
    ],
)
def test_bad_certificate_numbers_are_refused_s13(number, fragment):
    message = rules.certificate_number_error(number, province_code="370000")
    assert message and fragment in message


@pytest.mark.parametrize("number", ["37990020", "37990020260001", "37ABCDEFGHIJKLMNOPQR"])
def test_good_certificate_numbers_pass_s13(number):
    assert rules.certificate_number_error(number, province_code="370000") is None


def test_configured_pattern_replaces_default_s13():
    pattern = r"SD[0-9]{10}"
    assert rules.certificate_number_error("SD0123456789", pattern=pattern) is None
    assert "格式不正确" in rules.certificate_number_error("37990020260001", pattern=pattern)


def test_pattern_configuration_is_checked():
    assert "number_pattern" in rules.pattern_error("[", "")
    assert "number_example" in rules.pattern_error(r"\d+", "AB")
    assert rules.pattern_error(rules.DEFAULT_NUMBER_PATTERN, rules.DEFAULT_NUMBER_EXAMPLE) == {}


def test_gender_must_match_id_number_gb11643():
    male = "11010519491231002X"  # 17th digit 2 → female
    assert rules.id_number_gender_error(male, "female") is None
    assert "应为“女”" in rules.id_number_gender_error(male, "male")


def test_id_number_is_masked():
    assert rules.mask_id_number("11010519491231002X") == "110105********002X"


def test_reversed_date_range_is_refused():
    assert rules.date_range_error(date(2026, 1, 2), date(2026, 1, 1))
    assert rules.date_range_error(date(2026, 1, 1), date(2026, 1, 1)) is None


def test_misuse_bars_new_certificate_for_two_years_s13():
    revoked = date(2024, 6, 15)
    assert rules.reapplication_ban_until([revoked], date(2026, 6, 14)) == date(2026, 6, 15)
    assert rules.reapplication_ban_until([revoked], date(2026, 6, 15)) is None


def test_derived_state_is_never_stale():
    assert rules.certificate_state("valid", date(2020, 1, 1), date(2025, 1, 1), date(2025, 1, 1)) == "valid"
    assert rules.certificate_state("valid", date(2020, 1, 1), date(2025, 1, 1), date(2025, 1, 2)) == "expired"
    assert (
        rules.certificate_state("suspended", date(2020, 1, 1), date(2025, 1, 1), date(2026, 1, 1))
        == "suspended"
    )
