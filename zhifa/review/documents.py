"""The 法制审核意见书, built from the round and the case like the engine's 文书."""

from __future__ import annotations

from django.utils import timezone

from zhifa.cases.documents import DocumentData
from zhifa.records import services as records

from . import rules
from .services import OUTCOMES


class _CaseContext:
    """The little of an engine context that DocumentData reads."""

    def __init__(self, case, user):
        self.case, self.user, self.cleaned, self.today = case, user, {}, timezone.localdate()
        self._memo: dict = {}

    def remember(self, key, compute):
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def opinion_context(round_, user) -> dict:
    case = round_.review.case
    results = dict(rules.ItemResult.CHOICES)
    data = DocumentData(_CaseContext(case, user))
    return {
        **data.common,
        "legal_review": {
            "round": round_.number,
            "submitted_on": timezone.localdate(round_.submitted_at),
            "submitted_by": _name(round_.submitted_by),
            "outcome": dict(OUTCOMES).get(round_.outcome, round_.outcome),
            "proposal": round_.decision_text,
            "reasons": [r["message"] for r in round_.reasons] or ["承办机构主动送审"],
            "checks": [
                {
                    "label": label,
                    "result": results.get(round_.checklist[code]["result"], ""),
                    "comment": round_.checklist[code].get("comment", ""),
                }
                for code, label in rules.CHECKLIST
            ],
            "opinion": dict(rules.Opinion.CHOICES)[round_.opinion],
            "text": round_.opinion_text,
            "supplement_due": round_.supplement_due,
            "reviewer": _name(user),
            "reviewed_on": timezone.localdate(),
        },
    }


def issue_opinion(round_, user):
    case = round_.review.case
    return records.issue_document(
        case.agency,
        "legal_review_opinion",
        opinion_context(round_, user),
        user,
        case_id=case.pk,
        case_label=str(case),
        pdf_later=True,
    )
