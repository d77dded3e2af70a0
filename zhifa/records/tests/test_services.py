"""文号 allocation, issuing, immutability and corrections."""

import hashlib
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zhifa.core.models import Sequence
from zhifa.records import services
from zhifa.records.kinds import KINDS
from zhifa.records.models import Document, IssuedDocumentError, NumberPattern

from .conftest import FAKE_PDF

pytestmark = pytest.mark.django_db
ON = date(2026, 11, 30)


def allocate(agency, kind="penalty_decision", on=ON):
    with transaction.atomic():
        return services.allocate_number(agency, kind, on)


def test_numbers_are_consecutive_per_agency_kind_and_year(world):
    market, east = world.orgs["market"], world.orgs["east_market"]
    assert [allocate(market) for _ in range(3)] == [
        "示市监罚决〔2026〕1号",
        "示市监罚决〔2026〕2号",
        "示市监罚决〔2026〕3号",
    ]
    assert allocate(market, "penalty_notice") == "示市监罚告〔2026〕1号"
    assert allocate(east) == "东市监罚决〔2026〕1号"
    assert allocate(market, on=date(2027, 1, 4)) == "示市监罚决〔2027〕1号"
    assert allocate(market) == "示市监罚决〔2026〕4号"


def test_a_rolled_back_transaction_gives_its_number_back(world):
    market = world.orgs["market"]
    assert allocate(market) == "示市监罚决〔2026〕1号"
    with pytest.raises(RuntimeError), transaction.atomic():
        services.allocate_number(market, "penalty_decision", ON)
        raise RuntimeError("the case engine failed after numbering")
    assert allocate(market) == "示市监罚决〔2026〕2号"


def test_records_without_a_number_cannot_be_numbered(world):
    with pytest.raises(ValidationError, match="不编文号"):
        allocate(world.orgs["market"], "inquiry_record")


def test_agency_pattern_beats_the_national_default(world):
    market, east = world.orgs["market"], world.orgs["east_market"]
    NumberPattern.objects.create(agency=None, kind="penalty_decision", pattern="{简称}罚字〔{年}〕{序号}号")
    NumberPattern.objects.create(
        agency=market,
        kind="penalty_decision",
        pattern="{简称}{缩写}〔{年}〕{序号}号",
        abbreviation="处罚",
        pad_width=4,
    )
    assert allocate(market) == "示市监处罚〔2026〕0001号"
    assert allocate(east) == "东市监罚字〔2026〕1号"


def test_agency_without_short_name_uses_its_name(world):
    justice = world.orgs["justice"]
    justice.short_name = ""
    justice.save()
    assert allocate(justice, "demand_notice") == "示范市司法局催告〔2026〕1号"


def issue(world, kind="penalty_decision", user="market_officer", agency="market", **kwargs):
    context = KINDS[kind].sample()
    return services.issue_document(
        world.orgs[agency],
        kind,
        context,
        world.users[user],
        case_id=42,
        case_label="示市监立〔2026〕15号",
        on=ON,
        **kwargs,
    )


def test_issue_document_numbers_renders_stores_and_hashes(world, fake_pdf):
    document = issue(world)
    assert document.number == "示市监罚决〔2026〕1号"
    assert document.template_version == 0
    assert document.context["document"]["number"] == document.number
    assert document.context["remedy"]["text"].startswith("当事人对本决定不服的")
    assert document.context["penalty"]["fine"] == "80000.00"
    with document.docx.open("rb") as handle:
        docx = handle.read()
    assert hashlib.sha256(docx).hexdigest() == document.docx_sha256
    with document.pdf.open("rb") as handle:
        assert handle.read() == FAKE_PDF
    assert document.pdf_sha256 == hashlib.sha256(FAKE_PDF).hexdigest()
    assert fake_pdf == [docx]


def test_records_are_issued_without_a_number(world, fake_pdf):
    document = issue(world, "inquiry_record")
    assert document.number == ""
    assert issue(world, "inquiry_record").number == ""  # blank numbers never clash


def test_a_failed_rendering_saves_nothing_and_consumes_no_number(world, monkeypatch, media):
    def broken(docx):
        raise services.RenderError("LibreOffice未能生成PDF")

    monkeypatch.setattr("zhifa.records.services.to_pdf", broken)
    with pytest.raises(ValidationError, match="LibreOffice"):
        issue(world)
    assert not Document.objects.exists()
    assert [path for path in media.rglob("*") if path.is_file()] == []
    assert Sequence.objects.filter(key__startswith="records:").values_list("value", flat=True).first() in (
        None,
        0,
    )
    monkeypatch.setattr("zhifa.records.services.to_pdf", lambda docx: FAKE_PDF)
    assert issue(world).number == "示市监罚决〔2026〕1号"


def test_incomplete_case_data_is_refused_in_chinese(world, fake_pdf):
    context = KINDS["penalty_decision"].sample()
    del context["parties"][0]["address"]
    with pytest.raises(ValidationError, match=r"parties\.0\.address（住所（住址））"):
        services.issue_document(
            world.orgs["market"], "penalty_decision", context, world.users["market_officer"]
        )


def test_documents_are_issued_only_in_the_users_scope(world, fake_pdf):
    with pytest.raises(PermissionDenied):
        issue(world, user="east_officer", agency="market")
    with pytest.raises(ValidationError, match="执法主体"):
        issue(world, agency="market_team")


def test_issued_documents_cannot_be_changed_or_deleted(world, fake_pdf):
    document = issue(world)
    document.number = "示市监罚决〔2026〕99号"
    with pytest.raises(IssuedDocumentError):
        document.save()
    with pytest.raises(IssuedDocumentError):
        document.delete()
    with pytest.raises(IssuedDocumentError):
        Document.objects.filter(pk=document.pk).update(number="x")
    with pytest.raises(IssuedDocumentError):
        Document.objects.filter(pk=document.pk).delete()
    assert Document.objects.get(pk=document.pk).number == "示市监罚决〔2026〕1号"


def test_a_correction_is_a_new_document_referring_to_the_old(world, fake_pdf):
    original = issue(world)
    correction = issue(world, replaces=original)
    assert correction.number == "示市监罚决〔2026〕2号"
    assert list(original.corrections.all()) == [correction]
    with pytest.raises(ValidationError, match="原文书的出具机关"):
        issue(world, user="east_officer", agency="east_market", replaces=original)


def test_number_pattern_service_checks_scope_and_the_pattern(world):
    head = world.users["east_head"]
    own = NumberPattern(
        agency=world.orgs["east_market"], kind="penalty_decision", pattern="{简称}{缩写}〔{年}〕{序号}号"
    )
    services.save_number_pattern(head, own)
    with pytest.raises(PermissionDenied):
        services.save_number_pattern(
            head, NumberPattern(agency=world.orgs["market"], kind="penalty_decision")
        )
    with pytest.raises(PermissionDenied, match="全国默认"):
        services.save_number_pattern(head, NumberPattern(agency=None, kind="penalty_decision"))
    bad = NumberPattern(agency=world.orgs["east_market"], kind="penalty_notice", pattern="{简称}{缩写}{序号}")
    with pytest.raises(ValidationError) as error:
        services.save_number_pattern(head, bad)
    assert "{年}" in str(error.value.message_dict["pattern"])
    record = NumberPattern(agency=world.orgs["east_market"], kind="inquiry_record")
    with pytest.raises(ValidationError, match="不编文号"):
        services.save_number_pattern(head, record)


def test_files_are_removed_when_the_record_cannot_be_saved(world, fake_pdf, monkeypatch, media):
    from django.db import IntegrityError

    def refuse(self, *args, **kwargs):
        raise IntegrityError("simulated")

    monkeypatch.setattr(Document, "save", refuse)
    with pytest.raises(IntegrityError):
        issue(world)
    assert [path for path in media.rglob("*") if path.is_file()] == []
