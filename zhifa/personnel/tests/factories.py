"""Small builders for personnel tests (on top of the ``world`` fixture's org tree)."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from zhifa.core.rules import id_number_check_char
from zhifa.personnel.models import (
    AnnualInspection,
    Certificate,
    EmploymentType,
    Gender,
    InspectionResult,
    Officer,
    TrainingHours,
)

_serial = itertools.count(1)


def make_id_number(gender: str = Gender.MALE, region: str = "379900", birth: str = "19850315") -> str:
    sequence = (next(_serial) * 2 + (1 if gender == Gender.MALE else 0)) % 1000
    body = f"{region}{birth}{sequence:03d}"
    return body + id_number_check_char(body)


def make_officer(organization, name="张明", gender=Gender.MALE, **extra) -> Officer:
    fields = {"employment_type": EmploymentType.CIVIL_SERVANT, "position": "科员", **extra}
    return Officer.objects.create(
        name=name, gender=gender, organization=organization, id_number=make_id_number(gender), **fields
    )


def make_certificate(
    officer,
    authority,
    fields,
    regions,
    number=None,
    issued_on=date(2023, 3, 1),
    valid_until=date(2028, 2, 28),
    inspected_years=(),
    **extra,
) -> Certificate:
    certificate = Certificate.objects.create(
        number=number or f"3799{next(_serial):010d}",
        officer=officer,
        issuing_authority=authority,
        issued_on=issued_on,
        valid_until=valid_until,
        **extra,
    )
    certificate.fields.set(fields)
    certificate.regions.set(regions)
    for year in inspected_years:
        AnnualInspection.objects.create(
            certificate=certificate,
            year=year,
            result=InspectionResult.PASSED,
            inspected_on=date(year + 1, 2, 1),
        )
    return certificate


def add_training(officer, year: int, hours) -> TrainingHours:
    return TrainingHours.objects.create(
        officer=officer, date=date(year, 6, 1), hours=Decimal(str(hours)), topic="执法培训"
    )


def qualified_officer(world, organization=None, name="张明", on_year=2026):
    """An officer of 示范市市场监管局 who may enforce 市场监管 in 示范市 in ``on_year``."""
    officer = make_officer(organization or world.orgs["market_team"], name=name)
    certificate = make_certificate(
        officer,
        world.orgs["justice"],
        [world.fields["market"]],
        [world.regions["city"]],
        inspected_years=range(2023, on_year),
    )
    add_training(officer, on_year - 1, 40)
    return officer, certificate
