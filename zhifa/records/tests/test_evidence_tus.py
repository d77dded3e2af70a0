"""The tus 1.0.0 upload API: creation, offsets, checksums, limits, termination, crash recovery."""

import hashlib
import os
from datetime import timedelta

import pytest
from django.utils import timezone

from zhifa.records.models import Blob, Evidence, EvidenceUpload
from zhifa.records.tus import staging_path

from .samples import mp4
from .tus_helpers import ENDPOINT, sha1_header

pytestmark = pytest.mark.django_db

DATA = mp4(os.urandom(300_000))


def test_options_announces_version_extensions_and_limits(tus_client, settings):
    response = tus_client.client.options(ENDPOINT)
    assert response.status_code == 204
    assert response["Tus-Version"] == "1.0.0"
    assert response["Tus-Extension"] == "creation,termination,checksum"
    assert response["Tus-Max-Size"] == str(settings.ZHIFA_EVIDENCE_MAX_BYTES)
    assert "sha1" in response["Tus-Checksum-Algorithm"]


def test_upload_in_chunks_becomes_evidence(tus_client, world):
    url = tus_client.url(tus_client.create(len(DATA)))
    assert tus_client.head(url)["Upload-Offset"] == "0"
    response = tus_client.patch(url, DATA[:100_000], 0)
    assert response.status_code == 204 and response["Upload-Offset"] == "100000"
    head = tus_client.head(url)
    assert (
        head.status_code == 200
        and head["Upload-Offset"] == "100000"
        and head["Upload-Length"] == str(len(DATA))
    )
    assert head["Cache-Control"] == "no-store"
    response = tus_client.patch(url, DATA[100_000:], 100_000)
    assert response.status_code == 204 and response["Upload-Offset"] == str(len(DATA))
    evidence = Evidence.objects.get(pk=response["Zhifa-Evidence-Id"])
    assert response["Zhifa-Evidence-Url"] == evidence.get_absolute_url()
    assert evidence.blob.digest == hashlib.sha256(DATA).hexdigest() and evidence.blob.size == len(DATA)
    assert evidence.kind == "audiovisual" and evidence.media_type == "video"
    assert evidence.original_filename == "现场录像.mp4" and evidence.device == "执法记录仪 DSJ-01"
    assert evidence.captured_by == world.users["market_officer"] and evidence.stage == tus_client.case.stage
    assert not evidence.is_late
    assert evidence.accesses.get().action == "upload"
    assert not staging_path(EvidenceUpload.objects.get().pk).exists()
    # Completed: HEAD reports the full offset and the evidence page (a client resuming after a
    # lost final response finishes without sending anything again).
    head = tus_client.head(url)
    assert (
        head["Upload-Offset"] == str(len(DATA)) and head["Zhifa-Evidence-Url"] == evidence.get_absolute_url()
    )


def test_wrong_offset_is_409_and_nothing_is_written(tus_client):
    url = tus_client.url(tus_client.create(len(DATA)))
    tus_client.patch(url, DATA[:1000], 0)
    response = tus_client.patch(url, DATA[500:2000], 500)
    assert response.status_code == 409 and response["Upload-Offset"] == "1000"
    assert "偏移量不一致" in response.content.decode()
    assert tus_client.head(url)["Upload-Offset"] == "1000"


def test_chunk_checksum_mismatch_is_460_and_the_chunk_is_discarded(tus_client):
    url = tus_client.url(tus_client.create(len(DATA)))
    assert tus_client.patch(url, DATA[:1000], 0, sha1_header(DATA[:1000])).status_code == 204
    bad = tus_client.patch(url, DATA[1000:2000], 1000, sha1_header(b"something else"))
    assert bad.status_code == 460 and "校验失败" in bad.content.decode()
    assert tus_client.head(url)["Upload-Offset"] == "1000"
    assert staging_path(EvidenceUpload.objects.get().pk).read_bytes() == DATA[:1000]
    assert tus_client.patch(url, DATA[1000:], 1000, sha1_header(DATA[1000:])).status_code == 204
    assert Evidence.objects.get().blob.digest == hashlib.sha256(DATA).hexdigest()


def test_whole_file_checksum_mismatch_keeps_nothing(tus_client):
    url = tus_client.url(tus_client.create(len(DATA), sha256=hashlib.sha256(b"other").hexdigest()))
    response = tus_client.patch(url, DATA, 0)
    assert response.status_code == 460 and "文件校验失败" in response.content.decode()
    assert not Evidence.objects.exists() and not Blob.objects.exists() and not EvidenceUpload.objects.exists()
    assert not any(staging_path("x").parent.iterdir())
    # With the right digest the same upload succeeds.
    _, response = tus_client.upload(DATA, sha256=hashlib.sha256(DATA).hexdigest())
    assert Evidence.objects.count() == 1


def test_oversize_upload_is_refused_with_413(tus_client, settings):
    settings.ZHIFA_EVIDENCE_MAX_BYTES = 1000
    response = tus_client.create(1001)
    assert response.status_code == 413 and "文件过大" in response.content.decode()
    assert not EvidenceUpload.objects.exists()
    url = tus_client.url(tus_client.create(1000))
    response = tus_client.patch(url, b"x" * 1500, 0)  # more than declared
    assert response.status_code == 413 and tus_client.head(url)["Upload-Offset"] == "0"


def test_creation_errors_are_clear_and_in_chinese(tus_client, world, evidence_case):
    cases = [
        ({"kind": "photo"}, "请选择证据种类"),
        ({"case": "abc"}, "请选择案件"),
        ({"case": "999999"}, "不在您的权限范围内"),
        ({"captured_at": "明天"}, "格式不正确"),
        ({"filename": None}, "缺少文件名"),
    ]
    for metadata, message in cases:
        response = tus_client.create(10, **metadata)
        assert response.status_code == 400 and message in response.content.decode(), metadata
    assert tus_client.client.post(ENDPOINT, **tus_client.headers()).status_code == 400  # no Upload-Length
    assert tus_client.create(0).status_code == 400
    response = tus_client.client.post(ENDPOINT, HTTP_TUS_RESUMABLE="0.2.2", HTTP_X_CSRFTOKEN=tus_client.csrf)
    assert response.status_code == 412 and response["Tus-Version"] == "1.0.0"
    assert not EvidenceUpload.objects.exists()


def test_csrf_token_is_required(tus_client):
    headers = tus_client.headers(HTTP_UPLOAD_LENGTH="10")
    del headers["HTTP_X_CSRFTOKEN"]
    assert tus_client.client.post(ENDPOINT, **headers).status_code == 403


def test_termination_removes_an_unfinished_upload_but_never_evidence(tus_client):
    url = tus_client.url(tus_client.create(len(DATA)))
    tus_client.patch(url, DATA[:1000], 0)
    assert tus_client.delete(url).status_code == 204
    assert tus_client.head(url).status_code == 404 and not EvidenceUpload.objects.exists()
    url, _ = tus_client.upload(DATA)
    response = tus_client.delete(url)
    assert response.status_code == 409 and "证据不得删除" in response.content.decode()
    assert Evidence.objects.count() == 1


def test_resume_after_a_crash_mid_upload(tus_client):
    """A server crash while receiving: the staged prefix survives, HEAD reports it, the client
    continues from there and the result is byte-identical."""
    url = tus_client.url(tus_client.create(len(DATA)))
    tus_client.patch(url, DATA[:50_000], 0)
    upload = EvidenceUpload.objects.get()
    # The process died after writing more bytes than it recorded in the database.
    with open(staging_path(upload.pk), "ab") as handle:
        handle.write(DATA[50_000:120_000])
    assert EvidenceUpload.objects.get().offset == 50_000
    offset = int(tus_client.head(url)["Upload-Offset"])
    assert offset == 120_000
    assert tus_client.patch(url, DATA[50_000:], 50_000).status_code == 409
    response = tus_client.patch(url, DATA[offset:], offset)
    assert response.status_code == 204
    assert Evidence.objects.get().blob.digest == hashlib.sha256(DATA).hexdigest()


def test_crash_after_the_last_byte_is_finished_by_head(tus_client):
    url = tus_client.url(tus_client.create(len(DATA)))
    tus_client.patch(url, DATA[:1000], 0)
    with open(staging_path(EvidenceUpload.objects.get().pk), "ab") as handle:
        handle.write(DATA[1000:])  # every byte arrived, then the server died
    head = tus_client.head(url)
    assert head.status_code == 200 and head["Upload-Offset"] == str(len(DATA))
    evidence = Evidence.objects.get()
    assert head["Zhifa-Evidence-Url"] == evidence.get_absolute_url()


def test_another_users_upload_is_not_found(tus_client, client_for, world):
    url = tus_client.url(tus_client.create(len(DATA)))
    other = client_for(world.users["market_head"])
    assert other.head(url, HTTP_TUS_RESUMABLE="1.0.0").status_code == 404
    response = other.generic(
        "PATCH",
        url,
        DATA,
        content_type="application/offset+octet-stream",
        HTTP_TUS_RESUMABLE="1.0.0",
        HTTP_UPLOAD_OFFSET="0",
    )
    assert response.status_code == 404


def test_other_agency_cannot_upload_to_the_case(world, client_for, evidence_case):
    from django.test import Client

    from .tus_helpers import TusClient

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["east_officer"])
    response = TusClient(client, evidence_case).create(10)
    assert response.status_code == 400 and "不在您的权限范围内" in response.content.decode()


def test_wrong_content_type_is_415(tus_client):
    url = tus_client.url(tus_client.create(10))
    response = tus_client.client.generic(
        "PATCH",
        url,
        b"0123456789",
        content_type="application/octet-stream",
        **tus_client.headers(HTTP_UPLOAD_OFFSET="0"),
    )
    assert response.status_code == 415


def test_sm3_is_selectable(tus_client, settings):
    settings.ZHIFA_EVIDENCE_HASH = "sm3"
    tus_client.upload(DATA, sm3=hashlib.new("sm3", DATA).hexdigest())
    blob = Evidence.objects.get().blob
    assert blob.algorithm == "sm3" and blob.digest == hashlib.new("sm3", DATA).hexdigest()
    assert blob.storage_name.startswith("blobs/sm3/")


def test_staged_file_becomes_the_blob_without_a_copy(tus_client, media):
    """The finished staging file is hard-linked into blob storage (written once), and then its
    staging name is removed, so the blob is the only name of those bytes."""
    url = tus_client.url(tus_client.create(len(DATA)))
    upload_id = EvidenceUpload.objects.get().pk
    staged = staging_path(upload_id)
    tus_client.patch(url, DATA[:1000], 0)
    inode = staged.stat().st_ino
    tus_client.patch(url, DATA[1000:], 1000)
    blob = media / Evidence.objects.get().blob.storage_name
    assert blob.stat().st_ino == inode and blob.stat().st_nlink == 1 and not staged.exists()
    assert hashlib.sha256(blob.read_bytes()).hexdigest() == hashlib.sha256(DATA).hexdigest()


def test_a_file_outside_staging_is_copied_not_linked(world, evidence_case, media, tmp_path):
    from zhifa.records import evidence

    path = tmp_path / "外部录像.mp4"
    path.write_bytes(DATA)
    meta = evidence.validate_metadata(
        world.users["market_officer"],
        tus_client_metadata(evidence_case),
    )
    with open(path, "rb") as handle:
        item = evidence.create_evidence(world.users["market_officer"], meta, handle, request_key="outside")
    blob = media / item.blob.storage_name
    assert blob.stat().st_ino != path.stat().st_ino
    path.write_bytes(b"changed later")  # the stored evidence does not change with it
    assert hashlib.sha256(blob.read_bytes()).hexdigest() == item.blob.digest


def tus_client_metadata(case) -> dict:
    from datetime import timedelta

    from django.utils import timezone

    return {
        "case": str(case.pk),
        "kind": "audiovisual",
        "captured_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "filename": "外部录像.mp4",
        "filetype": "video/mp4",
    }


def test_abandoned_uploads_give_their_staging_space_back(tus_client):
    """An upload left unfinished past its expiry is swept with its partial file; a finished upload,
    a fresh one and its bytes stay; a stray staging file older than the expiry goes too."""
    from zhifa.records.tus import EXPIRY, staging_dir, sweep_expired

    stale = tus_client.url(tus_client.create(len(DATA)))
    tus_client.patch(stale, DATA[:1000], 0)
    stale_upload = EvidenceUpload.objects.get()
    EvidenceUpload.objects.filter(pk=stale_upload.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    fresh = tus_client.url(tus_client.create(len(DATA)))
    tus_client.patch(fresh, DATA[:1000], 0)
    tus_client.upload(DATA)
    stray = staging_dir() / "00000000-0000-0000-0000-000000000000.part"
    stray.write_bytes(b"x")
    old = (timezone.now() - EXPIRY - timedelta(hours=1)).timestamp()
    os.utime(stray, (old, old))

    assert sweep_expired() == 1
    assert not staging_path(stale_upload.pk).exists() and not stray.exists()
    assert int(tus_client.head(fresh)["Upload-Offset"]) == 1000
    assert EvidenceUpload.objects.count() == 2 and Evidence.objects.count() == 1


def _reads_back(monkeypatch) -> list:
    """Record every time the finished file is hashed from disk."""
    from zhifa.records import evidence

    calls, original = [], evidence.digest_of
    monkeypatch.setattr(evidence, "digest_of", lambda *a: calls.append(a) or original(*a))
    return calls


def test_the_digest_runs_along_so_a_finished_upload_is_not_read_back(tus_client, monkeypatch):
    reads = _reads_back(monkeypatch)
    tus_client.upload(DATA, chunk=70_000)
    assert reads == []
    assert Evidence.objects.get().blob.digest == hashlib.sha256(DATA).hexdigest()


def test_a_discarded_chunk_leaves_the_running_digest_right(tus_client, monkeypatch):
    """A chunk refused by its checksum (460) or for exceeding the length (413) is cut off the
    staged file; the digest must not have counted it."""
    reads = _reads_back(monkeypatch)
    url = tus_client.url(tus_client.create(len(DATA)))
    assert tus_client.patch(url, DATA[:1000], 0).status_code == 204
    assert tus_client.patch(url, DATA[1000:5000], 1000, sha1_header(b"other")).status_code == 460
    assert tus_client.patch(url, DATA[1000:] + b"extra", 1000).status_code == 413
    assert tus_client.patch(url, DATA[1000:], 1000).status_code == 204
    assert Evidence.objects.get().blob.digest == hashlib.sha256(DATA).hexdigest()
    assert reads == []  # the digest from before the refused chunks still held


def test_bytes_appended_by_another_process_make_the_digest_come_from_the_file(tus_client, monkeypatch):
    """When the PATCHes of one upload reach different workers, the one that finishes has not
    seen every byte: it hashes the staged file instead."""
    reads = _reads_back(monkeypatch)
    url = tus_client.url(tus_client.create(len(DATA)))
    tus_client.patch(url, DATA[:1000], 0)
    with open(staging_path(EvidenceUpload.objects.get().pk), "ab") as handle:
        handle.write(DATA[1000:2000])  # another worker's PATCH
    assert tus_client.patch(url, DATA[2000:], 2000).status_code == 204
    assert len(reads) == 1
    assert Evidence.objects.get().blob.digest == hashlib.sha256(DATA).hexdigest()


def test_a_different_file_of_the_same_length_is_never_given_a_stale_digest(tus_client):
    """Terminated or refused uploads leave no digest behind for the next one."""
    url = tus_client.url(tus_client.create(len(DATA)))
    tus_client.patch(url, DATA[:1000], 0)
    assert tus_client.delete(url).status_code == 204
    other = mp4(os.urandom(len(DATA) - len(mp4(b""))))
    tus_client.upload(other)
    assert Evidence.objects.get().blob.digest == hashlib.sha256(other).hexdigest()


def test_the_running_digests_table_is_bounded():
    from types import SimpleNamespace

    from zhifa.records.tus import RunningDigests

    table = RunningDigests(limit=2)
    uploads = [SimpleNamespace(id=i, algorithm="sha256", length=1) for i in range(3)]
    for upload in uploads:
        running = table.resume(upload, 0)
        running.update(b"x")
        table.keep(upload.id, running, 1)
    assert table.take(uploads[0]) is None  # pushed out: its file would be hashed at the end
    assert table.take(uploads[2]) == (hashlib.sha256(b"x").hexdigest(), 1)
    assert table.resume(uploads[1], 5) is None  # a different offset: not continued
