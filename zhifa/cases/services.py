"""Creating cases and everything around the engine that changes state."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa.core.models import Sequence
from zhifa.core.rules import id_number_birth_date
from zhifa.core.scope import scope_for
from zhifa.core.sequences import next_number
from zhifa.organizations.models import Region
from zhifa.personnel.models import Officer
from zhifa.powers.models import PowerCategory

from . import rules
from .definitions import Procedure, bundled, parse, procedure_of
from .models import Case, CaseNumberPattern, CaseOfficer, DeadlineStatus, Party, PartyKind, ProcedureVersion
from .parameters import setting_value

P1_BASIS = "《中华人民共和国行政处罚法》第四十二条、第五十五条"
AUTHORITY_BASIS = "《中华人民共和国行政处罚法》第十七条"
JURISDICTION_BASIS = "《中华人民共和国行政处罚法》第二十二条"
PERSON_KINDS = (PartyKind.NATURAL_PERSON, PartyKind.INDIVIDUAL_BUSINESS)
ORGANISATION_KINDS = (PartyKind.LEGAL_PERSON, PartyKind.UNINCORPORATED)

# The 权责清单 category of the matters each procedure category handles.
POWER_CATEGORIES = {
    "处罚": PowerCategory.PENALTY,
    "强制": PowerCategory.COERCION,
    "许可": PowerCategory.LICENSE,
    "检查": PowerCategory.INSPECTION,
}


# --- Registration checks (every path that creates a case) ----------------------------------------
def assigns_at_registration(procedure: Procedure) -> bool:
    """A procedure whose steps need officers on site (P1) but that has no 立案 step to assign
    them (简易程序, 行政强制措施) takes them when the case is registered."""
    actions = procedure.actions.values()
    needs = any("officers_qualified" in action.guards for action in actions)
    return needs and not any(action.handler == "file_case" for action in actions)


def _within(region: Region, root_id: int) -> bool:
    node, depth = region, 0
    while node is not None and depth < 4:
        if node.pk == root_id:
            return True
        node, depth = node.parent, depth + 1
    return False


# --- Shared checks -----------------------------------------------------------------------------
def party_errors(kind: str, id_number: str, credit_code: str) -> dict[str, str]:
    """The identity a party must carry (GB 11643 for persons, GB 32100 for organisations)."""
    errors = {}
    if kind in PERSON_KINDS and not id_number:
        errors["id_number"] = "自然人、个体工商户经营者须填写公民身份号码（GB 11643）。"
    if kind in ORGANISATION_KINDS and not credit_code:
        errors["credit_code"] = "法人或其他组织须填写统一社会信用代码（GB 32100）。"
    return errors


def _date_errors(data: dict, today: date) -> dict[str, str]:
    errors = {}
    violation, end, discovered = (
        data.get("violation_date"),
        data.get("violation_end_date"),
        data.get("discovered_on"),
    )
    if violation and violation > today:
        errors["violation_date"] = "违法行为发生日不能晚于今天。"
    if discovered and discovered > today:
        errors["discovered_on"] = "发现日期不能晚于今天。"
    if violation and discovered and discovered < violation:
        errors["discovered_on"] = "发现日期不能早于违法行为发生日。"
    if end and not data.get("violation_continuing"):
        errors["violation_end_date"] = (
            "只有违法行为有连续或者继续状态时才填写终了日（处罚法第三十六条第二款）。"
        )
    if end and violation and end < violation:
        errors["violation_end_date"] = "违法行为终了日不能早于发生日。"
    return errors


def _officer_errors(data: dict, procedure: Procedure) -> dict[str, str]:
    agency, officers = data["agency"], list(data.get("officers") or [])
    outside = [o.name for o in officers if not o.organization.path.startswith(agency.path)]
    if outside:
        return {"officer_ids": f"{'、'.join(outside)}不是{agency.name}的执法人员。"}
    if not assigns_at_registration(procedure) or not data.get("field") or not data.get("region"):
        return {}
    minimum = int(setting_value("min_officers", data["field"].pk, data["region"].pk))
    if len(officers) < minimum:
        return {
            "officer_ids": f"当场执法的执法人员不得少于{minimum}人，请选择在场的执法人员（P1，{P1_BASIS}）。"
        }
    return {}


def registration_errors(data: dict, today: date | None = None) -> dict[str, str]:
    """What is wrong with a case registration; ``data`` holds model objects, and gets its 案由 from
    the 权责清单 item when none was typed."""
    today = today or timezone.localdate()
    agency, field, region, item = (data.get(k) for k in ("agency", "field", "region", "power_item"))
    errors = _date_errors(data, today)
    if agency is None:
        return errors
    if field is not None and not agency.fields.filter(pk=field.pk).exists():
        errors["field"] = (
            f"{agency.name}没有“{field.name}”领域的行政处罚权，不能在该领域立案（{AUTHORITY_BASIS}）。"
        )
    if region is not None and not _within(region, agency.region_id):
        errors["region"] = (
            f"违法行为发生地不在{agency.name}的管辖区域内，应由发生地的行政机关管辖（{JURISDICTION_BASIS}）。"
        )
    if item is not None and item.agency_id != agency.pk:
        errors["power_item"] = f"所选事项不属于{agency.name}的权责清单。"
    if not data.get("cause"):
        if item is None:
            errors["cause"] = "请填写案由，或选择权责清单中的事项。"
        else:
            data["cause"] = str(item)[:300]
    try:
        version = current_procedure(data["procedure"], today)
    except ValidationError as exc:
        errors["procedure"] = exc.message_dict["procedure"][0]
        return errors
    expected = POWER_CATEGORIES.get(version.category)
    if item is not None and expected and item.category != expected and "power_item" not in errors:
        errors["power_item"] = f"所选事项属于{item.get_category_display()}，不适用“{version.name}”。"
    errors.update(_officer_errors(data, procedure_of(version)))
    return errors


def sync_procedures() -> list[ProcedureVersion]:
    """Store every bundled definition whose content is new as a new ProcedureVersion row.

    A changed file must carry a new version number: rows are never edited, so running cases keep
    the rules they started under.
    """
    created = []
    for raw, digest in bundled():
        parse(raw)  # refuse a broken definition before anything is stored
        existing = ProcedureVersion.objects.filter(code=raw["code"], version=raw["version"]).first()
        if existing is None:
            created.append(
                ProcedureVersion.objects.create(
                    code=raw["code"],
                    version=raw["version"],
                    name=raw["name"],
                    category=raw["category"],
                    effective_from=raw["effective_from"],
                    definition=raw,
                    source_digest=digest,
                )
            )
        elif existing.source_digest != digest:
            raise ValidationError(
                f"程序定义“{raw['name']}”第{raw['version']}版的内容已改变：修改程序须使用新的版本号，已办案件仍按原版本执行。"
            )
    return created


def current_procedure(code: str, on: date | None = None) -> ProcedureVersion:
    on = on or timezone.localdate()
    version = (
        ProcedureVersion.objects.filter(code=code, effective_from__lte=on)
        .order_by("-effective_from", "-version")
        .first()
    )
    if version is None:
        raise ValidationError({"procedure": f"没有在{on:%Y年%m月%d日}施行的“{code}”程序定义。"})
    return version


def current_procedures(on: date | None = None) -> list[ProcedureVersion]:
    """The version of every procedure in force on ``on`` (today by default)."""
    on = on or timezone.localdate()
    latest: dict[str, ProcedureVersion] = {}
    for version in ProcedureVersion.objects.filter(effective_from__lte=on).order_by(
        "code", "-effective_from", "-version"
    ):
        latest.setdefault(version.code, version)
    return list(latest.values())


# --- 案号 ----------------------------------------------------------------------------------------
def case_sequence_key(agency_id: int, procedure_code: str, year: int) -> str:
    """The counter of a 案号: per agency, procedure and year, whatever the pattern, so a pattern
    changed mid-year continues the numbering instead of restarting it."""
    return f"case:{agency_id}:{procedure_code}:{year}"


def case_number_format(agency_id: int, procedure: Procedure) -> tuple[str, int]:
    """(pattern, pad width): the agency's own for the procedure, else the definition's default."""
    row = (
        CaseNumberPattern.objects.filter(agency_id=agency_id, procedure_code=procedure.code)
        .values_list("pattern", "pad_width")
        .first()
    )
    return row or (procedure.number_pattern, 0)


def format_case_number(pattern: str, pad_width: int, agency, year: int, serial: int) -> str:
    return rules.format_case_number(
        pattern, short_name=agency.short_name or agency.name, year=year, sequence=serial, pad_width=pad_width
    )


def number_case(case: Case, procedure: Procedure, on: date) -> None:
    """Give the case its 案号: gap-free per agency, procedure and year (inside the caller's
    transaction, so a rollback gives the number back), written with the agency's pattern."""
    if case.number:
        return
    pattern, pad_width = case_number_format(case.agency_id, procedure)
    case.year = on.year
    case.serial = next_number(case_sequence_key(case.agency_id, procedure.code, on.year))
    case.number = format_case_number(pattern, pad_width, case.agency, on.year, case.serial)
    if Case.objects.filter(agency_id=case.agency_id, number=case.number).exclude(pk=case.pk).exists():
        # Only a pattern that writes the same text as another procedure's (or as an earlier
        # pattern of this one) gets here; refuse rather than give two cases one 案号.
        raise ValidationError(
            {
                "number": f"案号“{case.number}”已被本机关其他案件使用：请检查本机关的案号格式设置，"
                f"各程序的案号须能互相区分（{rules.CASE_NUMBER_BASIS}）。"
            }
        )


def next_case_numbers(patterns: list[tuple[object, str, str, int]], on: date) -> list[str]:
    """The 案号 each (agency, procedure code, pattern, pad width) would give its next case in
    ``on``'s year, read in one query; nothing is reserved."""
    keys = [case_sequence_key(agency.pk, code, on.year) for agency, code, _, _ in patterns]
    used = dict(Sequence.objects.filter(key__in=keys).values_list("key", "value"))
    return [
        format_case_number(pattern, pad_width, agency, on.year, used.get(key, 0) + 1)
        for key, (agency, _code, pattern, pad_width) in zip(keys, patterns, strict=True)
    ]


@transaction.atomic
def save_case_number_pattern(user, pattern: CaseNumberPattern) -> CaseNumberPattern:
    """Create or change an agency's 案号 pattern: agency heads for their own agency, administrators
    for any. Numbers already given are kept; the year's sequence continues."""
    permission = "cases.change_casenumberpattern" if pattern.pk else "cases.add_casenumberpattern"
    if not user.has_perm(permission):
        raise PermissionDenied("您无权设置案号格式。")
    if pattern.agency_id is None or not scope_for(user).contains_path(pattern.agency.path):
        raise PermissionDenied("该执法主体不在您的管理范围内。")
    pattern.full_clean()
    if clash := _pattern_clash(pattern):
        raise ValidationError(
            {
                "pattern": f"与“{clash}”的案号格式相同，两种案件的案号会重复；"
                "请在格式中写入程序代字（如“罚立”“罚简”）加以区分。"
            }
        )
    pattern.save()
    return pattern


def _pattern_clash(pattern: CaseNumberPattern) -> str | None:
    """The name of another procedure whose 案号 for this agency would be written the same way."""
    own = dict(
        CaseNumberPattern.objects.filter(agency_id=pattern.agency_id)
        .exclude(procedure_code=pattern.procedure_code)
        .values_list("procedure_code", "pattern")
    )
    for version in current_procedures():
        if version.code == pattern.procedure_code:
            continue
        if own.get(version.code, procedure_of(version).number_pattern) == pattern.pattern:
            return version.name
    return None


def assign_officers(case: Case, officer_ids: list[int]) -> list[CaseOfficer]:
    officers = {
        o.pk: o
        for o in Officer.objects.filter(pk__in=officer_ids, organization__path__startswith=case.agency.path)
    }
    missing = [i for i in officer_ids if i not in officers]
    if missing:
        raise ValidationError(
            {"officers": f"执法人员编号{'、'.join(map(str, missing))}不存在或不属于本机关。"}
        )
    CaseOfficer.objects.filter(case=case).exclude(officer_id__in=officer_ids).delete()
    rows = []
    for position, officer_id in enumerate(officer_ids):
        row, _ = CaseOfficer.objects.update_or_create(
            case=case, officer_id=officer_id, defaults={"is_lead": position == 0}
        )
        rows.append(row)
    return rows


@transaction.atomic
def create_case(
    user, *, agency, procedure_code: str, parties: list[dict], officer_ids: list[int] = (), **fields
) -> Case:
    """Register a case with its parties (and officers, for procedures without a 立案 step)."""
    if not user.has_perm("cases.add_case") or not scope_for(user).contains_path(agency.path):
        raise PermissionDenied("您无权为该执法主体登记案件。")
    if not parties:
        raise ValidationError({"parties": "至少登记一名当事人。"})
    today = timezone.localdate()
    officers = list(Officer.objects.filter(pk__in=officer_ids).select_related("organization"))
    checked = {**fields, "agency": agency, "procedure": procedure_code, "officers": officers}
    if errors := registration_errors(checked, today):
        raise ValidationError(errors)
    fields["cause"] = checked["cause"]
    version = current_procedure(procedure_code, today)
    procedure = procedure_of(version)
    case = Case(
        agency=agency,
        procedure=version,
        year=today.year,
        stage=procedure.initial_stage,
        created_by=user,
        **fields,
    )
    if procedure.numbering == "create":
        number_case(case, procedure, today)
    case.full_clean(exclude=["created_by"])
    case.save()
    for data in parties:
        add_party(case, data)
    if officer_ids:
        assign_officers(case, list(officer_ids))
    return case


def add_party(case: Case, data: dict) -> Party:
    party = Party(case=case, **data)
    if errors := party_errors(party.kind, party.id_number, party.credit_code):
        raise ValidationError(errors)
    if party.id_number:
        party.id_number = party.id_number.strip().upper()
    party.full_clean()
    party.birth_date = id_number_birth_date(party.id_number) if party.id_number else None
    party.save()
    return party


def surcharge_owed(case: Case, deadlines, on: date | None = None) -> dict | None:
    """P12: the 加处罚款 a case's unpaid fine has accrued by ``on``, with 复议/诉讼 intervals left
    out; None when nothing is overdue. ``deadlines``: the case's deadlines, already loaded."""
    on = on or timezone.localdate()
    fine = (case.details.get("decision") or {}).get("fine")
    payment = [d for d in deadlines if d.code == "payment" and d.status == DeadlineStatus.RUNNING]
    if not fine or not payment or on <= payment[-1].due_on:
        return None
    paused = [
        (
            date.fromisoformat(a["started_on"]),
            date.fromisoformat(a["ended_on"]) if a.get("ended_on") else None,
        )
        for a in case.details.get("appeals", [])
    ]
    owed = rules.late_surcharge(Decimal(fine), payment[-1].due_on, on, paused)
    return {
        "fine": Decimal(fine),
        "due_on": payment[-1].due_on,
        "on": on,
        "days": owed.days,
        "amount": owed.amount,
        "capped": owed.capped,
        "basis": rules.P12_SURCHARGE_BASIS,
    }
