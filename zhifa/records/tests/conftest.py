import pytest

FAKE_PDF = b"%PDF-1.7\n% stand-in produced by the test suite\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Each test stores its files in its own directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def fake_pdf(monkeypatch):
    """Skip LibreOffice where a test is about numbering or storage, not about PDF output
    (one end-to-end test in test_pdf.py runs the real converter)."""
    calls = []

    def convert(docx):
        calls.append(docx)
        return FAKE_PDF

    monkeypatch.setattr("zhifa.records.services.to_pdf", convert)
    return calls
