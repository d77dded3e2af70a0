"""Staff pages of the 公示 pipeline: queue, side-by-side review, approval, withdrawal (G3–G5)."""

import pytest
from django.urls import reverse

from zhifa.cases.tests.conftest import make_case, officers  # noqa: F401 - shared case fixtures
from zhifa.core.dashboard import dashboard_panels
from zhifa.publicity.models import PortalEntry, Publication, Status
from zhifa.publicity.tests.test_pipeline import decided, on_spot, person  # noqa: F401

pytestmark = pytest.mark.django_db


def test_queue_lists_drafts_with_their_g3_due_date(world, client_for, decided):  # noqa: F811
    case, event = decided
    page = client_for(world.users["market_head"]).get(reverse("publicity:publication_list")).content.decode()
    assert case.number in page and "2026-12-01前公示" in page and "待审核（1）" in page
    other = (
        client_for(world.users["east_officer"]).get(reverse("publicity:publication_list")).content.decode()
    )
    assert case.number not in other


def test_detail_shows_original_and_redacted_side_by_side_g4(world, client_for, decided):  # noqa: F811
    case, event = decided
    publication = Publication.objects.get(event=event)
    page = client_for(world.users["market_head"]).get(publication.get_absolute_url()).content.decode()
    assert '<mark class="removed"' in page and "370102198001010015" in page  # the original, for staff
    assert "[身份证号已隐去]" in page and "赵某某" in page and "审核通过并公示" in page
    officer_page = (
        client_for(world.users["market_officer"]).get(publication.get_absolute_url()).content.decode()
    )
    assert "审核通过并公示" not in officer_page


def test_out_of_scope_publication_is_404(world, client_for, decided):  # noqa: F811
    case, event = decided
    publication = Publication.objects.get(event=event)
    assert client_for(world.users["east_officer"]).get(publication.get_absolute_url()).status_code == 404
    assert (
        client_for(world.users["market_head"]).get(reverse("publicity:detail", args=[999999])).status_code
        == 404
    )


def test_head_approves_then_withdraws_with_a_reason_g5(world, client_for, decided):  # noqa: F811
    case, event = decided
    publication = Publication.objects.get(event=event)
    client = client_for(world.users["market_head"])
    version = publication.versions.get()
    url = publication.get_absolute_url()
    response = client.post(url, {"operation": "approve", "version": version.pk}, follow=True)
    assert "已审核通过并在门户公示" in response.content.decode()
    client.post(url, {"operation": "approve", "version": version.pk})  # a double click changes nothing
    assert PortalEntry.objects.filter(publication=publication).count() == 1
    response = client.post(url, {"operation": "withdraw", "kind": "revoked", "reason": ""}, follow=True)
    assert "须公开撤回理由" in response.content.decode()
    client.post(url, {"operation": "withdraw", "kind": "revoked", "reason": "决定已被撤销。"})
    publication.refresh_from_db()
    assert publication.status == Status.WITHDRAWN


def test_officer_cannot_approve_and_is_told_why_g4(world, client_for, decided):  # noqa: F811
    case, event = decided
    publication = Publication.objects.get(event=event)
    client = client_for(world.users["market_officer"])
    response = client.post(
        publication.get_absolute_url(),
        {"operation": "approve", "version": publication.versions.get().pk},
        follow=True,
    )
    assert "谁执法谁公示" in response.content.decode()
    assert not PortalEntry.objects.exists()


def test_override_reason_is_asked_for_when_a_detector_hit_remains_g4(world, client_for, decided):  # noqa: F811
    case, event = decided
    publication = Publication.objects.get(event=event)
    client = client_for(world.users["market_head"])
    version = publication.versions.get()
    url = publication.get_absolute_url()
    client.post(url, {"operation": "update", "version": version.pk, "manual": "", "restored": "钱多多"})
    page = client.get(url).content.decode()
    assert "疑似个人信息" in page and 'name="override_reason"' in page
    response = client.post(url, {"operation": "approve", "version": version.pk}, follow=True)
    assert "写明保留的理由" in response.content.decode() and not PortalEntry.objects.exists()


def test_home_page_panel_counts_drafts_for_the_head(world, decided):  # noqa: F811
    titles = {p["title"]: p for p in dashboard_panels(world.users["market_head"])}
    assert "待审核公示1件" in titles["执法结果公示"]["items"][0]["text"]


def test_case_page_links_its_publication(world, client_for, decided):  # noqa: F811
    case, event = decided
    page = client_for(world.users["market_officer"]).get(case.get_absolute_url()).content.decode()
    assert "执法结果公示" in page and Publication.objects.get(event=event).get_absolute_url() in page


def test_a_malformed_version_id_is_404_not_a_server_error(world, client_for, decided):  # noqa: F811
    case, event = decided
    publication = Publication.objects.get(event=event)
    client = client_for(world.users["market_head"])
    for bad in ("abc", "", "1.5", "99999999"):
        response = client.post(publication.get_absolute_url(), {"operation": "approve", "version": bad})
        assert response.status_code == 404
    assert not PortalEntry.objects.exists()


def test_an_overlong_withdrawal_reason_is_refused_g5(world, client_for, decided):  # noqa: F811
    case, event = decided
    publication = Publication.objects.get(event=event)
    client = client_for(world.users["market_head"])
    client.post(
        publication.get_absolute_url(), {"operation": "approve", "version": publication.versions.get().pk}
    )
    response = client.post(
        publication.get_absolute_url(),
        {"operation": "withdraw", "kind": "revoked", "reason": "撤" * 1001},
        follow=True,
    )
    assert "不能超过1000字" in response.content.decode()
    publication.refresh_from_db()
    assert publication.status == Status.PUBLISHED
