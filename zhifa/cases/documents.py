"""The 文书 an action issues, built from case data.

An action's ``documents`` (procedure definition) are issued when it is performed, inside the same
transaction: each kind's context is assembled here from the case, its parties and officers, the
data recorded by earlier actions (``case.details``) and this action's cleaned form data; the records
app numbers it (文号), renders the docx at once and the PDF in the background. A document that
cannot be produced (data missing for what the law requires it to state) refuses the action, so no
step is ever recorded without its 文书.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from functools import cached_property

from django.core.exceptions import ValidationError

from zhifa.powers.rules import PENALTY_KINDS
from zhifa.records import services as records
from zhifa.records.kinds import KINDS

from . import rules
from .handlers import SERVICE_METHODS, goods, lines, names, utterances
from .models import CaseSource, PartyKind
from .rules import Refusal

KIND_LABELS = dict(PENALTY_KINDS)
METHOD_LABELS = dict(SERVICE_METHODS)
MEASURE_LABELS = {"seal": "查封", "detain": "扣押"}
NO_PENALTY_BASIS = {
    "minor": (
        "《中华人民共和国行政处罚法》第三十三条第一款",
        "违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚。",
    ),
    "first": (
        "《中华人民共和国行政处罚法》第三十三条第一款",
        "初次违法且危害后果轻微并及时改正的，可以不予行政处罚。",
    ),
    "no_fault": (
        "《中华人民共和国行政处罚法》第三十三条第二款",
        "当事人有证据足以证明没有主观过错的，不予行政处罚。",
    ),
    "not_established": (
        "《中华人民共和国行政处罚法》第五十七条第一款第（三）项",
        "违法事实不能成立的，不予行政处罚。",
    ),
}


def penalty_content(kinds, fine: Decimal | None, confiscation: Decimal | None) -> str:
    """处罚内容 as a decision states it: each kind, with the amount where it has one, numbered when
    there are several (the 决定书 and the 公示 say the same)."""
    parts = []
    for code in kinds:
        label = KIND_LABELS.get(code, code)
        if code == "fine" and fine:
            parts.append(f"罚款人民币{fine:.2f}元")
        elif code in ("confiscate_income", "confiscate_property") and confiscation:
            parts.append(f"{label}人民币{confiscation:.2f}元")
        else:
            parts.append(label)
    return "；".join(f"{i}.{part}" for i, part in enumerate(parts, 1)) if len(parts) > 1 else "".join(parts)


class DocumentData:
    """The case data the builders of one action read, each piece computed once."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.case = ctx.case
        self.details = ctx.case.details
        self.data = ctx.cleaned

    def user_name(self) -> str:
        return self.ctx.user.get_full_name() or self.ctx.user.get_username()

    @cached_property
    def officers(self) -> list[dict]:
        from zhifa.personnel.services import may_enforce

        rows = []
        assigned = self.ctx.remember(  # the engine has usually loaded them for the P1 check already
            "assigned_officers", lambda: [a.officer for a in self.case.assignments.select_related("officer")]
        )
        for officer in assigned:
            answer = self.ctx.remember(
                ("may_enforce", officer.pk),
                lambda o=officer: may_enforce(o, self.case.field, self.case.region, self.ctx.today),
            )
            rows.append({"name": officer.name, "certificate_number": answer.certificate or ""})
        return rows

    def officer_names(self) -> list[str]:
        return [row["name"] for row in self.officers]

    @cached_property
    def common(self) -> dict:
        case, agency = self.case, self.case.agency
        filing = self.details.get("filing") or {}
        return {
            "agency": {
                "name": agency.name,
                "short_name": agency.short_name or agency.name,
                "address": agency.address,
                "credit_code": agency.credit_code,
                "phone": agency.complaint_phone,
            },
            "case": {
                "number": case.number,
                "cause": case.cause,
                "filed_on": _date(filing.get("filed_on")),
                "source": CaseSource(case.source).label,
            },
            "parties": [
                {
                    "kind": PartyKind(p.kind).label,
                    "name": p.name,
                    "id_type": "统一社会信用代码" if p.credit_code else "居民身份证",
                    "id_number": p.credit_code or p.id_number,
                    "address": p.address,
                    "legal_representative": p.legal_representative,
                    "phone": p.phone,
                }
                for p in self.case.parties.all()
            ],
            "officers": self.officers,
        }

    def first_party(self) -> dict:
        parties = self.common["parties"]
        return parties[0] if parties else {"name": "", "address": ""}

    # --- penalty ----------------------------------------------------------------------------
    def violated(self, source: dict, required: bool = True) -> list[dict]:
        from zhifa.powers.services import quoted_citations

        text = source.get("violated") or (self.details.get("proposal") or {}).get("violated", "")
        citations = quoted_citations(text)
        if not citations and self.case.power_item_id:
            citations = quoted_citations(self.case.power_item.basis_text)[:1]
        if not citations and required:
            raise ValidationError(
                "须写明当事人违反的法律、法规、规章条款（《中华人民共和国行政处罚法》第四十四条、第五十九条第一款第二项）。"
            )
        return citations

    def penalty(self, source: dict) -> dict:
        from zhifa.powers.services import quoted_citations

        kinds = list(source.get("penalty_kinds", []))
        fine = _money(source.get("fine"))
        confiscation = _money(source.get("confiscation"))
        content = penalty_content(kinds, fine, confiscation)
        return {
            "kinds": [KIND_LABELS.get(code, code) for code in kinds],
            "content": content,
            "fine": fine,
            "confiscation": f"人民币{confiscation:.2f}元" if confiscation else "",
            "basis": quoted_citations(source.get("basis", "")),
            "discretion": self.discretion_text(),
            "payment_due_days": int(self.ctx.setting("payment_days")),
            "payment_method": source.get("payment_method", ""),
        }

    def discretion_text(self) -> str:
        """How the 裁量基准 was applied (S8): the benchmark's sentence, else the stated circumstances."""
        proposal = self.details.get("proposal") or {}
        applied = (proposal.get("discretion") or {}).get("explanation", "")
        return "；".join(part for part in (applied, proposal.get("circumstances", "")) if part)

    def remedy(self, source: dict) -> dict:
        government = self.case.agency.government
        return {
            "reconsideration_organ": government.name if government else "",
            "court": source.get("court", ""),
        }

    def proceedings(self) -> str:
        """告知、陈述申辩、听证、集体讨论 as recorded, in the words of a decision."""
        notice = self.details.get("notice") or {}
        parts = []
        if notice.get("served_on"):
            rights = "陈述、申辩和要求听证" if notice.get("hearing_reasons") else "陈述、申辩"
            parts.append(
                f"本机关于{_cn(notice['served_on'])}向当事人送达了《行政处罚事先告知书》，告知其拟作出行政处罚的"
                f"内容及事实、理由、依据，以及依法享有的{rights}的权利"
            )
        statements = [e for e in self.ctx.events if e.action == "record_statement"]
        parts.append(
            "当事人提出了陈述、申辩，本机关进行了复核" if statements else "当事人在法定期限内未提出陈述、申辩"
        )
        if hearing := self.details.get("hearing"):
            parts.append(f"本机关于{_cn(hearing.get('hearing_on'))}依当事人申请举行了听证")
        if discussion := self.details.get("discussion"):
            parts.append(f"本案于{_cn(discussion.get('held_on'))}经机关负责人集体讨论决定")
        return "。".join(parts)

    def facts_and_evidence(self, source: dict) -> dict:
        return {"facts": _sentence(source.get("facts", "")), "evidence": lines(source.get("evidence", ""))}


# --- builders: the kind's own blocks ---------------------------------------------------------
def _filing_approval(d: DocumentData) -> dict:
    filing = d.details.get("filing") or {}
    today = d.ctx.today
    return {
        "filing": {
            "received_on": d.case.discovered_on,
            "summary": d.case.summary or d.case.cause,
            "reason": filing.get("approval_note") or f"当事人涉嫌{d.case.cause}，符合立案条件",
        },
        "violated": d.violated({}, required=False),  # at 立案 the provision may still be open
        "approvals": [
            {
                "stage": "承办人意见",
                "opinion": "建议立案调查。",
                "signer": "、".join(d.officer_names()),
                "date": today,
            },
            {
                "stage": "机关负责人意见",
                "opinion": filing.get("approval_note") or "同意立案。",
                "signer": d.user_name(),
                "date": today,
            },
        ],
    }


def _inspection_record(d: DocumentData) -> dict:
    data = d.data
    return {
        "inspection": {key: data[key] for key in ("started_at", "ended_at", "place", "recusal", "content")}
        | {"present": data.get("present") or "无"},
        "recorder": data["recorder"],
    }


def _inquiry_record(d: DocumentData) -> dict:
    data = d.data
    return {
        "inquiry": {
            "started_at": data["started_at"],
            "ended_at": data["ended_at"],
            "place": data["place"],
            "recusal": data["recusal"],
            "interviewee": {
                key: data[f"interviewee_{key}"]
                for key in (
                    "name",
                    "gender",
                    "id_type",
                    "id_number",
                    "work_unit",
                    "position",
                    "phone",
                    "address",
                )
            },
        },
        "transcript": data["transcript"],
        "recorder": data["recorder"],
    }


def _preservation_notice(d: DocumentData) -> dict:
    data = d.data
    return {
        "preservation": {
            "reason": data["reason"],
            "goods": data["goods"],
            "place": data["place"],
            "keeper": data["keeper"],
            "start_on": data["start_on"],
            "end_on": rules.preservation_decision_due(data["start_on"], d.ctx.calendar).date,  # P5
        }
    }


def _seizure(d: DocumentData, measure: dict) -> dict:
    from zhifa.powers.services import quoted_citations

    executed_on = _date(measure.get("executed_on"))
    end = rules.seizure_end(executed_on, d.ctx.calendar).date if executed_on else None
    return {
        "measure": MEASURE_LABELS.get(measure.get("measure"), ""),
        "reason": measure.get("reason", ""),
        "basis": quoted_citations(measure.get("basis", "")),
        "goods": [_item(line) for line in lines(measure.get("items", ""))],
        "place": measure.get("storage_place") or measure.get("place", ""),
        "days": rules.MEASURE_MAX_DAYS,
        "start_on": executed_on,
        "end_on": end,
        "original_number": "",
        "original_date": None,
        "extension_days": 0,
        "new_end_on": None,
        "extension_reason": "",
    }


def _item(line: str) -> dict:
    """A 查封扣押 list line, split into columns when written as 名称｜规格｜数量｜备注."""
    try:
        return goods(line)[0]
    except ValidationError:
        return {"name": line, "spec": "", "quantity": "", "note": ""}


def _seizure_decision(d: DocumentData) -> dict:
    return {"seizure": _seizure(d, d.data), "remedy": d.remedy({})}


def _seizure_extension_notice(d: DocumentData) -> dict:
    from .deadlines import extended_due, running_deadline

    seizure = _seizure(d, d.details.get("measure") or {})
    deadline = running_deadline(d.case, d.ctx.action.extends)
    original = d.ctx.last_event("execute_measure", "execute_in_emergency")
    documents = (original.data.get("documents") or []) if original else []
    days = d.data["days"]
    seizure.update(
        original_number=documents[0]["number"] if documents else "",
        original_date=original.occurred_at.date() if original else None,
        extension_days=days,
        new_end_on=extended_due(d.ctx.calendar, deadline, days).date if deadline else None,
        extension_reason=d.data["reason"],
    )
    return {"seizure": seizure, "remedy": d.remedy({})}


def _penalty_notice(d: DocumentData) -> dict:
    proposal = d.details.get("proposal") or {}
    notice = d.details.get("notice") or {}
    lead = d.officers[:1]
    return {
        **d.facts_and_evidence(proposal),
        "violated": d.violated(proposal),
        "penalty": d.penalty(proposal),
        "rights": {
            "statement_days": int(d.ctx.setting("statement_workdays")),
            "hearing_offered": bool(notice.get("hearing_reasons")),
            "hearing_request_days": 5,
            "contact": "，".join(
                filter(None, [lead[0]["name"] if lead else "", d.case.agency.complaint_phone])
            ),
        },
    }


def _hearing(d: DocumentData) -> dict:
    from zhifa.personnel.models import Officer

    hearing = d.details.get("hearing") or {}
    request = d.details.get("hearing_request") or {}
    record = d.details.get("hearing_record") or {}
    host = Officer.objects.filter(pk=hearing.get("presiding_officer")).values_list("name", flat=True).first()
    held_at = _date(hearing.get("hearing_on"))
    if held_at and hearing.get("hearing_time"):
        held_at = datetime.combine(held_at, time.fromisoformat(hearing["hearing_time"]))
    return {
        "requested_on": _date(request.get("requested_on")),
        "held_at": _datetime(record.get("started_at")) or held_at,
        "ended_at": _datetime(record.get("ended_at")),
        "place": hearing.get("place", ""),
        "host": host or "",
        "clerk": hearing.get("clerk", ""),
        "public": hearing.get("public", "yes") != "no",
        "reason_not_public": hearing.get("reason_not_public", ""),
        "investigators": d.officer_names(),
        "attendees": lines(record.get("attendees", "")) or [d.first_party()["name"]],
    }


def _hearing_notice(d: DocumentData) -> dict:
    return {"hearing": _hearing(d)}


def _hearing_record(d: DocumentData) -> dict:
    return {"hearing": _hearing(d), "transcript": d.data["transcript"]}


def _collective_discussion(d: DocumentData) -> dict:
    data = d.data
    proposal = d.details.get("proposal") or {}
    held_at = data.get("held_at") or datetime.combine(data["held_on"], time(9, 0))
    return {
        "discussion": {
            "held_at": held_at,
            "place": data.get("place") or d.case.agency.name,
            "host": data.get("host") or d.user_name(),
            "attendees": names(data["attendees"]),
            "recorder": data.get("recorder", ""),
            "summary": f"承办人员汇报了案件调查终结情况，建议：{d.penalty(proposal)['content'] or '依法处理'}。",
            "review_opinion": (d.details.get("legal_review") or {}).get("opinion", ""),
            "opinions": utterances(data["opinions"]),
            "conclusion": data["conclusion"],
        }
    }


def _penalty_decision(d: DocumentData) -> dict:
    source = d.data
    return {
        **d.facts_and_evidence(source),
        "violated": d.violated(source),
        "penalty": d.penalty(source),
        "proceedings": d.proceedings(),
        "remedy": d.remedy(source),
    }


def _summary_penalty_decision(d: DocumentData) -> dict:
    source = d.data
    moment = source.get("decided_at") or datetime.combine(source["decided_on"], time(0, 0))
    return {
        "on_site": {"time": moment, "place": source["place"]},
        "facts": _sentence(source["facts"]),
        "violated": d.violated(source),
        "penalty": d.penalty(source),
        "remedy": d.remedy(source),
    }


def _no_penalty_decision(d: DocumentData) -> dict:
    proposal = d.details.get("proposal") or {}
    citation, text = NO_PENALTY_BASIS[d.data["ground"]]
    return {
        **d.facts_and_evidence(proposal),
        "no_penalty": {
            "reason": d.data["reason"],
            "basis": [{"citation": citation, "text": text}],
            "education": d.data.get("education", ""),
        },
        "remedy": d.remedy(d.data),
    }


def _service_receipt(d: DocumentData) -> dict:
    decided = d.ctx.last_event(*DECISION_ACTIONS)
    documents = (decided.data.get("documents") or []) if decided else []
    served = d.data
    party = d.first_party()
    return {
        "service": {
            "document_name": documents[0]["name"] if documents else "",
            "document_number": documents[0]["number"] if documents else "",
            "recipient": served.get("recipient") or party["name"],
            "place": served.get("place") or party["address"],
            "method": METHOD_LABELS.get(served["method"], served["method"]),
            "served_at": served["served_on"],
            "servers": d.officer_names(),
            "note": served.get("note", ""),
        }
    }


def _demand_notice(d: DocumentData) -> dict:
    decision = d.details.get("decision") or {}
    decided = d.ctx.last_event(*DECISION_ACTIONS)
    documents = (decided.data.get("documents") or []) if decided else []
    fine = _money(decision.get("fine"))
    surcharge = None
    payment_due = d.case.deadlines.filter(code="payment").order_by("-id").first()
    if fine and payment_due is not None:
        surcharge = rules.late_surcharge(fine, payment_due.due_on, d.data["served_on"]).amount or None
    return {
        "demand": {
            "decision_number": documents[0]["number"] if documents else "",
            "decision_date": _date(decision.get("decided_on")),
            "obligation": d.data["obligation"],
            "amount": fine,
            "surcharge": surcharge,
            "method": d.data["method"],
            "due_days": 10,
        }
    }


def _closing_report(d: DocumentData) -> dict:
    decision = d.details.get("decision") or {}
    result = d.case.outcome or "结案"
    if decision.get("penalty_kinds"):
        result = d.penalty(decision)["content"]
    summary = d.data.get("summary") or "；".join(
        f"{e.occurred_at:%Y年%m月%d日}{e.action_name}" for e in d.ctx.events if e.action_name
    )
    return {
        "closing": {
            "summary": summary,
            "result": result,
            "execution": d.data["execution"],
            "reason": d.data["reason"],
        },
        "approvals": [
            {
                "stage": "承办人意见",
                "opinion": "建议结案。",
                "signer": "、".join(d.officer_names()),
                "date": d.ctx.today,
            },
            {"stage": "负责人意见", "opinion": "同意结案。", "signer": d.user_name(), "date": d.ctx.today},
        ],
    }


DECISION_ACTIONS = ("decide_penalty", "decide_no_penalty", "decide_on_spot")

BUILDERS: dict[str, Callable[[DocumentData], dict]] = {
    "filing_approval": _filing_approval,
    "inspection_record": _inspection_record,
    "inquiry_record": _inquiry_record,
    "preservation_notice": _preservation_notice,
    "seizure_decision": _seizure_decision,
    "seizure_extension_notice": _seizure_extension_notice,
    "penalty_notice": _penalty_notice,
    "hearing_notice": _hearing_notice,
    "hearing_record": _hearing_record,
    "collective_discussion": _collective_discussion,
    "penalty_decision": _penalty_decision,
    "summary_penalty_decision": _summary_penalty_decision,
    "no_penalty_decision": _no_penalty_decision,
    "service_receipt": _service_receipt,
    "demand_notice": _demand_notice,
    "closing_report": _closing_report,
}


def document_date(ctx) -> date:
    """The date a document bears: the decision's own date where the action records one."""
    for key in ("decided_on", "served_on", "start_on", "held_on", "notified_on"):
        if isinstance(ctx.cleaned.get(key), date):
            return ctx.cleaned[key]
    return ctx.today


def build(kind: str, ctx) -> dict:
    data = DocumentData(ctx)
    return {**data.common, **BUILDERS[kind](data)}


def issue(kind: str, ctx) -> dict:
    """Issue one 文书 for the action being performed; returns the reference the event keeps."""
    document = records.issue_document(
        ctx.case.agency,
        kind,
        build(kind, ctx),
        ctx.user,
        case_id=ctx.case.pk,
        case_label=str(ctx.case),
        on=document_date(ctx),
        pdf_later=True,
    )
    return {"id": document.pk, "kind": kind, "name": document.title, "number": document.number}


def refusal(kind: str, error: ValidationError) -> Refusal:
    document_kind = KINDS[kind]
    return Refusal(
        "文书",
        document_kind.basis,
        f"无法出具{document_kind.name}：{'；'.join(error.messages)}请补充后重试。",
    )


# --- small conversions -----------------------------------------------------------------------
def _date(value) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _datetime(value) -> datetime | None:
    if not value:
        return None
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _money(value) -> Decimal | None:
    if value in (None, ""):
        return None
    return Decimal(str(value))


def _sentence(text: str) -> str:
    """Templates close the sentence themselves: drop the user's final 。"""
    return (text or "").strip().rstrip("。.；;")


def _cn(value) -> str:
    value = _date(value)
    return f"{value.year}年{value.month}月{value.day}日" if value else ""
