"""年报 at scale (issue 6, G6/G11): an agency with 100 000 decisions in the year, plus the cases of
other agencies around it; times computing its 年度行政执法数据 from the case event log
(target < 10 s), and the staff and portal pages of the report.

    cd bench && ../.venv/bin/python annual_report_bench.py [--decisions 100000] [--database postgres://…/postgres]

(``--database postgres://…/NAME`` drops and recreates NAME; ``…/postgres`` uses ``zhifa_bench``.)

Cases are bulk-inserted as the engine leaves them: each has its registration and intermediate
events and one decision event whose data is what the engine records (decision date, penalty
kinds, fine, confiscation, facts, the 文书 reference …); another tenth fall in the weeks before
and after the year, and other agencies get as many cases again, so the count has to pick its rows.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import time
import uuid
from datetime import date, timedelta

from _setup import configure, drop_database, timed

# (procedure, decision action, share of decisions)
MIX = [
    ("penalty_general", "decide_penalty", 0.45),
    ("penalty_summary", "decide_on_spot", 0.25),
    ("penalty_general", "decide_no_penalty", 0.05),
    ("licensing", "grant", 0.08),
    ("licensing", "deny", 0.02),
    ("coercive_seizure", "execute_measure", 0.05),
    ("inspection", "record_result", 0.10),
]
KIND_SETS = [
    (["warning"], 20),
    (["fine"], 45),
    (["fine", "confiscate_income"], 15),
    (["warning", "fine"], 8),
    (["fine", "suspend_business"], 5),
    (["fine", "revoke_license"], 4),
    (["other"], 2),
    (["fine", "confiscate_property", "revoke_license"], 1),
]
FACTS = (
    "经查，当事人在经营场所内销售的商品未按规定明码标价，违反了《中华人民共和国价格法》第十三条第一款的规定。"
    * 3
)
INTERMEDIATE = ["register_lead", "file_case", "finish_investigation", "notify"]


def decision_data(action: str, on: date, rng: random.Random) -> dict:
    if action in ("decide_penalty", "decide_on_spot"):
        kinds = rng.choices([k for k, _ in KIND_SETS], [w for _, w in KIND_SETS])[0]
        return {
            "decided_on": on.isoformat(),
            "penalty_kinds": kinds,
            "fine": f"{rng.randrange(100, 200000)}.{rng.randrange(100):02d}" if "fine" in kinds else None,
            "confiscation": f"{rng.randrange(100, 50000)}.00"
            if any(k.startswith("confiscate") for k in kinds)
            else None,
            "facts": FACTS,
            "evidence": "现场检查笔录、询问笔录、照片",
            "basis": "《中华人民共和国价格法》第四十二条",
            "payment_method": "到指定银行缴纳",
            "documents": [
                {"kind": "penalty_decision", "id": rng.randrange(10**6), "number": "示市监罚〔2025〕1号"}
            ],
        }
    if action == "decide_no_penalty":
        return {"decided_on": on.isoformat(), "ground": "first", "reason": FACTS, "education": "已教育"}
    if action in ("grant", "deny"):
        return {"decided_on": on.isoformat(), "content": "准予许可" if action == "grant" else "不予许可"}
    if action == "execute_measure":
        return {"measure": rng.choice(["seal", "detain"]), "executed_on": on.isoformat(), "items": FACTS}
    return {
        "result": rng.choice(["no_problem", "ordered_correction", "to_filing", "not_operating"]),
        "result_on": on.isoformat(),
        "findings": FACTS,
    }


def generate(agency, n: int, year: int, user, rng: random.Random, field, inside: bool = True) -> None:
    """``n`` decided cases of ``agency``, decided in ``year`` (``inside``) or in the weeks around it."""
    from django.db import transaction

    from zhifa.cases.models import Case, CaseEvent, ProcedureVersion

    versions = {v.code: v for v in ProcedureVersion.objects.order_by("version")}
    batch = 10_000
    made = 0
    while made < n:
        size = min(batch, n - made)
        picks = rng.choices(MIX, [m[2] for m in MIX], k=size)
        cases, decisions = [], []
        for procedure, action, _share in picks:
            if inside:
                on = date(year, 1, 1) + timedelta(days=rng.randrange(365))
            elif rng.random() < 0.5:
                on = date(year, 1, 1) - timedelta(days=rng.randrange(1, 45))
            else:
                on = date(year + 1, 1, 1) + timedelta(days=rng.randrange(45))
            case = Case(
                agency_id=agency.pk,
                procedure=versions[procedure],
                year=on.year,
                source="inspection",
                field=field,
                region_id=agency.region_id,
                cause="未按规定明码标价",
                discovered_on=on - timedelta(days=rng.randrange(1, 60)),
                stage="decided",
                status="open",
                outcome="处罚",
                details={"decision": {"decided_on": on.isoformat()}, "proposal": {"facts": FACTS}},
                last_sequence=len(INTERMEDIATE) + 1,
                created_by=user,
            )
            cases.append(case)
            decisions.append((action, decision_data(action, on, rng)))
        with transaction.atomic():
            Case.objects.bulk_create(cases, batch_size=5000)
            events = []
            for case, (action, data) in zip(cases, decisions, strict=True):
                for seq, code in enumerate(INTERMEDIATE, 1):
                    events.append(_event(case, seq, code, {"content": "过程记录"}, user))
                events.append(_event(case, len(INTERMEDIATE) + 1, action, data, user))
            CaseEvent.objects.bulk_create(events, batch_size=5000)
        made += size


def _event(case, sequence, action, data, user):
    from zhifa.cases.models import CaseEvent

    return CaseEvent(
        case=case,
        sequence=sequence,
        action=action,
        action_name=action,
        stage_before="",
        stage_after="",
        actor=user,
        data=data,
        request_key=uuid.uuid4().hex,
        case_version=sequence,
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="sqlite")
    parser.add_argument("--decisions", type=int, default=100_000, help="decisions of the agency in the year")
    parser.add_argument("--others", type=int, default=100_000, help="cases of other agencies")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the database (and the SQLite data dir)")
    args = parser.parse_args()
    url = configure(args.database)

    from django.db import connection
    from django.test import Client
    from generate import build_org_tree

    from zhifa.accounts.models import User
    from zhifa.cases.models import CaseEvent
    from zhifa.organizations.models import EnforcementField
    from zhifa.powers.models import PowerItem
    from zhifa.publicity import annual, annual_services

    rng = random.Random(6)
    year = date.today().year - 1
    tree = build_org_tree(1, rng)
    agencies = tree["agencies"]
    agency = agencies[0]
    field = EnforcementField.objects.get_or_create(code="SCJG", defaults={"name": "市场监管"})[0]
    for category in ("penalty", "license", "coercion", "inspection"):
        PowerItem.objects.create(
            agency_id=agency.pk, category=category, name=f"{category}事项", basis_text="《某法》"
        )
    admin = User.objects.create_superuser(
        "bench_admin", password="Bench-Pass-2026!", organization=tree["governments"][0]
    )

    started = time.perf_counter()
    generate(agency, args.decisions, year, admin, rng, field)
    generate(agency, args.decisions // 10, year, admin, rng, field, inside=False)  # the year's edges
    others = agencies[1:]
    per_agency = max(1, args.others // max(1, len(others)))
    for other in others[: args.others // per_agency]:
        generate(other, per_agency, year, admin, rng, field)
    generated_s = round(time.perf_counter() - started, 1)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def compute(_i):
        return annual.compute_statistics(agency, year)

    samples = []
    for i in range(args.repeat):
        start = time.perf_counter()
        stats = compute(i)
        samples.append(time.perf_counter() - start)
    started = time.perf_counter()
    report = annual_services.compute_report(agency, year)
    compute_report_s = time.perf_counter() - started

    client = Client()
    client.force_login(admin)

    def get(path):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)

    staff_page = timed(lambda i: get(f"/staff/publicity/annual-reports/{report.pk}/"), 20)
    # publish with a stub PDF (LibreOffice time is not the statistics' time), then the portal page
    from zhifa.publicity import annual_pdf

    annual_pdf.render_pdf = lambda *a, **k: b"%PDF-1.4 bench"
    annual_services.publish_report(admin, report.pk)
    portal_page = timed(lambda i: get(f"/agencies/{agency.pk}/annual-reports/{year}/"), 20)

    decisions_in_year = (
        stats["penalty"]["total"] + stats["penalty"]["no_penalty"] + stats["licensing"]["total"]
    )
    decisions_in_year += stats["coercion"]["total"] + stats["inspection"]["total"]
    results = {
        "database": connection.vendor,
        "agency_cases": args.decisions + args.decisions // 10,
        "agency_decisions_in_year": decisions_in_year,
        "events_total": CaseEvent.objects.count(),
        "generated_s": generated_s,
        "compute_statistics_s": {
            "n": args.repeat,
            "min": round(min(samples), 3),
            "median": round(statistics.median(samples), 3),
            "max": round(max(samples), 3),
        },
        "compute_report_s": round(compute_report_s, 3),
        "staff_report_page_ms": staff_page,
        "portal_report_page_ms": portal_page,
        "penalty": {
            k: stats["penalty"][k] for k in ("total", "general", "summary", "fine_wan", "no_penalty")
        },
        "target": "< 10 s",
    }
    print(json.dumps(results, ensure_ascii=False, indent=1))
    if not args.keep:
        connection.close()
        drop_database(url)
        shutil.rmtree(os.environ["ZHIFA_DATA_DIR"], ignore_errors=True)


if __name__ == "__main__":
    main()
