"""Rules for enforcement officers and their certificates (pure functions, no database).

The central question — may this officer enforce in field F and region R on date D, and if not,
why — is :func:`enforcement_eligibility`. Services build the plain facts below from the database
and call it; cases, inspections and the officer page all use the same answer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from zhifa.core.rules import id_number_error, region_ancestor_codes

# --- Legal bases, cited in code and in every Chinese message ----------------------------------
P1_BASIS = "《中华人民共和国行政处罚法》第四十二条、第五十五条"
S2_BASIS = "行政执法人员资格和证件管理制度：经培训考试取证、每年年审、每年培训不少于规定学时，未年审不得执法"
S13_BASIS = "司办通〔2020〕78号及本省行政执法证件管理规定"
S12_BASIS = "执法证件到期及年审预警（山东省行政执法监督平台做法）"

# Employment types (keys of personnel.models.EmploymentType) that may not hold a certificate (S13).
CERTIFICATE_INELIGIBLE_EMPLOYMENT = frozenset({"contract", "dispatched", "temporary"})
EMPLOYMENT_LABELS = {
    "civil_servant": "在编公务员",
    "reference": "参公事业编制",
    "institution": "事业编制",
    "contract": "合同制",
    "dispatched": "劳务派遣",
    "temporary": "临时聘用",
}
# Lending or altering a certificate bars a new application for two years (S13).
MISUSE_BAN_YEARS = 2


class Reason(NamedTuple):
    """Why something is refused: the DOMAIN.md rule id, its legal basis and the Chinese message."""

    rule: str
    basis: str
    message: str


# --- Facts -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Policy:
    """Values the statute leaves to provinces (PersonnelPolicy rows, national default first)."""

    min_training_hours: Decimal = Decimal("40")
    inspection_grace_days: int = 90  # the previous year's 年审 is due by day N of the year
    warning_days: int = 60  # S12: warn two months ahead


@dataclass(frozen=True)
class InspectionFact:
    year: int
    passed: bool


@dataclass(frozen=True)
class CertificateFact:
    number: str
    status: str  # stored status: valid / suspended / revoked
    issued_on: date
    valid_until: date
    field_codes: frozenset[str]
    region_codes: frozenset[str]
    inspections: tuple[InspectionFact, ...] = ()
    status_reason: str = ""


@dataclass(frozen=True)
class OfficerFacts:
    name: str
    active: bool
    employment_type: str
    certificates: tuple[CertificateFact, ...]
    training_hours: Mapping[int, Decimal]  # calendar year -> hours
    policy: Policy = field(default_factory=Policy)
    # code -> parent code, from the Region table; codes absent here fall back to GB/T 2260 shape.
    region_parents: Mapping[str, str | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Eligibility:
    allowed: bool
    reasons: list[Reason]
    certificate: str | None = None  # the number of the certificate that authorises, when allowed

    @property
    def messages(self) -> list[str]:
        return [reason.message for reason in self.reasons]


# --- Identity --------------------------------------------------------------------------------
def mask_id_number(number: str) -> str:
    """身份证号 as staff without change permission see it: first 6 and last 4 characters."""
    number = number or ""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def gender_from_id_number(number: str) -> str:
    """GB 11643: the 17th digit (顺序码 last digit) is odd for men, even for women."""
    return "male" if int(number[16]) % 2 else "female"


def id_number_gender_error(number: str, gender: str) -> str | None:
    if id_number_error(number) or gender not in {"male", "female"}:
        return None
    if gender_from_id_number(number) != gender:
        expected = "男" if gender_from_id_number(number) == "male" else "女"
        return f"性别与身份证号不符：按身份证号第17位，应为“{expected}”（《公民身份号码》GB 11643-1999）。"
    return None


# --- Certificate numbers ---------------------------------------------------------------------
DEFAULT_NUMBER_PATTERN = r"[0-9]{2}[0-9A-Z]{6,18}"
DEFAULT_NUMBER_EXAMPLE = "3799002026000123"
DEFAULT_NUMBER_DESCRIPTION = "8—20位大写字母或数字，前2位为发证机关所在省级行政区划代码（如山东为37）"


def normalize_certificate_number(raw: str) -> str:
    """Strip, full-width → half-width (NFKC), uppercase, and drop inner spaces typed by hand."""
    text = unicodedata.normalize("NFKC", raw or "")
    return re.sub(r"\s+", "", text).upper()


CERTIFICATE_NUMBER_SHAPE = re.compile(r"[0-9A-Z]{6,32}")


def looks_like_certificate_number(text: str) -> bool:
    """A search box entry that is a certificate number rather than a name (names are Chinese)."""
    return bool(CERTIFICATE_NUMBER_SHAPE.fullmatch(normalize_certificate_number(text)))


def certificate_number_error(
    number: str,
    *,
    pattern: str = DEFAULT_NUMBER_PATTERN,
    description: str = DEFAULT_NUMBER_DESCRIPTION,
    example: str = DEFAULT_NUMBER_EXAMPLE,
    province_code: str | None = None,
) -> str | None:
    """Check a normalised 执法证件编号 against the configured pattern and the issuer's province.

    The national unified numbering rule (S13, 司办通〔2020〕78号) could not be confirmed from a
    public authoritative source, so the pattern is configuration (PersonnelPolicy), per province,
    with a cautious national default; only the 2-digit province prefix is checked structurally.
    """
    if not number:
        return "请填写执法证件编号。"
    if not re.fullmatch(pattern, number):
        return f"执法证件编号格式不正确：应为{description}，例如{example}（{S13_BASIS}）。"
    if province_code and not number.startswith(province_code[:2]):
        return (
            f"执法证件编号前2位应为发证机关所在省级行政区划代码“{province_code[:2]}”，"
            f"当前为“{number[:2]}”（{S13_BASIS}）。"
        )
    return None


def pattern_error(pattern: str, example: str) -> dict[str, str]:
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        return {"number_pattern": f"正则表达式无效：{exc}。"}
    if example and not compiled.fullmatch(example):
        return {"number_example": "示例编号不符合上面的正则表达式。"}
    return {}


# --- Certificate state -----------------------------------------------------------------------
STATE_LABELS = {
    "valid": "有效",
    "suspended": "暂扣",
    "revoked": "注销",
    "expired": "过期",
    "pending": "尚未生效",
    "holder_left": "无效（持证人已离岗）",
}


def certificate_state(status: str, issued_on: date, valid_until: date, on: date) -> str:
    """The state shown to anyone: 过期 is derived from the dates, never stored, so never stale."""
    if status != "valid":
        return status
    if on > valid_until:
        return "expired"
    if on < issued_on:
        return "pending"
    return "valid"


def date_range_error(issued_on: date | None, valid_until: date | None) -> str | None:
    if issued_on and valid_until and valid_until < issued_on:
        return "有效期截止日期不能早于发证日期。"
    return None


def employment_error(employment_type: str) -> Reason | None:
    """S13: no certificates for contract, dispatched or temporary staff."""
    if employment_type in CERTIFICATE_INELIGIBLE_EMPLOYMENT:
        label = EMPLOYMENT_LABELS.get(employment_type, employment_type)
        return Reason(
            "S13",
            S13_BASIS,
            f"用工性质为“{label}”的人员不得申领、持有行政执法证件（{S13_BASIS}）。",
        )
    return None


def reapplication_ban_until(misuse_revocations: Iterable[date], on: date) -> date | None:
    """S13: a certificate revoked for lending or altering bars a new one for two years."""
    ends = [_add_years(revoked_on, MISUSE_BAN_YEARS) for revoked_on in misuse_revocations]
    latest = max(ends, default=None)
    return latest if latest and on < latest else None


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --- 年审 ------------------------------------------------------------------------------------
def inspection_deadline(year: int, grace_days: int) -> date:
    """The last day (day N of ``year``) on which the previous year's 年审 may still be pending."""
    return date(year, 1, 1) + timedelta(days=max(grace_days, 1) - 1)


def inspection_due_year(on: date, grace_days: int) -> int:
    """The latest 审验年度 whose 年审 must be on record by ``on``.

    The 年审 of year Y examines the certificate's use in Y and is done early in Y+1. Until day N
    of Y+1 (the grace) it may be pending, so the year before must be on record instead.
    """
    if on <= inspection_deadline(on.year, grace_days):
        return on.year - 2
    return on.year - 1


def inspection_reasons(certificate: CertificateFact, on: date, grace_days: int) -> list[Reason]:
    """S2: no 年审 → no enforcement. Certificates issued in the current year need none yet."""
    by_year = {
        inspection.year: inspection for inspection in certificate.inspections if inspection.year < on.year
    }
    if by_year:
        latest = by_year[max(by_year)]
        if not latest.passed:
            return [
                Reason(
                    "S2",
                    S2_BASIS,
                    f"执法证件{certificate.number}的{latest.year}年度年审不合格，不得从事执法活动（S2）。",
                )
            ]
    due = inspection_due_year(on, grace_days)
    if certificate.issued_on.year > due:
        return []
    if due in by_year and by_year[due].passed:
        return []
    deadline = inspection_deadline(due + 1, grace_days)
    return [
        Reason(
            "S2",
            S2_BASIS,
            f"执法证件{certificate.number}未办理{due}年度年审（应于{deadline:%Y年%m月%d日}前完成），"
            f"未经年审不得从事执法活动（S2）。",
        )
    ]


# --- Training --------------------------------------------------------------------------------
def training_reason(facts: OfficerFacts, on: date) -> Reason | None:
    """S2: at least the configured hours (40 by default) in the previous calendar year.

    An officer whose first certificate was issued in the current year is exempt: the training
    and exam that preceded the certificate (S2) stand in for the previous year's hours. A renewed
    certificate does not restart this, because the exemption looks at the first certificate ever.
    """
    first_issued = min((c.issued_on for c in facts.certificates), default=None)
    if first_issued is None or first_issued.year >= on.year:
        return None
    year = on.year - 1
    hours = Decimal(facts.training_hours.get(year, 0))
    minimum = facts.policy.min_training_hours
    if hours >= minimum:
        return None
    return Reason(
        "S2",
        S2_BASIS,
        f"{year}年度培训学时为{format_hours(hours)}学时，不足规定的{format_hours(minimum)}学时，不得从事执法活动（S2）。",
    )


def format_hours(value: Decimal) -> str:
    return f"{value.normalize():f}"


# --- Coverage --------------------------------------------------------------------------------
def region_chain(region_code: str, parents: Mapping[str, str | None]) -> list[str]:
    """The region and every region above it, using the Region table where known."""
    chain = [region_code]
    while True:
        current = chain[-1]
        parent = parents[current] if current in parents else _shape_parent(current)
        if not parent or parent in chain:
            return chain
        chain.append(parent)


def _shape_parent(code: str) -> str | None:
    ancestors = region_ancestor_codes(code)
    return ancestors[1] if len(ancestors) > 1 else None


def certificate_reasons(
    certificate: CertificateFact,
    field_code: str,
    chain: list[str],
    on: date,
    policy: Policy,
    labels: Mapping[str, str],
) -> list[Reason]:
    """Everything that keeps this one certificate from authorising F in R on D (P1, S2, S13)."""
    number = certificate.number
    state = certificate_state(certificate.status, certificate.issued_on, certificate.valid_until, on)
    reasons: list[Reason] = []
    if state == "suspended":
        why = f"（{certificate.status_reason}）" if certificate.status_reason else ""
        reasons.append(Reason("S13", S13_BASIS, f"执法证件{number}已被暂扣{why}，暂扣期间不得执法（S13）。"))
    elif state == "revoked":
        reasons.append(Reason("S13", S13_BASIS, f"执法证件{number}已注销（S13）。"))
    elif state == "expired":
        reasons.append(
            Reason("P1", P1_BASIS, f"执法证件{number}已于{certificate.valid_until:%Y年%m月%d日}过期（P1）。")
        )
    elif state == "pending":
        reasons.append(
            Reason("P1", P1_BASIS, f"执法证件{number}自{certificate.issued_on:%Y年%m月%d日}起生效（P1）。")
        )
    if field_code not in certificate.field_codes:
        label = labels.get(field_code, field_code)
        reasons.append(Reason("P1", P1_BASIS, f"执法证件{number}的执法类别不含“{label}”（P1）。"))
    if not certificate.region_codes.intersection(chain):
        label = labels.get(chain[0], chain[0])
        reasons.append(Reason("P1", P1_BASIS, f"执法证件{number}的执法区域不含“{label}”（P1）。"))
    if state not in {"revoked"}:
        reasons.extend(inspection_reasons(certificate, on, policy.inspection_grace_days))
    return reasons


def enforcement_eligibility(
    facts: OfficerFacts,
    field_code: str,
    region_code: str,
    on: date,
    labels: Mapping[str, str] | None = None,
) -> Eligibility:
    """May this officer enforce in field F and region R on date D — and if not, why.

    Allowed only when every one of these holds (each refusal names its rule):
    - P1: the officer is 在岗 and holds a certificate with status 有效, issued_on ≤ D ≤ valid_until,
      whose 执法类别 include F and whose 执法区域 include R or a region above it (a 市 covers its 区县);
    - S13: the employment type may hold a certificate (no contract/dispatched/temporary staff),
      and the certificate is not 暂扣 or 注销;
    - S2: that certificate's 年审 is current (see :func:`inspection_reasons`) and the officer
      trained at least the policy's hours in the previous calendar year (see :func:`training_reason`).
    When several certificates exist, the one with the fewest problems (then the latest expiry) is
    reported, so the reasons describe the certificate closest to being usable.
    """
    labels = labels or {}
    officer_reasons: list[Reason] = []
    if not facts.active:
        officer_reasons.append(Reason("P1", P1_BASIS, f"{facts.name}已离岗，不得从事执法活动（P1）。"))
    if reason := employment_error(facts.employment_type):
        officer_reasons.append(reason)
    if reason := training_reason(facts, on):
        officer_reasons.append(reason)

    if not facts.certificates:
        officer_reasons.append(Reason("P1", P1_BASIS, f"{facts.name}未持有行政执法证件（P1）。"))
        return Eligibility(False, officer_reasons)

    chain = region_chain(region_code, facts.region_parents)
    evaluated = [
        (certificate_reasons(c, field_code, chain, on, facts.policy, labels), c) for c in facts.certificates
    ]
    evaluated.sort(key=lambda item: (len(item[0]), -item[1].valid_until.toordinal()))
    best_reasons, best = evaluated[0]
    reasons = officer_reasons + best_reasons
    return Eligibility(not reasons, reasons, best.number if not reasons else None)


# --- Warnings (S12) --------------------------------------------------------------------------
def expiry_warning(certificate: CertificateFact, on: date, policy: Policy) -> Reason | None:
    """S12: warn when a usable certificate expires within the warning days (60 by default)."""
    if certificate_state(certificate.status, certificate.issued_on, certificate.valid_until, on) != "valid":
        return None
    left = (certificate.valid_until - on).days
    if left > policy.warning_days:
        return None
    when = "今日" if left == 0 else f"{left}日后"
    return Reason(
        "S12",
        S12_BASIS,
        f"执法证件{certificate.number}将于{certificate.valid_until:%Y年%m月%d日}到期（{when}），请及时办理换证（S12）。",
    )


def inspection_warning(certificate: CertificateFact, on: date, policy: Policy) -> Reason | None:
    """S12: warn within the warning days before the previous year's 年审 falls due."""
    if certificate_state(certificate.status, certificate.issued_on, certificate.valid_until, on) != "valid":
        return None
    deadline = inspection_deadline(on.year, policy.inspection_grace_days)
    year = on.year - 1
    if certificate.issued_on.year > year or on > deadline:
        return None
    if any(i.year == year for i in certificate.inspections):
        return None
    if (deadline - on).days > policy.warning_days:
        return None
    return Reason(
        "S12",
        S12_BASIS,
        f"执法证件{certificate.number}的{year}年度年审须于{deadline:%Y年%m月%d日}前完成（S12）。",
    )
