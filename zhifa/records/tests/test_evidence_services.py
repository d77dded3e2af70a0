"""Evidence services and pages: dedupe, streaming, R3 across a holiday, custody log, scope,
retirement, the small-file form, statistics, API and the capture page."""

import hashlib
import io
import os
import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from zhifa.records import evidence, evidence_rules
from zhifa.records.models import Blob, Evidence, EvidenceAccess, ImmutableRecordError
from zhifa.workdays.models import CalendarDay, DayKind

from .samples import mp4, photo

pytestmark = pytest.mark.django_db


def metadata(case, **overrides):
    values = {
        "case": str(case.pk),
        "kind": "audiovisual",
        "captured_at": (timezone.now() - timedelta(minutes=30)).isoformat(),
        "filename": "现场照片.jpg",
        "filetype": "image/jpeg",
    }
    values.update(overrides)
    return values


def add(world, case, data: bytes, user="market_officer", key=None, **overrides):
    officer = world.users[user]
    meta = evidence.validate_metadata(officer, metadata(case, **overrides))
    return evidence.create_evidence(officer, meta, io.BytesIO(data), request_key=key or uuid.uuid4().hex)


class CountingFile(io.FileIO):
    """A real file that remembers the size of every read asked of it."""

    reads: list

    def read(self, size=-1):
        self.reads.append(size)
        return super().read(size)


def test_same_bytes_are_stored_once_for_two_evidence_rows(world, evidence_case, media):
    first = add(world, evidence_case, photo(b"same photo bytes"))
    second = add(world, evidence_case, photo(b"same photo bytes"), kind="documentary")
    assert first.pk != second.pk and first.blob_id == second.blob_id
    assert Blob.objects.count() == 1
    stored = list((media / "blobs" / "sha256").rglob("*"))
    assert [p.name for p in stored if p.is_file()] == [hashlib.sha256(photo(b"same photo bytes")).hexdigest()]


def test_large_file_is_hashed_and_stored_in_chunks(world, evidence_case, tmp_path):
    data = mp4(os.urandom(3 * evidence_rules.CHUNK_SIZE + 12345))
    path = tmp_path / "video.mp4"
    path.write_bytes(data)
    handle = CountingFile(path, "r")
    handle.reads = []
    meta = evidence.validate_metadata(
        world.users["market_officer"], metadata(evidence_case, filename="现场录像.mp4", filetype="video/mp4")
    )
    item = evidence.create_evidence(world.users["market_officer"], meta, handle, request_key="big")
    handle.close()
    assert item.blob.digest == hashlib.sha256(data).hexdigest() and item.blob.size == len(data)
    assert len(handle.reads) > 4
    assert all(0 < size <= evidence_rules.CHUNK_SIZE for size in handle.reads), "a whole-file read happened"
    with evidence.open_blob(item.blob) as stored:
        assert hashlib.sha256(b"".join(evidence_rules.read_chunks(stored))).hexdigest() == item.blob.digest


def test_r3_late_flag_across_a_holiday(world, evidence_case):
    """R3: captured five days ago; with every day since then a holiday, today is the first
    working day, so the upload is on time. Without the holidays it is late."""
    today = timezone.localdate()
    captured = timezone.now() - timedelta(days=5)
    late = add(world, evidence_case, photo(b"late"), captured_at=captured.isoformat())
    assert late.is_late and late.days_late >= 1 and late.upload_due_on < today
    for n in range(1, 5):
        CalendarDay.objects.update_or_create(
            date=today - timedelta(days=n), defaults={"kind": DayKind.HOLIDAY, "name": "测试假期"}
        )
    if today.weekday() >= 5:
        CalendarDay.objects.update_or_create(
            date=today, defaults={"kind": DayKind.WORKDAY, "name": "测试假期"}
        )
    else:
        CalendarDay.objects.filter(date=today).delete()
    on_time = add(world, evidence_case, photo(b"on time"), captured_at=captured.isoformat())
    assert not on_time.is_late and on_time.days_late == 0 and on_time.upload_due_on > today
    note = late.accesses.get().reason
    assert "R3" in note and "逾期上传" in note


def test_double_submit_creates_one_evidence(world, evidence_case):
    first = add(world, evidence_case, photo(b"x"), key="same-key")
    again = add(world, evidence_case, photo(b"x"), key="same-key")
    assert first.pk == again.pk and Evidence.objects.count() == 1


def test_bad_metadata_is_refused_before_storing(world, evidence_case):
    with pytest.raises(ValidationError) as caught:
        evidence.validate_metadata(world.users["market_officer"], metadata(evidence_case, kind="photo"))
    assert "第四十六条" in str(caught.value)
    with pytest.raises(PermissionDenied):
        evidence.validate_metadata(world.users["city_supervisor"], metadata(evidence_case))
    with pytest.raises(ValidationError, match="不在您的权限范围内"):
        evidence.validate_metadata(world.users["east_officer"], metadata(evidence_case))
    assert not Blob.objects.exists()


def test_evidence_and_its_log_are_never_deleted(world, evidence_case):
    item = add(world, evidence_case, photo(b"keep"))
    for action in (
        item.delete,
        Evidence.objects.all().delete,
        item.blob.delete,
        EvidenceAccess.objects.all().delete,
    ):
        with pytest.raises(ImmutableRecordError):
            action()
    access = item.accesses.get()
    access.reason = "改写"
    with pytest.raises(ImmutableRecordError):
        access.save()


def test_detail_view_and_download_are_logged_with_reason(world, evidence_case, client_for):
    item = add(world, evidence_case, photo(b"\xff\xd8 photo"))
    client = client_for(world.users["market_head"])
    page = client.get(item.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert item.blob.digest in html and "调阅记录" in html
    refused = client.post(reverse("records:evidence_download", args=[item.pk]), {"reason": ""})
    assert refused.status_code == 302 and not item.accesses.filter(action="download").exists()
    response = client.post(reverse("records:evidence_download", args=[item.pk]), {"reason": "法制审核调阅"})
    assert response.status_code == 200 and b"".join(response.streaming_content) == photo(b"\xff\xd8 photo")
    assert "attachment" in response["Content-Disposition"]
    log = list(item.accesses.order_by("id").values_list("action", "user__username", "reason"))
    assert log == [
        ("upload", "market_officer", ""),
        ("view", "market_head", "查看证据详情"),
        ("download", "market_head", "法制审核调阅"),
    ]
    assert item.accesses.order_by("id").last().ip_address == "127.0.0.1"
    html = client.get(item.get_absolute_url()).content.decode()
    assert "请填写下载事由" in html  # the refusal's message
    assert (
        "法制审核调阅" in html and html.count('<td data-label="操作">') == 4
    )  # upload, view, download, this view


def test_preview_needs_the_token_of_a_logged_view(world, evidence_case, client_for):
    item = add(world, evidence_case, photo(b"\xff\xd8 photo"))
    client = client_for(world.users["market_officer"])
    assert client.get(reverse("records:evidence_content", args=[item.pk])).status_code == 403
    page = client.get(item.get_absolute_url())
    preview = page.context["preview_url"]
    response = client.get(preview)
    assert response.status_code == 200 and b"".join(response.streaming_content) == photo(b"\xff\xd8 photo")
    assert response["Content-Type"] == "image/jpeg"
    other = client_for(world.users["market_head"])
    assert other.get(preview).status_code == 403  # a token is personal


def test_preview_answers_a_range_so_a_phone_can_seek_in_a_video(world, evidence_case, client_for):
    content = photo(b"\xff\xd8 " + bytes(range(200)))
    item = add(world, evidence_case, content)
    client = client_for(world.users["market_officer"])
    preview = client.get(item.get_absolute_url()).context["preview_url"]
    response = client.get(preview, HTTP_RANGE="bytes=10-19")
    assert response.status_code == 206 and response["Content-Range"] == f"bytes 10-19/{len(content)}"
    assert b"".join(response.streaming_content) == content[10:20] and response["Content-Length"] == "10"
    assert response["Content-Disposition"].startswith("inline")
    tail = client.get(preview, HTTP_RANGE="bytes=-5")
    assert b"".join(tail.streaming_content) == content[-5:]
    refused = client.get(preview, HTTP_RANGE=f"bytes={len(content)}-")
    assert refused.status_code == 416 and refused["Content-Range"] == f"bytes */{len(content)}"
    whole = client.get(preview)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"


def test_another_agency_gets_404_everywhere(world, evidence_case, client_for):
    item = add(world, evidence_case, photo(b"secret"))
    client = client_for(world.users["east_officer"])
    urls = [
        item.get_absolute_url(),
        reverse("records:case_evidence", args=[evidence_case.pk]),
        f"/api/records/evidence/{item.pk}/",
        f"/api/records/evidence/{item.pk}/download/?reason=x",
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("records:evidence_download", args=[item.pk]), {"reason": "好奇"}).status_code
        == 404
    )
    assert item.title not in client.get(reverse("records:evidence_list")).content.decode()
    assert not EvidenceAccess.objects.filter(user=world.users["east_officer"]).exists()
    # The region's supervisor sees it (and is logged).
    supervisor = client_for(world.users["city_supervisor"])
    assert supervisor.get(item.get_absolute_url()).status_code == 200
    assert item.accesses.filter(user=world.users["city_supervisor"], action="view").exists()


def test_retire_needs_a_reason_and_keeps_everything(world, evidence_case, client_for):
    item = add(world, evidence_case, photo(b"blurred photo"))
    officer = client_for(world.users["market_officer"])
    assert (
        officer.post(reverse("records:evidence_retire", args=[item.pk]), {"reason": "模糊"}).status_code
        == 403
    )
    head = client_for(world.users["market_head"])
    response = head.post(reverse("records:evidence_retire", args=[item.pk]), {"reason": " "}, follow=True)
    assert "请填写注销事由" in response.content.decode()
    head.post(reverse("records:evidence_retire", args=[item.pk]), {"reason": "照片模糊，已重新拍摄"})
    item.refresh_from_db()
    assert item.is_retired and item.retired_reason == "照片模糊，已重新拍摄"
    assert item.accesses.filter(action="retire", reason="照片模糊，已重新拍摄").exists()
    with pytest.raises(ValidationError, match="无需重复注销"):
        evidence.retire(item, world.users["market_head"], "再次注销")
    listing = head.get(reverse("records:evidence_list")).content.decode()
    assert "现场照片.jpg" not in listing
    assert "现场照片.jpg" in head.get(reverse("records:evidence_list") + "?retired=true").content.decode()
    assert head.get(item.get_absolute_url()).status_code == 200  # still there, marked 已注销
    assert Blob.objects.filter(pk=item.blob_id).exists()


def test_case_page_links_to_evidence_and_the_form_uploads(world, evidence_case, client_for):
    client = client_for(world.users["market_officer"])
    assert (
        reverse("records:case_evidence", args=[evidence_case.pk])
        in client.get(evidence_case.get_absolute_url()).content.decode()
    )
    url = reverse("records:case_evidence", args=[evidence_case.pk])
    form = {
        "kind": "documentary",
        "title": "营业执照复印件",
        "captured_at": (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "request_key": "k1",
    }
    upload = SimpleUploadedFile("执照.pdf", b"%PDF-1.7 licence", content_type="application/pdf")
    response = client.post(url, {**form, "file": upload}, follow=True)
    assert "已上传证据“营业执照复印件”" in response.content.decode()
    item = Evidence.objects.get()
    assert item.media_type == "document" and item.original_filename == "执照.pdf"
    # The same form submitted twice (a double click) records one piece of evidence.
    client.post(url, {**form, "file": SimpleUploadedFile("执照.pdf", b"%PDF-1.7 licence")})
    assert Evidence.objects.count() == 1
    bad = client.post(
        url, {**form, "kind": "", "request_key": "k2", "file": SimpleUploadedFile("a.txt", b"a")}
    )
    assert bad.status_code == 400 and "该字段是必填项" in bad.content.decode()
    empty = client.post(url, {**form, "request_key": "k3", "file": SimpleUploadedFile("a.txt", b"")})
    assert empty.status_code == 400


def test_oversized_form_upload_is_refused(world, evidence_case, client_for, settings):
    settings.ZHIFA_EVIDENCE_MAX_BYTES = 10
    client = client_for(world.users["market_officer"])
    response = client.post(
        reverse("records:case_evidence", args=[evidence_case.pk]),
        {
            "kind": "documentary",
            "captured_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "request_key": "k",
            "file": SimpleUploadedFile("big.bin", b"x" * 11),
        },
    )
    assert response.status_code == 400 and "文件过大" in response.content.decode()
    assert not Evidence.objects.exists()


def test_r3_statistics_per_officer_and_agency(
    world, evidence_case, client_for, django_assert_max_num_queries
):
    add(world, evidence_case, photo(b"a"), captured_at=(timezone.now() - timedelta(days=20)).isoformat())
    add(world, evidence_case, photo(b"b"))
    stats = evidence.late_statistics(world.users["city_supervisor"])
    assert stats["agencies"][0]["case__agency__name"] == "示范市市场监督管理局"
    assert (stats["agencies"][0]["total"], stats["agencies"][0]["late"], stats["agencies"][0]["rate"]) == (
        2,
        1,
        50.0,
    )
    assert stats["officers"][0]["captured_by__username"] == "market_officer"
    assert evidence.late_statistics(world.users["east_head"])["officers"] == []
    client = client_for(world.users["market_head"])
    with django_assert_max_num_queries(12):
        html = client.get(reverse("records:evidence_late")).content.decode()
    assert "50.0%" in html and "R3" in html
    listing = client.get(reverse("records:evidence_list") + "?is_late=true").content.decode()
    assert listing.count("逾期") >= 2  # the filter label and the one late row's badge


def test_evidence_list_has_no_n_plus_one(world, evidence_case, client_for, django_assert_max_num_queries):
    for n in range(8):
        add(world, evidence_case, photo(f"photo {n}".encode()))
    client = client_for(world.users["market_head"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("records:evidence_list")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("records:case_evidence", args=[evidence_case.pk])).status_code == 200


def test_api_lists_and_downloads_with_a_reason(world, evidence_case, client_for):
    item = add(world, evidence_case, photo(b"api bytes"))
    client = client_for(world.users["market_head"])
    rows = client.get("/api/records/evidence/").json()["results"]
    assert [r["id"] for r in rows] == [item.pk]
    assert (
        rows[0]["digest"] == hashlib.sha256(photo(b"api bytes")).hexdigest()
        and rows[0]["kind_name"] == "视听资料"
    )
    assert client.get(f"/api/records/evidence/{item.pk}/download/").status_code == 400
    response = client.get(f"/api/records/evidence/{item.pk}/download/", {"reason": "复议答复"})
    assert b"".join(response.streaming_content) == photo(b"api bytes")
    assert item.accesses.filter(action="download", reason="复议答复").exists()
    schema = client.get("/api/schema/").content.decode()
    assert "/api/records/uploads/" in schema and "/api/records/evidence/" in schema


def test_ledger_payload(world, evidence_case):
    item = add(world, evidence_case, photo(b"ledger"))
    payload = evidence.ledger_payload(item)
    digest = hashlib.sha256(photo(b"ledger")).hexdigest()
    assert payload["case_id"] == evidence_case.pk and "case_number" not in payload  # numbered later, at 立案
    assert (
        payload["algorithm"] == "sha256"
        and payload["digest"] == digest
        and payload["size"] == len(photo(b"ledger"))
    )
    assert payload["files"] == [
        {"name": "evidence", "storage": "default", "storage_path": item.blob.storage_name, "sha256": digest}
    ]
    from zhifa.ledger.models import LedgerLeaf

    leaf = LedgerLeaf.objects.get(kind="evidence", object_id=str(item.pk))
    assert digest in leaf.data  # appended with the evidence, in its transaction
    assert payload["captured_by"] == world.users["market_officer"].pk and payload["kind"] == "audiovisual"


def test_capture_page_lists_assigned_open_cases_and_is_installable(world, evidence_case, client_for):
    client = client_for(world.users["market_officer"])
    html = client.get("/m/capture/").content.decode()
    assert str(evidence_case) in html and 'capture="environment"' in html and "tus.min.js" in html
    head_html = client_for(world.users["market_head"]).get("/m/capture/").content.decode()
    assert "没有承办中的案件" in head_html  # not assigned to it
    manifest = client.get("/m/manifest.webmanifest")
    data = manifest.json()
    assert (
        data["name"] == "执法取证" and data["display"] == "standalone" and data["start_url"] == "/m/capture/"
    )
    assert {icon["sizes"] for icon in data["icons"]} == {"192x192", "512x512"}
    worker = client.get("/m/sw.js")
    assert worker["Content-Type"].startswith("application/javascript")
    assert 'request.method !== "GET"' in worker.content.decode()
    client.logout()
    assert client.get("/m/capture/").status_code == 302
