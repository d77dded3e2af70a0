import pytest

from zhifa.ledger import signing

FAKE_PDF = b"%PDF-1.7\n% stand-in produced by the ledger tests\n"


@pytest.fixture(autouse=True)
def ledger_settings(settings, tmp_path):
    """Each test signs with a key generated in its own directory and stores files in its own media."""
    settings.LEDGER_KEY_DIR = tmp_path / "keys"
    settings.LEDGER_SIGNING_KEY = ""
    settings.LEDGER_ORIGIN = "zhifa.test/ledger"
    settings.LEDGER_HASH_ALGORITHM = "sha256"
    settings.LEDGER_SIGNATURE_ALGORITHM = "ed25519"
    settings.LEDGER_PREVIOUS_KEYS = []
    settings.MEDIA_ROOT = tmp_path / "media"
    signing._signer.cache_clear()
    yield settings
    signing._signer.cache_clear()


@pytest.fixture
def fake_pdf(monkeypatch):
    monkeypatch.setattr("zhifa.records.services.to_pdf", lambda docx: FAKE_PDF)


@pytest.fixture
def append_many(world):
    """Append ``n`` leaves about the 市场监管局 (the source row is the agency itself)."""
    from zhifa.ledger import services

    def append(n, start=0, kind="test"):
        agency = world.orgs["market"]
        return [
            services.append(kind, agency, {"n": i, "text": f"第{i}条"}, organization_id=agency.pk)
            for i in range(start, start + n)
        ]

    return append


# The case fixtures (two qualified officers, make_case) of the case engine's own tests.
from zhifa.cases.tests.conftest import make_case, officers  # noqa: E402, F401
