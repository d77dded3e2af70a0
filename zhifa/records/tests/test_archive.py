"""案卷 assembly, 归档 (R4) and 调阅 (R5)."""

import io
import shutil
import subprocess
import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from zhifa.cases import engine
from zhifa.cases.models import Deadline
from zhifa.cases.tests import data as test_data
from zhifa.cases.tests.conftest import make_case, officers  # noqa: F401 - shared case fixtures
from zhifa.records import archive, dossier
from zhifa.records.models import ArchiveAccessLog, CaseArchive, Dossier

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def blank_pdf(pages=1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def quick_pdf(monkeypatch):
    """Blank one-page PDFs instead of LibreOffice, where the test is about 归档 and 调阅."""
    monkeypatch.setattr("zhifa.records.services.to_pdf", lambda docx: blank_pdf())
    monkeypatch.setattr("zhifa.records.dossier.to_pdf", lambda docx: blank_pdf())


def act(case, code, user, **data):
    case.refresh_from_db()
    return engine.perform(
        case.pk, code, user, data, expected_version=case.version, request_key=uuid.uuid4().hex
    )[0]


@pytest.fixture
def closed_case(world, make_case):  # noqa: F811
    """A 简易程序 case decided on the spot, paid and closed, with a photo among its evidence."""
    officer, head = world.users["market_officer"], world.users["market_head"]
    case = make_case()
    test_data.record_video(case, officer, activity="on_site_penalty")
    act(
        case,
        "decide_on_spot",
        officer,
        facts="当事人销售商品未按规定明码标价。",
        evidence="现场检查笔录、照片",
        violated="《中华人民共和国价格法》第十三条第一款",
        basis="《中华人民共和国价格法》第四十二条",
        penalty_kinds=["fine"],
        fine="200",
        decided_on=TODAY.isoformat(),
        place="示范市人民路1号",
        facts_certain="on",
        payment_method="bank",
    )
    act(case, "report_filing", officer)
    act(case, "record_payment", officer, paid_on=TODAY.isoformat(), amount="200", receipt_number="A001")
    act(case, "close_case", head, **test_data.closing())
    case.refresh_from_db()
    return case


def test_closing_starts_the_30_day_archive_period_r4(closed_case):
    deadline = Deadline.objects.get(case=closed_case, code="archive")
    assert deadline.rule == "R4" and deadline.days == 30 and deadline.unit == "natural"
    assert deadline.due_on >= TODAY + timedelta(days=30)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="make system-deps installs poppler-utils")
def test_dossier_has_cover_index_documents_evidence_list_and_notes_with_page_numbers(world, closed_case):
    built = dossier.build(closed_case, world.users["market_head"])
    reader = PdfReader(built.pdf.path)
    raw = subprocess.run(["pdftotext", built.pdf.path, "-"], capture_output=True, text=True).stdout
    flat = "".join(raw.split())  # pdftotext spaces out mixed CJK and digits and wraps table cells
    for expected in (
        "行政执法案卷",
        "卷内目录",
        "当场行政处罚决定书",
        "证据清单",
        "备考表",
        closed_case.number,
    ):
        assert expected in flat, expected
    evidence = closed_case.evidence.get()
    assert evidence.blob.digest[:16] in flat
    assert "-1-" in flat and f"-{built.pages}-" in flat and f"-{built.pages + 1}-" not in flat
    assert len(reader.pages) > built.pages  # cover, index and 备考表 are not numbered
    titles = [c["title"] for c in built.contents]
    assert titles.index("当场行政处罚决定书") < titles.index("结案报告") < titles.index("证据清单")


def test_archiving_numbers_and_freezes_the_case_r4(world, closed_case, quick_pdf):
    officer, head = world.users["market_officer"], world.users["market_head"]
    with pytest.raises(PermissionDenied):
        archive.archive_case(closed_case, officer, "30年")
    record = archive.archive_case(closed_case, head, "30年")
    assert record.number == f"示市监档〔{TODAY.year}〕1号" and record.dossier.version == 1
    assert Deadline.objects.get(case=closed_case, code="archive").status == "met"
    with pytest.raises(ValidationError, match="已归档"):
        archive.archive_case(closed_case, head, "永久")
    from zhifa.records import evidence

    with pytest.raises(ValidationError, match="已归档"):
        evidence.retire(closed_case.evidence.get(), head, "误传")
    archive.annotate(closed_case, officer, "2027年复议机关调卷，已按原样复制。")
    assert closed_case.annotations.count() == 1


def test_archiving_refused_before_the_case_is_closed_r4(world, make_case, quick_pdf):  # noqa: F811
    with pytest.raises(ValidationError, match="办结后"):
        archive.archive_case(make_case(), world.users["market_head"], "30年")


def test_reading_an_archived_case_needs_an_approved_unexpired_request_r5(
    world, closed_case, quick_pdf, client_for
):
    officer, head = world.users["market_officer"], world.users["market_head"]
    archive.archive_case(closed_case, head, "30年")
    final = Dossier.objects.get(case=closed_case)
    client = client_for(officer)
    assert client.get(f"/staff/records/dossiers/{final.pk}/file.pdf").status_code == 403
    with pytest.raises(ValidationError, match="调阅事由"):
        archive.request_access(closed_case, officer, reason=" ", scope="all", days=7)
    with pytest.raises(ValidationError, match="1至30天"):
        archive.request_access(closed_case, officer, reason="复议答复", scope="all", days=31)
    access = archive.request_access(closed_case, officer, reason="行政复议答复", scope="all", days=7)
    with pytest.raises(PermissionDenied):
        archive.decide_access(access, officer, approve=True)
    archive.decide_access(access, head, approve=True, note="同意")
    assert client.get(f"/staff/records/dossiers/{final.pk}/file.pdf").status_code == 200
    assert ArchiveAccessLog.objects.get(user=officer).access == access  # one read, one log row
    access.refresh_from_db()
    type(access).objects.filter(pk=access.pk).update(valid_until=timezone.now() - timedelta(minutes=1))
    assert client.get(f"/staff/records/dossiers/{final.pk}/file.pdf").status_code == 403
    keeper = client_for(head)
    assert keeper.get(f"/staff/records/dossiers/{final.pk}/file.pdf").status_code == 200
    assert ArchiveAccessLog.objects.filter(user=head, access__isnull=True).exists()


def test_archive_page_for_keeper_and_officer(world, closed_case, quick_pdf, client_for):
    head_page = client_for(world.users["market_head"])
    url = f"/staff/records/cases/{closed_case.pk}/archive/"
    head_page.post(url, {"do": "dossier"})
    head_page.post(url, {"do": "archive", "retention": "30年"})
    assert CaseArchive.objects.filter(case=closed_case).exists()
    page = client_for(world.users["market_officer"]).get(url).content.decode()
    assert "已归档" in page and "申请调阅" in page and "编定档号并归档" not in page
