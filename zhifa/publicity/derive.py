"""A publication's content, derived from the case (principle 4: nothing is typed twice).

``derive(case, event)`` reads the decision (or inspection result) the engine just recorded, the
case's parties and the issued 文书, and returns the *original* snapshot fields (unredacted, kept
only for staff) plus what the pipeline needs to decide on publishing: category, decision date,
G9 class and any G7 reason not to publish. Redaction happens in ``services``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from zhifa.cases.documents import penalty_content
from zhifa.powers.rules import PENALTY_KIND_LABELS

from . import rules
from .models import Category, Seriousness

# Engine actions whose event is a publishable decision or result (G3), by procedure action code.
TRIGGERS = {
    "decide_penalty": Category.PENALTY,
    "decide_on_spot": Category.PENALTY,
    "decide_no_penalty": Category.NO_PENALTY,
    "grant": Category.LICENSING,
    "record_result": Category.INSPECTION,
    "execute_measure": Category.COERCION,
    "execute_in_emergency": Category.COERCION,
}
DOCUMENT_TITLES = {
    "penalty_decision": "行政处罚决定书",
    "summary_penalty_decision": "当场行政处罚决定书",
    "no_penalty_decision": "不予行政处罚决定书",
    "seizure_decision": "查封（扣押）决定书",
}
LICENCE_KINDS = {"suspend_license", "revoke_license"}
MEASURES = {"seal": "查封", "detain": "扣押"}


@dataclass
class Derived:
    category: str
    decided_on: date
    original: dict
    seriousness: str = Seriousness.GENERAL
    suppressed_reason: str = ""
    party_names: list[str] = field(default_factory=list)  # natural persons punished: masked (G4)
    other_names: list[str] = field(default_factory=list)  # other natural persons: removed (G8)
    keep: list[str] = field(default_factory=list)  # public names that stay (G10)


def category_of(action_code: str) -> str | None:
    return TRIGGERS.get(action_code)


def derive(case, event, *, today: date | None = None) -> Derived:
    category = TRIGGERS[event.action]
    data = event.data or {}
    decided_on = parse_date(data.get("decided_on") or data.get("result_on") or data.get("executed_on"))
    decided_on = decided_on or (event.occurred_at.date() if event.occurred_at else today or date.today())
    parties = list(case.parties.all())
    primary = parties[0] if parties else None
    agency = case.agency
    document = _decision_document(data)
    common = {
        "category": category,
        "category_label": Category(category).label,
        **_party_fields(primary),
        "document_title": DOCUMENT_TITLES.get(document.get("kind", ""), document.get("name", "")),
        "document_number": document.get("number", ""),
        "decided_on": decided_on.isoformat(),
        "agency_name": agency.name,
        "agency_credit_code": agency.credit_code,
        "source_name": agency.name,
        "source_credit_code": agency.credit_code,
        "field_name": case.field.name if case.field_id else "",
        "remarks": "",
    }
    build = {
        Category.PENALTY: _penalty,
        Category.NO_PENALTY: _no_penalty,
        Category.LICENSING: _licensing,
        Category.INSPECTION: _inspection,
        Category.COERCION: _coercion,
    }[category]
    specific, seriousness = build(case, data, decided_on, primary)
    original = {**common, **specific}
    original["title"] = f"{original['party_name'] or '当事人'}{_title_suffix(category)}"
    names = _names(parties)
    minor = any(
        p.kind in ("natural_person", "individual_business") and rules.minor_on(p.birth_date, decided_on)
        for p in parties
    )
    return Derived(
        category=category,
        decided_on=decided_on,
        original=original,
        seriousness=seriousness,
        # G7 protects minors who are punished; an inspection of a minor's business is not a penalty
        suppressed_reason=rules.suppression_reason(
            minor_party=minor and category in (Category.PENALTY, Category.NO_PENALTY)
        ),
        **names,
    )


def _title_suffix(category: str) -> str:
    return {
        Category.PENALTY: "行政处罚决定信息",
        Category.NO_PENALTY: "不予行政处罚决定信息",
        Category.LICENSING: "行政许可决定信息",
        Category.INSPECTION: "行政检查结果信息",
        Category.COERCION: "行政强制措施信息",
    }[category]


def _party_fields(party) -> dict:
    """Unredacted party fields: ``services`` turns them public with ``redaction.public_party``."""
    if party is None:
        return {"party_name": "", "party_kind": "", "credit_code": "", "legal_representative": ""}
    from .redaction import CATEGORY_LABELS

    return {
        "party_name": party.name,
        "party_kind": CATEGORY_LABELS.get(party.kind, ""),
        "party_kind_code": party.kind,
        "credit_code": party.credit_code,
        "legal_representative": party.legal_representative,
        "party_id_number": party.id_number,
    }


def _names(parties) -> dict:
    from .redaction import redaction_names

    return redaction_names(parties) | {"other_names": []}


def _decision_document(data: dict) -> dict:
    documents = data.get("documents") or []
    return documents[0] if documents else {}


def _penalty(case, data: dict, decided_on: date, party) -> tuple[dict, str]:
    kinds = list(data.get("penalty_kinds") or [])
    fine, confiscation = _money(data.get("fine")), _money(data.get("confiscation"))
    content = penalty_content(kinds, fine, confiscation)
    summary = case.procedure.code == "penalty_summary"
    large = _large_fine(case, party)
    klass = rules.seriousness(kinds, fine=fine, large_fine=large, summary=summary)
    affected = "、".join(PENALTY_KIND_LABELS[k] for k in kinds if k in LICENCE_KINDS)
    return {
        "violation_type": case.cause,
        "facts": data.get("facts", ""),
        "basis": data.get("basis", ""),
        "penalty_kinds": [PENALTY_KIND_LABELS.get(k, k) for k in kinds],
        "penalty_kind_codes": kinds,
        "penalty_content": content,
        "fine_yuan": _yuan(fine),
        "confiscation_yuan": _yuan(confiscation),
        "licence_affected": affected,
        "penalty_valid_until": "",
    }, klass


def _large_fine(case, party) -> Decimal | None:
    """The P8 较大数额 for the (primary) party's type: the G9 line between 一般 and 严重."""
    from zhifa.cases.parameters import settings_for

    natural = party is not None and party.kind in ("natural_person", "individual_business")
    key = "hearing_fine_natural" if natural else "hearing_fine_organisation"
    try:
        return Decimal(settings_for(case.field_id, case.region_id).value(key))
    except (KeyError, LookupError, TypeError, InvalidOperation):
        return None


def _no_penalty(case, data: dict, decided_on: date, party) -> tuple[dict, str]:
    from zhifa.cases.documents import NO_PENALTY_BASIS

    proposal = (case.details or {}).get("proposal") or {}
    citation, text = NO_PENALTY_BASIS.get(data.get("ground", ""), ("", ""))
    return {
        "violation_type": case.cause,
        "facts": proposal.get("facts", ""),
        "reason": data.get("reason", ""),
        "basis": f"{citation}：{text}" if citation else "",
    }, Seriousness.SLIGHT


def _licensing(case, data: dict, decided_on: date, party) -> tuple[dict, str]:
    certificate = (case.details or {}).get("certificate") or {}
    basis = case.power_item.basis_text if case.power_item_id else ""
    return {
        "licence_category": "普通",
        "certificate_name": certificate.get("certificate_name", ""),
        "licence_number": certificate.get("certificate_number", ""),
        "licence_content": data.get("content", ""),
        "valid_from": certificate.get("issued_on") or decided_on.isoformat(),
        "valid_to": certificate.get("valid_until", ""),
        "basis": basis,
    }, Seriousness.GENERAL


def _inspection(case, data: dict, decided_on: date, party) -> tuple[dict, str]:
    from zhifa.cases.handlers import INSPECTION_RESULT_LABELS

    visit = case.events.filter(action="inspect").order_by("sequence").values_list("data", flat=True).first()
    return {
        "inspection_item": case.power_item.name if case.power_item_id else case.cause,
        "inspected_on": str((visit or {}).get("started_at") or "")[:10] or decided_on.isoformat(),
        "inspection_method": "双随机抽查" if (case.details or {}).get("inspection_task") else "检查",
        "conclusion": INSPECTION_RESULT_LABELS.get(data.get("result", ""), ""),
        "handling": data.get("findings", ""),
    }, Seriousness.GENERAL


def _coercion(case, data: dict, decided_on: date, party) -> tuple[dict, str]:
    """The period as the 查封（扣押）决定书 states it: C2, 行政强制法第二十五条 (cases.rules)."""
    from zhifa.cases.rules import seizure_end
    from zhifa.workdays.services import current_calendar

    until = seizure_end(decided_on, current_calendar()).date
    return {
        "measure": MEASURES.get(data.get("measure", ""), ""),
        "facts": data.get("reason", ""),
        "basis": data.get("basis", ""),
        "items": data.get("items", ""),
        "period": f"{decided_on.isoformat()}至{until.isoformat()}",
    }, Seriousness.GENERAL


def parse_date(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _money(value) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


def _yuan(amount: Decimal | None) -> str:
    return f"{amount:.2f}" if amount else ""
