"""Shared fixtures: the test city with its personas (zugong.core.testing)."""

import pytest
from django.core.cache import cache

from zugong.core.testing import PASSWORD, build_test_city


def _flushes_without_restore(item) -> bool:
    marker = item.get_closest_marker("django_db")
    transactional = "live_server" in item.fixturenames or "transactional_db" in item.fixturenames
    if marker is not None:
        transactional = transactional or marker.kwargs.get("transaction", False)
        if marker.kwargs.get("serialized_rollback", False):
            return False
    return transactional and "django_db_serialized_rollback" not in item.fixturenames


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Transactional tests that do not restore the database run last.

    Their teardown flushes every table and re-runs post_migrate, which creates the content types
    anew under other ids; a ``serialized_rollback`` test after them then fails to reload its saved
    rows (UNIQUE constraint failed: django_content_type). pytest-django already puts transactional
    tests after the others; this keeps the restoring ones ahead of those that only flush."""
    items.sort(key=_flushes_without_restore)  # stable: the order within each group is kept


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

