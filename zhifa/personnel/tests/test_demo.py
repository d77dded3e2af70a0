"""The demo personnel: deterministic, valid identities, every eligibility outcome present."""

import random
from collections import Counter

import pytest
from django.utils import timezone

from zhifa.core.demo import DemoContext
from zhifa.core.rules import id_number_error
from zhifa.organizations import demo as organizations_demo
from zhifa.personnel import demo, services
from zhifa.personnel.models import Certificate, Officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ctx = DemoContext(rng=random.Random(2026), today=timezone.localdate())
    organizations_demo.load(ctx)
    demo.load(ctx)
    return ctx


def test_demo_officers_are_valid_and_varied(loaded):
    officers = list(Officer.objects.all())
    assert 140 <= len(officers) <= 170
    assert all(id_number_error(o.id_number) is None for o in officers)
    assert Officer.objects.filter(
        employment_type__in=["contract", "temporary"], certificates__isnull=True
    ).exists()
    assert Officer.objects.exclude(legal_qualification_number="").count() >= 5
    today = timezone.localdate()
    states = Counter(c.state_on(today) for c in Certificate.objects.all())
    assert states["valid"] and states["expired"] and states["suspended"]


def test_demo_officer_accounts_may_enforce(loaded):
    for username in ("demo_market_officer", "demo_east_officer"):
        officer = Officer.objects.get(user__username=username)
        rows = services.eligibility_overview(officer, list(services.certificates_with_details(officer)))
        assert rows and all(row.answer.allowed for row in rows), [row.answer.messages for row in rows]


def test_demo_contains_refusals_for_training_and_inspection(loaded):
    reasons = Counter()
    for officer in Officer.objects.all():
        for row in services.eligibility_overview(officer, list(services.certificates_with_details(officer))):
            reasons.update(reason.rule for reason in row.answer.reasons)
    assert reasons["S2"] and reasons["P1"] and reasons["S13"]
