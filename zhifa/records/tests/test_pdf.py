"""End to end through LibreOffice: the PDF is real and its Chinese text is extractable."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from zhifa.records import rendering, services
from zhifa.records.kinds import KINDS

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_issued_decision_is_a_pdf_with_its_chinese_text(world, tmp_path):
    """Needs `make system-deps` (LibreOffice Writer, Noto CJK, poppler-utils)."""
    document = services.issue_document(
        world.orgs["market"],
        "summary_penalty_decision",
        KINDS["summary_penalty_decision"].sample(),
        world.users["market_officer"],
    )
    with document.pdf.open("rb") as handle:
        pdf = handle.read()
    assert pdf.startswith(b"%PDF-")
    text = "".join(pdf_text(pdf, tmp_path).split())
    assert "当场行政处罚决定书" in text
    assert document.number in text
    assert "先向示范市人民政府申请行政复议" in text


def test_preview_pdf_from_the_staff_page(world, client_for):
    response = client_for(world.users["admin"]).get(
        reverse("records:template_preview", args=["service_receipt", "pdf"])
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")


def test_missing_libreoffice_is_reported_in_chinese(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(rendering.RenderError, match="未安装LibreOffice"):
        rendering.to_pdf(b"PK")


def test_a_hanging_conversion_is_stopped(monkeypatch, tmp_path):
    script = tmp_path / "soffice"
    script.write_text("#!/bin/sh\nsleep 30\n")
    script.chmod(0o755)
    monkeypatch.setattr(rendering, "soffice_binary", lambda: str(script))
    with pytest.raises(rendering.RenderError, match="超时"):
        rendering.to_pdf(b"PK", timeout=0.5)
