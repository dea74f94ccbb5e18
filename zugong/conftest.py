"""Shared fixtures: the test city with its personas (zugong.core.testing)."""

import pytest
from django.core.cache import cache

from zugong.core.testing import PASSWORD, build_test_city


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty statistics cache: its keys carry the data version, and on
    SQLite the ids that make it repeat across rolled-back tests."""
    cache.clear()
    yield


@pytest.fixture
def city(db):
    """The test city: ``city.units``, ``city.orgs``, ``city.users`` by short name."""
    return build_test_city()


@pytest.fixture
def login(client):
    """``login(user)`` logs the Django test client in as ``user`` and returns the client."""

    def _login(user):
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return _login

