"""From a decision recorded by the engine to the public portal, through the real pipeline: the
portal shows only the approved, redacted snapshot (principle 5), finds it by Chinese queries,
replaces it with a correction and shows the withdrawal notice (G3–G5, G8)."""

import pytest
from django.urls import reverse

from zhifa.cases.tests.conftest import make_case, officers  # noqa: F401 - shared case fixtures
from zhifa.publicity import services
from zhifa.publicity.models import Publication
from zhifa.publicity.tests.test_pipeline import decided, on_spot, person  # noqa: F401

pytestmark = pytest.mark.django_db


def search(client, q):
    return client.get(reverse("portal:decision_list"), {"q": q}).content.decode()


def test_a_draft_is_not_on_the_portal_until_the_head_approves_it(world, client, decided):  # noqa: F811
    case, event = decided
    publication = Publication.objects.get(event=event)
    assert client.get(reverse("portal:decision_detail", args=[publication.pk])).status_code == 404
    assert case.number not in search(client, "明码标价")
    services.approve(publication.versions.get(), world.users["market_head"])
    page = client.get(reverse("portal:decision_detail", args=[publication.pk])).content.decode()
    assert "赵某某" in page and "明码标价" in page
    for secret in ("赵大海", "370102198001010015", "13912345678", "钱多多"):
        assert secret not in page
    found = search(client, "明码标价")
    assert "赵某某" in found
    assert "赵某某" not in search(client, "赵大海")  # the real name was never indexed


def test_correction_and_withdrawal_reach_the_portal_g5(world, client, decided):  # noqa: F811
    case, event = decided
    head = world.users["market_head"]
    publication = Publication.objects.get(event=event)
    services.approve(publication.versions.get(), head)
    correction = services.prepare_correction(publication, head, reason="更正违法事实的表述")
    services.approve(correction, head)
    page = client.get(reverse("portal:decision_detail", args=[publication.pk])).content.decode()
    assert "更正违法事实的表述" in page
    services.withdraw(publication, head, kind="revoked", reason="该决定已被复议机关撤销。")
    page = client.get(reverse("portal:decision_detail", args=[publication.pk])).content.decode()
    assert "该决定已被复议机关撤销。" in page and "销售商品未按规定明码标价" not in page
