"""The tamper-evident log at a million entries (issue: "appends keep up with case work; the full
check and the proofs stay fast at 10⁶ entries").

    cd bench && ../.venv/bin/python ledger_bench.py [--leaves 1000000] [--sustained 40000] \
        [--writers 3] [--writer-threads] [--sequence-every 1] [--keep] \
        [--database sqlite|postgres://postgres@127.0.0.1:5432/zhifa_bench_ledger]
    cd bench && ../.venv/bin/python ledger_bench.py --reuse <the URL --keep printed>   # (b), (c) again

First the log is filled to ``--leaves`` minus the appends to come (bulk-inserted with their correct
canonical JSON and leaf hashes) and sequenced, so that appends are measured on a full-size log:

(a) ``services.append`` one leaf per transaction, as a producer does (target ≥ 2000/s on
    PostgreSQL), ``--sustained`` leaves each: by one writer, beside the rate of bare one-INSERT
    transactions on the same connection (the floor set by the database's commit: one durable WAL
    flush per transaction, which one writer cannot beat), and by ``--writers`` concurrent writer
    processes, as gunicorn's workers are (``make run`` starts 3), whose commits the database
    flushes together (``--writer-threads``: threads of one process instead). Meanwhile a
    sequencer process numbers the new leaves every ``--sequence-every`` seconds, as the checkpoint
    task does in production, so the appends pay for the sequencer's locks and updates too;
(b) ``verify_ledger`` over every entry without the source and file checks (target ≥ 100 000/s);
(c) 200 inclusion proofs for random indices at the full size (target p50/p95 < 10 ms), each
    checked with ``rules.verify_inclusion``; 20 consistency proofs, each checked.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import sys
import time

from _setup import configure, drop_database, timed

BULK_BATCH = 10_000


def payload(i: int) -> dict:
    """About the size of a case event's leaf."""
    return {
        "case": 100_000 + i // 7,
        "case_number": f"示市监立〔2026〕{i // 7}号",
        "sequence": i % 7 + 1,
        "action": "register_lead",
        "stage_before": "lead",
        "stage_after": "investigating",
        "actor": 17,
        "occurred_at": f"2026-03-01T09:{i % 60:02d}:00+08:00",
        "case_version": i % 7 + 2,
        "data": {"note": "基准测试", "n": i},
    }


def sustained_appends(start: int, n: int, source) -> float:
    from django.db import transaction

    from zhifa.ledger import services

    started = time.perf_counter()
    for i in range(start, start + n):
        with transaction.atomic():
            services.append("bench", source, payload(i), organization_id=source.pk)
    return n / (time.perf_counter() - started)


def concurrent_appends(start: int, n: int, source, writers: int, processes: bool = True) -> float:
    """``writers`` producers, each on its own connection, appending one leaf per transaction: the
    rate the log sustains when producers commit at the same time (the database groups their WAL
    flushes). Processes by default, as gunicorn's workers are (Makefile, README); ``processes=False``
    uses threads of this one process, which then share its GIL."""
    if processes:
        return _appends_in_processes(start, n, source, writers)
    import threading

    from django.db import connection, transaction

    from zhifa.ledger import services

    def work(offset: int) -> None:
        try:
            for i in range(start + offset, start + n, writers):
                with transaction.atomic():
                    services.append("bench", source, payload(i), organization_id=source.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(k,)) for k in range(writers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return n / (time.perf_counter() - started)


def _appends_in_processes(start: int, n: int, source, writers: int) -> float:
    """Forked writers that connect first and start together; the time runs from the start signal
    until the last one has committed its last leaf."""
    import multiprocessing

    from django.db import connection, connections, transaction

    from zhifa.ledger import services

    def work(offset: int, ready, go) -> None:
        connection.ensure_connection()
        ready.release()
        go.wait()
        for i in range(start + offset, start + n, writers):
            with transaction.atomic():
                services.append("bench", source, payload(i), organization_id=source.pk)
        connection.close()

    connections.close_all()  # a forked child must not share the parent's socket
    context = multiprocessing.get_context("fork")
    ready, go = context.Semaphore(0), context.Event()
    children = [context.Process(target=work, args=(k, ready, go)) for k in range(writers)]
    for child in children:
        child.start()
    for _ in children:
        ready.acquire()
    started = time.perf_counter()
    go.set()
    for child in children:
        child.join()
    elapsed = time.perf_counter() - started
    if failed := [child.exitcode for child in children if child.exitcode]:
        raise RuntimeError(f"appending processes failed: {failed}")
    return n / elapsed


def commit_floor(n: int) -> float:
    """Transactions of one plain INSERT a second through the same connection: the floor that
    ``append`` (one INSERT in its own transaction here) is measured against."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_commit_floor (d text)")
    started = time.perf_counter()
    for _ in range(n):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO bench_commit_floor (d) VALUES (%s)", ["x" * 260])
    rate = n / (time.perf_counter() - started)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_commit_floor")
    return rate


@contextlib.contextmanager
def sequencer_beside(every: float):
    """A forked process that sequences new leaves every ``every`` seconds until the block ends
    (and once more at the end), as the checkpoint task does beside the web workers."""
    import multiprocessing

    from django.db import connection, connections

    from zhifa.ledger import services

    def work(stop) -> None:
        while not stop.wait(every):
            services.sequence()
        services.sequence()
        connection.close()

    connections.close_all()  # a forked child must not share the parent's socket
    context = multiprocessing.get_context("fork")
    stop = context.Event()
    child = context.Process(target=work, args=(stop,))
    child.start()
    try:
        yield
    finally:
        stop.set()
        child.join()
        if child.exitcode:
            raise RuntimeError(f"the sequencer failed: {child.exitcode}")


def bulk_leaves(start: int, end: int, source) -> float:
    """Leaves ``start`` … ``end - 1`` inserted in bulk, exactly as ``append`` would have made them."""
    from django.db import transaction
    from django.utils import timezone

    from zhifa.ledger import rules, services
    from zhifa.ledger.models import LedgerLeaf

    algorithm = services.configured_algorithm()
    started = time.perf_counter()
    for low in range(start, end, BULK_BATCH):
        rows = []
        now = timezone.now()
        for i in range(low, min(low + BULK_BATCH, end)):
            data = rules.canonical_json(services.json_native(payload(i)))
            rows.append(
                LedgerLeaf(
                    kind="bench",
                    source="organizations.organization",
                    object_id=str(source.pk),
                    organization_id=source.pk,
                    data=data.decode(),
                    algorithm=algorithm,
                    leaf_hash=rules.leaf_hash(data, algorithm).hex(),
                    created_at=now,
                )
            )
        with transaction.atomic():
            LedgerLeaf.objects.bulk_create(rows, batch_size=2000)
    return time.perf_counter() - started


def _check_and_prove(results: dict, size: int, proofs: int) -> None:
    """(b) and (c) on a log of ``size`` sequenced leaves."""
    from zhifa.ledger import rules, services
    from zhifa.ledger.verify import verify_ledger

    started = time.perf_counter()
    problems = [str(p) for p in verify_ledger(check_sources=False, check_files=False)]
    elapsed = time.perf_counter() - started
    assert not problems, problems[:5]
    results["verify_s"] = round(elapsed, 1)
    results["verify_entries_per_s"] = round(size / elapsed)
    results["verify_target_per_s"] = 100_000

    rng = random.Random(7)
    root = bytes.fromhex(services.tree_state().root_hash)

    def inclusion(i):
        proof = services.inclusion_proof(rng.randrange(size), size)
        assert rules.verify_inclusion(
            proof["leaf_index"],
            size,
            bytes.fromhex(proof["leaf_hash"]),
            [bytes.fromhex(h) for h in proof["proof"]],
            root,
        )

    def consistency(i):
        first = rng.randrange(1, size)
        proof = services.consistency_proof(first, size)
        assert rules.verify_consistency(
            first,
            size,
            bytes.fromhex(proof["first_root"]),
            root,
            [bytes.fromhex(h) for h in proof["proof"]],
        )

    results["inclusion_proof_ms"] = timed(inclusion, proofs)
    results["consistency_proof_ms"] = timed(consistency, 20)
    results["proof_target_ms"] = 10


def _analyze() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _reuse(url: str) -> str:
    """Point Django at a database kept by an earlier ``--keep`` run."""
    import os
    import tempfile

    from _setup import ROOT

    os.environ.update(
        DATABASE_URL=url,
        ZHIFA_DATA_DIR=tempfile.mkdtemp(prefix="zhifa-bench-"),
        DJANGO_SETTINGS_MODULE="zhifa.settings",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    return url


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="sqlite")
    parser.add_argument("--leaves", type=int, default=1_000_000)
    parser.add_argument("--sustained", type=int, default=40_000, help="appends per measurement")
    parser.add_argument("--proofs", type=int, default=200)
    parser.add_argument("--writers", type=int, default=3, help="concurrent appenders for the second rate")
    parser.add_argument(
        "--sequence-every", type=float, default=1.0, help="seconds between the sequencer's runs"
    )
    parser.add_argument(
        "--writer-threads", action="store_true", help="concurrent appenders as threads, not processes"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database (for --reuse)")
    parser.add_argument(
        "--reuse", help="the DATABASE_URL of a log kept with --keep: only (b) and (c), on that log"
    )
    args = parser.parse_args()
    import os
    import shutil

    if args.reuse:
        url = _reuse(args.reuse)
    else:
        url = configure(args.database)
        if args.keep:
            print(f"kept: --reuse {url}", file=sys.stderr)

    from django.db import connection

    from zhifa.ledger import services
    from zhifa.ledger.models import LedgerLeaf
    from zhifa.organizations.models import Organization, OrgKind, Region

    try:
        if args.reuse:
            size = services.sequence()
            results = {"database": connection.vendor, "leaves": size, "reused": True}
            _check_and_prove(results, size, args.proofs)
            print(json.dumps(results, ensure_ascii=False, indent=1))
            return
        region = Region.objects.create(code="379900", name="示范市")
        source = Organization.objects.add_root(
            instance=Organization(kind=OrgKind.GOVERNMENT, name="示范市人民政府", region=region)
        )
        sustained = min(args.sustained, args.leaves // 2)
        first_append = args.leaves - 2 * sustained
        results = {"database": connection.vendor, "leaves": args.leaves}
        results["bulk_insert_s"] = round(bulk_leaves(0, first_append, source), 1)
        _analyze()
        started = time.perf_counter()
        results["log_size_before_appends"] = services.sequence()
        results["sequence_s"] = round(time.perf_counter() - started, 1)
        _analyze()
        results["commit_floor_per_s"] = round(commit_floor(min(sustained, 5000)), 1)
        with sequencer_beside(args.sequence_every):
            results["append_per_s"] = round(sustained_appends(first_append, sustained, source), 1)
            kind = "threads" if args.writer_threads else "processes"
            results[f"append_per_s_{args.writers}_writer_{kind}"] = round(
                concurrent_appends(
                    first_append + sustained,
                    sustained,
                    source,
                    args.writers,
                    processes=not args.writer_threads,
                ),
                1,
            )
        results["append_target_per_s"] = 2000
        size = services.sequence()
        assert size == args.leaves == LedgerLeaf.objects.count(), size
        _analyze()
        _check_and_prove(results, size, args.proofs)
        print(json.dumps(results, ensure_ascii=False, indent=1))
    finally:
        if not (args.keep or args.reuse):
            drop_database(url)
            shutil.rmtree(os.environ["ZHIFA_DATA_DIR"], ignore_errors=True)


if __name__ == "__main__":
    main()
