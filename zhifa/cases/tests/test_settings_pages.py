"""Administrators change the values the statute leaves open, per field and region (P8, T4)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from zhifa.cases.models import ProcedureSetting
from zhifa.cases.parameters import setting_value

pytestmark = pytest.mark.django_db


def test_admin_sets_a_field_hearing_threshold_p8(world, client_for):
    client = client_for(world.users["admin"])
    assert "听证：对自然人较大数额罚款" in client.get(reverse("cases:settings")).content.decode()
    response = client.post(
        reverse("cases:setting_create"),
        {
            "key": "hearing_fine_natural",
            "value": "5000",
            "field": world.fields["market"].pk,
            "basis": "省市场监管局规定",
        },
    )
    assert response.status_code == 302
    assert setting_value("hearing_fine_natural", world.fields["market"].pk, None) == Decimal("5000")


def test_bad_values_are_refused_at_the_field(world, client_for):
    client = client_for(world.users["admin"])
    url = reverse("cases:setting_create")
    response = client.post(url, {"key": "statement_workdays", "value": "2.5", "basis": "某规定"})
    assert "整数" in str(response.context["form"].errors["value"])
    response = client.post(
        url,
        {
            "key": "warning_yellow_workdays",
            "value": "5",
            "region": world.regions["east"].pk,
            "basis": "某规定",
        },
    )
    assert "全国统一" in str(response.context["form"].errors["key"])
    response = client.post(url, {"key": "statement_workdays", "value": "7", "basis": ""})
    assert "basis" in response.context["form"].errors
    assert not ProcedureSetting.objects.exists()


def test_officers_cannot_change_settings(world, client_for):
    client = client_for(world.users["market_officer"])
    assert client.get(reverse("cases:setting_create")).status_code == 403
