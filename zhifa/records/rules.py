"""Pure rules for 文书: the remedy sentence each kind must carry and the 文号 pattern language."""

from __future__ import annotations

import re

# --- Remedy (救济途径) ------------------------------------------------------------------------
# Kinds whose documents are 行政行为 the party may challenge, so they must state how and within
# what period: 处罚法 Art. 59(5) and 52 (decisions), 强制法 Art. 24(4) (查封扣押); an extension is
# a new decision about the measure (强制法 Art. 25), and a 不予处罚 decision still finds facts.
REMEDY_KINDS = frozenset(
    {
        "penalty_decision",
        "summary_penalty_decision",
        "no_penalty_decision",
        "seizure_decision",
        "seizure_extension_notice",
    }
)
# 行政复议法 (2023) Art. 23(1)(一): reconsideration comes before litigation for on-the-spot
# penalty decisions, and the agency must say so when deciding (Art. 23, second paragraph).
RECONSIDERATION_FIRST_KINDS = frozenset({"summary_penalty_decision"})

ANY_RECONSIDERATION_ORGAN = "有管辖权的行政复议机关"
ANY_COURT = "有管辖权的人民法院"


def remedy_text(kind: str, reconsideration_organ: str = "", court: str = "") -> str:
    """The 救济途径 sentence of a document (T2, P10), or "" for kinds that carry none.

    Periods: 行政复议 within 60 days of knowing (行政复议法 Art. 20); 行政诉讼 within 6 months
    (行政诉讼法 Art. 46), or within 15 days of receiving the reconsideration decision (Art. 45).
    """
    if kind not in REMEDY_KINDS:
        return ""
    organ = reconsideration_organ.strip() or ANY_RECONSIDERATION_ORGAN
    court = court.strip() or ANY_COURT
    if kind in RECONSIDERATION_FIRST_KINDS:
        return (
            f"当事人对本决定不服的，应当自收到本决定书之日起六十日内先向{organ}申请行政复议；"
            f"对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内依法向{court}提起行政诉讼"
            "（《中华人民共和国行政复议法》第二十三条）。"
        )
    return (
        f"当事人对本决定不服的，可以自收到本决定书之日起六十日内向{organ}申请行政复议，"
        f"也可以自收到本决定书之日起六个月内依法向{court}提起行政诉讼。"
    )


# --- 文号 patterns -----------------------------------------------------------------------------
DEFAULT_PATTERN = "{简称}{缩写}〔{年}〕{序号}号"
TOKENS = ("简称", "缩写", "年", "序号")
TOKEN_RE = re.compile(r"\{([^{}]*)\}")
MAX_PAD = 6


def pattern_errors(pattern: str, pad_width: int = 0) -> list[str]:
    """Why a 文号 pattern is unusable, in Chinese; [] when it is fine.

    A 文号 must be unique within the agency, and the sequence restarts each year, so the pattern
    needs both {年} and {序号} (GB/T 9704-2012 §7.2.4: 发文机关代字、年份、发文顺序号).
    """
    errors = []
    names = TOKEN_RE.findall(pattern or "")
    unknown = sorted({name for name in names if name not in TOKENS})
    if unknown:
        errors.append(
            "文号格式中有无法识别的占位符："
            + "、".join(f"{{{name}}}" for name in unknown)
            + "；可用的占位符为 {简称} {缩写} {年} {序号}。"
        )
    for required in ("年", "序号"):
        if required not in names:
            errors.append(
                f"文号格式必须包含 {{{required}}}：文号须含年份和顺序号，每年重新编号（GB/T 9704-2012 第7.2.4条）。"
            )
    stripped = TOKEN_RE.sub("", pattern or "")
    if "{" in stripped or "}" in stripped:
        errors.append("文号格式中的花括号不成对。")
    if not 0 <= pad_width <= MAX_PAD:
        errors.append(f"序号补零位数应在0到{MAX_PAD}之间。")
    return errors


def format_number(
    pattern: str, *, short_name: str, abbreviation: str, year: int, sequence: int, pad_width: int = 0
) -> str:
    """ "{简称}{缩写}〔{年}〕{序号}号" with 示市监, 罚决, 2026, 12 → "示市监罚决〔2026〕12号"."""
    if errors := pattern_errors(pattern, pad_width):
        raise ValueError(errors[0])
    values = {
        "简称": short_name,
        "缩写": abbreviation,
        "年": str(year),
        "序号": str(sequence).zfill(pad_width) if pad_width else str(sequence),
    }
    return TOKEN_RE.sub(lambda match: values[match.group(1)], pattern)
