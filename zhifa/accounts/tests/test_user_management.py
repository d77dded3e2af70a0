"""Staff accounts are managed within scope, and nobody grants a role above their own reach."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from zhifa.accounts.models import User
from zhifa.accounts.roles import Role

pytestmark = pytest.mark.django_db


def form(world, **overrides):
    data = {
        "username": "new_officer",
        "full_name": "新执法",
        "organization": world.orgs["east_market"].pk,
        "roles": ["officer"],
        "password": "Strong-Pass-2026",
        "is_active": "on",
    }
    return {**data, **overrides}


def test_head_creates_officer_in_own_agency(world, client_for):
    client = client_for(world.users["east_head"])
    assert client.post(reverse("accounts:user_create"), form(world)).status_code == 302
    user = User.objects.get(username="new_officer")
    assert user.roles == [Role.OFFICER] and user.check_password("Strong-Pass-2026")


def test_head_cannot_grant_supervisor_or_admin(world, client_for):
    client = client_for(world.users["east_head"])
    response = client.post(reverse("accounts:user_create"), form(world, roles=["admin"]))
    assert response.status_code == 200 and "roles" in response.context["form"].errors
    assert not User.objects.filter(username="new_officer").exists()


def test_head_cannot_place_user_in_another_agency(world, client_for):
    client = client_for(world.users["east_head"])
    response = client.post(reverse("accounts:user_create"), form(world, organization=world.orgs["market"].pk))
    assert "organization" in response.context["form"].errors


def test_weak_password_is_refused_at_the_field(world, client_for):
    client = client_for(world.users["east_head"])
    response = client.post(reverse("accounts:user_create"), form(world, password="abc"))
    assert response.context["form"].errors["password"]
    assert not User.objects.filter(username="new_officer").exists()


def test_other_agency_users_are_invisible(world, client_for):
    client = client_for(world.users["east_head"])
    page = client.get(reverse("accounts:user_list")).content.decode()
    assert "east_officer" in page and "market_officer" not in page
    other = world.users["market_officer"]
    assert client.get(reverse("accounts:user_update", args=[other.pk])).status_code == 404


def test_head_cannot_edit_a_colleague_holding_a_higher_role(world, client_for):
    peer = world.users["east_officer"]
    peer.groups.add(Group.objects.get(name=Role.ADMIN.label))
    client = client_for(world.users["east_head"])
    response = client.post(
        reverse("accounts:user_update", args=[peer.pk]),
        form(world, username="east_officer", roles=["officer"], password=""),
    )
    assert response.status_code == 403
