"""Portal officer search and certificate verification on 100 000 officers and 5 000 执法主体.

Target (issue 2): p95 < 50 ms server time on SQLite and on PostgreSQL. Server time is measured
around Django's full request handling (middleware, view, template) with the test client, so it
excludes only the network.

    cd bench && ../.venv/bin/python portal_search.py [--database sqlite|postgres://…/postgres]
"""

from __future__ import annotations

import argparse
import json
import random

from _setup import configure, timed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="sqlite")
    parser.add_argument("--officers", type=int, default=100_000)
    parser.add_argument("--agencies", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args()
    configure(args.database)

    from django.db import connection
    from django.test import Client
    from django.utils import timezone
    from generate import SURNAMES, build_officers, build_org_tree

    from zhifa.personnel.models import Officer

    rng = random.Random(7)
    tree = build_org_tree(args.agencies, rng)
    numbers = build_officers(tree, args.officers, rng, timezone.localdate())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    names = list(Officer.objects.values_list("name", flat=True)[:: max(1, args.officers // 1000)])
    client = Client()

    def get(url, **params):
        response = client.get(url, params)
        assert response.status_code in (200, 404), (url, response.status_code)

    results = {
        "database": connection.vendor,
        "officers": Officer.objects.count(),
        "agencies": len(tree["agencies"]),
        "search_by_full_name_ms": timed(lambda i: get("/officers/", q=rng.choice(names)), args.repeat),
        "search_by_surname_ms": timed(lambda i: get("/officers/", q=rng.choice(SURNAMES)), args.repeat),
        "search_by_certificate_number_ms": timed(
            lambda i: get("/officers/", q=rng.choice(numbers)), args.repeat
        ),
        "search_by_unit_ms": timed(
            lambda i: get("/officers/", unit=rng.choice(tree["agencies"]).name), args.repeat
        ),
        "verify_certificate_ms": timed(lambda i: get(f"/verify/{rng.choice(numbers)}/"), args.repeat),
        "verify_unknown_number_ms": timed(lambda i: get(f"/verify/37000099{i:08d}/"), args.repeat),
        "officer_list_page_5_ms": timed(lambda i: get("/officers/", page=5), args.repeat),
    }
    print(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
