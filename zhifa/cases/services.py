"""Creating cases and everything around the engine that changes state."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa.core.rules import id_number_birth_date
from zhifa.core.scope import scope_for
from zhifa.core.sequences import next_number
from zhifa.personnel.models import Officer

from .definitions import Procedure, bundled, parse, procedure_of
from .models import Case, CaseOfficer, Party, PartyKind, ProcedureVersion


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


def format_number(pattern: str, agency, year: int, serial: int) -> str:
    return (
        pattern.replace("{简称}", agency.short_name or agency.name)
        .replace("{年}", str(year))
        .replace("{序号}", str(serial))
    )


def number_case(case: Case, procedure: Procedure, on: date) -> None:
    """Give the case its 案号: gap-free per agency, procedure and year (inside the caller's transaction)."""
    if case.number:
        return
    case.year = on.year
    case.serial = next_number(f"case:{case.agency_id}:{procedure.code}:{on.year}")
    case.number = format_number(procedure.number_pattern, case.agency, on.year, case.serial)


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
    errors = {}
    if party.kind in (PartyKind.NATURAL_PERSON, PartyKind.INDIVIDUAL_BUSINESS) and not party.id_number:
        errors["id_number"] = "自然人、个体工商户经营者须填写公民身份号码（GB 11643）。"
    if party.kind in (PartyKind.LEGAL_PERSON, PartyKind.UNINCORPORATED) and not party.credit_code:
        errors["credit_code"] = "法人或其他组织须填写统一社会信用代码（GB 32100）。"
    if errors:
        raise ValidationError(errors)
    if party.id_number:
        party.id_number = party.id_number.strip().upper()
    party.full_clean()
    party.birth_date = id_number_birth_date(party.id_number) if party.id_number else None
    party.save()
    return party
