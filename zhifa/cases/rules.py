"""Statutory rules of the case engine (pure functions, no database).

Each function answers one question the procedure engine asks — may this step happen now, by
when must it happen, what must the 文书 say — and cites its DOMAIN.md rule id and article. A
refusal is a :class:`Refusal` (rule id, legal basis, Chinese message ending with the rule id);
``None`` means the law does not object. Deadlines are :class:`zhifa.workdays.rules.Due` values
(``.date`` is the last day, inclusive; ``.provisional`` when a year lacks holiday data, D4).

Values the statutes leave to fields or regions are parameters; their shipped defaults are in
:data:`NATIONAL_DEFAULTS` (overrides per field/region live in the database).
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from zhifa.powers.rules import PENALTY_KIND_LABELS
from zhifa.records.rules import MAX_PAD, TOKEN_RE
from zhifa.records.rules import format_number as format_pattern
from zhifa.workdays.rules import (
    Calendar,
    Due,
    add_natural_days,
    add_workdays,
    cn_date,
    count_workdays,
    is_workday,
)

# --- Laws ------------------------------------------------------------------------------------
PUNISHMENT_LAW = "《中华人民共和国行政处罚法》"
COERCION_LAW = "《中华人民共和国行政强制法》"
LICENSING_LAW = "《中华人民共和国行政许可法》"
REVIEW_LAW = "《中华人民共和国行政复议法》"
LITIGATION_LAW = "《中华人民共和国行政诉讼法》"
CIVIL_CODE = "《中华人民共和国民法典》"
TRANSFER_REGULATION = "《行政执法机关移送涉嫌犯罪案件的规定》（国务院令第310号）"
SAMR_PROCEDURE = "《市场监督管理行政处罚程序规定》"
SAMR_HEARING = "《市场监督管理行政处罚听证办法》"

P2_BASIS = f"{PUNISHMENT_LAW}第五十一条"
P3_BASIS = f"{PUNISHMENT_LAW}第三十六条"
P5_BASIS = f"{PUNISHMENT_LAW}第五十六条、第八十五条"
P6_BASIS = f"{PUNISHMENT_LAW}第四十四条、第四十五条、第六十二条"
P6_HEAVIER_BASIS = f"{PUNISHMENT_LAW}第四十五条第二款"
P7_BASIS = f"{PUNISHMENT_LAW}第五十七条第二款"
P8_BASIS = f"{PUNISHMENT_LAW}第六十三条"
P8_PROCEDURE_BASIS = f"{PUNISHMENT_LAW}第六十四条、第八十五条"
P9_BASIS = f"{PUNISHMENT_LAW}第六十条"
P10_BASIS = f"{PUNISHMENT_LAW}第五十九条"
P10_SUMMARY_BASIS = f"{PUNISHMENT_LAW}第五十二条"
P11_BASIS = f"{PUNISHMENT_LAW}第六十一条、第八十五条"
P11_ELECTRONIC_BASIS = f"{PUNISHMENT_LAW}第六十一条第二款"
P12_BASIS = f"{PUNISHMENT_LAW}第六十七条第三款"
P12_SURCHARGE_BASIS = (
    f"{PUNISHMENT_LAW}第七十二条第一款第一项、第七十三条第三款；{COERCION_LAW}第四十五条第二款"
)
P13_BASIS = f"{PUNISHMENT_LAW}第八条第二款、第二十七条、第五十七条第一款第四项；{TRANSFER_REGULATION}第十一条"
C1_BASIS = f"{COERCION_LAW}第十九条"
C2_SEIZURE_BASIS = f"{COERCION_LAW}第二十五条"
C2_FREEZE_BASIS = f"{COERCION_LAW}第三十二条"
C3_BASIS = f"{COERCION_LAW}第四十三条第一款"
C4_BASIS = f"{COERCION_LAW}第五十三条、第五十四条、第六十九条"
T1_NOTICE_BASIS = f"{LICENSING_LAW}第三十二条第一款第四项、第八十二条"
T1_DECISION_BASIS = f"{LICENSING_LAW}第四十二条第一款、第八十二条"
T1_CERTIFICATE_BASIS = f"{LICENSING_LAW}第四十四条、第八十二条"
T1_HEARING_BASIS = f"{LICENSING_LAW}第四十七条第一款、第八十二条"
T1_HEARING_NOTICE_BASIS = f"{LICENSING_LAW}第四十八条第一款第一项、第八十二条"
T1_PRESIDING_BASIS = f"{LICENSING_LAW}第四十八条第一款第三项"
T2_REVIEW_BASIS = f"{REVIEW_LAW}第二十条"
T2_SUMMARY_BASIS = f"{REVIEW_LAW}第二十三条"
T2_LITIGATION_BASIS = f"{LITIGATION_LAW}第四十五条、第四十六条"
T4_BASIS = f"{SAMR_PROCEDURE}关于立案核查期限的规定（按领域、地区配置）"
PERIOD_BASIS = f"{CIVIL_CODE}第二百零一条、第二百零二条、第二百零三条"
S7_BASIS = "行政执法监督平台红黄绿灯预警（S7）"

# 2023年修订的《行政复议法》施行之日（第九十条）；此前当场处罚不实行复议前置。
REVIEW_LAW_2023_IN_FORCE = date(2024, 1, 1)
LOCAL_TZ = ZoneInfo("Asia/Shanghai")

# --- Values the statute leaves open: shipped defaults (overridable per field/region) ----------
# P8: 处罚法第六十三条“较大数额”“较大价值”无全国统一标准；默认取市场监管标准，“以上”含本数。
HEARING_FINE_NATURAL = Decimal("10000")
HEARING_FINE_ORGANISATION = Decimal("100000")
# P8: 第六十三条第一款第五项“其他较重的行政处罚”默认包含的处罚种类（处罚法第九条的编码）：
# 暂扣许可证件与降低资质等级同类，限制开展生产经营活动与责令停产停业同类。
HEARING_HEAVY_KINDS = frozenset({"suspend_license", "restrict_business"})

NATIONAL_DEFAULTS: dict[str, object] = {
    # P6: 陈述、申辩期限（工作日）。处罚法未规定天数，市场监管等部门规章通行五个工作日。
    "statement_workdays": 5,
    "hearing_fine_natural": HEARING_FINE_NATURAL,
    "hearing_fine_organisation": HEARING_FINE_ORGANISATION,
    "hearing_confiscation_natural": HEARING_FINE_NATURAL,
    "hearing_confiscation_organisation": HEARING_FINE_ORGANISATION,
    "hearing_heavy_kinds": HEARING_HEAVY_KINDS,
    # T4: 立案核查期限（工作日）及经批准可延长的期限；默认取市场监管标准。
    "filing_workdays": 15,
    "filing_extension_workdays": 15,
    # P9/T4: 作出决定的期限（自然日，处罚法第六十条）及经批准可延长的上限（默认取市场监管标准）。
    "decision_days": 90,
    "decision_extension_days": 30,
    # C3: 强制法第四十三条“夜间”的起止时刻（法律未界定，取通行理解22时至次日6时）。
    "night_start": time(22, 0),
    "night_end": time(6, 0),
    # S7: 剩余工作日不超过此数时亮黄灯。
    "warning_yellow_workdays": 3,
    # P1: 执法人员不得少于两人（处罚法第四十二条），法律另有规定的领域可另行配置（如道路交通安全法第一百零七条）。
    "min_officers": 2,
    # P12: 缴纳罚款期限（自然日，处罚法第六十七条第三款）。
    "payment_days": 15,
    # C2: 查封、扣押延长期限上限（强制法第二十五条）；T1: 许可决定延长上限（行政许可法第四十二条）。
    "seizure_extension_days": 30,
    "licence_extension_workdays": 10,
    # L4: 法制审核期限（工作日）。法律未规定；通行五个工作日，市场监管等领域可设为十个工作日。
    "legal_review_workdays": 5,
}


# --- Refusals ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Refusal:
    """Why the law forbids a step: the DOMAIN.md rule id, its legal basis and the Chinese message."""

    rule: str
    basis: str
    message: str

    def __str__(self) -> str:
        return self.message


def refusal(rule: str, basis: str, text: str) -> Refusal:
    """A refusal whose message cites the basis and ends with the rule id: “…（依据；P6）。”."""
    return Refusal(rule, basis, f"{text}（{basis}；{rule}）。")


def due_text(due: Due) -> str:
    """A deadline in Chinese, marked when it is provisional (D4)."""
    return cn_date(due.date) + ("（暂定：该年度节假日安排尚未载入，D4）" if due.provisional else "")


CENT = Decimal("0.01")


def yuan(amount: Decimal) -> str:
    """200 → “200元”, 200.01 → “200.01元”."""
    amount = Decimal(amount)
    if amount == amount.to_integral_value():
        return f"{amount.quantize(Decimal(1))}元"
    return f"{amount.quantize(CENT, rounding=ROUND_HALF_UP)}元"


def money(value: Decimal | int | str | None) -> Decimal:
    """Amounts as Decimal; floats are refused because they cannot hold 分 exactly."""
    if value is None or value == "":
        return Decimal(0)
    if isinstance(value, float):
        raise TypeError("金额必须为Decimal、整数或字符串，不能为浮点数。")
    amount = Decimal(value)
    if amount < 0:
        raise ValueError("金额不能为负数。")
    return amount


# --- Periods counted in months and years (民法典 Art. 201, 202) -------------------------------
def add_months(day: date, months: int) -> date:
    """The corresponding day ``months`` later; without one, the month's last day (民法典第二百零二条).

    Counting starts the next day (第二百零一条), so the corresponding day is the period's last day:
    2024-03-10 + 24 months = 2026-03-10; 2024-02-29 + 24 months = 2026-02-28.
    """
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def add_months_rolled(cal: Calendar, day: date, months: int) -> Due:
    """A month period whose last day, if a rest day, moves to the next working day (D3; 民法典第二百零三条)."""
    return add_natural_days(cal, day, (add_months(day, months) - day).days)


# --- Parties and penalties --------------------------------------------------------------------
class PartyKind(StrEnum):
    NATURAL_PERSON = "natural_person"
    INDIVIDUAL_BUSINESS = "individual_business"
    LEGAL_PERSON = "legal_person"
    UNINCORPORATED = "unincorporated"


PARTY_KIND_LABELS = {
    PartyKind.NATURAL_PERSON: "自然人",
    PartyKind.INDIVIDUAL_BUSINESS: "个体工商户",
    PartyKind.LEGAL_PERSON: "法人",
    PartyKind.UNINCORPORATED: "非法人组织",
}
INDIVIDUAL_BUSINESS_BASIS = f"{CIVIL_CODE}第五十四条"


def is_natural_person(party_kind: str) -> bool:
    """公民 in the 处罚法: a natural person, including a 个体工商户 (民法典第五十四条: 自然人从事工商业经营
    经依法登记为个体工商户). 法人 and 非法人组织 are the 法人或者其他组织."""
    if party_kind not in PARTY_KIND_LABELS:
        raise ValueError(f"未知的当事人类别“{party_kind}”。")
    return party_kind in (PartyKind.NATURAL_PERSON, PartyKind.INDIVIDUAL_BUSINESS)


def _party_text(party_kind: str) -> str:
    return "自然人（含个体工商户）" if is_natural_person(party_kind) else "法人或者其他组织"


def ordered_kinds(kinds: Iterable[str]) -> list[str]:
    """Penalty kinds in 处罚法第九条 order (unknown codes last)."""
    order = list(PENALTY_KIND_LABELS)
    return sorted(set(kinds), key=lambda k: (order.index(k) if k in order else len(order), k))


def kinds_text(kinds: Iterable[str]) -> str:
    return "、".join(PENALTY_KIND_LABELS.get(k, k) for k in ordered_kinds(kinds))


@dataclass(frozen=True)
class Penalty:
    """A penalty as notified or decided: kinds are 处罚法第九条 codes (zhifa.powers.rules.PENALTY_KINDS);
    ``confiscation`` is the total of 没收违法所得 and the value of 没收非法财物."""

    kinds: frozenset[str]
    fine: Decimal = Decimal(0)
    confiscation: Decimal = Decimal(0)

    def describe(self) -> str:
        parts = [
            f"罚款{yuan(self.fine)}" if kind == "fine" else PENALTY_KIND_LABELS.get(kind, kind)
            for kind in ordered_kinds(self.kinds)
        ]
        if self.confiscation:
            parts.append(f"没收金额{yuan(self.confiscation)}")
        return "、".join(parts) or "无"


# --- P2 简易程序 --------------------------------------------------------------------------------
SUMMARY_KINDS = frozenset({"warning", "fine"})
SUMMARY_FINE_NATURAL = Decimal("200")
SUMMARY_FINE_ORGANISATION = Decimal("3000")


def summary_fine_limit(party_kind: str) -> Decimal:
    """P2: 处罚法第五十一条: 对公民二百元以下、对法人或者其他组织三千元以下 (both inclusive)."""
    return SUMMARY_FINE_NATURAL if is_natural_person(party_kind) else SUMMARY_FINE_ORGANISATION


def summary_procedure_refusals(
    party_kind: str,
    penalty_kinds: Iterable[str],
    fine: Decimal | int | str | None,
    facts_certain: bool,
    legal_basis_present: bool,
    *,
    fine_limit: Decimal | None = None,
) -> list[Refusal]:
    """P2: whether a penalty may be decided on the spot (简易程序), 处罚法第五十一条.

    Allowed only when the facts are certain (违法事实确凿), there is a legal basis, and the
    penalty is 警告 and/or 罚款 of at most 200 元 for a 公民 (a 个体工商户 counts as one, 民法典第五十四条)
    or 3000 元 for a 法人或者其他组织. Art. 51 names only 罚款 and 警告: 通报批评 and every other kind
    need the 普通程序. ``fine_limit`` is for a law that provides otherwise (“法律另有规定的，从其规定”).
    """
    kinds = set(penalty_kinds)
    amount = money(fine)
    limit = summary_fine_limit(party_kind) if fine_limit is None else money(fine_limit)
    refusals = []
    if not facts_certain:
        refusals.append(refusal("P2", P2_BASIS, "违法事实尚未确凿，不能适用简易程序当场作出行政处罚决定"))
    if not legal_basis_present:
        refusals.append(refusal("P2", P2_BASIS, "没有法定依据，不能当场作出行政处罚决定"))
    if not kinds:
        refusals.append(refusal("P2", P2_BASIS, "请选择处罚种类：简易程序只能给予警告或者罚款"))
    if other := kinds - SUMMARY_KINDS:
        refusals.append(
            refusal("P2", P2_BASIS, f"简易程序只能给予警告或者罚款，“{kinds_text(other)}”须适用普通程序")
        )
    if "fine" in kinds and amount <= 0:
        refusals.append(refusal("P2", P2_BASIS, "处罚种类包含罚款，请填写罚款数额"))
    if amount > 0 and "fine" not in kinds:
        refusals.append(refusal("P2", P2_BASIS, "填写了罚款数额，处罚种类应包含罚款"))
    if amount > limit:
        refusals.append(
            refusal(
                "P2",
                P2_BASIS,
                f"当场处罚对{_party_text(party_kind)}的罚款不得超过{yuan(limit)}，"
                f"本次为{yuan(amount)}，须适用普通程序",
            )
        )
    return refusals


# --- P3 追责时效 ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Limitation:
    years: int
    counted_from: date  # the act, or the end of a continuing act
    ends_on: date  # the last day on which discovery still allows a penalty
    expired: bool
    warning: str | None

    @property
    def refusal(self) -> Refusal | None:
        return Refusal("P3", P3_BASIS, self.warning) if self.warning else None


def limitation_check(
    act_date: date,
    continuing_until: date | None,
    discovered_on: date,
    endangers_life_health_finance_with_consequences: bool,
    *,
    statutory_years: int | None = None,
) -> Limitation:
    """P3: 处罚法第三十六条 — no penalty for a violation undiscovered for 2 years (5 years when it
    concerns 公民生命健康安全、金融安全 and had harmful consequences; ``statutory_years`` when
    “法律另有规定”), counted from the act, or from its end when it is 连续或者继续.

    “二年” follows 民法典第二百零一条、第二百零二条: counting starts the next day and ends on the same
    calendar date two years later (29 February → 28 February). Discovery on that day is in time;
    the day after is too late. The end does not move off rest days: the time bar protects the
    party and is not a period within which anyone must act at an office (D3 does not apply).
    """
    if continuing_until and continuing_until < act_date:
        raise ValueError("违法行为终了日期不能早于违法行为发生日期。")
    years = statutory_years or (5 if endangers_life_health_finance_with_consequences else 2)
    counted_from = continuing_until or act_date
    ends_on = add_months(counted_from, 12 * years)
    expired = discovered_on > ends_on
    warning = None
    if expired:
        start = f"违法行为终了之日{cn_date(counted_from)}" if continuing_until else cn_date(counted_from)
        warning = (
            f"违法行为自{start}起{_cn_years(years)}内未被发现（时效于{cn_date(ends_on)}届满，"
            f"发现于{cn_date(discovered_on)}），依法不再给予行政处罚（{P3_BASIS}；P3）。"
        )
    return Limitation(years, counted_from, ends_on, expired, warning)


def _cn_years(years: int) -> str:
    return {2: "二年", 5: "五年"}.get(years, f"{years}年")


# --- P5 先行登记保存 ------------------------------------------------------------------------------
def preservation_decision_due(preserved_on: date, cal: Calendar) -> Due:
    """P5: a handling decision within 七日 (working days, D1) of 先行登记保存 (处罚法第五十六条、第八十五条)."""
    return add_workdays(cal, preserved_on, 7)


def preservation_approval_refusal(head_approved: bool) -> Refusal | None:
    """P5: 先行登记保存 needs the agency head's approval (处罚法第五十六条)."""
    if head_approved:
        return None
    return refusal("P5", P5_BASIS, "先行登记保存证据须经行政机关负责人批准")


# --- P6 告知、陈述申辩 ---------------------------------------------------------------------------
def statement_period_end(served_on: date, cal: Calendar, days: int = 5) -> Due:
    """P6: the last day of the 陈述、申辩 period, ``days`` working days after the 告知书 is served.

    处罚法第四十四条、第四十五条 set no number; 5 working days is the shipped default
    (NATIONAL_DEFAULTS["statement_workdays"]).
    """
    return add_workdays(cal, served_on, days)


def decision_allowed_after_notice(
    served_on: date | None, today: date, cal: Calendar, waived: bool, days: int = 5
) -> Refusal | None:
    """P6: no decision before the 告知书 is served and its 陈述申辩 period has passed, unless the party
    expressly waived (处罚法第六十二条). A decision is allowed from the day after the period's end.
    Where a hearing was offered, also check :func:`hearing_request_deadline`."""
    if served_on is None or served_on > today:
        return refusal(
            "P6",
            P6_BASIS,
            "尚未向当事人送达行政处罚告知书（拟作出的处罚内容及事实、理由、依据和陈述、申辩等权利），不得作出行政处罚决定",
        )
    if waived:
        return None
    end = statement_period_end(served_on, cal, days)
    if today <= end.date:
        return refusal(
            "P6",
            P6_BASIS,
            f"当事人陈述、申辩期限至{due_text(end)}届满，期限届满前不得作出行政处罚决定，"
            "当事人明确放弃陈述或者申辩权利的除外",
        )
    return None


def penalty_increase_refusal(notified: Penalty, decided: Penalty, party_defended: bool) -> Refusal | None:
    """P6: the decision may not go beyond what was notified (处罚法第四十四条、第六十二条), and after the
    party stated or defended, may not be heavier (处罚法第四十五条第二款: 不得因当事人陈述、申辩而给予
    更重的处罚). Heavier means a kind not notified, or a larger fine or confiscation.
    """
    added = decided.kinds - notified.kinds
    heavier = bool(added) or decided.fine > notified.fine or decided.confiscation > notified.confiscation
    if not heavier:
        return None
    change = f"告知的处罚为“{notified.describe()}”，拟决定的处罚为“{decided.describe()}”"
    if party_defended:
        return refusal(
            "P6",
            P6_HEAVIER_BASIS,
            f"不得因当事人陈述、申辩而给予更重的处罚：{change}；如查明新的违法事实，应当重新告知",
        )
    return refusal(
        "P6",
        f"{PUNISHMENT_LAW}第四十四条、第六十二条",
        f"拟决定的处罚超出已告知的内容（{change}），应当重新告知当事人并听取陈述、申辩",
    )


# --- P7 集体讨论 ---------------------------------------------------------------------------------
def collective_discussion_required(major: bool, complex_case: bool) -> bool:
    """P7: 对情节复杂或者重大违法行为给予行政处罚，行政机关负责人应当集体讨论决定 (处罚法第五十七条第二款)."""
    return major or complex_case


def collective_discussion_refusal(major: bool, complex_case: bool, discussed: bool) -> Refusal | None:
    """P7: no penalty for a complex or major case without a recorded 集体讨论 (处罚法第五十七条第二款)."""
    if discussed or not collective_discussion_required(major, complex_case):
        return None
    what = "、".join(label for flag, label in ((complex_case, "情节复杂"), (major, "重大违法行为")) if flag)
    return refusal("P7", P7_BASIS, f"本案属于{what}，给予行政处罚应当由行政机关负责人集体讨论决定")


# --- P8 听证 -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class HearingThresholds:
    """处罚法第六十三条“较大数额”/“较大价值” and “其他较重的行政处罚” as configured (P8).

    Amounts are inclusive (“以上”含本数). A 个体工商户 is measured as a natural person.
    """

    fine_natural: Decimal = HEARING_FINE_NATURAL
    fine_organisation: Decimal = HEARING_FINE_ORGANISATION
    confiscation_natural: Decimal = HEARING_FINE_NATURAL
    confiscation_organisation: Decimal = HEARING_FINE_ORGANISATION
    heavy_kinds: frozenset[str] = HEARING_HEAVY_KINDS

    @classmethod
    def from_config(cls, config: Mapping[str, object]) -> HearingThresholds:
        """Build from a mapping with NATIONAL_DEFAULTS keys; missing keys take the national default."""
        merged = {**NATIONAL_DEFAULTS, **config}
        return cls(
            fine_natural=money(merged["hearing_fine_natural"]),
            fine_organisation=money(merged["hearing_fine_organisation"]),
            confiscation_natural=money(merged["hearing_confiscation_natural"]),
            confiscation_organisation=money(merged["hearing_confiscation_organisation"]),
            heavy_kinds=frozenset(merged["hearing_heavy_kinds"]),
        )


THIRD_ITEM = ("lower_qualification", "revoke_license")
FOURTH_ITEM = ("suspend_business", "close", "restrict_practice")


def hearing_reasons(
    party_kind: str,
    penalty_kinds: Iterable[str],
    fine: Decimal | int | str | None,
    confiscation_amount: Decimal | int | str | None,
    thresholds: HearingThresholds | None = None,
) -> list[str]:
    """P8: why the hearing must be offered (处罚法第六十三条第一款), one Chinese line per item; empty
    when none applies. ``confiscation_amount`` is 没收违法所得 plus the value of 没收非法财物.
    Item (六) (法律、法规、规章规定的其他情形) is configured through ``thresholds.heavy_kinds``.
    """
    thresholds = thresholds or HearingThresholds()
    kinds = set(penalty_kinds)
    natural = is_natural_person(party_kind)
    who = _party_text(party_kind)
    fine_limit = thresholds.fine_natural if natural else thresholds.fine_organisation
    seize_limit = thresholds.confiscation_natural if natural else thresholds.confiscation_organisation
    amount, seized = money(fine), money(confiscation_amount)
    reasons = []
    if amount >= fine_limit:
        reasons.append(
            f"较大数额罚款：对{who}罚款{yuan(fine_limit)}以上（拟罚款{yuan(amount)}，第六十三条第一款第一项）"
        )
    if seized >= seize_limit:
        reasons.append(
            f"没收较大数额违法所得、较大价值非法财物：对{who}{yuan(seize_limit)}以上"
            f"（拟没收{yuan(seized)}，第六十三条第一款第二项）"
        )
    for item, group in (("第三项", THIRD_ITEM), ("第四项", FOURTH_ITEM)):
        for kind in group:
            if kind in kinds:
                reasons.append(f"{PENALTY_KIND_LABELS[kind]}（第六十三条第一款{item}）")
    for kind in sorted(kinds & thresholds.heavy_kinds):
        reasons.append(f"其他较重的行政处罚：{PENALTY_KIND_LABELS.get(kind, kind)}（第六十三条第一款第五项）")
    return reasons


def hearing_offer_refusal(reasons: list[str], offered: bool) -> Refusal | None:
    """P8: a penalty for which :func:`hearing_reasons` is not empty needs the hearing offered in the
    告知书 (处罚法第六十三条)."""
    if offered or not reasons:
        return None
    return refusal("P8", P8_BASIS, f"拟作出的处罚属于“{'；'.join(reasons)}”，应当告知当事人有要求听证的权利")


def hearing_request_deadline(notice_served_on: date, cal: Calendar) -> Due:
    """P8: the party asks for a hearing within 五日 (working days) of the notice (处罚法第六十四条第一项、第八十五条)."""
    return add_workdays(cal, notice_served_on, 5)


def hearing_request_refusal(notice_served_on: date, requested_on: date, cal: Calendar) -> Refusal | None:
    """P8: a request on working day 5 is in time, on working day 6 it is late (处罚法第六十四条第一项)."""
    deadline = hearing_request_deadline(notice_served_on, cal)
    if requested_on <= deadline.date:
        return None
    return refusal(
        "P8",
        P8_PROCEDURE_BASIS,
        f"听证申请应当在告知后五个工作日内（{due_text(deadline)}前）提出，{cn_date(requested_on)}提出已逾期",
    )


def earliest_hearing_date(notice_date: date, cal: Calendar, days: int = 7) -> Due:
    """P8/T1: a hearing notified on D may be held on D's 7th working day or later (“举行听证的七日前”通知)."""
    return add_workdays(cal, notice_date, days)


def hearing_notice_refusal(notice_date: date, hearing_date: date, cal: Calendar) -> Refusal | None:
    """P8: time and place notified 七日 (working days) before the hearing (处罚法第六十四条第二项、第八十五条)."""
    earliest = earliest_hearing_date(notice_date, cal)
    if hearing_date >= earliest.date:
        return None
    return refusal(
        "P8",
        P8_PROCEDURE_BASIS,
        f"应当在举行听证的七个工作日前通知当事人；{cn_date(notice_date)}通知的，"
        f"听证最早于{due_text(earliest)}举行",
    )


def presiding_officer_refusal(presiding_id: object, investigator_ids: Iterable[object]) -> Refusal | None:
    """P8: the hearing is presided by someone the agency designates who is not an investigator of
    the case (处罚法第六十四条第四项)."""
    if presiding_id is None or presiding_id == "":
        return refusal("P8", f"{PUNISHMENT_LAW}第六十四条第四项", "请指定听证主持人")
    if presiding_id in set(investigator_ids):
        return refusal(
            "P8",
            f"{PUNISHMENT_LAW}第六十四条第四项",
            "听证由非本案调查人员主持，本案调查人员不得担任听证主持人",
        )
    return None


# --- P9 / T4 办案期限 ---------------------------------------------------------------------------
def filing_due(lead_received_on: date, cal: Calendar, days: int = 15, extension_days: int = 0) -> Due:
    """T4: decide whether to 立案 within ``days`` working days of the lead (+ an approved extension).

    The 处罚法 sets no limit; the shipped default is the 市场监管 rule (15 + 15 working days)."""
    return add_workdays(cal, lead_received_on, days + extension_days)


def decision_due(
    filed_on: date, cal: Calendar, days: int = 90, extension_days: int = 0, excluded_days: int = 0
) -> Due:
    """P9: the decision within 九十日 (natural days) of 立案 (处罚法第六十条); the last day rolls off a
    rest day (D3). ``extension_days``: an approved extension where a law, regulation or rule allows
    one (T4); ``excluded_days``: periods the rule does not count (检测、听证、公告 …)."""
    return add_natural_days(cal, filed_on, days + extension_days + excluded_days)


def decision_overdue_refusal(
    filed_on: date,
    on: date,
    cal: Calendar,
    days: int = 90,
    extension_days: int = 0,
    excluded_days: int = 0,
) -> Refusal | None:
    """P9: a decision dated after :func:`decision_due` is refused until an extension is approved."""
    due = decision_due(filed_on, cal, days, extension_days, excluded_days)
    if on <= due.date:
        return None
    extended = f"（含经批准延长的{extension_days}日）" if extension_days else ""
    return refusal(
        "P9",
        P9_BASIS,
        f"应当自立案之日（{cn_date(filed_on)}）起{days + extension_days}日内{extended}作出行政处罚决定，"
        f"期限已于{due_text(due)}届满；确需延长的，应当依照法律、法规、规章经批准延长",
    )


def extension_limit_refusal(
    rule: str, basis: str, requested_days: int, max_days: int, approved: bool
) -> Refusal | None:
    """P9/T4 and T1: an extension needs the head's approval and stays within its maximum."""
    if not approved:
        return refusal(rule, basis, "延长期限须经行政机关负责人批准")
    if requested_days <= 0:
        return refusal(rule, basis, "延长的天数应当大于零")
    if requested_days > max_days:
        return refusal(rule, basis, f"延长期限不得超过{max_days}日，申请延长{requested_days}日")
    return None


# --- P10 决定书内容 ------------------------------------------------------------------------------
DECISION_CONTENT = {
    "party_name": "当事人的姓名或者名称（第一项）",
    "party_address": "当事人的地址（第一项）",
    "facts": "违反法律、法规、规章的事实（第二项）",
    "evidence": "证据（第二项）",
    "penalty_kinds": "行政处罚的种类（第三项）",
    "legal_basis": "行政处罚的依据（第三项）",
    "performance_method": "行政处罚的履行方式（第四项）",
    "performance_deadline": "行政处罚的履行期限（第四项）",
    "remedy": "申请行政复议、提起行政诉讼的途径和期限（第五项）",
    "agency_name": "作出行政处罚决定的行政机关名称（第六项）",
    "decision_date": "作出决定的日期（第六项）",
    "seal": "作出行政处罚决定的行政机关的印章（第二款）",
}
SUMMARY_DECISION_CONTENT = {
    "party_name": "当事人的姓名或者名称",
    "facts": "当事人的违法行为",
    "penalty_kinds": "行政处罚的种类",
    "legal_basis": "行政处罚的依据",
    "fine": "罚款数额（处以罚款的）",
    "decided_at": "时间",
    "place": "地点",
    "remedy": "申请行政复议、提起行政诉讼的途径和期限",
    "agency_name": "行政机关名称",
    "officer_signature": "执法人员签名或者盖章",
}


def _blank(value: object) -> bool:
    if value is None or value is False:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, Iterable):
        return not list(value)
    return False


def decision_content_missing(content: Mapping[str, object], summary: bool = False) -> list[str]:
    """P10: the items a 行政处罚决定书 lacks, as Chinese labels (处罚法第五十九条; for a 当场
    decision 第五十二条第二款, where 罚款数额 is needed only when a fine is imposed)."""
    required = SUMMARY_DECISION_CONTENT if summary else DECISION_CONTENT
    missing = []
    for key, label in required.items():
        if key == "fine" and "fine" not in set(content.get("penalty_kinds") or ()):
            continue
        if _blank(content.get(key)):
            missing.append(label)
    return missing


def decision_content_refusal(content: Mapping[str, object], summary: bool = False) -> Refusal | None:
    """P10: refuse to issue a 决定书 with missing items (处罚法第五十九条 / 第五十二条)."""
    missing = decision_content_missing(content, summary)
    if not missing:
        return None
    basis = f"{P10_SUMMARY_BASIS}第二款" if summary else P10_BASIS
    return refusal("P10", basis, f"行政处罚决定书缺少法定载明事项：{'；'.join(missing)}")


# --- P11 送达 ----------------------------------------------------------------------------------
def service_due(decision_date: date, cal: Calendar) -> Due:
    """P11: when the party was absent at the announcement, service within 七日 (working days) (处罚法
    第六十一条第一款、第八十五条)."""
    return add_workdays(cal, decision_date, 7)


def electronic_service_refusal(consented: bool) -> Refusal | None:
    """P11: fax, e-mail and other electronic service only when the party agreed and signed a
    确认书 (处罚法第六十一条第二款)."""
    if consented:
        return None
    return refusal(
        "P11",
        P11_ELECTRONIC_BASIS,
        "当事人未同意并签订确认书，不得采用传真、电子邮件等方式送达行政处罚决定书",
    )


# --- Excluded intervals (检测、鉴定、听证、公告 …; P9, C2, T1) ---------------------------------------------------
def excluded_days(unit: str, first: date, last: date, cal: Calendar) -> int:
    """P9/C2/T1: days of a period that are not counted because of a 检测、检验、检疫、鉴定、听证、公告 … interval
    from ``first`` to ``last`` (both included): natural days, or the working days among them for a
    period counted in working days (行政强制法第二十五条第三款; 行政许可法第四十五条; 市场监督管理行政
    处罚程序规定第六十四条)."""
    if last < first:
        raise ValueError("中止结束日期不能早于开始日期。")
    if unit == "work":
        return count_workdays(cal, first - timedelta(days=1), last).days
    return (last - first).days + 1


# --- P12 缴纳罚款与加处罚款 ------------------------------------------------------------------------
SURCHARGE_RATE = Decimal("0.03")


def payment_due(received_on: date, cal: Calendar, days: int = 15) -> Due:
    """P12: the fine is paid within 十五日 (natural days) of receiving the 决定书 (处罚法第六十七条第三款);
    a last day on a rest day rolls to the next working day (D3)."""
    return add_natural_days(cal, received_on, days)


@dataclass(frozen=True)
class Surcharge:
    amount: Decimal  # rounded to 分
    days: int  # days counted (after the due date, outside 复议/诉讼)
    capped: bool  # the amount reached the fine itself


def _paused_days(start: date, end: date, paused_intervals: Iterable[tuple[date, date | None]]) -> int:
    """Days of [start, end] inside the union of the closed intervals (an open end runs to ``end``)."""
    paused: set[date] = set()
    for first, last in paused_intervals:
        last = end if last is None else last
        if last < first:
            raise ValueError("复议、诉讼期间的结束日期不能早于开始日期。")
        lo, hi = max(first, start), min(last, end)
        paused.update(lo + timedelta(days=i) for i in range((hi - lo).days + 1))
    return len(paused)


def late_surcharge(
    fine: Decimal | int | str,
    due_date: date,
    on: date,
    paused_intervals: Iterable[tuple[date, date | None]] = (),
) -> Surcharge:
    """P12: 加处罚款 owed on ``on`` for a fine due on ``due_date``.

    3 % of the fine for each day after the due date through ``on`` (处罚法第七十二条第一款第一项),
    never more than the fine (ibid.; 行政强制法第四十五条第二款); days inside a 复议 or 诉讼 interval
    (closed ``(first, last)`` dates, ``last`` None while it runs) are not counted (处罚法第七十三条
    第三款). Rounded half-up to 分. The cap is reached on day 34 (3 % × 34 = 102 %).
    """
    amount = money(fine)
    if on <= due_date:
        return Surcharge(Decimal("0.00"), 0, False)
    start = due_date + timedelta(days=1)
    days = (on - due_date).days - _paused_days(start, on, paused_intervals)
    raw = amount * SURCHARGE_RATE * days
    capped = raw >= amount and amount > 0
    return Surcharge(min(raw, amount).quantize(CENT, rounding=ROUND_HALF_UP), days, capped)


# --- P13 行刑衔接 --------------------------------------------------------------------------------
class Outcome(StrEnum):
    """The head's decision after the investigation (处罚法第五十七条第一款)."""

    PENALTY = "penalty"
    NO_PENALTY_MINOR = "no_penalty_minor"
    NO_PENALTY_UNPROVEN = "no_penalty_unproven"
    TRANSFER = "transfer"


OUTCOME_LABELS = {
    Outcome.PENALTY: "给予行政处罚",
    Outcome.NO_PENALTY_MINOR: "违法行为轻微，不予行政处罚",
    Outcome.NO_PENALTY_UNPROVEN: "违法事实不能成立，不予行政处罚",
    Outcome.TRANSFER: "涉嫌犯罪，移送司法机关",
}


def transfer_required(suspected_crime: bool, returned_by_judiciary: bool = False) -> bool:
    """P13: a suspected crime must go to the judicial organ (处罚法第二十七条、第五十七条第一款第四项),
    unless the judiciary already sent it back as needing no criminal liability (第二十七条第一款)."""
    return suspected_crime and not returned_by_judiciary


def transfer_refusal(
    outcome: str, suspected_crime: bool, returned_by_judiciary: bool = False
) -> Refusal | None:
    """P13: while a transfer is required, any other outcome is refused — 不得以行政处罚代替移送
    (国务院令第310号第十一条; 处罚法第八条第二款 不得以行政处罚代替刑事处罚)."""
    if outcome == Outcome.TRANSFER:
        if suspected_crime:
            return None
        return refusal("P13", P13_BASIS, "移送司法机关须先认定违法行为涉嫌犯罪，请记录涉嫌犯罪的事实和理由")
    if not transfer_required(suspected_crime, returned_by_judiciary):
        return None
    return refusal(
        "P13",
        P13_BASIS,
        f"违法行为涉嫌犯罪，应当将案件移送司法机关，不得以“{OUTCOME_LABELS.get(outcome, outcome)}”代替移送",
    )


# --- C1–C4 行政强制 ------------------------------------------------------------------------------
def emergency_report_refusal(acted_at: datetime, reported_at: datetime | None) -> Refusal | None:
    """C1: a measure taken on the spot in an emergency is reported to the agency head within 24 hours
    (exactly 24 hours is in time) and approved afterwards (行政强制法第十九条)."""
    if reported_at is not None and reported_at - acted_at <= timedelta(hours=24):
        return None
    late = "尚未报告" if reported_at is None else "报告时间已超过二十四小时"
    return refusal(
        "C1",
        C1_BASIS,
        f"情况紧急当场实施行政强制措施的，应当在二十四小时内向行政机关负责人报告并补办批准手续，{late}",
    )


class Measure(StrEnum):
    SEIZURE = "seizure"  # 查封、扣押 (行政强制法第二十五条)
    FREEZE = "freeze"  # 冻结存款、汇款 (行政强制法第三十二条)


MEASURE_MAX_DAYS = 30
MEASURE_MAX_EXTENSION_DAYS = 30


def _measure_basis(measure: str) -> str:
    return C2_FREEZE_BASIS if measure == Measure.FREEZE else C2_SEIZURE_BASIS


def seizure_end(start: date, cal: Calendar, extension_days: int = 0, excluded_days: int = 0) -> Due:
    """C2: the last day of a 查封/扣押 (行政强制法第二十五条) or 冻结 (第三十二条): 三十日, natural days
    because longer than ten (D2), plus an approved extension of at most 30 days; a last day on a
    rest day rolls (D3). ``excluded_days``: 检测、检验、检疫、技术鉴定 periods (第二十五条第三款)."""
    if not 0 <= extension_days <= MEASURE_MAX_EXTENSION_DAYS:
        raise ValueError(f"延长期限不得超过{MEASURE_MAX_EXTENSION_DAYS}日。")
    return add_natural_days(cal, start, MEASURE_MAX_DAYS + extension_days + excluded_days)


def extension_refusal(
    already_extended: bool, requested_days: int, approved: bool, measure: str = Measure.SEIZURE
) -> Refusal | None:
    """C2: one extension only, of at most 30 days, with the head's approval (行政强制法第二十五条、第三十二条)."""
    basis = _measure_basis(measure)
    if already_extended:
        return refusal("C2", basis, "期限只能延长一次，已经延长过的不得再次延长")
    return extension_limit_refusal("C2", basis, requested_days, MEASURE_MAX_EXTENSION_DAYS, approved)


def is_night(moment: time, night_start: time = time(22, 0), night_end: time = time(6, 0)) -> bool:
    """C3: 夜间 for 行政强制法第四十三条: from ``night_start`` to ``night_end`` next morning (the law does not
    define it; 22:00–06:00 is the configurable default, start inclusive, end exclusive)."""
    if night_start <= night_end:
        return night_start <= moment < night_end
    return moment >= night_start or moment < night_end


def enforcement_time_refusal(
    when: datetime,
    cal: Calendar,
    emergency: bool,
    night_start: time = time(22, 0),
    night_end: time = time(6, 0),
) -> Refusal | None:
    """C3: no 行政强制执行 at night or on a 法定节假日 except in an emergency (行政强制法第四十三条第一款).

    法定节假日 is read as every day that is not a working day: the same law's 第六十九条 sets 工作日
    against 法定节假日, so weekends count unless worked as 调休 (D4). Aware datetimes are compared in
    Beijing time.
    """
    if emergency:
        return None
    local = when.astimezone(LOCAL_TZ) if when.tzinfo else when
    problems = []
    if is_night(local.time(), night_start, night_end):
        problems.append(f"夜间（{night_start:%H:%M}至次日{night_end:%H:%M}）")
    if not is_workday(cal, local.date()):
        problems.append(f"法定节假日（{cn_date(local.date())}）")
    if not problems:
        return None
    return refusal("C3", C3_BASIS, f"不得在{'、'.join(problems)}实施行政强制执行，情况紧急的除外")


def reminder_period_end(served_on: date, cal: Calendar) -> Due:
    """C4: the 催告书's 十日 (working days, 行政强制法第五十四条、第六十九条)."""
    return add_workdays(cal, served_on, 10)


@dataclass(frozen=True)
class Window:
    opens_on: date  # first day an application may be filed
    closes_on: date  # last day (inclusive)
    provisional: bool

    @property
    def empty(self) -> bool:
        return self.closes_on < self.opens_on


def court_application_window(reminder_served_on: date, remedy_periods_end: date, cal: Calendar) -> Window:
    """C4: when an agency without enforcement power may apply to the people's court.

    Opens the day after both the 复议/诉讼 periods have run out (行政强制法第五十三条) and the 催告书's
    ten working days (第五十四条、第六十九条) have passed; closes three months after the periods
    expire (第五十三条; months per 民法典第二百零二条, a last day on a rest day rolls, 第二百零三条)."""
    reminder = reminder_period_end(reminder_served_on, cal)
    opens = max(reminder.date, remedy_periods_end) + timedelta(days=1)
    closes = add_months_rolled(cal, remedy_periods_end, 3)
    return Window(opens, closes.date, reminder.provisional or closes.provisional)


def court_application_refusal(window: Window, on: date) -> Refusal | None:
    """C4: refuse an application outside :func:`court_application_window`."""
    if window.opens_on <= on <= window.closes_on:
        return None
    if on < window.opens_on:
        text = (
            f"须待复议、诉讼期限届满且催告书送达满十个工作日后仍未履行，方可申请人民法院强制执行，"
            f"最早{cn_date(window.opens_on)}"
        )
    else:
        text = f"申请人民法院强制执行应当自复议、诉讼期限届满之日起三个月内提出，已于{cn_date(window.closes_on)}届满"
    return refusal("C4", C4_BASIS, text)


# --- T1 行政许可 ---------------------------------------------------------------------------------
def licence_notice_due(received_on: date, cal: Calendar) -> Due:
    """T1: incomplete materials are notified, all at once, on the spot or within 五日 (working days)
    (行政许可法第三十二条第一款第四项、第八十二条)."""
    return add_workdays(cal, received_on, 5)


def licence_deemed_accepted_on(
    received_on: date, notified_on: date | None, today: date, cal: Calendar
) -> date | None:
    """T1: when the notice is late or never given, the application counts as accepted from the day the
    materials were received (第三十二条第一款第四项: 逾期不告知的，自收到申请材料之日起即为受理)."""
    due = licence_notice_due(received_on, cal).date
    late = notified_on > due if notified_on else today > due
    return received_on if late else None


LICENCE_DECISION_WORKDAYS = 20
LICENCE_EXTENSION_WORKDAYS = 10


def licence_decision_due(
    accepted_on: date, cal: Calendar, extension_days: int = 0, excluded_workdays: int = 0
) -> Due:
    """T1: the decision within 二十日 of acceptance, +十日 with the head's approval (行政许可法第四十二条
    第一款), working days (第八十二条). ``excluded_workdays``: 听证、检验、鉴定 … time (第四十五条)."""
    if not 0 <= extension_days <= LICENCE_EXTENSION_WORKDAYS:
        raise ValueError(f"行政许可决定期限延长不得超过{LICENCE_EXTENSION_WORKDAYS}日。")
    return add_workdays(cal, accepted_on, LICENCE_DECISION_WORKDAYS + extension_days + excluded_workdays)


def licence_extension_refusal(requested_days: int, approved: bool) -> Refusal | None:
    """T1: at most 十日, with the head's approval (行政许可法第四十二条第一款)."""
    return extension_limit_refusal(
        "T1", T1_DECISION_BASIS, requested_days, LICENCE_EXTENSION_WORKDAYS, approved
    )


def licence_certificate_due(decided_on: date, cal: Calendar) -> Due:
    """T1: the licence is issued and served within 十日 (working days) of the decision (第四十四条、第八十二条)."""
    return add_workdays(cal, decided_on, 10)


def licence_hearing_request_deadline(informed_on: date, cal: Calendar) -> Due:
    """T1: a hearing is requested within 五日 of being told of the right (第四十七条第一款、第八十二条)."""
    return add_workdays(cal, informed_on, 5)


def licence_hearing_request_refusal(informed_on: date, requested_on: date, cal: Calendar) -> Refusal | None:
    """T1: working day 5 is in time, day 6 late (行政许可法第四十七条第一款)."""
    deadline = licence_hearing_request_deadline(informed_on, cal)
    if requested_on <= deadline.date:
        return None
    return refusal(
        "T1",
        T1_HEARING_BASIS,
        f"听证申请应当在被告知听证权利之日起五个工作日内（{due_text(deadline)}前）提出，{cn_date(requested_on)}提出已逾期",
    )


def licence_hearing_due(requested_on: date, cal: Calendar) -> Due:
    """T1: the hearing is held within 二十日 (working days) of the request (第四十七条第一款、第八十二条)."""
    return add_workdays(cal, requested_on, 20)


def licence_hearing_notice_refusal(notice_date: date, hearing_date: date, cal: Calendar) -> Refusal | None:
    """T1: time and place notified 七日 (working days) before the hearing (第四十八条第一款第一项、第八十二条)."""
    earliest = earliest_hearing_date(notice_date, cal)
    if hearing_date >= earliest.date:
        return None
    return refusal(
        "T1",
        T1_HEARING_NOTICE_BASIS,
        f"应当于举行听证的七个工作日前通知申请人、利害关系人；{cn_date(notice_date)}通知的，"
        f"听证最早于{due_text(earliest)}举行",
    )


def licence_presiding_officer_refusal(presiding_id: object, reviewer_ids: Iterable[object]) -> Refusal | None:
    """T1: the presiding officer is not one of the staff who examined the application (第四十八条第一款第三项)."""
    if presiding_id is None or presiding_id == "":
        return refusal("T1", T1_PRESIDING_BASIS, "请指定听证主持人")
    if presiding_id in set(reviewer_ids):
        return refusal("T1", T1_PRESIDING_BASIS, "审查该行政许可申请的工作人员不得担任听证主持人")
    return None


# --- T2 救济途径 ---------------------------------------------------------------------------------
class Procedure(StrEnum):
    GENERAL = "general"  # 普通程序 (including hearings)
    SUMMARY = "summary"  # 简易程序: decided on the spot (当场作出)


@dataclass(frozen=True)
class RemedyDeadlines:
    review: Due  # last day to apply for 行政复议
    litigation: Due | None  # last day to sue directly; None where 复议前置 applies

    @property
    def last(self) -> Due:
        """When both periods have run out (行政强制法第五十三条 counts from here)."""
        if self.litigation is None or self.review.date >= self.litigation.date:
            return self.review
        return self.litigation


def review_first(procedure: str, decision_date: date) -> bool:
    """T2: reconsideration before litigation for 当场作出的行政处罚决定 (行政复议法第二十三条第一款
    第一项, in force from 2024-01-01 per 第九十条)."""
    return procedure == Procedure.SUMMARY and decision_date >= REVIEW_LAW_2023_IN_FORCE


def remedy_deadlines(
    received_on: date, cal: Calendar, procedure: str, decision_date: date | None = None
) -> RemedyDeadlines:
    """T2: 行政复议 within 六十日 (行政复议法第二十条第一款) and 行政诉讼 within 六个月 (行政诉讼法第四十六条
    第一款), counted from receipt of the decision; natural periods whose last day rolls off rest days
    (D3; 民法典第二百零三条). Where review comes first (:func:`review_first`) there is no direct suit.
    Assumes the decision stated the remedy (otherwise 行政复议法第二十条第三款 allows up to one year)."""
    review = add_natural_days(cal, received_on, 60)
    if review_first(procedure, decision_date or received_on):
        return RemedyDeadlines(review, None)
    return RemedyDeadlines(review, add_months_rolled(cal, received_on, 6))


def remedy_text(
    procedure: str, decision_date: date, review_body: str = "", court: str = "", agency: str = "本机关"
) -> str:
    """T2/P10: the remedy sentence a 行政处罚决定书 must carry (处罚法第五十九条第一款第五项).

    普通程序: 行政复议 within 六十日 (行政复议法第二十条) or 行政诉讼 within 六个月 (行政诉讼法第四十六条).
    当场作出 (简易程序) from 2024-01-01: reconsideration first, and the decision must say so
    (行政复议法第二十三条第一款第一项、第二款); the application may go through the deciding agency
    (第三十二条); a suit follows within 十五日 of the review decision (行政诉讼法第四十五条).
    """
    body = review_body or "有管辖权的行政复议机关"
    court_name = court or "有管辖权的人民法院"
    if review_first(procedure, decision_date):
        return (
            f"当事人如不服本行政处罚决定，应当自收到本决定书之日起六十日内先向{body}申请行政复议"
            f"（也可以通过{agency}提交行政复议申请）；对行政复议决定不服的，可以自收到行政复议决定书之日起"
            f"十五日内依法向{court_name}提起行政诉讼。"
        )
    return (
        f"当事人如不服本行政处罚决定，可以自收到本决定书之日起六十日内向{body}申请行政复议，"
        f"也可以自收到本决定书之日起六个月内依法向{court_name}提起行政诉讼。"
    )


# --- S7 红黄绿灯预警 ------------------------------------------------------------------------------
class WarningLevel(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


WARNING_LABELS = {WarningLevel.GREEN: "正常", WarningLevel.YELLOW: "临期", WarningLevel.RED: "超期"}


def warning_level(due: date, today: date, cal: Calendar, yellow_workdays: int = 3) -> WarningLevel:
    """S7: red once the deadline has passed (today > due: the step can no longer be done in time);
    yellow while at most ``yellow_workdays`` working days remain after today, the due day itself
    included (so a deadline due today is yellow); green otherwise."""
    if today > due:
        return WarningLevel.RED
    if count_workdays(cal, today, due).days <= yellow_workdays:
        return WarningLevel.YELLOW
    return WarningLevel.GREEN


# --- 案号 patterns ---------------------------------------------------------------------------------
# The 案号 uses the pattern language of 文号 (zhifa.records.rules) without {缩写}: the procedure's
# own character (罚立, 罚简, 强, 许, 检) is written into the pattern itself.
CASE_NUMBER_TOKENS = ("简称", "年", "序号")
CASE_NUMBER_BASIS = "参照《党政机关公文格式》（GB/T 9704-2012）第7.2.4条"


def case_number_pattern_errors(pattern: str, pad_width: int = 0) -> list[str]:
    """Why a 案号 pattern is unusable, in Chinese; [] when it is fine.

    A 案号 must be unique within the agency and its sequence restarts each year, so the pattern
    needs {年} and {序号} (like a 文号: 机关代字、年份、顺序号, GB/T 9704-2012 §7.2.4).
    """
    errors = []
    names = TOKEN_RE.findall(pattern or "")
    unknown = sorted({name for name in names if name not in CASE_NUMBER_TOKENS})
    if unknown:
        errors.append(
            "案号格式中有无法识别的占位符："
            + "、".join(f"{{{name}}}" for name in unknown)
            + "；可用的占位符为 {简称} {年} {序号}（程序代字请直接写入格式，如“罚立”）。"
        )
    for required in ("年", "序号"):
        if required not in names:
            errors.append(
                f"案号格式必须包含 {{{required}}}：案号须含年份和顺序号，每年重新编号，"
                f"同一执法主体内不得重复（{CASE_NUMBER_BASIS}）。"
            )
    stripped = TOKEN_RE.sub("", pattern or "")
    if "{" in stripped or "}" in stripped:
        errors.append("案号格式中的花括号不成对。")
    if error := pad_width_error(pad_width):
        errors.append(error)
    return errors


def pad_width_error(pad_width: int) -> str | None:
    if not 0 <= pad_width <= MAX_PAD:
        return f"序号位数应在0到{MAX_PAD}之间。"
    return None


def format_case_number(pattern: str, *, short_name: str, year: int, sequence: int, pad_width: int = 0) -> str:
    """ "{简称}罚立〔{年}〕{序号}号" with 示市监, 2026, 12 → "示市监罚立〔2026〕12号"."""
    if errors := case_number_pattern_errors(pattern, pad_width):
        raise ValueError(errors[0])
    return format_pattern(
        pattern, short_name=short_name, abbreviation="", year=year, sequence=sequence, pad_width=pad_width
    )
