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


# --- Evidence ----------------------------------------------------------------------------------
@pytest.fixture
def staging(settings, tmp_path):
    """Resumable uploads are staged in the test's own directory."""
    settings.ZHIFA_UPLOAD_STAGING_DIR = tmp_path / "staging"
    return settings.ZHIFA_UPLOAD_STAGING_DIR


@pytest.fixture
def evidence_case(world, staging):
    """An open case of 示范市市场监管局; ``market_officer`` is one of its two assigned officers."""
    from datetime import date

    from zhifa.cases.services import create_case
    from zhifa.personnel.tests.factories import qualified_officer

    first = qualified_officer(world, name="张明")[0]
    second = qualified_officer(world, name="李强")[0]
    first.user = world.users["market_officer"]
    first.save(update_fields=["user"])
    return create_case(
        world.users["market_officer"],
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


@pytest.fixture
def tus_client(world, client_for, evidence_case):
    """The case officer's logged-in client speaking tus (CSRF enforced as in a browser)."""
    from django.test import Client

    from .tus_helpers import TusClient

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["market_officer"])
    return TusClient(client, evidence_case)
