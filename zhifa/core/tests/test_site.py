"""Site-wide wiring: the staff menu, the home page panels and the OpenAPI schema."""

import pytest
from django.urls import reverse

from zhifa.core.navigation import STAFF_MENU

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("label", "name", "permission"), STAFF_MENU)
def test_every_menu_entry_resolves(label, name, permission):
    assert reverse(name)


def test_admin_sees_every_menu_entry_and_home_panels(world, client_for):
    page = client_for(world.users["admin"]).get(reverse("core:home")).content.decode()
    for label, _name, _permission in STAFF_MENU:
        assert f">{label}</a>" in page


def test_officer_menu_hides_what_the_role_cannot_do(world, client_for):
    page = client_for(world.users["market_officer"]).get(reverse("core:home")).content.decode()
    assert ">账户</a>" not in page and ">执法人员</a>" in page


def test_openapi_schema_is_served(world, client_for):
    response = client_for(world.users["admin"]).get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/personnel/officers/" in response.content
