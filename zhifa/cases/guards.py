"""Guards: what the law requires before an action, each refusal naming its rule and basis.

A guard is ``f(ctx) -> list[Refusal]``. In a preview (``ctx.preview``: listing what may be done
next) the submitted data is not known yet, so guards that judge the data return nothing then and
judge it when the action is performed.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from . import rules
from .rules import Refusal

P1_BASIS = "《中华人民共和国行政处罚法》第四十二条、第五十五条"


def _details(ctx, key: str) -> dict:
    return ctx.case.details.get(key) or {}


def _date(value) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else value


def _penalty(ctx, key: str = "decision") -> dict:
    """The penalty being decided now (submitted data) or recorded earlier."""
    if not ctx.preview and ctx.cleaned:
        return ctx.cleaned
    return _details(ctx, key)


def _party_kind(ctx) -> str:
    kinds = [p.kind for p in ctx.case.parties.all()]
    return kinds[0] if kinds else "natural_person"


# --- P1 -----------------------------------------------------------------------------------------
def officers_qualified(ctx) -> list[Refusal]:
    """P1: at least two assigned officers (a field may set its own minimum where a law allows,
    e.g. 道路交通安全法第一百零七条), each allowed to enforce in the case's field and region today."""
    from zhifa.personnel.services import may_enforce

    minimum = int(ctx.setting("min_officers"))
    officer_ids = ctx.cleaned.get("officers") if ctx.cleaned.get("officers") else None
    if officer_ids is None:
        officers = ctx.remember(
            "assigned_officers", lambda: [a.officer for a in ctx.case.assignments.select_related("officer")]
        )
    else:
        from zhifa.personnel.models import Officer

        officers = list(Officer.objects.filter(pk__in=officer_ids))
    refusals = []
    qualified = 0
    for officer in officers:
        answer = ctx.remember(
            ("may_enforce", officer.pk),
            lambda o=officer: may_enforce(o, ctx.case.field, ctx.case.region, ctx.today),
        )
        if answer.allowed:
            qualified += 1
        else:
            reasons = "；".join(r.message for r in answer.reasons)
            refusals.append(Refusal("P1", P1_BASIS, f"{officer.name}当前不能执法：{reasons}"))
    if qualified < minimum:
        refusals.insert(
            0,
            Refusal(
                "P1",
                P1_BASIS,
                f"执法人员不得少于{minimum}人且须具有行政执法资格，本案目前符合条件的只有{qualified}人（P1）。",
            ),
        )
        return refusals
    return []


# --- P2 / P10 ------------------------------------------------------------------------------------
def summary_eligible(ctx) -> list[Refusal]:
    if ctx.preview:
        return []
    data = ctx.cleaned
    return rules.summary_procedure_refusals(
        _party_kind(ctx),
        data.get("penalty_kinds", []),
        data.get("fine"),
        data.get("facts_certain", False),
        bool(data.get("basis")),
    )


def decision_content(ctx) -> list[Refusal]:
    """P10: the decision states everything 处罚法第五十九条 lists."""
    if ctx.preview:
        return []
    summary = ctx.procedure.code == "penalty_summary"
    party = ctx.case.parties.first()
    data = ctx.cleaned
    content = {
        "party_name": party.name if party else "",
        "party_address": party.address if party else "",
        "facts": data.get("facts", ""),
        "evidence": data.get("evidence", ""),
        "penalty_kinds": data.get("penalty_kinds", []),
        "fine": data.get("fine"),
        "legal_basis": data.get("basis", ""),
        "performance_method": data.get("payment_method", ""),
        "performance_deadline": f"{int(ctx.setting('payment_days'))}日内",
        "remedy": decision_remedy(ctx),
        "agency_name": ctx.case.agency.name,
        "decision_date": data.get("decided_on"),
        "decided_at": data.get("decided_on"),
        "place": data.get("place", ""),
        "seal": ctx.case.agency.name,  # the 文书 carries the agency's seal block
        # the 当场 decision is signed by the officers on the case
        "officer_signature": "、".join(
            a.officer.name for a in ctx.case.assignments.select_related("officer")
        ),
    }
    refusal = rules.decision_content_refusal(content, summary=summary)
    return [refusal] if refusal else []


def decision_remedy(ctx) -> str:
    """T2: the remedy sentence for this procedure (当场处罚: 复议前置)."""
    procedure = (
        rules.Procedure.SUMMARY if ctx.procedure.code == "penalty_summary" else rules.Procedure.GENERAL
    )
    return rules.remedy_text(
        procedure, ctx.cleaned.get("decided_on") or ctx.today, agency=ctx.case.agency.name
    )


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def party_of_penalty_age(ctx) -> list[Refusal]:
    """处罚法第三十条: no penalty for a natural person under fourteen at the time of the act."""
    on = ctx.case.violation_date or ctx.today
    refusals = []
    for party in ctx.case.parties.all():
        if party.kind == "natural_person" and party.birth_date and _age(party.birth_date, on) < 14:
            refusals.append(
                Refusal(
                    "P7",
                    "《中华人民共和国行政处罚法》第三十条",
                    f"当事人{party.name}违法时不满十四周岁，不予行政处罚，应责令监护人加以管教（处罚法第三十条）。",
                )
            )
    return refusals


# --- P3 ------------------------------------------------------------------------------------------
def _limitation(ctx):
    case = ctx.case
    if not case.violation_date:
        return None
    return rules.limitation_check(
        case.violation_date,
        case.violation_end_date if case.violation_continuing else None,
        case.discovered_on,
        case.endangers_safety,
    )


def limitation_warning(ctx) -> list[Refusal]:
    """P3 at 立案: warn (the decision itself is refused later) when the period has run out."""
    result = _limitation(ctx)
    return [result.refusal] if result is not None and result.warning else []


def limitation_not_expired(ctx) -> list[Refusal]:
    result = _limitation(ctx)
    return [result.refusal] if result is not None and result.expired else []


# --- P5 ------------------------------------------------------------------------------------------
def preservation_handled(ctx) -> list[Refusal]:
    open_ = ctx.case.deadlines.running().filter(code="preservation").exists()
    if not open_:
        return []
    return [
        Refusal(
            "P5",
            "《中华人民共和国行政处罚法》第五十六条",
            "先行登记保存的证据尚未作出处理决定，不能调查终结（P5）。",
        )
    ]


# --- P6 / P8 -------------------------------------------------------------------------------------
def proposal_present(ctx) -> list[Refusal]:
    if _details(ctx, "proposal"):
        return []
    return [
        Refusal(
            "P6",
            "《中华人民共和国行政处罚法》第四十四条",
            "尚未形成拟处罚意见（事实、理由、依据和处罚内容），不能告知（P6）。",
        )
    ]


def proposal_within_range(ctx) -> list[Refusal]:
    proposal = _details(ctx, "proposal")
    item = ctx.case.power_item
    if not proposal or item is None or not proposal.get("fine"):
        return []
    fine = Decimal(proposal["fine"])
    if (
        item.fine_max is not None
        and fine > item.fine_max
        or item.fine_min is not None
        and fine < item.fine_min
    ):
        return [
            Refusal(
                "P10",
                item.basis_text[:200] or "权责清单所列处罚依据",
                f"拟罚款{fine}元超出所引依据的法定幅度（{item.fine_min or 0}—{item.fine_max or '不限'}元）。",
            )
        ]
    return []


def statement_period_over(ctx) -> list[Refusal]:
    notice = _details(ctx, "notice")
    if not notice:
        return [
            Refusal(
                "P6",
                "《中华人民共和国行政处罚法》第四十四条、第六十二条",
                "行政处罚事先告知书尚未送达，不能作出决定（P6）。",
            )
        ]
    refusals = []
    served_on = _date(notice["served_on"])
    refusal = rules.decision_allowed_after_notice(
        served_on,
        ctx.today,
        ctx.calendar,
        waived=bool(_details(ctx, "statement_waiver")),
        days=int(ctx.setting("statement_workdays")),
    )
    if refusal:
        refusals.append(refusal)
    hearing_window = rules.hearing_request_deadline(served_on, ctx.calendar)
    if (
        notice.get("hearing_reasons")
        and ctx.today <= hearing_window.date
        and not _details(ctx, "hearing_request")
    ):
        refusals.append(
            Refusal(
                "P8",
                "《中华人民共和国行政处罚法》第六十四条第一项",
                f"当事人要求听证的期限至{hearing_window.date:%Y年%m月%d日}届满，期满前不能作出决定（P8）。",
            )
        )
    return refusals


def hearing_offered_in_notice(ctx) -> list[Refusal]:
    if _details(ctx, "notice").get("hearing_reasons"):
        return []
    return [
        Refusal(
            "P8", "《中华人民共和国行政处罚法》第六十三条", "本案拟作出的处罚不属于应当告知听证的情形（P8）。"
        )
    ]


def hearing_request_in_time(ctx) -> list[Refusal]:
    if ctx.preview:
        return []
    notice = _details(ctx, "notice")
    refusal = rules.hearing_request_refusal(
        _date(notice.get("served_on")), ctx.cleaned["requested_on"], ctx.calendar
    )
    return [refusal] if refusal else []


def hearing_notice_period(ctx) -> list[Refusal]:
    if ctx.preview:
        return []
    refusal = rules.hearing_notice_refusal(
        ctx.cleaned["notified_on"], ctx.cleaned["hearing_on"], ctx.calendar
    )
    return [refusal] if refusal else []


def presiding_not_investigator(ctx) -> list[Refusal]:
    if ctx.preview:
        return []
    investigators = set(ctx.case.assignments.values_list("officer_id", flat=True))
    refusal = rules.presiding_officer_refusal(ctx.cleaned["presiding_officer"], investigators)
    return [refusal] if refusal else []


def hearing_settled(ctx) -> list[Refusal]:
    """P8: a requested hearing must have been held before the decision."""
    if _details(ctx, "hearing_request") and ctx.case.stage != "hearing_held":
        return [
            Refusal(
                "P8",
                "《中华人民共和国行政处罚法》第六十四条、第六十五条",
                "当事人已要求听证，听证结束前不能作出决定（P8）。",
            )
        ]
    return []


def no_heavier_than_notice(ctx) -> list[Refusal]:
    if ctx.preview:
        return []
    proposal = _details(ctx, "proposal")
    notified = rules.Penalty(
        frozenset(proposal.get("penalty_kinds", [])),
        Decimal(proposal.get("fine") or 0),
        Decimal(proposal.get("confiscation") or 0),
    )
    decided = rules.Penalty(
        frozenset(ctx.cleaned.get("penalty_kinds", [])),
        ctx.cleaned.get("fine") or Decimal(0),
        ctx.cleaned.get("confiscation") or Decimal(0),
    )
    defended = any(e.action == "record_statement" for e in ctx.events) or bool(_details(ctx, "hearing"))
    refusal = rules.penalty_increase_refusal(notified, decided, defended)
    return [refusal] if refusal else []


# --- P7 / P9 / P13 / L2 ----------------------------------------------------------------------------
def collective_discussion_held(ctx) -> list[Refusal]:
    if not rules.collective_discussion_required(ctx.case.is_major, ctx.case.is_complex):
        return []
    if _details(ctx, "discussion"):
        return []
    return [
        Refusal(
            "P7",
            "《中华人民共和国行政处罚法》第五十七条第二款",
            "情节复杂或者重大违法行为给予行政处罚，应当由行政机关负责人集体讨论决定（P7）。",
        )
    ]


def within_decision_period(ctx) -> list[Refusal]:
    deadline = ctx.case.deadlines.filter(code="decision").first()
    if deadline is None or ctx.today <= deadline.due_on:
        return []
    return [
        Refusal(
            "P9",
            "《中华人民共和国行政处罚法》第六十条",
            f"已超过作出处罚决定的期限（{deadline.due_on:%Y年%m月%d日}届满），须经批准延长后方可决定（P9）。",
        )
    ]


def not_suspected_crime(ctx) -> list[Refusal]:
    if _details(ctx, "proposal").get("suspected_crime"):
        return [
            Refusal(
                "P13",
                "《中华人民共和国行政处罚法》第八条第二款、第二十七条；《行政执法机关移送涉嫌犯罪案件的规定》第十一条",
                "本案涉嫌犯罪，应当移送司法机关，不得以行政处罚代替刑事处罚（P13）。",
            )
        ]
    return []


def legal_review_passed(ctx) -> list[Refusal]:
    """L1–L2 gate: a decision the statutory triggers or the agency's 目录清单 mark as major waits
    for a passed 法制审核 of exactly this decision (see zhifa.review)."""
    from zhifa.review.services import gate_refusals

    return gate_refusals(ctx)


# --- P11 / P12 / close ------------------------------------------------------------------------------
def service_method_lawful(ctx) -> list[Refusal]:
    if ctx.preview:
        return []
    if ctx.cleaned["method"] == "electronic":
        refusal = rules.electronic_service_refusal(ctx.cleaned.get("electronic_consent", False))
        return [refusal] if refusal else []
    return []


def reported_for_filing(ctx) -> list[Refusal]:
    if any(e.action == "report_filing" for e in ctx.events):
        return []
    return [
        Refusal(
            "P2",
            "《中华人民共和国行政处罚法》第五十二条第三款",
            "当场作出的行政处罚决定尚未报所属行政机关备案，不能结案（P2）。",
        )
    ]


# --- Extensions (P9, C2, T1) -------------------------------------------------------------------
def extension_allowed(ctx) -> list[Refusal]:
    """The period is running, the extension stays within its limit and, where the law allows only
    one (强制法第二十五条), has not been used. Approval is the acting head's (the action's roles)."""
    from .deadlines import running_deadline

    deadline = running_deadline(ctx.case, ctx.action.extends)
    if deadline is None:
        return [Refusal("程序", "", "没有可以延长的计时中期限。")]
    if ctx.action.extension_once and deadline.extended_days:
        return [rules.extension_refusal(True, 1, True)]
    if ctx.preview:
        return []
    limit = int(ctx.setting(ctx.action.extension_setting)) - deadline.extended_days
    refusal = rules.extension_limit_refusal(deadline.rule, deadline.basis, ctx.cleaned["days"], limit, True)
    return [refusal] if refusal else []


# --- C1: emergencies ----------------------------------------------------------------------------
def _emergency(ctx) -> bool:
    return any(e.action == "execute_in_emergency" for e in ctx.events)


def emergency_reported_in_time(ctx) -> list[Refusal]:
    """C1: a measure taken on the spot in an emergency is reported to the head within 24 hours."""
    if not _emergency(ctx):
        return [
            Refusal(
                "C1",
                "《中华人民共和国行政强制法》第十九条",
                "本措施不是紧急情况下当场实施的，无需补办批准手续（C1）。",
            )
        ]
    if ctx.preview:
        return []
    acted_at = datetime.fromisoformat(_details(ctx, "measure")["acted_at"])
    refusal = rules.emergency_report_refusal(acted_at, ctx.cleaned["reported_at"])
    return [refusal] if refusal else []


def emergency_approved(ctx) -> list[Refusal]:
    """C1: after an emergency measure nothing else happens until the approval is obtained."""
    if _emergency(ctx) and not any(e.action == "approve_afterwards" for e in ctx.events):
        return [
            Refusal(
                "C1",
                "《中华人民共和国行政强制法》第十九条",
                "紧急情况下当场实施的强制措施尚未补办批准手续；机关负责人认为不应当采取的，应当立即解除（C1）。",
            )
        ]
    return []


# --- T1 ----------------------------------------------------------------------------------------
def completeness_notice_in_time(ctx) -> list[Refusal]:
    """T1: the applicant is told everything to supplement at once, within five working days of
    receipt; afterwards the application counts as accepted (行政许可法第三十二条第一款第四项)."""
    received = ctx.case.discovered_on
    deemed = rules.licence_deemed_accepted_on(received, None, ctx.today, ctx.calendar)
    if deemed is None:
        return []
    return [
        Refusal(
            "T1",
            "《中华人民共和国行政许可法》第三十二条第一款第四项",
            f"收到申请材料已超过五个工作日未告知补正，自{deemed:%Y年%m月%d日}起即为受理，不能再要求补正（T1）。",
        )
    ]


# --- C4 催告 and 申请法院强制执行 ------------------------------------------------------------------
def _payment_deadline(ctx):
    return ctx.remember(
        "payment_deadline", lambda: ctx.case.deadlines.filter(code="payment").order_by("-id").first()
    )


def payment_overdue(ctx) -> list[Refusal]:
    """C4: a 催告 is for an obligation not performed in time, so only after the payment period."""
    from .models import DeadlineStatus

    deadline = _payment_deadline(ctx)
    if deadline is None:
        return [Refusal("C4", rules.C4_BASIS, "本案决定没有需要缴纳的罚款，无需催告。")]
    if deadline.status == DeadlineStatus.MET:
        return [Refusal("C4", rules.C4_BASIS, "当事人已履行缴纳罚款义务，无需催告。")]
    on = ctx.cleaned.get("served_on") or ctx.today
    if on <= deadline.due_on:
        return [
            Refusal(
                "C4",
                rules.C4_BASIS,
                f"缴纳罚款期限至{rules.cn_date(deadline.due_on)}届满，期限届满当事人仍未履行的方可催告。",
            )
        ]
    return []


def court_application_in_window(ctx) -> list[Refusal]:
    """C4: after a 催告 unanswered for ten working days, within three months after the 复议/诉讼
    periods run out, and not while a 复议 or 诉讼 is pending."""
    demand, service = _details(ctx, "demand"), _details(ctx, "service")
    if not demand.get("served_on"):
        return [Refusal("C4", rules.C4_BASIS, "申请人民法院强制执行前，应当先书面催告当事人履行义务。")]
    if any(not appeal.get("ended_on") for appeal in ctx.case.details.get("appeals", [])):
        return [
            Refusal(
                "C4",
                rules.C4_BASIS,
                "当事人已申请行政复议或者提起行政诉讼且尚未终结，应待复议、诉讼结果确定后再依法处理。",
            )
        ]
    on = ctx.cleaned.get("applied_on") or ctx.today
    periods = rules.remedy_deadlines(_date(service["served_on"]), ctx.calendar, rules.Procedure.GENERAL)
    window = rules.court_application_window(_date(demand["served_on"]), periods.last.date, ctx.calendar)
    refusal = rules.court_application_refusal(window, on)
    return [refusal] if refusal else []


# --- Excluded intervals (P9, C2, T1) -----------------------------------------------------------------------
def _deadline_to_pause(ctx):
    code = ctx.action.suspends or ctx.action.resumes
    return ctx.procedure.deadlines[code], ctx.remember(
        ("deadline", code), lambda: ctx.case.deadlines.filter(code=code).order_by("-id").first()
    )


def suspension_allowed(ctx) -> list[Refusal]:
    """P9/C2/T1: only the intervals the law excludes stop a running period, and only while it runs."""
    from .models import DeadlineStatus

    spec, deadline = _deadline_to_pause(ctx)
    basis = spec.excludes_basis or spec.basis
    if deadline is None or deadline.status != DeadlineStatus.RUNNING:
        return [Refusal(spec.rule, basis, f"“{spec.name}”不在计算中，无需中止。")]
    kind = ctx.cleaned.get("kind")
    if kind and kind not in spec.excludes:
        allowed = "、".join(spec.excludes)
        return [Refusal(spec.rule, basis, f"{kind}期间不能从“{spec.name}”中扣除，可以扣除的是：{allowed}。")]
    started = ctx.cleaned.get("started_on")
    if started and not deadline.starts_on <= started <= min(deadline.due_on, ctx.today):
        return [Refusal(spec.rule, basis, "中止开始日期应在期限起算日至届满日之间，且不能晚于今天。")]
    return []


def resumption_allowed(ctx) -> list[Refusal]:
    from .models import DeadlineStatus

    spec, deadline = _deadline_to_pause(ctx)
    basis = spec.excludes_basis or spec.basis
    if deadline is None or deadline.status != DeadlineStatus.SUSPENDED:
        return [Refusal(spec.rule, basis, f"“{spec.name}”没有中止，无需恢复。")]
    ended = ctx.cleaned.get("ended_on")
    if ended and ended < deadline.suspended_since:
        return [
            Refusal(
                spec.rule, basis, f"结束日期不能早于中止开始日期{rules.cn_date(deadline.suspended_since)}。"
            )
        ]
    if ended and ended > ctx.today:
        return [Refusal(spec.rule, basis, "结束日期不能晚于今天。")]
    return []


GUARDS = {
    "officers_qualified": officers_qualified,
    "summary_eligible": summary_eligible,
    "decision_content": decision_content,
    "party_of_penalty_age": party_of_penalty_age,
    "limitation_not_expired": limitation_not_expired,
    "preservation_handled": preservation_handled,
    "proposal_present": proposal_present,
    "proposal_within_range": proposal_within_range,
    "statement_period_over": statement_period_over,
    "hearing_offered_in_notice": hearing_offered_in_notice,
    "hearing_request_in_time": hearing_request_in_time,
    "hearing_notice_period": hearing_notice_period,
    "presiding_not_investigator": presiding_not_investigator,
    "hearing_settled": hearing_settled,
    "no_heavier_than_notice": no_heavier_than_notice,
    "collective_discussion_held": collective_discussion_held,
    "within_decision_period": within_decision_period,
    "not_suspected_crime": not_suspected_crime,
    "legal_review_passed": legal_review_passed,
    "payment_overdue": payment_overdue,
    "suspension_allowed": suspension_allowed,
    "resumption_allowed": resumption_allowed,
    "court_application_in_window": court_application_in_window,
    "service_method_lawful": service_method_lawful,
    "reported_for_filing": reported_for_filing,
    "extension_allowed": extension_allowed,
    "emergency_reported_in_time": emergency_reported_in_time,
    "emergency_approved": emergency_approved,
    "completeness_notice_in_time": completeness_notice_in_time,
}

WARNINGS = {"limitation": limitation_warning}


# --- 行政检查 (inspection.toml) ------------------------------------------------------------------
INSPECTION_BASIS = "《中华人民共和国行政处罚法》第五十四条"
CORRECTION_BASIS = "《中华人民共和国行政处罚法》第二十八条第一款"


def certificates_shown(ctx) -> list[Refusal]:
    """P1: officers show their certificates when they inspect (处罚法第五十五条第一款)."""
    if ctx.preview or ctx.cleaned.get("certificates_shown"):
        return []
    return [
        Refusal(
            "P1",
            "《中华人民共和国行政处罚法》第五十五条第一款",
            "执法人员进行检查时应当主动向当事人或者有关人员出示执法证件；未出示的，当事人或者有关人员有权拒绝检查（P1）。",
        )
    ]


def correction_ordered(ctx) -> list[Refusal]:
    """复查 follows a 责令限期改正 result, once."""
    from .handlers import ORDERED_CORRECTION

    if _details(ctx, "result").get("result") != ORDERED_CORRECTION:
        return [Refusal("程序", CORRECTION_BASIS, "检查结果未责令限期改正，无需复查整改情况。")]
    if _details(ctx, "recheck"):
        return [Refusal("程序", CORRECTION_BASIS, "已经复查过整改情况。")]
    return []


def problem_found(ctx) -> list[Refusal]:
    """转立案 needs a result that found a violation (处罚法第五十四条: 发现违法行为 → 立案)."""
    from .handlers import PROBLEM_RESULTS

    if _details(ctx, "result").get("result") in PROBLEM_RESULTS:
        return []
    return [
        Refusal(
            "程序",
            INSPECTION_BASIS,
            "检查结果未发现依法应当给予行政处罚的违法行为，不能转立案；如有新的违法线索，请先更正检查结果。",
        )
    ]


def inspection_followed_up(ctx) -> list[Refusal]:
    """结案 only after the follow-up the result calls for: 复查 of a 责令改正, 转立案 of a 移送立案."""
    from .handlers import TO_FILING

    refusals = []
    if ctx.case.deadlines.running().filter(code="correction").exists():
        refusals.append(
            Refusal(
                "程序",
                CORRECTION_BASIS,
                "已责令限期改正，尚未复查整改情况，不能结案；逾期未改正的可以转立案查处。",
            )
        )
    if _details(ctx, "result").get("result") == TO_FILING and ctx.case.stage != "transferred":
        refusals.append(
            Refusal("程序", INSPECTION_BASIS, "检查结果为“发现问题，移送立案查处”，尚未转立案，不能结案。")
        )
    return refusals


GUARDS.update(
    {
        "certificates_shown": certificates_shown,
        "correction_ordered": correction_ordered,
        "problem_found": problem_found,
        "inspection_followed_up": inspection_followed_up,
    }
)
