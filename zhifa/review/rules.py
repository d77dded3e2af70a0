"""重大执法决定法制审核: the statute as pure functions (DOMAIN.md L1–L6).

Nothing here touches the database; services.py feeds these functions plain values.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from zhifa.workdays.rules import Calendar, Due, add_natural_days, add_workdays

ART_58 = "《中华人民共和国行政处罚法》第五十八条"
GUIDELINE_118 = "《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》（国办发〔2018〕118号）"
L1_BASIS = f"{ART_58}第一款；{GUIDELINE_118}"
L2_BASIS = f"{ART_58}第一款"
L3_BASIS = GUIDELINE_118
L4_BASIS = GUIDELINE_118
L5_QUALIFICATION_BASIS = f"{ART_58}第二款"
L5_STAFFING_BASIS = GUIDELINE_118
L6_BASIS = "重大执法决定备案制度（L6：作出决定之日起十日内报本级人民政府法制机构备案）"

# L3: what the reviewer checks, in the order of the 118号 guideline.
CHECKLIST: tuple[tuple[str, str], ...] = (
    ("subject", "执法主体是否合法，执法人员是否具备执法资格"),
    ("authority", "是否超越本机关法定权限"),
    ("procedure", "执法程序是否合法"),
    ("facts", "案件事实是否清楚，证据是否合法充分"),
    ("law", "适用法律法规规章是否准确，裁量基准运用是否适当"),
    ("documents", "执法文书是否完备、规范"),
    ("transfer", "违法行为是否涉嫌犯罪、需要移送司法机关或者纪检监察机关"),
)
CHECKLIST_LABELS = dict(CHECKLIST)

# What the handler hands over with a submission (118号: 调查终结报告/审查报告, 决定书代拟稿, 案卷).
MATERIALS: tuple[tuple[str, str], ...] = (
    ("report", "案件调查终结报告"),
    ("review_report", "法制审核送审报告（拟处理意见及理由）"),
    ("draft", "行政处罚决定书代拟稿"),
    ("file", "案卷材料及证据目录"),
)


class Opinion:
    AGREE = "agree"
    PROBLEMS = "problems"
    SUPPLEMENT = "supplement"
    CHOICES = ((AGREE, "同意"), (PROBLEMS, "存在问题"), (SUPPLEMENT, "补充材料"))


class ItemResult:
    PASS = "pass"
    PROBLEM = "problem"
    CHOICES = ((PASS, "通过"), (PROBLEM, "存在问题"))


@dataclass(frozen=True)
class Finding:
    """One reason a decision needs review, or one refusal; ``rule`` is the DOMAIN id."""

    rule: str
    basis: str
    message: str


# --- L1: does this decision need review? ----------------------------------------------------------
@dataclass(frozen=True)
class DecisionFacts:
    """What the catalogue and the statutory triggers look at, taken from the proposal."""

    category: str = "penalty"  # the 权责清单 category (powers.models.PowerCategory)
    penalty_kinds: frozenset[str] = frozenset()
    fine: Decimal = Decimal(0)
    confiscation: Decimal = Decimal(0)
    natural_person: bool = False  # the party is a 自然人 (个体工商户 counts as a 自然人 for amounts)
    hearing_held: bool = False
    field_id: int | None = None
    power_level: str = ""
    is_major: bool = False
    is_complex: bool = False


@dataclass(frozen=True)
class CatalogueCondition:
    """One entry of an agency's 法制审核目录清单; every condition that is set must hold."""

    title: str
    basis: str = ""
    category: str = ""
    penalty_kinds: frozenset[str] = frozenset()
    min_fine_natural: Decimal | None = None
    min_fine_organisation: Decimal | None = None
    min_confiscation: Decimal | None = None
    hearing_held: bool = False
    field_id: int | None = None
    power_level: str = ""


def statutory_triggers(facts: DecisionFacts) -> list[Finding]:
    """L1: the triggers of 处罚法第五十八条第一款 that hold whatever the agency's catalogue says."""
    found = []
    if facts.is_major:
        found.append(Finding("L1", f"{ART_58}第一款第（一）项", "涉及重大公共利益（承办机构认定为重大案件）"))
    if facts.hearing_held:
        found.append(
            Finding("L1", f"{ART_58}第一款第（二）项", "直接关系当事人或者第三人重大权益，经过听证程序")
        )
    if facts.is_complex:
        found.append(Finding("L1", f"{ART_58}第一款第（三）项", "案件情况疑难复杂、涉及多个法律关系"))
    return found


def catalogue_matches(entry: CatalogueCondition, facts: DecisionFacts) -> bool:
    """L1: the entry's conditions (category, penalty kind, amount by party type, hearing, field,
    level) all hold for the proposed decision."""
    if entry.category and entry.category != facts.category:
        return False
    if entry.penalty_kinds and not (entry.penalty_kinds & facts.penalty_kinds):
        return False
    threshold = entry.min_fine_natural if facts.natural_person else entry.min_fine_organisation
    if threshold is not None and facts.fine < threshold:
        return False
    if entry.min_confiscation is not None and facts.confiscation < entry.min_confiscation:
        return False
    if entry.hearing_held and not facts.hearing_held:
        return False
    if entry.field_id is not None and entry.field_id != facts.field_id:
        return False
    return not (entry.power_level and entry.power_level not in facts.power_level)


def catalogue_condition_text(entry: CatalogueCondition, labels: Mapping[str, str]) -> str:
    """The entry's conditions in words, for the catalogue page and the published list."""
    parts = []
    if entry.penalty_kinds:
        parts.append("处罚种类为" + "或".join(labels.get(k, k) for k in sorted(entry.penalty_kinds)))
    if entry.min_fine_natural is not None:
        parts.append(f"对自然人罚款{entry.min_fine_natural:,.2f}元以上")
    if entry.min_fine_organisation is not None:
        parts.append(f"对法人或者其他组织罚款{entry.min_fine_organisation:,.2f}元以上")
    if entry.min_confiscation is not None:
        parts.append(f"没收违法所得、非法财物{entry.min_confiscation:,.2f}元以上")
    if entry.hearing_held:
        parts.append("经过听证程序")
    if entry.power_level:
        parts.append(f"行使层级为{entry.power_level}")
    return "；".join(parts) or "该类别的全部决定"


def required_reasons(
    facts: DecisionFacts, catalogue: Iterable[CatalogueCondition], manual_reason: str = ""
) -> list[Finding]:
    """L1: every reason this decision must be reviewed (empty: review not mandatory)."""
    reasons = statutory_triggers(facts)
    reasons += [
        Finding("L1", entry.basis or "本机关重大执法决定法制审核目录清单", f"列入目录清单：{entry.title}")
        for entry in catalogue
        if catalogue_matches(entry, facts)
    ]
    if manual_reason:
        reasons.append(Finding("L1", L1_BASIS, f"人工列入法制审核：{manual_reason}"))
    return reasons


# --- L2: the gate -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class RoundState:
    """The latest review round as the gate sees it."""

    number: int
    opinion: str = ""  # "" while the reviewer has not decided
    outcome: str = ""  # the decision the round reviewed: 处罚 / 不予处罚
    digest: str = ""  # fingerprint of the reviewed proposal


def gate_refusal(
    reasons: list[Finding], latest: RoundState | None, outcome: str, digest: str
) -> Finding | None:
    """L2: no decision while the review it needs is missing, pending or not passed, or when the
    decision is not the one that passed review."""
    if not reasons:
        return None
    why = "；".join(r.message for r in reasons)
    if latest is None:
        return Finding(
            "L2", L2_BASIS, f"本案应当进行法制审核（{why}），尚未提交法制审核，不得作出决定（L2）。"
        )
    if not latest.opinion:
        return Finding("L2", L2_BASIS, f"第{latest.number}轮法制审核尚未完成，不得作出决定（L2）。")
    if latest.opinion != Opinion.AGREE:
        label = dict(Opinion.CHOICES)[latest.opinion]
        return Finding(
            "L2", L2_BASIS, f"第{latest.number}轮法制审核意见为“{label}”，审核未通过的不得作出决定（L2）。"
        )
    if latest.outcome != outcome or latest.digest != digest:
        return Finding(
            "L2",
            L2_BASIS,
            f"拟作出的决定与第{latest.number}轮法制审核通过的处理意见不一致，须重新提交法制审核（L2）。",
        )
    return None


# --- L3 / L4: the reviewer's opinion ----------------------------------------------------------------
@dataclass
class OpinionDraft:
    opinion: str
    text: str
    checklist: dict[str, dict] = field(default_factory=dict)  # code → {"result", "comment"}
    supplement_due: date | None = None


def opinion_errors(draft: OpinionDraft, today: date) -> dict[str, str]:
    """L3–L4: every checklist item answered; 同意 only when all pass; 存在问题 names the problem;
    补充材料 has a future deadline. Field → Chinese message."""
    errors: dict[str, str] = {}
    for code, label in CHECKLIST:
        item = draft.checklist.get(code) or {}
        if item.get("result") not in (ItemResult.PASS, ItemResult.PROBLEM):
            errors[f"item_{code}"] = f"请对审核要点“{label}”作出结论（L3，{L3_BASIS}）。"
        elif item["result"] == ItemResult.PROBLEM and not (item.get("comment") or "").strip():
            errors[f"comment_{code}"] = f"“{label}”存在问题的，请写明问题和理由（L4，国办发〔2018〕118号）。"
    problems = [code for code, item in draft.checklist.items() if item.get("result") == ItemResult.PROBLEM]
    if draft.opinion == Opinion.AGREE and problems:
        names = "、".join(CHECKLIST_LABELS[c] for c in problems if c in CHECKLIST_LABELS)
        errors["opinion"] = (
            f"审核要点存在问题（{names}），不能出具“同意”的审核意见（L3，国办发〔2018〕118号）。"
        )
    if draft.opinion == Opinion.PROBLEMS and not problems:
        errors["opinion"] = (
            "审核意见为“存在问题”的，请在审核要点中标明存在问题的事项（L4，国办发〔2018〕118号）。"
        )
    if not draft.text.strip():
        errors["text"] = "请填写审核意见（L4，国办发〔2018〕118号）。"
    if draft.opinion == Opinion.SUPPLEMENT:
        if draft.supplement_due is None:
            errors["supplement_due"] = "要求补充材料的，请确定补充期限（L4，国办发〔2018〕118号）。"
        elif draft.supplement_due <= today:
            errors["supplement_due"] = "补充材料期限应当晚于今天（L4，国办发〔2018〕118号）。"
    return errors


def review_due(cal: Calendar, submitted_on: date, workdays: int) -> Due:
    """The review time limit: ``workdays`` working days after submission (national default 5;
    fields may set their own, e.g. 市场监管 10)."""
    return add_workdays(cal, submitted_on, workdays)


def decision_text(outcome: str, content: Mapping[str, object], labels: Mapping[str, str]) -> str:
    """The reviewed decision in words: “罚款、没收违法所得，罚款8000.00元”."""
    if outcome != "处罚":
        return outcome
    text = "、".join(labels.get(k, k) for k in content.get("penalty_kinds") or [])
    for key, label in (("fine", "罚款"), ("confiscation", "没收")):
        amount = content.get(key)
        if amount and Decimal(str(amount)):
            text += f"，{label}{amount}元"
    return text or outcome


def changes_between(previous: Mapping[str, object], current: Mapping[str, object]) -> list[str]:
    """L4 resubmission: the keys whose values changed since the last round, in a stable order."""
    keys = list(dict.fromkeys([*previous.keys(), *current.keys()]))
    return [key for key in keys if previous.get(key) != current.get(key)]


# --- L5: who may review -----------------------------------------------------------------------------
def reviewer_refusal(*, is_handler: bool, has_qualification: bool, reviewed_before: bool) -> Finding | None:
    """L5: a handler of the case may not review it; a first-time reviewer holds the 法律职业资格."""
    if is_handler:
        return Finding("L5", f"{ART_58}；{GUIDELINE_118}", "法制审核人员不得审核本人承办的案件（L5）。")
    if not has_qualification and not reviewed_before:
        return Finding(
            "L5",
            L5_QUALIFICATION_BASIS,
            "初次从事行政处罚决定法制审核的人员，应当通过国家统一法律职业资格考试取得法律职业资格（L5）。",
        )
    return None


def reviewers_required(officers: int) -> int:
    """L5: reviewers are at least 5 % of the agency's officers, and at least one."""
    return max(1, math.ceil(officers * 5 / 100))


# --- L6: 备案 ---------------------------------------------------------------------------------------
FILING_DAYS = 10


def filing_due(cal: Calendar, decided_on: date) -> Due:
    """L6: filed with the government's legal office within ten (natural) days of the decision;
    a period ending on a rest day ends on the next working day (D3)."""
    return add_natural_days(cal, decided_on, FILING_DAYS)
