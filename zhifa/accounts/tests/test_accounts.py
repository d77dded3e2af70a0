"""Login lockout, strong passwords, token API access."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.authtoken.models import Token

from zhifa.core.testing import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_succeeds_and_lands_on_home(world, client):
    response = login(client, "market_head", DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200


def test_wrong_password_gives_chinese_error(world, client):
    response = login(client, "market_head", "wrong")
    assert "用户名或密码错误" in response.content.decode()


def test_account_is_locked_after_repeated_failures(world, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "market_head", "wrong")
    response = login(client, "market_head", DEFAULT_PASSWORD)  # even the right password is refused now
    assert response.status_code == 429
    assert "临时锁定" in response.content.decode()


def test_lockout_of_one_account_does_not_block_another(world, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "market_head", "wrong")
    assert login(client, "east_head", DEFAULT_PASSWORD).status_code == 302


@pytest.mark.parametrize("password", ["short1A!", "alllowercaseletters", "ALLUPPER12345", "1234567890123"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_strong_password_passes():
    validate_password("Fa-Zhi-2026-Shen")


def test_character_class_message_is_chinese():
    with pytest.raises(ValidationError) as excinfo:
        validate_password("abcdefghijkl")
    assert "三类" in " ".join(excinfo.value.messages)


def test_token_auth_reaches_scoped_api(world, client):
    token = Token.objects.create(user=world.users["east_head"])
    response = client.get("/api/accounts/me/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert response.json()["roles"] == ["agency_head"]


def test_anonymous_api_is_refused(client):
    assert client.get("/api/organizations/organizations/").status_code in (401, 403)


def test_staff_pages_require_login(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_token_endpoint_issues_token_and_respects_lockout(world, client, settings):
    response = client.post("/api/accounts/token/", {"username": "east_head", "password": DEFAULT_PASSWORD})
    assert response.status_code == 200 and response.json()["token"]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/api/accounts/token/", {"username": "east_head", "password": "wrong"})
    response = client.post("/api/accounts/token/", {"username": "east_head", "password": DEFAULT_PASSWORD})
    assert response.status_code == 429 and "锁定" in response.json()["detail"]
