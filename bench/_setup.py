"""Shared bench plumbing: a throwaway database (SQLite file or a fresh PostgreSQL database)."""

from __future__ import annotations

import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def configure(database: str) -> str:
    """Point Django at a fresh database; returns its URL. ``database`` is 'sqlite' or a postgres URL."""
    sys.path.insert(0, str(ROOT))
    data_dir = tempfile.mkdtemp(prefix="zhifa-bench-")
    os.environ["ZHIFA_DATA_DIR"] = data_dir
    url = f"sqlite:///{data_dir}/bench.sqlite3" if database == "sqlite" else _fresh_postgres(database)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    logging.getLogger("django.request").setLevel(logging.ERROR)  # 404s are expected answers here
    return url


def _fresh_postgres(server_url: str) -> str:
    """(Re)create the database the URL names (``zhifa_bench`` when it names ``postgres`` or none),
    connecting through the server's ``postgres`` database, so parallel benches can use their own."""
    import psycopg

    url = urlsplit(server_url)
    name = url.path.strip("/")
    name = name if name and name != "postgres" else "zhifa_bench"
    with psycopg.connect(urlunsplit(url._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(url._replace(path=f"/{name}"))


def timed(fn, repeat: int) -> dict:
    """Run ``fn(i)`` ``repeat`` times; milliseconds p50/p95/max."""
    samples = []
    for i in range(repeat):
        start = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "n": repeat,
        "p50": round(statistics.median(samples), 2),
        "p95": round(samples[int(len(samples) * 0.95) - 1], 2),
        "max": round(samples[-1], 2),
    }


def drop_database(url: str) -> None:
    """Remove a throwaway PostgreSQL database made by :func:`configure` (SQLite files live in the
    bench's temporary data directory)."""
    if not url.startswith("postgres"):
        return
    import psycopg
    from django.db import connections

    connections.close_all()
    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parts.path.strip("/")}"')
