"""Published decisions on the portal at scale (issue 6): 1 000 000 ``PortalEntry`` rows, then

- search (Chinese full text + filters), target p95 < 100 ms server time,
- the detail page, target p95 < 30 ms server time,
- the Atom feed and a sitemap file (reported),
- with ``--wrk``: one detail page served by gunicorn (as ``make serve`` runs it) against the same
  page saved as a static file and served by nginx, side by side with wrk; target ≥ 25 %. Also
  measured: gthread workers, persistent database connections, ``ZHIFA_PORTAL_FRESH_SECONDS``,
  a bare WSGI app returning the same bytes (the app server's own ceiling), and nginx with
  ``proxy_cache`` in front of the ``make serve`` gunicorn (the deployment that reaches the target).

    cd bench && ../.venv/bin/python portal_decisions_bench.py [--entries 1000000] \
        [--database sqlite|postgres://postgres@127.0.0.1:5432/zhifa_portal_bench] [--wrk] [--keep]
    ../.venv/bin/python portal_decisions_bench.py --reuse <what --keep printed> [--wrk]

Server time is Django's full request handling (middleware, view, template) through the test
client, as in portal_search.py. ``--wrk`` needs ``apt-get install -y nginx-light wrk``.

Rows are bulk-inserted as the pipeline would leave them, with minimal honest parents: a case per
ten decisions, one decision event per publication, an approved version carrying the snapshot.
The texts are generated from realistic 违法事实/依据 templates so that the common words
(罚款 in ~90 % of rows, 食品安全法 in ~20 %) and the rare ones (a company, a 文号) are both
exercised. ``search_text`` is computed by ``search.document_text`` and indexed by the database's
triggers (SQLite) or generated column (PostgreSQL) on insert, exactly as in production.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from _setup import ROOT, configure, drop_database, timed

BATCH = 10_000

BRANDS = (  # noqa: SIM905 - a list literal of 40 names would be harder to read
    "鑫达 恒通 华联 永辉 金源 宏远 盛世 天成 瑞丰 嘉禾 康宁 福满 兴旺 顺发 隆昌 万家 百佳 鸿运 利民 正大 "
    "新星 开元 长城 东方 海纳 泰和 益康 德信 同仁 信诚 和美 好味道 老王 阿强 明珠 龙腾 凤祥 富源 金鼎 银河"
).split()
INDUSTRIES = [
    ("食品超市有限公司", "market"),
    ("餐饮管理有限公司", "market"),
    ("饭店", "market"),
    ("便利店", "market"),
    ("大药房有限公司", "market"),
    ("物流有限公司", "traffic"),
    ("运输有限公司", "traffic"),
    ("建材有限公司", "market"),
    ("化工有限公司", "env"),
    ("机械制造有限公司", "safety"),
    ("汽车修理厂", "env"),
    ("加油站", "safety"),
    ("网吧", "culture"),
    ("印刷厂", "culture"),
    ("广告有限公司", "market"),
]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
PRODUCTS = "纯牛奶 酸奶 面包 火腿肠 方便面 饮料 月饼 速冻水饺 食用油 大米 调味品 糕点".split()  # noqa: SIM905
FIELDS = [("SCJG", "市场监管", "market"), ("JTYS", "交通运输", "traffic"), ("STHJ", "生态环境", "env")]
FIELDS += [("YJGL", "应急管理", "safety"), ("WHLY", "文化旅游", "culture")]

# (field, violation type, facts template, basis, weight); {p} product, {n} number, {v} value, {d} date
VIOLATIONS = [
    (
        "market",
        "销售过期食品",
        "{d}，执法人员对当事人经营场所进行检查，发现当事人销售超过保质期的食品（过期食品）“{p}”{n}箱，"
        "货值金额{v}元。当事人的行为违反了《中华人民共和国食品安全法》第三十四条第（十）项的规定。",
        "《中华人民共和国食品安全法》第一百二十四条第一款第（三）项",
        7,
    ),
    (
        "market",
        "未按规定明码标价",
        "{d}，执法人员检查发现当事人销售的{p}等{n}种商品未按规定明码标价，违反了《中华人民共和国价格法》第十三条的规定。",
        "《中华人民共和国价格法》第四十二条",
        12,
    ),
    (
        "market",
        "未取得许可从事食品经营",
        "经查，当事人自{d}起未取得食品经营许可从事食品经营活动，违法所得{v}元。",
        "《中华人民共和国食品安全法》第一百二十二条第一款",
        6,
    ),
    (
        "market",
        "食品安全管理不规范",
        "{d}检查发现，当事人从业人员{n}人未取得健康证明即上岗，食品储存不当，过期未清理。",
        "《中华人民共和国食品安全法》第一百二十六条第一款",
        6,
    ),
    (
        "market",
        "销售不合格产品",
        "当事人于{d}销售经抽样检验不合格的“{p}”{n}件，货值金额{v}元。",
        "《中华人民共和国产品质量法》第四十九条",
        8,
    ),
    (
        "market",
        "发布虚假广告",
        "当事人于{d}起在其门店及网络平台发布含有虚假内容的广告，广告费用{v}元。",
        "《中华人民共和国广告法》第五十五条第一款",
        5,
    ),
    (
        "market",
        "无照经营",
        "当事人自{d}起未依法取得营业执照从事经营活动，违法所得{v}元。",
        "《无证无照经营查处办法》第十三条",
        6,
    ),
    (
        "traffic",
        "超限运输",
        "{d}，当事人所属货车在国道超限检测站检测，车货总重{n}吨，超过规定标准。",
        "《公路安全保护条例》第六十四条",
        10,
    ),
    (
        "traffic",
        "未取得道路运输经营许可",
        "{d}，当事人未取得道路运输经营许可，擅自从事道路货物运输经营，违法所得{v}元。",
        "《中华人民共和国道路运输条例》第六十三条",
        5,
    ),
    (
        "env",
        "超标排放大气污染物",
        "{d}，执法人员现场监测发现当事人排放的颗粒物浓度超过国家标准{n}倍。",
        "《中华人民共和国大气污染防治法》第九十九条第（二）项",
        8,
    ),
    (
        "env",
        "未批先建",
        "当事人建设项目环境影响评价文件未经批准，于{d}擅自开工建设，项目总投资{v}元。",
        "《中华人民共和国环境影响评价法》第三十一条第一款",
        5,
    ),
    (
        "safety",
        "未按规定开展安全生产教育培训",
        "{d}检查发现，当事人未对{n}名从业人员进行安全生产教育和培训。",
        "《中华人民共和国安全生产法》第九十七条第（三）项",
        7,
    ),
    (
        "safety",
        "消防设施不符合标准",
        "{d}检查发现，当事人场所内{n}具灭火器压力不足，疏散通道被占用。",
        "《中华人民共和国消防法》第六十条第一款",
        6,
    ),
    (
        "culture",
        "接纳未成年人进入营业场所",
        "{d}，执法人员检查发现当事人经营的互联网上网服务营业场所接纳未成年人{n}名。",
        "《互联网上网服务营业场所管理条例》第三十一条第（二）项",
        4,
    ),
]


def text_for(rng: random.Random, when: date) -> dict:
    field, vtype, facts, basis, _ = rng.choices(VIOLATIONS, [v[4] for v in VIOLATIONS])[0]
    values = {
        "d": f"{when.year}年{when.month}月{when.day}日",
        "p": rng.choice(PRODUCTS),
        "n": rng.randrange(2, 60),
        "v": rng.randrange(100, 90000),
    }
    return {"field": field, "violation_type": vtype, "facts": facts.format(**values), "basis": basis}


def party_for(rng: random.Random, city: str, field: str) -> tuple[str, str, str]:
    """(name, kind, credit code) — three in four are companies, the rest masked natural persons."""
    if rng.random() < 0.25:
        return rng.choice(SURNAMES) + rng.choice(("某", "某某")), "自然人", ""
    industries = [name for name, f in INDUSTRIES if f == field] or [INDUSTRIES[0][0]]
    name = f"{city}{rng.choice(BRANDS)}{rng.choice(industries)}"
    code = "91" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(16))
    return name, "法人及非法人组织", code


def fast_insert(model, objs: list) -> None:
    """Insert model instances (every primary key set) with one prepared INSERT run by
    executemany: the values are prepared by the model fields exactly as ``save`` would."""
    from django.db import connections

    connection = connections["default"]  # the real wrapper, not the per-access proxy
    fields = model._meta.concrete_fields
    qn = connection.ops.quote_name
    sql = (
        f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    rows = [tuple(f.get_db_prep_save(f.pre_save(o, True), connection) for f in fields) for o in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def build(n: int, tree: dict, rng: random.Random, today: date) -> dict:
    """``n`` published decisions with their parents; returns sample values for the queries."""
    from django.db import connection, transaction
    from django.utils import timezone

    from zhifa.accounts.models import User
    from zhifa.cases.models import Case, CaseEvent, ProcedureVersion
    from zhifa.organizations.models import EnforcementField
    from zhifa.publicity import search
    from zhifa.publicity.models import PortalEntry, Publication, PublicationVersion

    fields = {}
    for order, (code, name, key) in enumerate(FIELDS):
        fields[key] = EnforcementField.objects.get_or_create(
            code=code, defaults={"name": name, "order": order}
        )[0]
    user = User.objects.create_user(
        "bench_head", password="Bench-Pass-2026!", organization=tree["governments"][0]
    )
    procedure = ProcedureVersion.objects.filter(code="penalty_general").order_by("-version").first()
    agencies = tree["agencies"]
    by_pk = {a.pk: a for a in agencies}
    cities = {r.pk: r.name for r in tree["regions"]}
    tz = timezone.get_current_timezone()
    span = 360
    samples = {"parties": [], "numbers": [], "agencies": [a.pk for a in agencies], "ids": []}
    serial: dict = {}
    made = 0
    while made < n:
        size = min(BATCH, n - made)
        with transaction.atomic():
            cases = []
            for c in range(-(-size // 10)):
                agency = agencies[rng.randrange(len(agencies))]
                cases.append(
                    Case(
                        id=made // 10 + c + 1,
                        agency_id=agency.pk,
                        procedure=procedure,
                        year=today.year,
                        source="inspection",
                        field=fields["market"],
                        region_id=agency.region_id,
                        cause="基准测试案件",
                        discovered_on=today - timedelta(days=400),
                        stage="closed",
                        status="closed",
                        last_sequence=10,
                        created_by=user,
                    )
                )
            fast_insert(Case, cases)
            events = [
                CaseEvent(
                    id=made + k + 1,
                    case=cases[k // 10],
                    sequence=k % 10 + 1,
                    action="decide",
                    action_name="作出处罚决定",
                    stage_before="notified",
                    stage_after="decided",
                    actor=user,
                    data={},
                    request_key=uuid.uuid4().hex,
                    case_version=k % 10 + 2,
                )
                for k in range(size)
            ]
            fast_insert(CaseEvent, events)
            publications, versions, entries = [], [], []
            for k in range(size):
                i = made + k + 1  # publication id = version id = i
                case = cases[k // 10]
                agency = by_pk[case.agency_id]
                # ids follow decision dates, as publications are made when decisions are taken,
                # with some late ones (backfilled records)
                offset = span - span * i // n + (rng.randrange(0, 60) if rng.random() < 0.1 else 0)
                decided_on = today - timedelta(days=min(offset, span + 30))
                text = text_for(rng, decided_on - timedelta(days=rng.randrange(5, 40)))
                field = fields[text["field"]]
                category = rng.choices(["penalty", "no_penalty", "licensing"], [90, 3, 7])[0]
                city = cities.get(agency.region_id, "测试市")[:6]
                party, kind, code = party_for(rng, city, text["field"])
                key = (agency.pk, decided_on.year)
                serial[key] = serial.get(key, 0) + 1
                short = f"{agency.pk}"
                number = f"{short}{'罚决' if category != 'licensing' else '许决'}〔{decided_on.year}〕{serial[key]}号"
                fine = Decimal(rng.choice((200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 300000)))
                confiscation = Decimal(rng.randrange(100, 9000)) if rng.random() < 0.2 else Decimal(0)
                snapshot = {
                    "title": f"{party}{'行政许可决定' if category == 'licensing' else '行政处罚决定'}",
                    "category": category,
                    "category_label": {
                        "penalty": "行政处罚",
                        "no_penalty": "不予行政处罚",
                        "licensing": "行政许可",
                    }[category],
                    "party_name": party,
                    "party_kind": kind,
                    "credit_code": code,
                    "document_title": "行政处罚决定书" if category != "licensing" else "准予行政许可决定书",
                    "document_number": number,
                    "decided_on": decided_on.isoformat(),
                    "display_until": (decided_on + timedelta(days=365)).isoformat(),
                    "agency_name": agency.name,
                    "agency_credit_code": agency.credit_code,
                    "source_name": agency.name,
                    "source_credit_code": agency.credit_code,
                    "field_name": field.name,
                    "seriousness_label": "一般",
                }
                if category == "penalty":
                    content = f"警告，罚款{fine}元" if rng.random() < 0.95 else "警告"
                    if confiscation:
                        content = f"没收违法所得{confiscation}元，{content}"
                    snapshot |= {
                        "violation_type": text["violation_type"],
                        "facts": text["facts"],
                        "basis": text["basis"],
                        "penalty_kinds": ["警告", "罚款"] if "罚款" in content else ["警告"],
                        "penalty_content": content,
                        "fine_yuan": f"{fine:.2f}" if "罚款" in content else "",
                        "confiscation_yuan": f"{confiscation:.2f}" if confiscation else "",
                    }
                elif category == "no_penalty":
                    snapshot |= {
                        "violation_type": text["violation_type"],
                        "facts": text["facts"],
                        "reason": "违法行为轻微并及时改正，没有造成危害后果，依法不予行政处罚（不予罚款）。",
                        "basis": "《中华人民共和国行政处罚法》第三十三条第一款",
                    }
                else:
                    snapshot |= {
                        "licence_category": "普通",
                        "certificate_name": "食品经营许可证",
                        "licence_number": f"JY{rng.randrange(10**13, 10**14)}",
                        "licence_content": "预包装食品销售（含冷藏冷冻食品）、散装食品销售",
                        "valid_from": decided_on.isoformat(),
                        "valid_to": (decided_on + timedelta(days=1826)).isoformat(),
                        "basis": "《中华人民共和国食品安全法》第三十五条",
                    }
                snapshot = {k: v for k, v in snapshot.items() if v not in ("", None)}
                amount = sum(Decimal(snapshot.get(k) or 0) for k in ("fine_yuan", "confiscation_yuan"))
                published = datetime.combine(decided_on + timedelta(days=3), datetime.min.time(), tz)
                published = published.replace(hour=10)
                publications.append(
                    Publication(
                        id=i,
                        agency_id=agency.pk,
                        case=case,
                        event=events[k],
                        category=category,
                        decided_on=decided_on,
                        due_on=decided_on + timedelta(days=9),
                        status="published",
                        display_until=decided_on + timedelta(days=365),
                        published_at=published,
                        current_id=i,
                    )
                )
                versions.append(
                    PublicationVersion(
                        id=i,
                        publication_id=i,
                        number=1,
                        original=snapshot,
                        fields=snapshot,
                        content_sha256="0" * 64,
                        approved_by=user,
                        approved_at=published,
                    )
                )
                entries.append(
                    PortalEntry(
                        publication_id=i,
                        version_id=i,
                        version_number=1,
                        agency_id=agency.pk,
                        agency_name=agency.name,
                        region_code=agency.region.code,
                        field=field,
                        category=category,
                        title=snapshot["title"],
                        party_name=party,
                        document_number=number,
                        decided_on=decided_on,
                        display_until=decided_on + timedelta(days=365),
                        amount=amount or None,
                        fields=snapshot,
                        search_text=search.document_text(snapshot, category),
                        ledger_index=i - 1,
                        published_at=published,
                        updated_at=published,
                    )
                )
                if rng.random() < 0.002:
                    samples["parties"].append(party)
                    samples["numbers"].append(number)
                    samples["ids"].append(i)
            fast_insert(Publication, publications)
            fast_insert(PublicationVersion, versions)
            fast_insert(PortalEntry, entries)
        made += size
        if made % 100_000 == 0:
            print(f"  {made} entries", file=sys.stderr, flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in (
                "cases_case",
                "cases_caseevent",
                "publicity_publication",
                "publicity_publicationversion",
            ):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                )
            cursor.execute("ANALYZE")
    return samples


def sizes() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
            return {"database_mb": round(cursor.fetchone()[0] / 2**20)}
        cursor.execute(
            "SELECT pg_database_size(current_database()), pg_relation_size('portal_entry_search_gin'), "
            "pg_total_relation_size('publicity_portalentry')"
        )
        total, gin, table = cursor.fetchone()
        return {
            "database_mb": round(total / 2**20),
            "gin_index_mb": round(gin / 2**20),
            "portalentry_mb": round(table / 2**20),
        }


def measure(args, samples: dict) -> dict:
    from django.db import connection
    from django.test import Client

    from zhifa.publicity.models import PortalEntry

    rng = random.Random(11)
    client = Client()
    today = date.today()
    counts = {}

    def get(url, params=None, expect=200):
        response = client.get(url, params or {})
        assert response.status_code == expect, (url, params, response.status_code)
        return response

    def search(**params):
        return lambda i: get("/decisions/", params)

    def search_random(key, **extra):
        return lambda i: get("/decisions/", {"q": rng.choice(samples[key]), **extra})

    for q in ("罚款", "食品安全法第一百二十四条", "过期食品", "张某", "鑫达", "不存在的词语"):
        page = get("/decisions/", {"q": q}).content.decode()
        shown = re.search(r"(共找到 \d+ 条|找到超过 \d+ 条|找到约 [\d.]+万? 条)", page)
        counts[q] = shown.group(1) if shown else "?"
    ids = samples["ids"]
    agencies = samples["agencies"]
    samples["companies"] = [n for n in samples["parties"] if not n.endswith("某")]
    samples["persons"] = [n for n in samples["parties"] if n.endswith("某")]
    top = PortalEntry.objects.order_by("-publication_id").values_list("publication_id", flat=True).first()
    r = args.repeat
    results = {
        "search_company_name_ms": timed(search_random("companies"), r),
        "search_masked_person_full_name_ms": timed(search_random("persons"), r),
        "search_document_number_ms": timed(search_random("numbers"), r),
        "search_masked_person_张某_ms": timed(search(q="张某"), r),
        "search_brand_鑫达_ms": timed(search(q="鑫达"), r),
        "search_facts_过期食品_ms": timed(search(q="过期食品"), r),
        "search_basis_食品安全法第一百二十四条_ms": timed(search(q="食品安全法第一百二十四条"), r),
        "search_common_罚款_ms": timed(search(q="罚款"), r),
        "search_common_罚款_page_50_ms": timed(search(q="罚款", page=50), r),
        "search_single_char_鑫_ms": timed(search(q="鑫"), r),
        "search_no_match_ms": timed(search(q="不存在的词语"), r),
        "search_罚款_in_agency_ms": timed(
            lambda i: get("/decisions/", {"q": "罚款", "agency": rng.choice(agencies)}), r
        ),
        "search_过期食品_last_30_days_ms": timed(
            search(q="过期食品", date_from=(today - timedelta(days=30)).isoformat()), r
        ),
        "search_食品_licensing_ms": timed(search(q="食品", category="licensing"), r),
        "search_罚款_amount_50000_to_100000_ms": timed(
            search(q="罚款", amount_min="50000", amount_max="100000"), r
        ),
        "list_no_query_ms": timed(search(), r),
        "list_no_query_page_50_ms": timed(search(page=50), r),
        "list_amount_over_1e5_field_ms": timed(search(amount_min="100000", field="3"), r),
        "detail_ms": timed(lambda i: get(f"/decisions/{rng.choice(ids)}/"), r),
        "detail_random_uncached_ms": timed(lambda i: get(f"/decisions/{rng.randrange(1, top + 1)}/"), r),
        "detail_expired_404_ms": timed(lambda i: get(f"/decisions/{top + 1 + i}/", expect=404), r),
        "feed_agency_ms": timed(lambda i: get(f"/agencies/{rng.choice(agencies)}/decisions/feed/"), 50),
        "sitemap_index_ms": timed(lambda i: get("/sitemap.xml"), 10),
        "sitemap_file_50000_urls_ms": timed(lambda i: get("/sitemap-decisions-1.xml"), 5),
    }
    return {
        "database": connection.vendor,
        "entries": PortalEntry.objects.count(),
        "shown_counts": counts,
        **sizes(),
        **results,
    }


# --- wrk: gunicorn vs nginx ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float = 30) -> None:
    import urllib.request

    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def wrk(url: str, seconds: int, connections: int, headers: tuple[str, ...] = ()) -> dict:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for h in headers:
        cmd += ["-H", h]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+\w+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": round(rps),
        "p99": p99.group(1) if p99 else None,
        "non_2xx_3xx": int(errors.group(1)) if errors else 0,
    }


NGINX_CONF = """worker_processes auto;
pid {work}/nginx.pid;
error_log {work}/error.log;
daemon off;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  default_type text/html;
  client_body_temp_path {work}/tmp_body; proxy_temp_path {work}/tmp_proxy;
  fastcgi_temp_path {work}/tmp_fastcgi; uwsgi_temp_path {work}/tmp_uwsgi; scgi_temp_path {work}/tmp_scgi;
  {body}
}}
"""
STATIC_SERVER = "server {{ listen 127.0.0.1:{port}; root {work}/static; index index.html; }}"
# The deployment option: nginx in front of gunicorn, caching what Django marks public (the detail
# page's Cache-Control: max-age=60) and revalidating with its ETag.
CACHING_PROXY = """proxy_cache_path {work}/cache keys_zone=portal:10m;
  server {{ listen 127.0.0.1:{port};
    location / {{ proxy_pass http://127.0.0.1:{upstream}; proxy_set_header Host $http_host;
      proxy_cache portal; proxy_cache_revalidate on; proxy_cache_lock on; }} }}"""


def start_nginx(work: Path, name: str, body: str) -> subprocess.Popen:
    conf = work / f"{name}.conf"
    conf.write_text(NGINX_CONF.format(work=work, body=body))
    return subprocess.Popen(["nginx", "-c", str(conf), "-p", str(work)], stderr=subprocess.DEVNULL)


def start_gunicorn(env: dict, port: int, extra: list[str], app: str = "zhifa.wsgi") -> subprocess.Popen:
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    return subprocess.Popen(
        [gunicorn, app, "--bind", f"127.0.0.1:{port}", *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop(*processes: subprocess.Popen) -> None:
    for process in processes:
        process.terminate()
        process.wait()


def run_wrk(args, db_url: str, data_dir: str, pk: int) -> dict:
    """The same detail page from nginx (a static file) and from Django under gunicorn."""
    if not (shutil.which("nginx") and shutil.which("wrk")):
        return {"skipped": "needs nginx and wrk: apt-get install -y nginx-light wrk"}
    from django.test import Client

    path = f"/decisions/{pk}/"
    html = Client().get(path).content
    work = Path(tempfile.mkdtemp(prefix="zhifa-wrk-"))
    static = work / "static" / "decisions" / str(pk)
    static.mkdir(parents=True)
    (static / "index.html").write_bytes(html)
    for p in (work, work / "static", work / "static" / "decisions", static):
        p.chmod(0o755)
    (static / "index.html").chmod(0o644)
    env = {**os.environ, "DATABASE_URL": db_url, "ZHIFA_DATA_DIR": data_dir}
    env["DJANGO_SETTINGS_MODULE"] = "zhifa.settings"
    seconds, conns = args.wrk_seconds, args.wrk_connections
    out: dict = {"page_bytes": len(html), "cpus": os.cpu_count(), "wrk": f"-t2 -c{conns} -d{seconds}s"}

    port = free_port()
    nginx = start_nginx(work, "static", STATIC_SERVER.format(port=port, work=work))
    try:
        wait_for(f"http://127.0.0.1:{port}{path}")
        out["nginx_static_file"] = wrk(f"http://127.0.0.1:{port}{path}", seconds, conns)
    finally:
        stop(nginx)
    base = out["nginx_static_file"]["rps"]

    def share(result: dict) -> dict:
        return {**result, "share_of_nginx": f"{100 * result['rps'] / base:.1f} %"}

    # The same app with a deployment setting: pages answered from the cache for 10 s after a check.
    (work / "fresh_settings.py").write_text(
        "from zhifa.settings import *  # noqa\nZHIFA_PORTAL_FRESH_SECONDS = 10\n"
    )
    fresh = {**env, "DJANGO_SETTINGS_MODULE": "fresh_settings", "PYTHONPATH": f"{work}:{ROOT}"}
    # Connections are kept for ZHIFA_DB_CONN_MAX_AGE (60 s) by default; this variant keeps them
    # for 600 s (with FRESH_SECONDS as above).
    (work / "persistent_settings.py").write_text(
        "from zhifa.settings import *  # noqa\nDATABASES['default']['CONN_MAX_AGE'] = 600\n"
    )
    persistent = {**fresh, "DJANGO_SETTINGS_MODULE": "persistent_settings"}
    sync3, gthread = ["--workers", "3"], ["--workers", "3", "--threads", "4"]
    variants = [
        ("make_serve__gunicorn_3_sync_workers_access_log", env, [*sync3, "--access-logfile", "-"]),
        ("gunicorn_3_sync_workers_no_access_log", env, sync3),
        ("gunicorn_3_gthread_workers_4_threads_keepalive", env, gthread),
        ("gunicorn_3_gthread_4_threads_persistent_db_connections", persistent, gthread),
        ("gunicorn_3_gthread_4_threads_FRESH_SECONDS_10", fresh, gthread),
    ]
    for name, variant_env, extra in variants:
        port = free_port()
        server = start_gunicorn(variant_env, port, extra)
        try:
            url = f"http://127.0.0.1:{port}{path}"
            for _ in range(50):  # every worker renders and caches the page once
                wait_for(url)
            etag = _etag(url)
            out[name] = {
                "200": share(wrk(url, seconds, conns)),
                "304_if_none_match": share(wrk(url, seconds, conns, (f"If-None-Match: {etag}",))),
            }
        finally:
            stop(server)

    # The ceiling of the app server itself: a WSGI app returning the same bytes, no Django.
    (work / "hello.py").write_text(
        f"BODY = open({str(static / 'index.html')!r}, 'rb').read()\n"
        "def app(environ, start_response):\n"
        "    start_response('200 OK', [('Content-Type', 'text/html'), ('Content-Length', str(len(BODY)))])\n"
        "    return [BODY]\n"
    )
    for name, extra in (
        ("hello_world_wsgi_gunicorn_3_sync", sync3),
        ("hello_world_wsgi_gunicorn_3_gthread", gthread),
    ):
        port = free_port()
        server = start_gunicorn({**env, "PYTHONPATH": str(work)}, port, extra, app="hello:app")
        try:
            url = f"http://127.0.0.1:{port}/"
            wait_for(url)
            out[name] = {"200": share(wrk(url, seconds, conns))}
        finally:
            stop(server)

    upstream, port = free_port(), free_port()
    server = start_gunicorn(env, upstream, ["--workers", "3", "--access-logfile", "-"])
    proxy = start_nginx(work, "proxy", CACHING_PROXY.format(port=port, upstream=upstream, work=work))
    try:
        url = f"http://127.0.0.1:{port}{path}"
        wait_for(url)
        out["nginx_proxy_cache_before_make_serve_gunicorn"] = {"200": share(wrk(url, seconds, conns))}
    finally:
        stop(proxy, server)
    shutil.rmtree(work, ignore_errors=True)
    return out


def _etag(url: str) -> str:
    import urllib.request

    with urllib.request.urlopen(url) as response:
        return response.headers["ETag"]


def samples_file(url: str, data_dir: str) -> Path:
    if url.startswith("sqlite"):
        return Path(data_dir, "portal_bench_samples.json")
    return Path(tempfile.gettempdir(), f"portal_bench_samples_{url.rsplit('/', 1)[-1]}.json")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="sqlite")
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--agencies", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--wrk", action="store_true")
    parser.add_argument("--wrk-seconds", type=int, default=10)
    parser.add_argument("--wrk-connections", type=int, default=32)
    parser.add_argument("--keep", action="store_true", help="keep the generated database for --reuse")
    parser.add_argument("--reuse", help="the DATABASE_URL printed by an earlier --keep run")
    args = parser.parse_args()

    generated_s = None
    if args.reuse:
        url = args.reuse
        data_dir = (
            str(Path(url.removeprefix("sqlite:///")).parent)
            if url.startswith("sqlite")
            else tempfile.mkdtemp()
        )
        os.environ.update(DATABASE_URL=url, ZHIFA_DATA_DIR=data_dir, DJANGO_SETTINGS_MODULE="zhifa.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        samples = json.loads(samples_file(url, data_dir).read_text())
    else:
        url = configure(args.database)
        data_dir = os.environ["ZHIFA_DATA_DIR"]
        from django.utils import timezone
        from generate import build_org_tree

        rng = random.Random(5)
        tree = build_org_tree(args.agencies, rng)
        started = time.perf_counter()
        samples = build(args.entries, tree, rng, timezone.localdate())
        generated_s = round(time.perf_counter() - started, 1)
        samples_file(url, data_dir).write_text(json.dumps(samples, ensure_ascii=False))
    import logging
    import sqlite3

    logging.getLogger("django.request").setLevel(logging.ERROR)  # 404s are expected answers
    results = {"generated_s": generated_s, **measure(args, samples)}
    if url.startswith("sqlite"):
        results["sqlite_version"] = sqlite3.sqlite_version
    if args.wrk:
        results["wrk_detail_page"] = run_wrk(args, url, data_dir, samples["ids"][len(samples["ids"]) // 2])
    print(json.dumps(results, ensure_ascii=False, indent=1))
    if args.keep or args.reuse:
        print(f"kept: --reuse {url}", file=sys.stderr)
    else:
        drop_database(url)
        if url.startswith("sqlite"):
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
