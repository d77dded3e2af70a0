"""The 裁量基准 (S8) in the case's penalty proposal: the calculator's suggestion from the
circumstances chosen, the check of the proposed penalty against its tier, and the sentence the
决定书 states. The benchmark itself lives in zhifa.powers."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone

from zhifa.powers import services as powers
from zhifa.powers.rules import CIRCUMSTANCES

from .rules import is_natural_person

S8_BASIS = "《中华人民共和国行政处罚法》第三十四条"
CIRCUMSTANCE_CHOICES = [(code, f"{label}（处罚法{article}）") for code, label, _, article in CIRCUMSTANCES]


def parse_facts(text: str) -> dict:
    """“违法所得=8000” per line (or separated by “；”) → {"违法所得": Decimal("8000")}."""
    facts: dict = {}
    for line in text.replace("；", "\n").replace(";", "\n").splitlines():
        if not line.strip():
            continue
        name, sep, value = line.replace("＝", "=").partition("=")
        if not sep or not name.strip():
            raise ValidationError(
                {"discretion_facts": f"“{line.strip()}”应写成“名称=数值”，如“违法所得=8000”。"}
            )
        value = value.strip()
        try:
            facts[name.strip()] = Decimal(value.replace(",", ""))
        except InvalidOperation:
            facts[name.strip()] = value  # a label such as 当事人类别=施工单位
    return facts


def inputs(cleaned: dict) -> tuple[set[str], dict]:
    circumstances = set(cleaned.get("discretion_circumstances") or [])
    circumstances |= {
        t.strip() for t in (cleaned.get("discretion_tags") or "").replace("，", "、").split("、") if t.strip()
    }
    facts = parse_facts(cleaned.get("discretion_facts") or "")
    for key, label in (("illegal_income", "违法所得"), ("goods_value", "货值金额")):
        if cleaned.get(key) is not None:
            facts[label] = cleaned[key]
    return circumstances, facts


def _party(case) -> str:
    parties = list(case.parties.all())
    if not parties:
        return ""
    return "个人" if is_natural_person(parties[0].kind) else "单位"


def evaluate(case, cleaned: dict):
    """The benchmark's verdict on the proposal, or None when the case cites no penalty 事项."""
    item = case.power_item
    if item is None or not item.is_penalty:
        return None
    circumstances, facts = inputs(cleaned)
    proposed = {"amount": cleaned.get("fine"), "kinds": list(cleaned.get("penalty_kinds") or [])}
    return powers.check_proposal(
        item,
        circumstances,
        facts,
        proposed,
        timezone.localdate(),
        party=_party(case),
        reason=(cleaned.get("discretion_reason") or "").strip(),
    )


def summary(result) -> dict:
    """What the case keeps of the verdict (details["proposal"]["discretion"])."""
    benchmark = result.benchmark
    return {
        "benchmark": str(benchmark) if benchmark else "",
        "benchmark_id": benchmark.pk if benchmark else None,
        "tier": result.tier,
        "tier_label": result.level_label or result.tier_label,
        "range_text": result.range_text,
        "within": result.within,
        "lawful": result.lawful,
        "deviations": list(result.deviations),
        "legal_problems": list(result.legal_problems),
        "notes": list(result.notes),
        "explanation": result.explanation,
    }


def check(case, cleaned: dict) -> dict | None:
    """S8: a proposal outside its tier needs a written reason; returns the summary to keep."""
    result = evaluate(case, cleaned)
    if result is None:
        return None
    # without a benchmark only the legal range applies (guards.proposal_within_range, P10)
    if result.benchmark and result.needs_reason and not (cleaned.get("discretion_reason") or "").strip():
        what = "；".join(result.deviations) or "拟处罚不在建议档次内"
        raise ValidationError(
            {
                "discretion_reason": f"拟处罚超出裁量基准“{result.level_label or result.tier_label}”档次"
                f"（{result.range_text}）：{what}。请写明理由，该理由将提示法制审核人员（S8，{S8_BASIS}）。"
            }
        )
    return summary(result)
