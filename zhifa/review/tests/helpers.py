"""Steps shared by the 法制审核 tests: drive a case through the engine, submit, give opinions."""

import uuid

import pytest
from django.utils import timezone

from zhifa.cases import engine
from zhifa.review import rules, services

TODAY = timezone.localdate()


def act(case, code, user, **data):
    case.refresh_from_db()
    return engine.perform(
        case.pk, code, user, data, expected_version=case.version, request_key=uuid.uuid4().hex
    )[0]


def refusals(case, code, user, **data):
    with pytest.raises(engine.ActionRefused) as excinfo:
        act(case, code, user, **data)
    return excinfo.value.refusals


def penalty(fine, kinds=("fine",)):
    return {
        "facts": "当事人于2026年9月销售标签不符合规定的预包装食品。",
        "evidence": "现场检查笔录、询问笔录、购货凭证",
        "violated": "《中华人民共和国食品安全法》第七十一条第一款",
        "basis": "《中华人民共和国食品安全法》第一百二十五条第一款",
        "penalty_kinds": list(kinds),
        "fine": str(fine),
    }


def decision(fine, **extra):
    return {**penalty(fine), "decided_on": TODAY.isoformat(), "payment_method": "银行转账", **extra}


def agree():
    return rules.OpinionDraft(
        rules.Opinion.AGREE,
        "事实清楚，证据确凿，适用依据正确，程序合法，处罚适当。",
        {code: {"result": "pass", "comment": ""} for code, _ in rules.CHECKLIST},
    )


def problems():
    checklist = {code: {"result": "pass", "comment": ""} for code, _ in rules.CHECKLIST}
    checklist["law"] = {"result": "problem", "comment": "罚款数额超出裁量基准“一般”档次，未说明理由。"}
    return rules.OpinionDraft(rules.Opinion.PROBLEMS, "裁量不当，请说明理由或调整罚款数额。", checklist)


def submit(case, user, report="拟罚款，理由见调查终结报告。", key=None, outcome=services.PENALTY):
    return services.submit(
        case, user, outcome=outcome, review_report=report, request_key=key or uuid.uuid4().hex
    )
