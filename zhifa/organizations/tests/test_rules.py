"""Organization tree and 委托 rules (S1; 处罚法 Art. 17–21)."""

from datetime import date

from zhifa.organizations import rules


def test_placement_of_each_kind_s1():
    assert rules.placement_error("government", None) is None
    assert rules.placement_error("agency", "government") is None
    assert rules.placement_error("agency", "agency") is None  # 派出机构
    assert rules.placement_error("department", "agency") is None
    assert "人民政府" in rules.placement_error("agency", None)
    assert rules.placement_error("department", "government")
    assert rules.placement_error("government", "agency")


def test_agency_needs_subject_kind_and_credit_code_s1():
    errors = rules.organization_errors("agency", "", "")
    assert set(errors) == {"subject_kind", "credit_code"}
    assert "处罚法" in errors["subject_kind"]


def test_department_has_no_subject_kind():
    assert "subject_kind" in rules.organization_errors("department", "organ", "")


def test_bad_credit_code_reported_at_field():
    assert "校验码" in rules.organization_errors("agency", "organ", "91350100M000100Y44")["credit_code"]


def entrustment(**overrides):
    values = dict(
        entrusting_subject_kind="organ",
        entrusted_subject_kind="entrusted",
        same_organization=False,
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
    )
    return rules.entrustment_errors(**{**values, **overrides})


def test_valid_entrustment_s1():
    assert entrustment() == {}


def test_only_an_administrative_organ_may_entrust_s1():
    assert "第二十条" in entrustment(entrusting_subject_kind="authorized")["entrusting"]


def test_entrusted_must_be_registered_as_entrusted_organisation_s1():
    assert "entrusted" in entrustment(entrusted_subject_kind="organ")


def test_entrustment_term_boundaries_s1():
    assert entrustment(start=date(2026, 1, 1), end=date(2026, 1, 1)) == {}  # one-day term
    assert "end_date" in entrustment(start=date(2026, 1, 2), end=date(2026, 1, 1))


def test_region_parent_must_match_code_gbt2260():
    assert rules.region_parent_error("379902", "379900") is None
    assert rules.region_parent_error("379902", "370000") is None  # 省直辖县级 under a province
    assert rules.region_parent_error("379902", "379800")
    assert rules.region_parent_error("370000", "379900")
