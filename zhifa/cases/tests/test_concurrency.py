"""Concurrency on the real database: gap-free 案号 and one transition per version.

Run on PostgreSQL in CI (row locks) and on SQLite (serialised writers); both must hold.
"""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from django.db import connection

from zhifa.cases import engine
from zhifa.cases.models import Case, CaseEvent
from zhifa.cases.services import create_case

pytestmark = pytest.mark.django_db(transaction=True)

PARTY = [
    {
        "kind": "legal_person",
        "name": "示范市某某有限公司",
        "credit_code": "91350100M000100Y43",
        "address": "示范市",
    }
]


def test_100_parallel_creations_get_100_distinct_gap_free_numbers(world, officers):
    user = world.users["market_officer"]

    def create(i):
        try:
            return create_case(
                user,
                agency=world.orgs["market"],
                procedure_code="penalty_summary",
                parties=PARTY,
                officer_ids=[o.pk for o in officers],
                source="inspection",
                field=world.fields["market"],
                region=world.regions["city"],
                cause=f"并发登记{i}",
                discovered_on=date.today(),
            ).serial
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        serials = list(pool.map(create, range(100)))
    assert sorted(serials) == list(range(1, 101))
    assert Case.objects.values("number").distinct().count() == 100


def test_two_workers_advancing_one_case_give_one_transition_and_one_refusal(world, officers):
    case = create_case(
        world.users["market_officer"],
        agency=world.orgs["market"],
        procedure_code="penalty_summary",
        parties=PARTY,
        officer_ids=[o.pk for o in officers],
        source="inspection",
        field=world.fields["market"],
        region=world.regions["city"],
        cause="并发办理",
        discovered_on=date.today(),
    )
    data = {
        "facts": "未明码标价",
        "evidence": "笔录",
        "violated": "《中华人民共和国价格法》第十三条第一款",
        "basis": "《中华人民共和国价格法》第四十二条",
        "penalty_kinds": ["warning"],
        "decided_on": date.today().isoformat(),
        "place": "现场",
        "facts_certain": "on",
        "payment_method": "bank",
    }
    barrier = threading.Barrier(2)
    outcomes = []

    def advance(user):
        try:
            barrier.wait()
            engine.perform(
                case.pk,
                "decide_on_spot",
                user,
                data,
                expected_version=case.version,
                request_key=uuid.uuid4().hex,
            )
            outcomes.append("done")
        except engine.StaleCase as exc:
            outcomes.append(exc.refusals[0].message)
        finally:
            connection.close()

    workers = [
        threading.Thread(target=advance, args=(world.users[name],))
        for name in ("market_officer", "market_head")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert outcomes.count("done") == 1
    assert any("已被他人更新" in o for o in outcomes)
    assert CaseEvent.objects.filter(case=case).count() == 1
