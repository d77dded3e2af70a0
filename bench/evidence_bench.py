"""Evidence upload throughput (issue: "a 1 GB video uploads resumably …"): one large file pushed
through the real tus endpoint of a gunicorn server (1 sync worker), compared with ``sha256sum`` on
the same file.

    cd bench && ../.venv/bin/python evidence_bench.py [--size 1024] [--chunk 8] [--general-worker] \
        [--database sqlite|postgres://postgres@127.0.0.1:5432/zhifa_bench_evidence]

Reports sha256sum's MB/s, the upload's MB/s (bytes / wall time from creation to the response of
the last PATCH, which includes hashing and storing the blob), their ratio (target ≥ 0.6), and the
gunicorn worker's peak RSS (VmHWM, target < 150 MB). The stored blob's digest must equal
sha256sum's. The file is random bytes behind an MP4 header, so content sniffing accepts it as video.

The worker is configured as the upload pool of docs/deployment.md (``ZHIFA_WARM_UP_SEGMENTER=0``);
``--general-worker`` starts it as ``make run`` does instead, with the 公示 segmenter loaded at start
(about 200 MB more, which the upload itself does not add to).
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from _setup import ROOT, configure, drop_database

MIB = 1024 * 1024
MP4_HEAD = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"


def make_file(path: Path, size: int) -> None:
    with open(path, "wb") as out:
        out.write(MP4_HEAD)
        left = size - len(MP4_HEAD)
        while left > 0:
            block = os.urandom(min(8 * MIB, left))
            out.write(block)
            left -= len(block)


def sha256sum(path: Path) -> tuple[str, float]:
    started = time.perf_counter()
    output = subprocess.run(["sha256sum", str(path)], check=True, capture_output=True, text=True).stdout
    return output.split()[0], time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_data():
    """An open case of the demo world's 市场监管局 and its officer's API token."""
    from datetime import date

    from rest_framework.authtoken.models import Token

    from zhifa.cases.services import create_case
    from zhifa.core.testing import build_world
    from zhifa.personnel.tests.factories import qualified_officer

    world = build_world()
    officer = world.users["market_officer"]
    first = qualified_officer(world, name="张明")[0]
    second = qualified_officer(world, name="李强")[0]
    first.user = officer
    first.save(update_fields=["user"])
    case = create_case(
        officer,
        agency=world.orgs["market"],
        procedure_code="penalty_summary",
        parties=[
            {"kind": "legal_person", "name": "示范市某某超市有限公司", "credit_code": "91350100M000100Y43"}
        ],
        officer_ids=[first.pk, second.pk],
        source="inspection",
        field=world.fields["market"],
        region=world.regions["city"],
        cause="未按规定明码标价",
        discovered_on=date.today(),
    )
    return case, Token.objects.create(user=officer).key


def start_server(port: int, general: bool) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "zhifa.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env={**os.environ, "ZHIFA_WARM_UP_SEGMENTER": "1" if general else "0"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            if server.poll() is not None:
                raise RuntimeError(server.stderr.read().decode()) from None
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def worker_pid(master: int) -> int:
    """The gunicorn master's one child (it may still be forking when the port opens)."""
    for _ in range(100):
        for entry in Path("/proc").iterdir():
            try:
                stat = (entry / "stat").read_text() if entry.name.isdigit() else ""
            except OSError:
                continue
            if stat and int(stat.rsplit(")", 1)[1].split()[1]) == master:
                return int(entry.name)
        time.sleep(0.1)
    raise RuntimeError("no gunicorn worker")


def vm_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def tus_upload(port: int, token: str, path: Path, case_id: int, chunk: int) -> tuple[dict, float]:
    """POST, then PATCH ``chunk`` bytes at a time; returns (last response headers, seconds)."""
    size = path.stat().st_size
    metadata = {
        "case": str(case_id),
        "kind": "audiovisual",
        "captured_at": datetime.now(UTC).isoformat(),
        "filename": "执法记录仪.mp4",
        "filetype": "video/mp4",
    }
    encoded = ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in metadata.items())
    base = {"Tus-Resumable": "1.0.0", "Authorization": f"Token {token}"}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    started = time.perf_counter()
    conn.request(
        "POST",
        "/api/records/uploads/",
        headers={**base, "Upload-Length": str(size), "Upload-Metadata": encoded},
    )
    response = conn.getresponse()
    response.read()
    assert response.status == 201, (response.status, response.headers)
    location = response.headers["Location"].split(f":{port}", 1)[1]
    offset = 0
    with open(path, "rb") as source:
        while offset < size:
            body = source.read(chunk)
            headers = {
                **base,
                "Content-Type": "application/offset+octet-stream",
                "Upload-Offset": str(offset),
                "Content-Length": str(len(body)),
            }
            conn.request("PATCH", location, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode()
            assert response.status == 204, (response.status, text)
            offset = int(response.headers["Upload-Offset"])
    elapsed = time.perf_counter() - started
    conn.close()
    return dict(response.headers), elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="sqlite")
    parser.add_argument("--size", type=int, default=1024, help="MiB")
    parser.add_argument("--chunk", type=int, default=8, help="MiB per PATCH")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument(
        "--general-worker", action="store_true", help="a worker that also serves pages (segmenter loaded)"
    )
    args = parser.parse_args()
    url = configure(args.database)
    data_dir = Path(os.environ["ZHIFA_DATA_DIR"])
    case, token = bench_data()

    work = Path(tempfile.mkdtemp(prefix="zhifa-evidence-bench-"))
    server = None
    try:
        path = work / "video.mp4"
        make_file(path, args.size * MIB)
        sha256sum(path)  # warm the page cache as the upload's reads will be
        digest, sum_s = sha256sum(path)
        server = start_server(port := free_port(), args.general_worker)
        worker = worker_pid(server.pid)
        if args.general_worker:
            time.sleep(10)  # the segmenter loads in a thread of the idle worker
        warm = work / "warm-up.mp4"  # a small upload first: a long-running server has its code loaded
        make_file(warm, MIB)
        tus_upload(port, token, warm, case.pk, args.chunk * MIB)
        rss_warm = vm_kb(worker, "VmHWM")
        headers, upload_s = tus_upload(port, token, path, case.pk, args.chunk * MIB)
        peak_kb = vm_kb(worker, "VmHWM")

        from zhifa.records.models import Evidence

        item = Evidence.objects.select_related("blob").get(pk=headers["Zhifa-Evidence-Id"])
        size = path.stat().st_size
        sum_rate, upload_rate = size / sum_s / 1e6, size / upload_s / 1e6
        results = {
            "database": url.split("@")[-1] if "@" in url else "sqlite",
            "worker": "general (segmenter loaded)" if args.general_worker else "upload pool",
            "bytes": size,
            "chunk_mib": args.chunk,
            "sha256sum_s": round(sum_s, 2),
            "sha256sum_mb_s": round(sum_rate, 1),
            "upload_s": round(upload_s, 2),
            "upload_mb_s": round(upload_rate, 1),
            "ratio": round(upload_rate / sum_rate, 2),
            "ratio_target": 0.6,
            "worker_rss_warm_mb": round(rss_warm / 1024, 1),
            "worker_peak_rss_mb": round(peak_kb / 1024, 1),
            "peak_rss_target_mb": 150,
            "digest_matches_sha256sum": item.blob.digest == digest and item.blob.size == size,
        }
        print(json.dumps(results, ensure_ascii=False, indent=1))
        if not results["digest_matches_sha256sum"]:
            sys.exit("stored blob digest differs from sha256sum")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(data_dir, ignore_errors=True)
        if not args.keep:
            drop_database(url)


if __name__ == "__main__":
    main()
