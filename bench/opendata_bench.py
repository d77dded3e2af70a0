"""Open data (G10) on 1 000 000 portal entries: the public JSON API and the 双公示 exports.

    cd bench && ../.venv/bin/python opendata_bench.py [--entries 1000000] [--keep | --reuse URL] \
        [--database sqlite|postgres://postgres@127.0.0.1:5432/zhifa_bench_opendata]

The portal reads only ``PortalEntry``, so the bench loads only that table: rows are bulk-inserted
with foreign-key checks off (their publication/version ids point nowhere — a throwaway database).
Each snapshot is a realistic ~1 KB 行政处罚/行政许可 record. Measured with Django's test client
(server time: middleware, view, serializer; no network):

(a) API pages: first page, a page 900 000 rows deep (keyset cursor), 500 rows, one agency's first
    and deepest page, a category + date-range filter, and ``order=updated&updated_since`` (1 % of
    the rows changed in the last hour) without and with an index on (updated_at, publication_id);
(b) exports: one agency's CSV and xlsx (about n/500 rows); then, with the per-request caps lifted,
    the whole 行政处罚 table (~70 % of the rows) as one CSV and a ~95 000-row xlsx, with rows/s and
    the process's RSS — which stays flat because rows are streamed from ``.iterator()``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from _setup import ROOT, configure, drop_database, timed

BATCH = 20_000


def snapshot(category: str, n: int, agency, decided_on: date, until: date) -> dict:
    common = {
        "title": f"示范市第{n}商贸有限公司{'行政处罚' if category == 'penalty' else '行政许可'}决定信息",
        "category": category,
        "category_label": "行政处罚" if category == "penalty" else "行政许可",
        "party_name": f"示范市第{n}商贸有限公司",
        "party_kind": "法人及非法人组织",
        "party_kind_code": "legal_person",
        "credit_code": "91350100M000100Y43",
        "legal_representative": "王建国",
        "document_number": f"{agency.name[:4]}{'罚' if category == 'penalty' else '许'}〔{decided_on.year}〕{n}号",
        "decided_on": decided_on.isoformat(),
        "display_until": until.isoformat(),
        "agency_name": agency.name,
        "agency_credit_code": agency.credit_code,
        "source_name": agency.name,
        "source_credit_code": agency.credit_code,
        "field_name": "市场监管",
        "seriousness_label": "一般",
        "remarks": "",
    }
    if category == "penalty":
        return common | {
            "document_title": "行政处罚决定书",
            "violation_type": "未按规定明码标价",
            "facts": "经查，当事人在其经营场所销售商品时未按规定明码标价，违反了《中华人民共和国价格法》第十三条第一款的规定。",
            "basis": "《中华人民共和国价格法》第四十二条、《明码标价和禁止价格欺诈规定》第二十一条",
            "penalty_kinds": ["警告", "罚款"],
            "penalty_kind_codes": ["warning", "fine"],
            "penalty_content": f"警告；罚款人民币{(n % 50 + 1) * 100}.00元",
            "fine_yuan": f"{(n % 50 + 1) * 100}.00",
            "confiscation_yuan": "",
            "licence_affected": "",
            "penalty_valid_until": "",
        }
    return common | {
        "document_title": "准予行政许可决定书",
        "licence_category": "普通",
        "certificate_name": "食品经营许可证",
        "licence_number": f"JY13799{n:09d}",
        "licence_content": "预包装食品销售（含冷藏冷冻食品）、散装食品销售",
        "valid_from": decided_on.isoformat(),
        "valid_to": (decided_on + timedelta(days=1825)).isoformat(),
        "basis": "《中华人民共和国食品安全法》第三十五条",
    }


def load(n: int, agencies, rng: random.Random) -> dict:
    from django.db import connection
    from django.utils import timezone

    from zhifa.publicity.models import PortalEntry

    today = timezone.localdate()
    now = timezone.now()
    start = today - timedelta(days=3 * 365)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")  # FK triggers off (superuser)
    began = time.perf_counter()
    with connection.constraint_checks_disabled():
        for first in range(1, n + 1, BATCH):
            rows = []
            for i in range(first, min(first + BATCH, n + 1)):
                agency = agencies[i % len(agencies)]
                category = "penalty" if i % 20 < 14 else ("licensing" if i % 20 < 19 else "inspection")
                decided_on = start + timedelta(days=rng.randrange(3 * 365))
                until = today + timedelta(days=rng.randrange(1, 1000))
                fields = snapshot(
                    "penalty" if category == "inspection" else category, i, agency, decided_on, until
                )
                fields["category"] = category
                changed = (
                    now - timedelta(minutes=rng.randrange(60)) if i % 100 == 0 else now - timedelta(days=30)
                )
                rows.append(
                    PortalEntry(
                        publication_id=i,
                        version_id=i,
                        version_number=1,
                        agency_id=agency.pk,
                        agency_name=agency.name,
                        region_code=agency.region.code,
                        category=category,
                        withdrawn=i % 500 == 0,
                        title=fields["title"],
                        party_name=fields["party_name"],
                        document_number=fields["document_number"],
                        decided_on=decided_on,
                        display_until=until,
                        amount=Decimal(fields.get("fine_yuan") or 0) or None,
                        fields=fields,
                        search_text="",
                        published_at=now - timedelta(days=30),
                        updated_at=changed,
                    )
                )
            PortalEntry.objects.bulk_create(rows, batch_size=2000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = origin")
            cursor.execute("ANALYZE")
    return {"rows": n, "seconds": round(time.perf_counter() - began, 1)}


def rss_mb() -> float:
    """The process's current resident set size."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def streamed(response) -> tuple[int, float]:
    """Consume a streaming response; returns (bytes, the highest RSS seen while streaming)."""
    size, peak = 0, rss_mb()
    for n, chunk in enumerate(response.streaming_content):
        size += len(chunk)
        if n % 20 == 0:
            peak = max(peak, rss_mb())
    return size, peak


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="sqlite")
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--agencies", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the generated database for --reuse")
    parser.add_argument("--reuse", help="a database kept by --keep: its DATABASE_URL")
    args = parser.parse_args()
    if args.reuse:
        url = args.reuse
        data_dir = (
            Path(url.removeprefix("sqlite:///")).parent if url.startswith("sqlite") else tempfile.mkdtemp()
        )
        os.environ.update(
            DATABASE_URL=url, ZHIFA_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="zhifa.settings"
        )
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
    else:
        url = configure(args.database)

    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from zhifa.organizations.models import Organization, OrgKind
    from zhifa.publicity import opendata
    from zhifa.publicity.models import PortalEntry

    rng = random.Random(11)
    if args.reuse:
        loaded = {"rows": PortalEntry.objects.count(), "reused": True}
        agencies = list(
            Organization.objects.filter(kind=OrgKind.AGENCY).select_related("region").order_by("path")
        )
    else:
        from generate import build_org_tree

        agencies = build_org_tree(args.agencies, rng)["agencies"]
        loaded = load(args.entries, agencies, rng)
    client = Client()
    api = "/api/publicity/open-data/"

    def get(path, params=None):
        response = client.get(path, params or {})
        assert response.status_code == 200, (path, params, response.status_code, response.content[:300])
        return response

    def cursor_at(queryset, position: int, order: str = "decided") -> str:
        entry = opendata.ordered(queryset, order).only("publication_id", "decided_on", "updated_at")[position]
        return opendata.encode_cursor(order, entry)

    everything = opendata.entries(opendata.Filters())
    deep = cursor_at(everything, min(900_000, loaded["rows"] - 100))
    agency = agencies[7]
    agency_rows = opendata.entries(opendata.Filters(agency=agency.pk))
    agency_count = agency_rows.count()
    agency_deep = cursor_at(agency_rows, max(0, agency_count - 60))
    latest = PortalEntry.objects.order_by("-updated_at").values_list("updated_at", flat=True)[0]
    hour = {"order": "updated", "updated_since": (latest - timedelta(hours=1)).isoformat()}  # ~1 % of rows
    tail = {"order": "updated", "updated_since": latest.isoformat()}
    results = {
        "database": connection.vendor,
        "load": loaded,
        "api_first_page_ms": timed(lambda i: get(api), args.repeat),
        "api_page_900k_deep_ms": timed(lambda i: get(api, {"cursor": deep}), args.repeat),
        "api_limit_500_ms": timed(lambda i: get(api, {"limit": 500}), max(20, args.repeat // 10)),
        "agency_rows": agency_count,
        "api_agency_first_page_ms": timed(lambda i: get(api, {"agency": agencies[i % 50].pk}), args.repeat),
        "api_agency_last_page_ms": timed(
            lambda i: get(api, {"agency": agency.pk, "cursor": agency_deep}), args.repeat
        ),
        "api_category_date_range_ms": timed(
            lambda i: get(
                api, {"category": "licensing", "decided_from": "2025-01-01", "decided_to": "2025-03-31"}
            ),
            args.repeat,
        ),
        "api_updated_since_1h_no_index_ms": timed(lambda i: get(api, hour), 5),
        "api_updated_since_latest_no_index_ms": timed(lambda i: get(api, tail), 5),
    }
    # What an index on (updated_at, publication_id) — not in the migrations yet — would give.
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS bench_portal_updated ON publicity_portalentry (updated_at, publication_id)"
        )
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE publicity_portalentry")
    results["api_updated_since_1h_with_index_ms"] = timed(lambda i: get(api, hour), args.repeat)
    results["api_updated_since_latest_with_index_ms"] = timed(lambda i: get(api, tail), args.repeat)
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX bench_portal_updated")

    def consume(response) -> int:
        size = 0
        for chunk in response.streaming_content:
            size += len(chunk)
        return size

    for fmt in ("csv", "xlsx"):
        results[f"export_agency_{fmt}_ms"] = timed(
            lambda i, fmt=fmt: consume(get(f"/open-data/penalty.{fmt}", {"agency": agencies[i % 50].pk})), 20
        )
    results["caps"] = {"csv": opendata.CSV_MAX_ROWS, "xlsx": opendata.XLSX_MAX_ROWS}

    # Streaming far past the caps: the whole 行政处罚 table in one CSV, RSS must stay flat.
    opendata.CSV_MAX_ROWS = opendata.XLSX_MAX_ROWS = 10**9
    rss_before = rss_mb()
    began = time.perf_counter()
    size, peak = streamed(get("/open-data/penalty.csv"))
    seconds = time.perf_counter() - began
    penalty_rows = opendata.export_queryset("penalty", opendata.Filters()).count()
    results["export_full_penalty_csv_uncapped"] = {
        "rows": penalty_rows,
        "mb": round(size / 2**20, 1),
        "seconds": round(seconds, 1),
        "rows_per_s": round(penalty_rows / seconds),
        "rss_before_mb": round(rss_before, 1),
        "rss_peak_while_streaming_mb": round(peak, 1),
    }
    window = PortalEntry.objects.filter(category="penalty", withdrawn=False).order_by("-decided_on")
    to = window.values_list("decided_on", flat=True)[0]
    frm = window.values_list("decided_on", flat=True)[min(95_000, window.count() - 1)]
    params = {"decided_from": frm.isoformat(), "decided_to": to.isoformat()}
    rows = opendata.export_queryset("penalty", opendata.parse_filters(params)).count()
    rss_before = rss_mb()
    began = time.perf_counter()
    response = get("/open-data/penalty.xlsx", params)  # the workbook is written before the response
    rss_after_write = rss_mb()
    size, peak = streamed(response)
    seconds = time.perf_counter() - began
    results["export_xlsx_window_uncapped"] = {
        "rows": rows,
        "mb": round(size / 2**20, 1),
        "seconds": round(seconds, 1),
        "rows_per_s": round(rows / seconds),
        "rss_before_mb": round(rss_before, 1),
        "rss_after_writing_mb": round(max(rss_after_write, peak), 1),
    }
    print(json.dumps(results, ensure_ascii=False, indent=1))
    if args.keep:
        print(f"kept: --reuse {url}", file=sys.stderr)
    else:
        drop_database(url)
        if url.startswith("sqlite"):
            shutil.rmtree(settings.DATA_DIR, ignore_errors=True)


if __name__ == "__main__":
    main()
