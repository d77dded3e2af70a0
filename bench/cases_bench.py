"""Case engine at scale (issue 3): N generated cases across agencies, then

- staff case list filtered by agency and warning level (target p95 < 150 ms),
- case page (target p95 < 100 ms),
- ``perform`` throughput in one process (target ≥ 200 actions/s on PostgreSQL),
- the warning refresh over all running deadlines (target < 30 s).

    cd bench && ../.venv/bin/python cases_bench.py [--cases 1000000] [--database postgres://…/postgres]
    cd bench && ../.venv/bin/python cases_bench.py --reuse postgres://…/NAME [--only-perform]

(``--database postgres://…/NAME`` drops and recreates NAME; ``…/postgres`` uses ``zhifa_bench``.
The database is kept; ``--reuse`` measures again on it without generating.)

Cases are bulk-inserted in states the engine could have produced (stage, events, deadlines with a
mix of levels, two assigned officers qualified to enforce, so that the case page runs the P1
eligibility checks); timing then goes through the real views and the real engine.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import uuid
from datetime import timedelta

from _setup import configure, timed

STAGES = {  # procedure → (stage, share)
    "penalty_summary": [("registered", 0.2), ("decided", 0.5), ("closed", 0.3)],
    "penalty_general": [
        ("lead", 0.1),
        ("investigating", 0.35),
        ("notified", 0.15),
        ("decided", 0.1),
        ("closed", 0.3),
    ],
}


def build_case_officers(tree: dict, today) -> dict[int, list[int]]:
    """Each agency gets the 市场监管 field and two officers who may enforce it in the agency's region
    today (P1/S2: a valid certificate for the field and region, every 年审 passed, 40 training hours
    last year — as personnel's ``qualified_officer`` test factory); returns agency id → officer ids."""
    from datetime import date
    from decimal import Decimal

    from generate import id_number

    from zhifa.organizations.models import EnforcementField, Organization
    from zhifa.personnel.models import (
        AnnualInspection,
        Certificate,
        EmploymentType,
        Gender,
        InspectionResult,
        Officer,
        TrainingHours,
    )

    field = EnforcementField.objects.get_or_create(code="SCJG", defaults={"name": "市场监管"})[0]
    agencies = tree["agencies"]
    Organization.fields.through.objects.bulk_create(
        [Organization.fields.through(organization_id=a.pk, enforcementfield_id=field.pk) for a in agencies],
        batch_size=5000,
        ignore_conflicts=True,
    )
    governments = {g.region_id: g for g in tree["governments"]}
    officers = [
        Officer(
            name=f"执法员{i}",
            gender=Gender.MALE if i % 2 else Gender.FEMALE,
            organization_id=agencies[i // 2].pk,
            employment_type=EmploymentType.CIVIL_SERVANT,
            id_number=id_number(f"{120000 + i // 1000:06d}", f"{1970 + i % 30}0101", i % 1000),
        )
        for i in range(2 * len(agencies))
    ]
    Officer.objects.bulk_create(officers, batch_size=5000)
    issued = date(today.year - 3, 3, 1)
    certificates = [
        Certificate(
            number=f"38{i:010d}",
            officer_id=officer.pk,
            issuing_authority_id=governments[agencies[i // 2].region_id].pk,
            issued_on=issued,
            valid_until=date(today.year + 2, 2, 28),
        )
        for i, officer in enumerate(officers)
    ]
    Certificate.objects.bulk_create(certificates, batch_size=5000)
    Certificate.fields.through.objects.bulk_create(
        [Certificate.fields.through(certificate_id=c.pk, enforcementfield_id=field.pk) for c in certificates],
        batch_size=5000,
    )
    Certificate.regions.through.objects.bulk_create(
        [
            Certificate.regions.through(certificate_id=c.pk, region_id=agencies[i // 2].region_id)
            for i, c in enumerate(certificates)
        ],
        batch_size=5000,
    )
    AnnualInspection.objects.bulk_create(
        [
            AnnualInspection(
                certificate_id=c.pk,
                year=year,
                result=InspectionResult.PASSED,
                inspected_on=date(year + 1, 1, 20),
            )
            for c in certificates
            for year in range(issued.year, today.year)
        ],
        batch_size=5000,
    )
    TrainingHours.objects.bulk_create(
        [
            TrainingHours(
                officer_id=o.pk,
                year=today.year - 1,
                date=date(today.year - 1, 6, 1),
                hours=Decimal(40),
                topic="执法培训",
            )
            for o in officers
        ],
        batch_size=5000,
    )
    by_agency: dict[int, list[int]] = {}
    for i, officer in enumerate(officers):
        by_agency.setdefault(agencies[i // 2].pk, []).append(officer.pk)
    return by_agency


def generate(n_cases: int, agencies: list, user, rng: random.Random, today, officers: dict) -> None:
    from django.db import transaction

    from zhifa.cases.models import Case, CaseEvent, CaseOfficer, Deadline, Party, ProcedureVersion

    versions = {v.code: v for v in ProcedureVersion.objects.all()}
    from zhifa.organizations.models import EnforcementField

    field = EnforcementField.objects.get(code="SCJG")
    batch = 20_000
    made = 0
    serial: dict = {}
    while made < n_cases:
        size = min(batch, n_cases - made)
        cases = []
        for _ in range(size):
            agency = agencies[rng.randrange(len(agencies))]
            code = "penalty_general" if rng.random() < 0.6 else "penalty_summary"
            stage = rng.choices([s for s, _ in STAGES[code]], [w for _, w in STAGES[code]])[0]
            key = (agency.pk, code)
            serial[key] = serial.get(key, 0) + 1
            created = today - timedelta(days=rng.randrange(0, 720))
            cases.append(
                Case(
                    agency_id=agency.pk,
                    procedure=versions[code],
                    number=f"{agency.pk}{'罚立' if code == 'penalty_general' else '罚简'}〔{created.year}〕{serial[key]}号",
                    year=created.year,
                    serial=serial[key],
                    source="inspection",
                    field=field,
                    region_id=agency.region_id,
                    cause="未按规定明码标价",
                    discovered_on=created,
                    stage=stage,
                    status="closed" if stage == "closed" else "open",
                    last_sequence=1,  # the one event below
                    created_by=user,
                )
            )
        with transaction.atomic():
            Case.objects.bulk_create(cases, batch_size=5000)
            Party.objects.bulk_create(
                [
                    Party(
                        case=c,
                        kind="legal_person",
                        name="示范市某某有限公司",
                        credit_code="91350100M000100Y43",
                    )
                    for c in cases
                ],
                batch_size=5000,
            )
            events, deadlines = [], []
            for c in cases:
                events.append(
                    CaseEvent(
                        case=c,
                        sequence=1,
                        action="register",
                        action_name="登记",
                        stage_before="",
                        stage_after=c.stage,
                        actor=user,
                        data={},
                        request_key=uuid.uuid4().hex,
                        case_version=1,
                    )
                )
                if c.status == "open":
                    due = today + timedelta(days=rng.randrange(-10, 90))
                    level = "red" if due < today else ("yellow" if (due - today).days <= 4 else "green")
                    deadlines.append(
                        Deadline(
                            case=c,
                            code="decision",
                            name="作出处罚决定期限",
                            rule="P9",
                            basis="处罚法第六十条",
                            unit="natural",
                            days=90,
                            starts_on=due - timedelta(days=90),
                            due_on=due,
                            level=level,
                        )
                    )
            CaseEvent.objects.bulk_create(events, batch_size=5000)
            Deadline.objects.bulk_create(deadlines, batch_size=5000)
            CaseOfficer.objects.bulk_create(
                [
                    CaseOfficer(case=c, officer_id=officer_id, is_lead=position == 0)
                    for c in cases
                    for position, officer_id in enumerate(officers[c.agency_id])
                ],
                batch_size=5000,
            )
        made += size


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="sqlite")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--agencies", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--perform", type=int, default=1000)
    parser.add_argument(
        "--reuse", help="the DATABASE_URL of an earlier run's database (it is kept): skip generating"
    )
    parser.add_argument("--only-perform", action="store_true", help="measure perform (and refresh) only")
    args = parser.parse_args()
    if args.reuse:
        _reuse(args.reuse)
    else:
        print(f"database: {configure(args.database)} (--reuse it to skip generating)", file=sys.stderr)

    from django.db import connection
    from django.test import Client
    from django.utils import timezone
    from generate import build_org_tree

    from zhifa.accounts.models import User
    from zhifa.cases import engine
    from zhifa.cases.deadlines import refresh_levels
    from zhifa.cases.models import Case
    from zhifa.cases.services import create_case
    from zhifa.organizations.models import EnforcementField

    rng = random.Random(3)
    today = timezone.localdate()
    if args.reuse:
        from zhifa.organizations.models import Organization, OrgKind

        admin = User.objects.get(username="bench_admin")
        agencies = list(
            Organization.objects.filter(kind=OrgKind.AGENCY).select_related("region").order_by("pk")
        )
        generated_s = None
    else:
        tree = build_org_tree(args.agencies, rng)
        officers = build_case_officers(tree, today)
        admin = User.objects.create_superuser(
            "bench_admin", password="Bench-Pass-2026!", organization=tree["governments"][0]
        )
        started = time.perf_counter()
        generate(args.cases, tree["agencies"], admin, rng, today, officers)
        generated_s = round(time.perf_counter() - started, 1)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        agencies = tree["agencies"]

    results = {
        "database": connection.vendor,
        "cases": Case.objects.count(),
        "agencies": len(agencies),
        "generated_s": generated_s,
    }
    if not args.only_perform:
        client = Client()
        client.force_login(admin)
        case_ids = list(Case.objects.values_list("pk", flat=True)[:: max(1, args.cases // 2000)])

        def get(url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        results["list_by_agency_and_red_ms"] = timed(
            lambda i: get(f"/staff/cases/?agency={rng.choice(agencies).pk}&level=red"), args.repeat
        )
        results["list_by_agency_ms"] = timed(
            lambda i: get(f"/staff/cases/?agency={rng.choice(agencies).pk}"), args.repeat
        )
        results["case_page_ms"] = timed(lambda i: get(f"/staff/cases/{rng.choice(case_ids)}/"), args.repeat)

    # perform: register_lead on fresh 一般程序 cases of one agency (each action opens a deadline)
    agency = agencies[0]
    field = EnforcementField.objects.get(code="SCJG")
    fresh = [
        create_case(
            admin,
            agency=agency,
            procedure_code="penalty_general",
            parties=[{"kind": "legal_person", "name": "某公司", "credit_code": "91350100M000100Y43"}],
            source="inspection",
            field=field,
            region=agency.region,
            cause="基准测试",
            discovered_on=today,
        )
        for _ in range(args.perform)
    ]
    started = time.perf_counter()
    for case in fresh:
        engine.perform(
            case.pk, "register_lead", admin, {}, expected_version=case.version, request_key=uuid.uuid4().hex
        )
    elapsed = time.perf_counter() - started
    results["perform_actions_per_s"] = round(args.perform / elapsed, 1)

    started = time.perf_counter()
    changed = refresh_levels(today + timedelta(days=3))
    results["refresh_levels_s"] = round(time.perf_counter() - started, 2)
    results["refresh_changed"] = changed
    print(json.dumps(results, ensure_ascii=False, indent=1))


def _reuse(url: str) -> None:
    """Point Django at a database an earlier run generated (the cases bench keeps its database)."""
    import os
    import tempfile

    from _setup import ROOT

    data_dir = (
        url.removeprefix("sqlite:///").rsplit("/", 1)[0] if url.startswith("sqlite") else tempfile.mkdtemp()
    )
    os.environ.update(DATABASE_URL=url, ZHIFA_DATA_DIR=data_dir, DJANGO_SETTINGS_MODULE="zhifa.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


if __name__ == "__main__":
    main()
