"""法制审核 at scale (issue 5): N generated cases across agencies, a 目录清单 per agency, and review
rounds on a share of the notified cases, then

- catalogue evaluation (``services.required_reasons``) per case (target < 5 ms),
- the reviewer's workbench page ``/staff/review/`` (target p95 < 100 ms),
- the round page a reviewer opens from it.

    cd bench && ../.venv/bin/python review_bench.py [--cases 1000000] [--database postgres://…/postgres]
"""

from __future__ import annotations

import argparse
import json
import random
import time
import uuid
from datetime import timedelta
from decimal import Decimal

from _setup import configure, timed


def add_reviews(agencies, officer_user, reviewer, rng, today, share: float) -> int:
    """Catalogue entries for every agency; rounds for ``share`` of the notified 一般程序 cases, the
    first agency's going to ``reviewer`` (pending, decided) and the rest unassigned or decided."""
    from django.utils import timezone

    from zhifa.cases.models import Case
    from zhifa.review.models import CatalogueEntry, Review, ReviewRound

    CatalogueEntry.objects.bulk_create(
        [
            CatalogueEntry(agency=a, title=f"罚款{amount}元以上", min_fine_organisation=Decimal(amount))
            for a in agencies
            for amount in (50_000, 100_000, 200_000)
        ]
        + [
            CatalogueEntry(agency=a, title="吊销许可证件", penalty_kinds=["revoke_license"]) for a in agencies
        ],
        batch_size=5000,
    )
    now = timezone.now()
    notified = Case.objects.filter(procedure__code="penalty_general", stage="notified").values_list(
        "pk", "agency_id"
    )
    made = 0
    reviews, rounds = [], []
    for case_id, agency_id in notified.iterator(chunk_size=10_000):
        if rng.random() >= share and agency_id != agencies[0].pk:
            continue
        review = Review(case_id=case_id)
        reviews.append(review)
        decided = rng.random() < 0.6
        submitted = now - timedelta(days=rng.randrange(0, 30))
        mine = agency_id == agencies[0].pk
        rounds.append(
            ReviewRound(
                review=review,
                agency_id=agency_id,
                number=1,
                outcome="处罚",
                proposal={
                    "outcome": "处罚",
                    "penalty_kinds": ["fine"],
                    "fine": "150000.00",
                    "confiscation": "0.00",
                },
                digest=uuid.uuid4().hex,
                materials={
                    "report": {"facts": "事实"},
                    "review_report": "报告",
                    "draft": {"fine": "150000"},
                    "file": {"documents": [], "events": 3},
                },
                reasons=[{"rule": "L1", "basis": "目录清单", "message": "列入目录清单：罚款100000元以上"}],
                submitted_by=officer_user,
                submitted_at=submitted,
                request_key=uuid.uuid4().hex,
                due_on=(submitted + timedelta(days=7)).date(),
                reviewer=reviewer if mine else (officer_user if decided else None),
                opinion="agree" if decided else "",
                opinion_text="同意" if decided else "",
                decided_at=submitted + timedelta(days=3) if decided else None,
            )
        )
        if len(reviews) == 10_000:
            made += _flush(reviews, rounds)
    made += _flush(reviews, rounds)
    return made


def _flush(reviews, rounds) -> int:
    from django.db import transaction

    from zhifa.review.models import Review, ReviewRound

    with transaction.atomic():
        Review.objects.bulk_create(reviews, batch_size=5000)
        for r in rounds:
            r.review_id = r.review.pk
        ReviewRound.objects.bulk_create(rounds, batch_size=5000)
    count = len(rounds)
    reviews.clear()
    rounds.clear()
    return count


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="sqlite")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--agencies", type=int, default=1000)
    parser.add_argument(
        "--share", type=float, default=0.2, help="share of notified 一般程序 cases under review"
    )
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    configure(args.database)

    from cases_bench import build_case_officers, generate
    from django.db import connection
    from django.test import Client
    from django.utils import timezone
    from generate import build_org_tree

    from zhifa.accounts.models import User
    from zhifa.accounts.roles import Role
    from zhifa.accounts.services import assign_roles
    from zhifa.cases.models import Case
    from zhifa.review import services
    from zhifa.review.models import ReviewRound

    rng = random.Random(5)
    today = timezone.localdate()
    tree = build_org_tree(args.agencies, rng)
    officers = build_case_officers(tree, today)
    agencies = tree["agencies"]
    admin = User.objects.create_superuser(
        "bench_admin", password="Bench-Pass-2026!", organization=tree["governments"][0]
    )
    reviewer = User.objects.create_user(
        "bench_reviewer", password="Bench-Pass-2026!", organization=agencies[0]
    )
    assign_roles(reviewer, [Role.REVIEWER])
    started = time.perf_counter()
    generate(args.cases, agencies, admin, rng, today, officers)
    rounds = add_reviews(agencies, admin, reviewer, rng, today, args.share)
    generated_s = round(time.perf_counter() - started, 1)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    sample = list(
        Case.objects.filter(procedure__code="penalty_general")
        .select_related("agency", "power_item")
        .order_by("?" if args.cases <= 20_000 else "pk")[:: max(1, args.cases // 500)][: args.repeat]
    )
    for case in sample:  # a decision worth reviewing for some, not for others
        case.details = {
            "proposal": {"penalty_kinds": ["fine"], "fine": str(rng.choice([5000, 80000, 150000]))}
        }

    client = Client()
    client.force_login(reviewer)
    mine = list(ReviewRound.objects.filter(reviewer=reviewer).values_list("pk", flat=True)[:200])

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    results = {
        "database": connection.vendor,
        "cases": Case.objects.count(),
        "rounds": rounds,
        "reviewer_rounds": ReviewRound.objects.filter(reviewer=reviewer).count(),
        "generated_s": generated_s,
        "catalogue_evaluation_ms": timed(
            lambda i: services.required_reasons(sample[i % len(sample)]), args.repeat
        ),
        "workbench_ms": timed(lambda i: get("/staff/review/"), args.repeat),
        "round_page_ms": timed(lambda i: get(f"/staff/review/rounds/{mine[i % len(mine)]}/"), args.repeat),
    }
    print(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
