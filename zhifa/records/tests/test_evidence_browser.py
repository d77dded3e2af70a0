"""The 执法取证 PWA on a phone (Debian's Chromium): resumable upload with visible progress, a
dropped connection, and a page reload in the middle of an upload."""

import hashlib
import os

import pytest
from playwright.sync_api import expect

from zhifa.records.models import Evidence, EvidenceUpload

from .samples import mp4
from .test_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHUNK = 256 * 1024


@pytest.fixture
def phone(phone_page):
    phone_page.add_init_script(f"window.ZHIFA_CHUNK_SIZE = {CHUNK};")
    return phone_page


@pytest.fixture
def video(tmp_path):
    path = tmp_path / "现场录像.mp4"
    path.write_bytes(mp4(os.urandom(4 * CHUNK + 1000)))
    return path


def test_officer_uploads_from_the_capture_page_with_progress(
    live_server, world, evidence_case, phone, video, tmp_path
):
    login(phone, live_server.url, "market_officer")
    phone.goto(f"{live_server.url}/m/capture/")
    expect(phone.get_by_role("heading", name="现场取证上传")).to_be_visible()
    expect(phone.get_by_label(str(evidence_case), exact=False)).to_be_checked()
    phone.get_by_label("证据种类").select_option(label="视听资料")
    phone.get_by_label("说明（可选）").fill("货架价签录像")
    # A dropped connection: the second PATCH fails once at the network level; the client retries.
    failed = []

    def flaky(route):
        request = route.request
        if request.method == "PATCH" and request.headers.get("upload-offset") == str(CHUNK) and not failed:
            failed.append(request.url)
            return route.abort("connectionreset")
        return route.continue_()

    phone.route("**/api/records/uploads/**", flaky)
    phone.locator("#gallery").set_input_files(str(video))
    row = phone.locator(".upload-row").first
    expect(row.locator(".pct")).to_have_text("100%", timeout=30_000)
    expect(row.get_by_text("上传完成")).to_be_visible()
    assert failed, "the simulated network failure did not happen"
    item = Evidence.objects.get()
    assert item.blob.digest == hashlib.sha256(video.read_bytes()).hexdigest()
    assert item.description == "货架价签录像" and item.case == evidence_case and item.media_type == "video"
    phone.screenshot(path=str(tmp_path / "capture.png"), full_page=True)
    row.get_by_role("link", name="查看证据").click()
    expect(phone.get_by_text(item.blob.digest)).to_be_visible()


def test_upload_continues_after_a_reload(live_server, world, evidence_case, phone, video):
    login(phone, live_server.url, "market_officer")
    phone.goto(f"{live_server.url}/m/capture/")
    patches = []

    def cut_after_two_chunks(route):
        if route.request.method == "PATCH":
            patches.append(route.request.headers.get("upload-offset"))
            if len(patches) > 2:
                return route.abort("internetdisconnected")
        return route.continue_()

    phone.route("**/api/records/uploads/**", cut_after_two_chunks)
    phone.locator("#camera").set_input_files(str(video))
    expect(phone.locator(".upload-row .status").first).to_contain_text("正在第2次重试", timeout=30_000)
    assert EvidenceUpload.objects.get().offset == 2 * CHUNK and not Evidence.objects.exists()
    assert set(patches[2:]) == {str(2 * CHUNK)}  # retried from where the server stopped

    phone.unroute("**/api/records/uploads/**")
    phone.reload()
    expect(phone.get_by_text("未完成的上传")).to_be_visible()
    expect(phone.locator("#pending-list li").first).to_contain_text("已上传 49%")
    phone.locator("#gallery").set_input_files(str(video))  # the officer picks the same file again
    row = phone.locator(".upload-row").first
    expect(row.locator(".pct")).to_have_text("100%", timeout=30_000)
    expect(row.get_by_text("上传完成")).to_be_visible()
    assert EvidenceUpload.objects.count() == 1  # resumed, not started over
    assert Evidence.objects.get().blob.digest == hashlib.sha256(video.read_bytes()).hexdigest()
    phone.reload()
    expect(phone.locator("#pending")).to_be_hidden()


def test_location_is_filled_from_the_phone_position(live_server, world, evidence_case, browser):
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        geolocation={"latitude": 36.651216, "longitude": 117.120095, "accuracy": 12},
        permissions=["geolocation"],
    )
    phone = context.new_page()
    try:
        login(phone, live_server.url, "market_officer")
        phone.goto(f"{live_server.url}/m/capture/")
        phone.get_by_label("采集地点（可选）").fill("人民路1号店内")
        phone.get_by_role("button", name="📍 填入当前位置").click()
        expect(phone.get_by_label("采集地点（可选）")).to_have_value(
            "人民路1号店内；北纬36.651216，东经117.120095（精度约12米）"
        )
    finally:
        context.close()
