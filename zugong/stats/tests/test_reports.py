"""The cache of the statistics: what changes the data version and what does not; one cache for all
the server's worker processes."""

import pytest
from django.core.cache import caches
from django.db import connection

from zugong.core.audit import Actor, audit_record
from zugong.core.models import Person
from zugong.core.scope import scope_for
from zugong.core.services import PersonData, person_reveal_id_number, person_upsert
from zugong.core.testing import test_id_number
from zugong.stats import reports
from zugong.stats.reports import data_version
from zugong.stats.selectors import resolve_target


def test_reads_leave_the_data_version_and_writes_change_it(city):
    admin = city.users["city_admin"]
    actor, scope = Actor(user=admin), scope_for(admin)
    person, _ = person_upsert(actor=actor, data=PersonData(name="张三", id_number=test_id_number(1)))
    before = data_version()
    person_reveal_id_number(actor=actor, scope=scope, person=Person.objects.get(pk=person.pk))
    audit_record(actor, "members.export", object_type="PartyMember", summary="导出党员名册1人")
    audit_record(actor, "cadres.lrmx_export", object_type="Cadre", summary="导出任免审批表")
    assert data_version() == before  # exports and a view of a full 身份证号 change no figure
    for action in (
        "members.import_uploaded", "members.import_started", "cadres.import_cancelled", "members.import_failed",
        "members.import_interrupted",
    ):  # fmt: skip
        audit_record(actor, action, object_type="ImportJob", summary="导入任务")
    assert data_version() == before  # nor does an import's bookkeeping
    person_upsert(actor=actor, data=PersonData(name="张三", id_number=test_id_number(1), phone="13800000000"))
    assert data_version() != before  # an edit is audited: the version moves


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time")
def test_figures_read_while_a_transaction_runs_are_not_served_after_it_commits(city):
    """A write transaction that commits after a later one (ids drawn out of commit order) still
    starts a new version: while it runs, the version names it."""
    import psycopg

    other = psycopg.connect(**connection.get_connection_params())  # another session on the test database
    try:
        idle = data_version()
        other.execute("SELECT pg_current_xact_id()")  # a write transaction: it has drawn its id
        running = data_version()
        assert running != idle  # figures computed now are stored under a version of their own
        assert data_version() == running  # and served again while nothing changes
        other.commit()
        assert data_version() == idle  # nothing was written: the version it had before
    finally:
        other.close()


def test_a_dashboard_one_worker_computed_is_warm_for_the_other_workers(city, monkeypatch):
    target = resolve_target(scope_for(city.users["city_admin"]))
    first = reports.overview(target)  # computed by this worker, stored in the shared folder
    monkeypatch.setattr(reports, "cache", caches.create_connection("default"))  # another worker's cache object

    def no_query(*args, **kwargs):
        raise AssertionError("computed again")

    monkeypatch.setattr(reports.s, "member_counts_by_child", no_query)
    assert reports.overview(target)["counts"] == first["counts"]
    monkeypatch.setattr(reports, "cache", caches.create_connection("default"))
    person_upsert(actor=Actor(user=city.users["city_admin"]), data=PersonData(name="李四", id_number=test_id_number(2)))
    with pytest.raises(AssertionError, match="computed again"):  # a write: a new version, computed anew
        reports.overview(target)
