"""“双随机、一公开” as pure functions: sample sizes, the reproducible draw, recusal, G3 dates.

随机抽取检查对象、随机选派执法检查人员 (《国务院办公厅关于推广随机抽查规范事中事后监管的通知》
国办发〔2015〕58号; 《优化营商环境条例》第五十四条). The draw is a pure function of a recorded seed
and the candidate pools, so anyone holding the record can recompute it:

- targets: ``random.Random("targets:<seed>")`` samples from the pool sorted by id;
- officers: each drawn target gets its own ``random.Random("officers:<seed>:<target id>")``
  shuffle of the eligible officers sorted by id, and takes the first ones without a declared
  conflict with that target. A recusal (处罚法第四十三条) therefore changes only that target's
  team: the conflicted officer is skipped and the next one in that target's order steps in.

Python seeds ``random.Random`` from a ``str`` through SHA-512, independent of the interpreter's hash
randomisation, so the same seed gives the same draw on every machine.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from zhifa.workdays.rules import Calendar, Due, add_workdays

P1_BASIS = "《中华人民共和国行政处罚法》第四十二条"
RECUSAL_BASIS = "《中华人民共和国行政处罚法》第四十三条"
RANDOM_BASIS = "《国务院办公厅关于推广随机抽查规范事中事后监管的通知》（国办发〔2015〕58号）；《优化营商环境条例》第五十四条"
G3_BASIS = "《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》（国办发〔2018〕118号）"

MIN_OFFICERS = 2  # P1: 执法人员不得少于两人
MAX_OFFICERS = 5
RESULT_PUBLICATION_WORKDAYS = 20  # G3: 检查等结果信息自作出之日起二十个工作日内公示


class DrawRefused(ValueError):
    """The law does not allow this draw; the message says which rule and basis."""


@dataclass(frozen=True)
class Drawn:
    target_id: int
    officer_ids: tuple[int, ...]


# --- Sample size -------------------------------------------------------------------------------
_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[%％]\s*$")


def parse_ratio(text: str | None) -> Decimal | None:
    """The percentage in a 随机抽查事项清单 ratio such as “5%” or “30％”; None for frequencies
    (“每年不少于1次”), ranges (“60-70家”) and anything else that is not one percentage."""
    match = _PERCENT.match(text or "")
    if not match:
        return None
    value = Decimal(match.group(1))
    return value if 0 < value <= 100 else None


def sample_size(pool: int, *, count: int | None = None, ratio: Decimal | None = None) -> int:
    """How many targets to draw from a pool: a fixed number (at most the pool) or a percentage
    rounded up, so that a ratio above zero never draws nobody from a non-empty pool."""
    if pool < 0:
        raise ValueError("候选名录数量不能为负。")
    if (count is None) == (ratio is None):
        raise ValueError("抽取数量与抽取比例须填写且只填写一项。")
    if count is not None:
        if count < 1:
            raise ValueError("抽取数量至少为1。")
        return min(count, pool)
    try:
        ratio = Decimal(ratio)
    except (InvalidOperation, TypeError) as exc:
        raise ValueError("抽取比例须为数字。") from exc
    if not 0 < ratio <= 100:
        raise ValueError("抽取比例须大于0且不超过100%。")
    return min(pool, math.ceil(Decimal(pool) * ratio / 100))


def officers_per_target_error(n: int | None) -> str | None:
    """P1: each target is inspected by at least two officers."""
    if n is None or n < MIN_OFFICERS:
        return (
            f"每个检查对象须随机选派不少于{MIN_OFFICERS}名执法人员（P1，{P1_BASIS}：执法人员不得少于两人）。"
        )
    if n > MAX_OFFICERS:
        return f"每个检查对象选派的执法人员不超过{MAX_OFFICERS}名。"
    return None


def too_few_officers_message(eligible: int, needed: int) -> str:
    return (
        f"可随机选派的具有行政执法资格的执法人员只有{eligible}名，每个检查对象至少需要{needed}名"
        f"（P1，{P1_BASIS}：行政处罚应当由具有行政执法资格的执法人员实施，执法人员不得少于两人）。"
    )


# --- The draw ----------------------------------------------------------------------------------
def draw_targets(seed: str, target_ids: Iterable[int], n: int) -> list[int]:
    """``n`` targets drawn from the pool, in draw order."""
    pool = sorted(set(target_ids))
    if not 0 <= n <= len(pool):
        raise ValueError(f"不能从{len(pool)}个检查对象中抽取{n}个。")
    return random.Random(f"targets:{seed}").sample(pool, n)


def officer_order(seed: str, target_id: int, officer_ids: Iterable[int]) -> list[int]:
    """The random order in which the eligible officers are called to one target."""
    order = sorted(set(officer_ids))
    random.Random(f"officers:{seed}:{target_id}").shuffle(order)
    return order


def pick_officers(
    seed: str,
    target_id: int,
    officer_ids: Iterable[int],
    per_target: int,
    conflicts: Collection[tuple[int, int]] = (),
) -> tuple[int, ...]:
    """The team for one target: the first ``per_target`` officers of its random order who have
    not declared a conflict with it (回避, 处罚法第四十三条)."""
    free = [o for o in officer_order(seed, target_id, officer_ids) if (target_id, o) not in conflicts]
    if len(free) < per_target:
        raise DrawRefused(
            f"检查对象（编号{target_id}）可选派的执法人员在回避后只有{len(free)}名，少于{per_target}名"
            f"（P1，{P1_BASIS}；回避见{RECUSAL_BASIS}）。"
        )
    return tuple(free[:per_target])


def draw(
    seed: str,
    target_ids: Iterable[int],
    officer_ids: Iterable[int],
    n: int,
    per_target: int = MIN_OFFICERS,
    conflicts: Collection[tuple[int, int]] = (),
) -> list[Drawn]:
    """The whole draw: ``n`` targets and, for each, ``per_target`` officers (P1: at least two)."""
    error = officers_per_target_error(per_target)
    if error:
        raise DrawRefused(error)
    officers = sorted(set(officer_ids))
    if len(officers) < per_target:
        raise DrawRefused(too_few_officers_message(len(officers), per_target))
    return [
        Drawn(t, pick_officers(seed, t, officers, per_target, conflicts))
        for t in draw_targets(seed, target_ids, n)
    ]


# --- G3 ----------------------------------------------------------------------------------------
def publication_due(result_on: date, calendar: Calendar) -> Due:
    """G3: an inspection result is published within twenty working days of the day it was made."""
    return add_workdays(calendar, result_on, RESULT_PUBLICATION_WORKDAYS)
