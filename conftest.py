import pytest


@pytest.fixture
def world(db):
    """A 示范市 org tree with one user per role; see zhifa.core.testing.build_world."""
    from zhifa.core.testing import build_world

    return build_world()


@pytest.fixture
def client_for(client):
    """Log a user of the world in: ``client_for(world.users["market_head"])``."""

    def login(user):
        client.force_login(user)
        return client

    return login


def pytest_configure(config):
    from django.conf import settings

    # Password hashing is deliberately slow; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
