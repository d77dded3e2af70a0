"""Pure rules of 行政执法公示 (DOMAIN.md G3, G5, G7, G9, G11): no database, tested at the edges."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from zhifa.workdays.rules import Calendar, Due, add_workdays

G3_BASIS = "《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》（国办发〔2018〕118号）"
G4_BASIS = "《中华人民共和国行政处罚法》第五十条、国办发〔2018〕118号"
G5_BASIS = "《中华人民共和国行政处罚法》第四十八条第二款、国办发〔2018〕118号"
G6_BASIS = "国办发〔2018〕118号（每年1月31日前公开上年度行政执法总体情况有关数据）"
G7_BASIS = "《中华人民共和国政府信息公开条例》第十五条；行政处罚结果信息网上公开的通行规定"

# G3: 行政许可、行政处罚 within 7 working days of the decision; other results within 20.
DECISION_WORKDAYS = 7
OTHER_WORKDAYS = 20
FAST_CATEGORIES = frozenset({"penalty", "no_penalty", "licensing"})
# G5: a changed, revoked, illegal or void decision is withdrawn within 3 working days.
WITHDRAW_WORKDAYS = 3


def publication_workdays(category: str) -> int:
    """G3: how many working days the agency has to publish a result of this category."""
    return DECISION_WORKDAYS if category in FAST_CATEGORIES else OTHER_WORKDAYS


def publication_due(cal: Calendar, category: str, decided_on: date) -> Due:
    """G3 (periods in working days, D1): counted from the day after the decision."""
    return add_workdays(cal, decided_on, publication_workdays(category))


def withdrawal_due(cal: Calendar, known_on: date) -> Due:
    """G5: the publication comes down within 3 working days of the change becoming known."""
    return add_workdays(cal, known_on, WITHDRAW_WORKDAYS)


# --- G7: never published ------------------------------------------------------------------------


def minor_on(birth_date: date | None, on: date) -> bool:
    """Under 18 on the decision date (a person turns 18 on their 18th birthday)."""
    if birth_date is None:
        return False
    return birth_date + relativedelta(years=18) > on


def suppression_reason(*, minor_party: bool, secret: bool = False, reason: str = "") -> str:
    """G7: why a decision is not published at all, or '' when it may be."""
    if minor_party:
        return f"被处罚的当事人为未成年人，处罚决定不予公开（G7，{G7_BASIS}）。"
    if secret:
        return f"{reason or '主要内容涉及国家秘密、商业秘密或者个人隐私'}，不予公开（G7，{G7_BASIS}）。"
    return ""


# --- G9: display periods ------------------------------------------------------------------------


@dataclass(frozen=True)
class DisplayRule:
    """How long a seriousness class stays on the portal, counted from the decision date (G9)."""

    effective_from: date
    basis: str
    # class -> (minimum, maximum) months; ``None`` minimum: in principle not published.
    months: dict[str, tuple[int | None, int]]


DISPLAY_RULES = (
    DisplayRule(
        date(2019, 7, 1),
        "《国家发展改革委办公厅关于进一步完善“信用中国”网站及地方信用门户网站行政处罚信息信用修复机制的通知》（发改办财金〔2019〕527号）",
        {"slight": (3, 12), "general": (3, 12), "serious": (6, 36)},
    ),
    DisplayRule(
        date(2026, 4, 1),
        "《失信行为纠正后的信用信息修复管理办法》（2026年4月1日起施行）",
        {"slight": (None, 3), "general": (3, 12), "serious": (12, 36)},
    ),
)
_ORDER = {"slight": 0, "general": 1, "serious": 2}


def display_rule(decided_on: date) -> DisplayRule:
    """The rule in force on the decision date (the table is dated; a later rule is not retroactive)."""
    applicable = [rule for rule in DISPLAY_RULES if rule.effective_from <= decided_on]
    return applicable[-1] if applicable else DISPLAY_RULES[0]


def display_until(decided_on: date, seriousness: str) -> date:
    """G9: the last day on the portal is the maximum period of the class, from the decision date."""
    months = display_rule(decided_on).months[seriousness][1]
    return decided_on + relativedelta(months=months) - relativedelta(days=1)


# Kinds that make a penalty serious under G9 (their consequences restrict the party's activity).
SERIOUS_KINDS = frozenset(
    {"revoke_license", "suspend_business", "close", "restrict_practice", "lower_qualification", "detention"}
)
SLIGHT_KINDS = frozenset({"warning", "circulated_criticism"})


def seriousness(kinds, *, fine: Decimal | None, large_fine: Decimal | None, summary: bool) -> str:
    """G9 class of one decision; the heaviest part decides when penalties are combined.

    轻微: only 警告/通报批评, or an on-the-spot (简易程序) decision; 严重: a penalty that takes away
    or restricts a licence, a business or practice, or a fine at or above the 较大数额 that entitles
    the party to a hearing (P8); 一般: everything else.
    """
    kinds = set(kinds)
    if kinds & SERIOUS_KINDS or (large_fine is not None and fine is not None and fine >= large_fine):
        return "serious"
    if summary or (kinds and kinds <= SLIGHT_KINDS):
        return "slight"
    return "general"


def heavier(first: str, second: str) -> str:
    return first if _ORDER[first] >= _ORDER[second] else second


# --- G11: counting for the annual statistics -----------------------------------------------------

WARNING = "警告、通报批评"
CONFISCATION = "没收违法所得、没收非法财物"
SUSPENSION = "暂扣许可证件、降低资质等级"
CLOSURE = "限制开展生产经营活动、责令停产停业、责令关闭"
REVOCATION = "吊销许可证件、限制从业"
# Heaviest last. 其他 yields to any named kind (G11).
SEVERITY = (
    ("other", "其他"),
    ("warning", WARNING),
    ("circulated_criticism", WARNING),
    ("fine", "罚款"),
    ("confiscate_income", CONFISCATION),
    ("confiscate_property", CONFISCATION),
    ("suspend_license", SUSPENSION),
    ("lower_qualification", SUSPENSION),
    ("restrict_business", CLOSURE),
    ("suspend_business", CLOSURE),
    ("close", CLOSURE),
    ("restrict_practice", REVOCATION),
    ("revoke_license", REVOCATION),
    ("detention", "行政拘留"),
)
_RANK = {code: rank for rank, (code, _) in enumerate(SEVERITY)}
COUNT_COLUMNS = (WARNING, "罚款", CONFISCATION, SUSPENSION, CLOSURE, REVOCATION, "行政拘留", "其他")


def heaviest_kind(kinds) -> str | None:
    """G11: a decision with several penalties counts once, under its heaviest."""
    known = [code for code in kinds if code in _RANK]
    if not known:
        return None
    return max(known, key=_RANK.__getitem__)


def count_column(kinds) -> str | None:
    """The annual-statistics column a decision is counted in (G11), or None when it has no kind."""
    code = heaviest_kind(kinds)
    return dict(SEVERITY)[code] if code else None


def wan_yuan(amount: Decimal | None) -> Decimal:
    """Amounts in 万元 to four decimals (G10, G11)."""
    return (Decimal(amount or 0) / Decimal(10000)).quantize(Decimal("0.0001"))


# --- G6/G11: the annual report (年度行政执法数据) --------------------------------------------------

NO_DUTY = "无相关职责"
# The six act types of the annual statistics, in the order of the provincial templates, with the
# 权责清单 categories (zhifa.powers PowerCategory) that give an agency the power (G11). 行政征用 has
# no category of its own: a 事项 whose name contains 征用 gives it.
ACT_TYPES = (
    ("licensing", "行政许可", ("license",)),
    ("penalty", "行政处罚", ("penalty",)),
    ("coercion", "行政强制", ("coercion",)),
    ("levy", "行政征收", ("levy",)),
    ("requisition", "行政征用", ()),
    ("inspection", "行政检查", ("inspection",)),
)
REQUISITION_KEYWORD = "征用"
G11_BASIS = "国办发〔2018〕118号；各省行政执法数据年度统计样式（按自然年度、决定日期统计）"
# G6 + S7: yellow while at most this many working days remain before 31 January (the report
# takes longer to prepare than a case step, so the warning starts earlier than S7's three days).
G6_YELLOW_WORKDAYS = 10


def tally_penalties(groups) -> dict[str, int]:
    """G11: count decisions once each, under their heaviest kind.

    ``groups`` yields ``(kinds, n)``: n decisions that all had the penalty kinds ``kinds``. Every
    column of :data:`COUNT_COLUMNS` is present; a decision without a recognised kind is counted
    under 其他 (so that the columns always add up to the number of decisions).
    """
    columns = dict.fromkeys(COUNT_COLUMNS, 0)
    for kinds, n in groups:
        columns[count_column(kinds or ()) or "其他"] += n
    return columns


def act_cell(has_power: bool, count: int):
    """G11: the count of an act type, '0' included, where the agency holds the power (or acted
    anyway); 无相关职责 where its 权责清单 has no such power and nothing was counted."""
    return count if has_power or count else NO_DUTY


def annual_report_due(year: int) -> date:
    """G6: the report for ``year`` is published and submitted by 31 January of the next year."""
    return date(year + 1, 1, 31)


@dataclass(frozen=True)
class ReportState:
    code: str
    label: str
    level: str  # "green", "yellow", "red" or "" (nothing due yet / done)
    css: str  # ok / warn / bad / muted


def annual_report_state(
    year: int,
    today: date,
    published_on: date | None,
    cal: Calendar,
    yellow_workdays: int = G6_YELLOW_WORKDAYS,
) -> ReportState:
    """G6 with the S7 colours: where an agency stands with its report for ``year`` on ``today``.

    Nothing is due while the year runs; from 1 January the report is due by 31 January (green,
    yellow in the last ``yellow_workdays`` working days, red once 31 January has passed). A report
    published on or before the due day is done; one published later stays marked as late.
    """
    from zhifa.cases.rules import warning_level

    due = annual_report_due(year)
    if published_on is not None:
        if published_on <= due:
            return ReportState("published", "已按期公开并报送", "", "ok")
        return ReportState("published_late", f"逾期公开（{published_on:%Y-%m-%d}）", "", "warn")
    if today <= date(year, 12, 31):
        return ReportState("year_open", "统计年度尚未结束", "", "muted")
    level = warning_level(due, today, cal, yellow_workdays)
    if level == "red":
        return ReportState("overdue", f"逾期未公开（应于{due:%Y-%m-%d}前）", "red", "bad")
    if level == "yellow":
        return ReportState("due_soon", f"临近截止（{due:%Y-%m-%d}）", "yellow", "warn")
    return ReportState("pending", f"待公开（{due:%Y-%m-%d}前）", "green", "ok")
