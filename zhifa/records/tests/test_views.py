"""Staff pages and API: scoped documents (404 outside the scope), downloads, patterns, previews."""

from datetime import date

import pytest
from django.urls import reverse

from zhifa.records import services
from zhifa.records.kinds import KINDS
from zhifa.records.models import NumberPattern

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents(world, fake_pdf):
    def issue(agency, user, kind="penalty_decision"):
        return services.issue_document(
            world.orgs[agency],
            kind,
            KINDS[kind].sample(),
            world.users[user],
            case_label="测试案件",
            on=date(2026, 11, 30),
        )

    return {"market": issue("market", "market_officer"), "east": issue("east_market", "east_officer")}


def test_document_pages_and_files_are_scoped(world, client_for, documents):
    client = client_for(world.users["east_officer"])
    own, other = documents["east"], documents["market"]
    listing = client.get(reverse("records:document_list")).content.decode()
    assert own.number in listing and other.number not in listing
    assert client.get(reverse("records:document_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("records:document_detail", args=[other.pk])).status_code == 404
    for fmt in ("docx", "pdf"):
        assert client.get(reverse("records:document_file", args=[other.pk, fmt])).status_code == 404
    response = client.get(reverse("records:document_file", args=[own.pk, "pdf"]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert "filename*=utf-8''" in response["Content-Disposition"].lower()


def test_supervisor_sees_the_documents_of_the_region(world, client_for, documents):
    client = client_for(world.users["city_supervisor"])
    listing = client.get(reverse("records:document_list")).content.decode()
    assert documents["east"].number in listing and documents["market"].number in listing
    east = client_for(world.users["east_supervisor"]).get(reverse("records:document_list")).content.decode()
    assert documents["market"].number not in east


def test_api_lists_and_downloads_within_scope(world, client_for, documents):
    client = client_for(world.users["east_head"])
    rows = client.get("/api/records/documents/").json()["results"]
    assert [row["number"] for row in rows] == [documents["east"].number]
    assert rows[0]["pdf_url"].endswith(f"/api/records/documents/{documents['east'].pk}/pdf/")
    assert client.get(f"/api/records/documents/{documents['market'].pk}/").status_code == 404
    assert client.get(f"/api/records/documents/{documents['market'].pk}/docx/").status_code == 404
    response = client.get(f"/api/records/documents/{documents['east'].pk}/docx/")
    assert response.status_code == 200 and b"".join(response.streaming_content)[:2] == b"PK"
    kinds = {row["code"]: row for row in client.get("/api/records/kinds/").json()}
    assert kinds["summary_penalty_decision"]["name"] == "当场行政处罚决定书"
    assert kinds["penalty_decision"]["abbreviation"] == "罚决" and kinds["penalty_decision"]["has_remedy"]
    assert client.get("/api/records/kinds/nonexistent/").status_code == 404


def test_document_list_does_not_query_per_row(
    world, client_for, documents, fake_pdf, django_assert_max_num_queries
):
    for _ in range(5):
        services.issue_document(
            world.orgs["market"],
            "inquiry_record",
            KINDS["inquiry_record"].sample(),
            world.users["market_officer"],
        )
    client = client_for(world.users["market_officer"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("records:document_list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/api/records/documents/").status_code == 200


def test_template_pages_list_every_kind_without_a_query_per_kind(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.users["market_officer"])
    with django_assert_max_num_queries(10):
        page = client.get(reverse("records:template_list")).content.decode()
    for kind in KINDS.values():
        assert kind.name in page
    detail = client.get(
        reverse("records:template_detail", args=["summary_penalty_decision"])
    ).content.decode()
    assert "remedy.text" in detail and "上传新版本" not in detail


def test_preview_downloads_the_sample_as_docx(world, client_for):
    client = client_for(world.users["market_officer"])
    response = client.get(reverse("records:template_preview", args=["penalty_decision", "docx"]))
    assert response.status_code == 200 and response.content[:2] == b"PK"
    builtin = client.get(reverse("records:template_download", args=["penalty_decision", 0]))
    assert builtin.status_code == 200 and builtin.content[:2] == b"PK"
    assert client.get(reverse("records:template_detail", args=["no_such_kind"])).status_code == 404


def test_agency_head_sets_the_pattern_of_the_own_agency_only(world, client_for):
    client = client_for(world.users["east_head"])
    form = client.get(reverse("records:pattern_create")).content.decode()
    assert "东城区市场监督管理局" in form and "示范市市场监督管理局" not in form
    response = client.post(
        reverse("records:pattern_create"),
        {
            "agency": world.orgs["east_market"].pk,
            "kind": "penalty_decision",
            "pattern": "{简称}{缩写}〔{年}〕{序号}号",
            "pad_width": 3,
        },
    )
    assert response.status_code == 302
    pattern = NumberPattern.objects.get()
    refused = client.post(
        reverse("records:pattern_create"),
        {
            "agency": world.orgs["market"].pk,
            "kind": "penalty_decision",
            "pattern": "{简称}{缩写}〔{年}〕{序号}号",
            "pad_width": 0,
        },
    )
    assert refused.status_code == 200 and NumberPattern.objects.count() == 1
    bad = client.post(
        reverse("records:pattern_update", args=[pattern.pk]),
        {"pattern": "{简称}{缩写}{序号}", "pad_width": 0},
    )
    assert "文号格式必须包含 {年}" in bad.content.decode()
    other = client_for(world.users["market_head"])
    assert other.get(reverse("records:pattern_update", args=[pattern.pk])).status_code == 404
    assert client_for(world.users["market_officer"]).get(reverse("records:pattern_create")).status_code == 403


def test_only_administrators_set_the_national_default(world, client_for):
    national = NumberPattern.objects.create(
        agency=None, kind="demand_notice", pattern="{简称}催字〔{年}〕{序号}号"
    )
    assert (
        client_for(world.users["east_head"])
        .get(reverse("records:pattern_update", args=[national.pk]))
        .status_code
        == 404
    )
    admin = client_for(world.users["admin"])
    listing = admin.get(reverse("records:pattern_list")).content.decode()
    assert "全国默认" in listing and "催字" in listing
    response = admin.post(
        reverse("records:pattern_update", args=[national.pk]),
        {"pattern": "{简称}催告〔{年}〕{序号}号", "pad_width": 0},
    )
    assert response.status_code == 302
    national.refresh_from_db()
    assert national.pattern == "{简称}催告〔{年}〕{序号}号"
