"""End to end in Debian's Chromium: an administrator replaces a template and previews it; an
officer on a phone downloads an issued decision (the replace-without-code-change promise)."""

from datetime import date
from io import BytesIO

import pytest
from docx import Document as Docx
from playwright.sync_api import expect

from zhifa.core.testing import DEFAULT_PASSWORD
from zhifa.records import rendering, services
from zhifa.records.kinds import KINDS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, url, username):
    page.goto(f"{url}/staff/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()


def test_admin_replaces_a_template_and_officer_downloads_on_a_phone(
    live_server, world, page, phone_page, fake_pdf, tmp_path
):
    login(page, live_server.url, "admin")
    page.get_by_role("link", name="文书模板").first.click()
    page.get_by_role("link", name="行政处罚决定书", exact=True).click()
    expect(page.get_by_role("heading", name="行政处罚决定书")).to_be_visible()

    template = Docx(str(rendering.builtin_template_path("penalty_decision")))
    template.add_paragraph("（本机关2027年版格式）")
    buffer = BytesIO()
    template.save(buffer)
    upload = tmp_path / "行政处罚决定书.docx"
    upload.write_bytes(buffer.getvalue())
    page.get_by_label("模板文件（.docx）").set_input_files(str(upload))
    page.get_by_label("修改说明").fill("增加格式说明")
    page.get_by_role("button", name="上传并启用").click()
    expect(page.get_by_text("已上传并启用")).to_be_visible()
    expect(page.get_by_role("cell", name="增加格式说明")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="预览样例（Word）").click()
    assert "（本机关2027年版格式）" in rendering.docx_text(download.value.path().read_bytes())
    page.screenshot(path=str(tmp_path / "template_detail.png"), full_page=True)

    document = services.issue_document(
        world.orgs["market"],
        "penalty_decision",
        KINDS["penalty_decision"].sample(),
        world.users["market_officer"],
        case_label="经营超过保质期的食品案",
        on=date(2026, 11, 30),
    )
    login(phone_page, live_server.url, "market_officer")
    phone_page.goto(f"{live_server.url}/staff/records/documents/")
    phone_page.get_by_role("link", name="行政处罚决定书").click()
    expect(phone_page.get_by_text(document.docx_sha256)).to_be_visible()
    with phone_page.expect_download() as download:
        phone_page.get_by_role("link", name="下载PDF").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")
    phone_page.screenshot(path=str(tmp_path / "document_phone.png"), full_page=True)
