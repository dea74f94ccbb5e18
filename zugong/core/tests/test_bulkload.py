"""Bulk loads with set-based reference checks (PostgreSQL): when the row triggers may be switched
off, and the checks that replace them."""

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from zugong.core import bulkload
from zugong.core.models import Person
from zugong.members.models import Affiliation, PartyMember
from zugong.orgs.models import PartyOrganization

pg_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="row triggers and session_replication_role are PostgreSQL's")
TABLES = [Person, PartyMember, Affiliation]


def role() -> str:
    with connection.cursor() as cur:
        cur.execute("SHOW session_replication_role")
        return cur.fetchone()[0]


@pg_only
def test_it_switches_the_row_triggers_off_for_the_load_and_on_again(db):
    assert bulkload.bulk_load_begin(TABLES) is True  # the test database's owner may
    assert role() == "replica"
    bulkload.bulk_load_end()
    assert role() == "origin"


@pg_only
def test_the_with_block_turns_the_triggers_on_again_however_it_ends(db):
    with bulkload.bulk_load(TABLES) as set_based:
        assert set_based and role() == "replica"
    assert role() == "origin"
    with pytest.raises(RuntimeError, match="interrupted"), bulkload.bulk_load(TABLES):
        raise RuntimeError("interrupted")  # the transaction is still usable: the SET ran
    assert role() == "origin"
    # an error of the database aborts the savepoint; the original error is raised, not the refused SET
    with pytest.raises(DatabaseError, match="division by zero"), transaction.atomic():
        with bulkload.bulk_load(TABLES), connection.cursor() as cur:
            cur.execute("SELECT 1 / 0")
    assert role() == "origin"


@pg_only
def test_without_the_switch_the_block_checks_each_statement(db, monkeypatch):
    monkeypatch.setenv("ZUGONG_BULK_CHECKS", "0")
    with bulkload.bulk_load(TABLES) as set_based:
        assert set_based is False and role() == "origin"
        # a row pointing nowhere fails at its statement, not at COMMIT
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(
                "INSERT INTO members_affiliation (member_id, org_id, start, document_no, reason)"
                " VALUES (987654, 987654, current_date, '', '')"
            )


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the other databases")
def test_other_databases_keep_their_own_checks(db):
    assert bulkload.bulk_load_begin(TABLES) is False


@pg_only
def test_it_keeps_the_triggers_when_the_environment_says_so(db, monkeypatch):
    monkeypatch.setenv("ZUGONG_BULK_CHECKS", "0")
    assert bulkload.bulk_load_begin(TABLES) is False
    assert role() == "origin"


@pg_only
def test_it_keeps_the_triggers_for_a_role_that_may_not_switch_them(db):
    with connection.cursor() as cur:
        cur.execute("CREATE ROLE zugong_plain_test NOLOGIN")  # rolled back with the test
        cur.execute("SET LOCAL ROLE zugong_plain_test")
    assert bulkload.bulk_load_begin(TABLES) is False
    assert role() == "origin"
    with connection.cursor() as cur:  # the refused SET left the transaction usable
        cur.execute("RESET ROLE")


@pg_only
def test_it_keeps_the_triggers_of_a_table_that_has_its_own(db):
    with connection.cursor() as cur:
        cur.execute("CREATE FUNCTION zugong_test_noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$")
        cur.execute("CREATE TRIGGER zugong_test_noop BEFORE INSERT ON members_affiliation FOR EACH ROW EXECUTE FUNCTION zugong_test_noop()")
    assert bulkload.bulk_load_begin(TABLES) is False


@pg_only
def test_it_locks_the_rows_a_load_points_to_and_fails_for_a_missing_one(city):
    branch = city.orgs["jinan_branch"]
    lock = bulkload.LockReferenced([(PartyOrganization, "党支部"), (Person, "人员")])
    with connection.cursor() as cur:
        lock.run(cur, [{branch.pk}, set()])  # FOR KEY SHARE, as the foreign-key trigger's own query
        assert "FOR KEY SHARE" in lock.sql
        with pytest.raises(IntegrityError, match="党支部（id 987654）在导入过程中已被删除"):
            lock.run(cur, [{branch.pk, 987654}, set()])


@pg_only
def test_it_locks_each_row_once_per_load(city):
    branch, other = city.orgs["jinan_branch"], city.orgs["yuan_branch"]
    lock = bulkload.LockReferenced([(PartyOrganization, "党支部"), (Person, "人员")])
    with connection.cursor() as cur:
        sent = []
        execute = cur.execute
        cur.execute = lambda sql, params: (sent.append(params), execute(sql, params))[1]
        lock.run(cur, [{branch.pk}, set()])
        lock.run(cur, [{branch.pk}, set()])  # held until the transaction ends: nothing to send
        lock.run(cur, [{branch.pk, other.pk}, set()])
    assert sent == [[[branch.pk], []], [[other.pk], []]]


def test_links_between_rows_of_one_load_must_point_at_rows_it_wrote():
    bulkload.check_links("组织关系", [1, 2, 2], {1, 2, 3})
    with pytest.raises(IntegrityError, match="组织关系指向不存在的记录（id 4）"):
        bulkload.check_links("组织关系", [1, 4], {1, 2})


@pg_only
def test_an_import_loads_with_its_own_checks_and_leaves_the_triggers_on(city):
    from zugong.members.tests.test_import import person_row, run, xlsx

    job, _ = run(city, xlsx([person_row(n) for n in range(1, 6)]))
    assert job.status == "done" and job.created_count == 5
    assert role() == "origin"
    with connection.cursor() as cur:  # every reference of the loaded rows resolves
        cur.execute(
            "SELECT count(*) FROM members_partymember m JOIN core_person p ON p.id = m.person_id"
            " JOIN members_affiliation a ON a.member_id = m.id JOIN orgs_partyorganization o ON o.id = a.org_id"
        )
        assert cur.fetchone()[0] == 5


@pg_only
def test_an_import_without_the_switch_is_checked_by_the_triggers(city, monkeypatch):
    from zugong.members.tests.test_import import person_row, run, xlsx

    monkeypatch.setenv("ZUGONG_BULK_CHECKS", "off")
    job, _ = run(city, xlsx([person_row(n) for n in range(1, 6)]))
    assert job.status == "done" and job.created_count == 5 and PartyMember.objects.count() == 5
