"""Administrators replace templates without code changes; uploads are checked first."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document as Docx

from zhifa.records import rendering, services
from zhifa.records.kinds import KINDS
from zhifa.records.models import DocumentTemplate

pytestmark = pytest.mark.django_db


def upload(content: bytes, name="模板.docx"):
    return SimpleUploadedFile(name, content, content_type=rendering_type())


def rendering_type():
    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def builtin(kind="penalty_decision", *, drop: str | None = None, add: str | None = None) -> bytes:
    """The built-in template, optionally without the paragraph containing ``drop``."""
    document = Docx(str(rendering.builtin_template_path(kind)))
    if drop:
        for paragraph in document.paragraphs:
            if drop in paragraph.text:
                paragraph._p.getparent().remove(paragraph._p)
    if add:
        document.add_paragraph(add)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_file_that_is_not_a_docx_is_refused():
    with pytest.raises(ValidationError, match="不是有效的Word文档"):
        services.validate_template("penalty_decision", upload(b"%PDF-1.4 not a template", "a.docx"))


def test_broken_jinja_is_refused_with_the_reason():
    with pytest.raises(ValidationError, match="语法错误"):
        services.validate_template(
            "penalty_decision", upload(builtin(add="{% if penalty.fine %}没有结束标记"))
        )


def test_data_the_kind_does_not_provide_is_refused():
    with pytest.raises(ValidationError, match="seizure"):
        services.validate_template("penalty_decision", upload(builtin(add="{{ seizure.days }}")))


def test_a_missing_field_of_the_sample_is_refused():
    with pytest.raises(ValidationError, match="penalty_amount|“penalty_amount”未定义|没有的内容"):
        services.validate_template("penalty_decision", upload(builtin(add="{{ penalty.penalty_amount }}")))


def test_dropping_the_remedy_sentence_is_refused():
    """P10/T2: a replacement may change the layout but not drop what the law requires."""
    content = builtin("summary_penalty_decision", drop="{{ remedy.text }}")
    with pytest.raises(ValidationError, match=r"remedy\.text"):
        services.validate_template("summary_penalty_decision", upload(content))


def test_sandbox_blocks_python_internals():
    content = builtin(add="{{ agency.__class__.__mro__ }}")
    with pytest.raises(ValidationError):
        services.validate_template("penalty_decision", upload(content))


def test_upload_activates_a_new_version_and_keeps_the_old(world, client_for, fake_pdf):
    client = client_for(world.users["admin"])
    url = reverse("records:template_upload", args=["penalty_decision"])
    first = upload(builtin(add="第一版附注"))
    assert client.post(url, {"file": first, "note": "加附注"}).status_code == 302
    second = upload(builtin(add="第二版附注"))
    assert client.post(url, {"file": second}).status_code == 302
    versions = list(DocumentTemplate.objects.filter(kind="penalty_decision").order_by("version"))
    assert [(v.version, v.is_active) for v in versions] == [(1, False), (2, True)]

    document = services.issue_document(
        world.orgs["market"],
        "penalty_decision",
        KINDS["penalty_decision"].sample(),
        world.users["market_officer"],
    )
    assert document.template_version == 2
    with document.docx.open("rb") as handle:
        assert "第二版附注" in rendering.docx_text(handle.read())

    activate = reverse("records:template_activate", args=["penalty_decision", 0])
    assert client.post(activate).status_code == 302
    assert not DocumentTemplate.objects.filter(is_active=True).exists()
    assert DocumentTemplate.objects.count() == 2  # history kept


def test_upload_errors_are_shown_at_the_field(world, client_for):
    client = client_for(world.users["admin"])
    url = reverse("records:template_upload", args=["penalty_decision"])
    response = client.post(url, {"file": upload(b"PK\x03\x04 broken zip")})
    assert response.status_code == 200
    assert "不是有效的Word文档" in response.content.decode()
    assert not DocumentTemplate.objects.exists()


def test_only_administrators_replace_templates(world, client_for):
    client = client_for(world.users["market_head"])
    url = reverse("records:template_upload", args=["penalty_decision"])
    assert client.post(url, {"file": upload(builtin())}).status_code == 403
    assert client.get(reverse("records:template_detail", args=["penalty_decision"])).status_code == 200
