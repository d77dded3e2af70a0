"""法制审核 rules at their boundaries (L1–L6)."""

from datetime import date
from decimal import Decimal

from zhifa.review import rules
from zhifa.workdays.rules import Calendar

CAL = Calendar(
    holidays=frozenset({date(2026, 10, d) for d in range(1, 9)}),
    workdays=frozenset({date(2026, 9, 28), date(2026, 10, 10)}),
    years=frozenset({2026}),
)

BIG_FINE = rules.CatalogueCondition(
    title="对法人处十万元以上罚款", min_fine_organisation=Decimal("100000"), min_fine_natural=Decimal("10000")
)


def facts(**kw):
    return rules.DecisionFacts(**{"penalty_kinds": frozenset({"fine"}), **kw})


def test_statutory_triggers_hold_without_catalogue_l1():
    found = rules.required_reasons(facts(hearing_held=True, is_complex=True), [])
    assert [f.basis.endswith(("第（二）项", "第（三）项")) for f in found] == [True, True]
    assert rules.required_reasons(facts(), []) == []


def test_catalogue_amount_threshold_by_party_type_l1():
    org = facts(fine=Decimal("100000"))
    assert rules.catalogue_matches(BIG_FINE, org)
    assert not rules.catalogue_matches(BIG_FINE, facts(fine=Decimal("99999.99")))
    assert rules.catalogue_matches(BIG_FINE, facts(fine=Decimal("10000"), natural_person=True))
    assert not rules.catalogue_matches(BIG_FINE, facts(fine=Decimal("9999.99"), natural_person=True))


def test_catalogue_conditions_all_hold_l1():
    revoke_after_hearing = rules.CatalogueCondition(
        title="吊销许可证件且经听证",
        penalty_kinds=frozenset({"revoke_licence"}),
        hearing_held=True,
        field_id=7,
    )
    hit = facts(penalty_kinds=frozenset({"fine", "revoke_licence"}), hearing_held=True, field_id=7)
    assert rules.catalogue_matches(revoke_after_hearing, hit)
    assert not rules.catalogue_matches(
        revoke_after_hearing, facts(penalty_kinds=frozenset({"revoke_licence"}), field_id=7)
    )
    assert not rules.catalogue_matches(revoke_after_hearing, hit.__class__(**{**hit.__dict__, "field_id": 8}))
    other_category = rules.CatalogueCondition(title="许可", category="license")
    assert not rules.catalogue_matches(other_category, facts())


def test_manual_listing_is_a_reason_l1():
    found = rules.required_reasons(facts(), [], manual_reason="社会关注度高")
    assert len(found) == 1 and "社会关注度高" in found[0].message


def test_gate_refuses_missing_pending_failed_and_changed_review_l2():
    reasons = [rules.Finding("L1", "x", "经过听证程序")]
    assert "尚未提交" in rules.gate_refusal(reasons, None, "处罚", "d").message
    assert "尚未完成" in rules.gate_refusal(reasons, rules.RoundState(1), "处罚", "d").message
    failed = rules.RoundState(2, rules.Opinion.PROBLEMS, "处罚", "d")
    assert "审核未通过" in rules.gate_refusal(reasons, failed, "处罚", "d").message
    passed = rules.RoundState(3, rules.Opinion.AGREE, "处罚", "d")
    assert rules.gate_refusal(reasons, passed, "处罚", "d") is None
    assert "不一致" in rules.gate_refusal(reasons, passed, "处罚", "other").message
    assert "不一致" in rules.gate_refusal(reasons, passed, "不予处罚", "d").message
    assert rules.gate_refusal([], None, "处罚", "d") is None
    assert all(f.rule == "L2" for f in [rules.gate_refusal(reasons, None, "处罚", "d")])


def _all(result):
    return {
        code: {"result": result, "comment": "意见" if result == "problem" else ""}
        for code, _ in rules.CHECKLIST
    }


def test_opinion_needs_every_checklist_item_l3():
    draft = rules.OpinionDraft(rules.Opinion.AGREE, "同意", {"subject": {"result": "pass"}})
    errors = rules.opinion_errors(draft, date(2026, 11, 20))
    assert set(errors) == {f"item_{code}" for code, _ in rules.CHECKLIST[1:]}


def test_agree_only_when_every_item_passes_l3():
    checklist = _all("pass")
    checklist["law"] = {"result": "problem", "comment": "裁量基准适用不当"}
    errors = rules.opinion_errors(
        rules.OpinionDraft(rules.Opinion.AGREE, "同意", checklist), date(2026, 11, 20)
    )
    assert "裁量基准" in errors["opinion"]
    assert (
        rules.opinion_errors(
            rules.OpinionDraft(rules.Opinion.AGREE, "同意", _all("pass")), date(2026, 11, 20)
        )
        == {}
    )


def test_problem_needs_reasons_and_a_problem_item_l4():
    checklist = _all("pass")
    errors = rules.opinion_errors(
        rules.OpinionDraft(rules.Opinion.PROBLEMS, "有问题", checklist), date(2026, 11, 20)
    )
    assert "opinion" in errors
    checklist["facts"] = {"result": "problem", "comment": " "}
    errors = rules.opinion_errors(
        rules.OpinionDraft(rules.Opinion.PROBLEMS, "有问题", checklist), date(2026, 11, 20)
    )
    assert "comment_facts" in errors


def test_supplement_needs_a_future_deadline_l4():
    today = date(2026, 11, 20)
    draft = rules.OpinionDraft(rules.Opinion.SUPPLEMENT, "请补充检验报告", _all("pass"), supplement_due=today)
    assert "supplement_due" in rules.opinion_errors(draft, today)
    draft.supplement_due = date(2026, 11, 21)
    assert rules.opinion_errors(draft, today) == {}


def test_review_period_counts_working_days_over_national_day_l4():
    # submitted Wednesday 30 September 2026: 国庆 1–8 October, 10 October (Saturday) is a workday
    assert rules.review_due(CAL, date(2026, 9, 30), 5).date == date(2026, 10, 14)
    assert rules.review_due(CAL, date(2026, 11, 20), 10).date == date(2026, 12, 4)


def test_handler_may_not_review_and_first_reviewer_needs_qualification_l5():
    assert rules.reviewer_refusal(is_handler=True, has_qualification=True, reviewed_before=True).rule == "L5"
    first = rules.reviewer_refusal(is_handler=False, has_qualification=False, reviewed_before=False)
    assert "法律职业资格" in first.message and "第二款" in first.basis
    assert rules.reviewer_refusal(is_handler=False, has_qualification=False, reviewed_before=True) is None
    assert rules.reviewer_refusal(is_handler=False, has_qualification=True, reviewed_before=False) is None


def test_reviewers_five_percent_at_least_one_l5():
    assert [rules.reviewers_required(n) for n in (0, 1, 20, 21, 40, 41)] == [1, 1, 1, 2, 2, 3]


def test_filing_within_ten_days_rolls_over_rest_days_l6():
    assert rules.filing_due(CAL, date(2026, 11, 20)).date == date(2026, 11, 30)  # Monday
    assert rules.filing_due(CAL, date(2026, 11, 18)).date == date(
        2026, 11, 30
    )  # Saturday 28th rolls to Monday
    assert rules.filing_due(CAL, date(2026, 9, 25)).date == date(2026, 10, 9)  # 5 October falls in 国庆


def test_changes_between_rounds_l4():
    assert rules.changes_between({"fine": "1", "b": 2}, {"fine": "2", "b": 2, "c": 1}) == ["fine", "c"]


def test_decision_text():
    content = {"penalty_kinds": ["warning", "fine"], "fine": "8000.00", "confiscation": "0.00"}
    assert (
        rules.decision_text("处罚", content, {"warning": "警告", "fine": "罚款"})
        == "警告、罚款，罚款8000.00元"
    )
    assert rules.decision_text("不予处罚", {}, {}) == "不予处罚"
