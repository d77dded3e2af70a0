"""Concurrent appenders and sequencers on the real database never fork or skip the tree.

Runs on PostgreSQL (row locks; transactions that commit out of id order) and on SQLite
(serialised writers). The late-commit test needs two open write transactions: PostgreSQL only.
"""

import random
import threading
import time

import pytest
from django.db import connection, transaction

from zhifa.ledger import rules, services
from zhifa.ledger.models import LedgerCheckpoint, LedgerLeaf
from zhifa.ledger.verify import verify_ledger

pytestmark = pytest.mark.django_db(transaction=True)

APPENDERS, PER_APPENDER = 6, 12


def test_concurrent_appenders_and_sequencers_give_one_contiguous_consistent_tree(world):
    agency = world.orgs["market"]
    appending_done = threading.Event()
    errors = []

    def appender(worker):
        try:
            for i in range(PER_APPENDER):
                with transaction.atomic():
                    services.append("test", agency, {"worker": worker, "i": i}, organization_id=agency.pk)
                    time.sleep(random.random() / 100)  # commit late, possibly after higher ids
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    def sequencer():
        try:
            while not appending_done.is_set():
                services.checkpoint()
                time.sleep(random.random() / 50)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=appender, args=(w,)) for w in range(APPENDERS)]
    sequencers = [threading.Thread(target=sequencer) for _ in range(2)]
    for thread in threads + sequencers:
        thread.start()
    for thread in threads:
        thread.join()
    appending_done.set()
    for thread in sequencers:
        thread.join()
    assert errors == []
    services.checkpoint()

    total = APPENDERS * PER_APPENDER
    indices = sorted(LedgerLeaf.objects.values_list("index", flat=True))
    assert indices == list(range(total))  # contiguous, no duplicates, nothing left unsequenced
    assert [str(p) for p in verify_ledger()] == []  # every node, and every checkpoint's root
    checkpoints = list(LedgerCheckpoint.objects.order_by("created_at", "size"))
    assert [c.size for c in checkpoints] == sorted({c.size for c in checkpoints})
    assert checkpoints[-1].size == total
    for old, new in zip(checkpoints, checkpoints[1:], strict=False):
        proof = services.consistency_proof(old.size, new.size)
        path = [bytes.fromhex(p) for p in proof["proof"]]
        assert rules.verify_consistency(
            old.size, new.size, bytes.fromhex(old.root_hash), bytes.fromhex(new.root_hash), path
        )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs two concurrent write transactions")
def test_a_leaf_committed_late_with_a_lower_id_gets_the_next_index(world):
    agency = world.orgs["market"]
    inserted, release = threading.Event(), threading.Event()
    late = {}

    def slow_writer():
        try:
            with transaction.atomic():
                late["leaf"] = services.append("test", agency, {"late": True}, organization_id=agency.pk)
                inserted.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    inserted.wait(10)
    early = services.append("test", agency, {"late": False}, organization_id=agency.pk)
    assert early.pk > late["leaf"].pk
    assert services.sequence() == 1  # the uncommitted lower id is not skipped over, only not seen yet
    release.set()
    thread.join()
    assert services.sequence() == 2
    assert LedgerLeaf.objects.get(pk=early.pk).index == 0
    assert LedgerLeaf.objects.get(pk=late["leaf"].pk).index == 1
    assert [str(p) for p in verify_ledger()] == []
