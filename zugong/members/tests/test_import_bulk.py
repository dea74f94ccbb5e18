"""Member roster import, bulk write path: several COPY chunks, persons already on file, worker failures."""

import datetime as dt

import pytest
from django.db import connection, transaction

from zugong.core.audit import Actor
from zugong.core.models import AuditEvent, Person
from zugong.core.scope import scope_for
from zugong.core.services import PersonData, person_upsert
from zugong.members import importer, services
from zugong.members.models import Affiliation, ImportJob, PartyMember
from zugong.members.tests.test_import import ident, media, person_row, run, xlsx  # noqa: F401 (media is an autouse fixture)


def test_it_writes_a_roster_spanning_several_chunks(city, monkeypatch):
    monkeypatch.setattr(importer, "COPY_CHUNK", 3)
    existing, _ = person_upsert(actor=Actor(user=city.users["city_admin"]), data=PersonData(name="张二1", id_number=ident(1)))
    job, _ = run(city, xlsx([person_row(n) for n in range(1, 11)]))
    assert job.status == "done" and job.created_count == 10
    assert Person.objects.count() == 10 and PartyMember.objects.count() == 10
    # the person already on file (e.g. a cadre) got the membership; no second person was created
    member = PartyMember.objects.get(person=existing)
    assert member.joined_date == dt.date(2005, 7, 1) and member.org == city.orgs["jinan_branch"]
    for m in PartyMember.objects.select_related("person"):
        assert [(a.org_id, a.start, a.end) for a in m.affiliations.all()] == [(city.orgs["jinan_branch"].pk, dt.date(2005, 7, 1), None)]
        assert m.person.stroke_key and m.person.name_initials.startswith("z")
    assert Affiliation.objects.count() == 10
    job, _ = run(city, xlsx([person_row(n) for n in range(1, 11)]))
    assert job.unchanged_count == 10 and PartyMember.objects.count() == 10


@pytest.mark.parametrize("chunk", [5000, 3, 2, 1])
def test_chunks_cover_the_roster_in_order_the_first_and_last_ones_smaller(chunk, monkeypatch):
    monkeypatch.setattr(importer, "COPY_CHUNK", chunk)
    for total in (0, 1, 2, 7, 10, 4999, 5000, 11999, 12000, 12001, 13001, 100000, 123457):
        bounds = importer.chunk_bounds(total)
        cuts = [0, *(e for _, e in bounds)]  # each chunk starts where the one before ended
        assert [s for s, _ in bounds] == cuts[:-1] and cuts[-1] == total
        assert all(0 < e - s <= chunk for s, e in bounds), (total, bounds)
    sizes = [e - s for s, e in importer.chunk_bounds(100000)]
    if chunk == 5000:  # the server starts after 1,000 rows are validated and has 1,000 left after the last
        assert sizes[:2] == [1000, 2500] and sizes[-2:] == [2500, 1000] and len(sizes) == 23


def test_it_writes_nothing_when_the_bulk_write_fails(city, monkeypatch):
    real = importer.new_rows

    def failing(recs, now, ids, name_keys=None):
        if any(r.person["name"] == "张五4" for r in recs):
            raise RuntimeError("boom")
        return real(recs, now, ids, name_keys)

    monkeypatch.setattr(importer, "COPY_CHUNK", 2)
    monkeypatch.setattr(importer, "new_rows", failing)
    with pytest.raises(RuntimeError, match="boom"):
        run(city, xlsx([person_row(n) for n in range(1, 8)]))
    assert not Person.objects.exists() and not PartyMember.objects.exists() and not Affiliation.objects.exists()
    assert not AuditEvent.objects.filter(action="members.import").exists()
    job = ImportJob.objects.get()  # recorded, not left 正在导入; it may be run again
    assert job.status == "validated" and job.message == "导入失败，已撤销，未写入任何数据：boom"


def test_a_deadlock_or_serialization_failure_is_a_conflict_and_other_database_errors_are_not():
    from django.db import DatabaseError, OperationalError

    def raised(cls, sqlstate):
        exc = cls("deadlock detected")
        exc.__cause__ = type("Cause", (Exception,), {"sqlstate": sqlstate})()
        return exc

    assert services._is_conflict(raised(OperationalError, "40P01")) and services._is_conflict(raised(OperationalError, "40001"))
    assert not services._is_conflict(raised(OperationalError, "57014"))  # statement timeout: not a conflict
    assert not services._is_conflict(raised(DatabaseError, "40P01"))


def test_a_person_written_by_another_import_meanwhile_rolls_back_with_a_chinese_message(city, monkeypatch):
    """The other import commits between this one's lookup of persons on file and its write: the
    unique blind index refuses the second copy (on PostgreSQL in the COPY worker's thread)."""
    run(city, xlsx([person_row(1)]))
    real = importer._lookup_query
    monkeypatch.setattr(importer, "_lookup_query", lambda: (real()[0], lambda keys: real()[1]([])))  # finds nobody
    monkeypatch.setattr(importer, "COPY_CHUNK", 2)
    with pytest.raises(services.ImportRefused, match="其他操作写入或删除了相关数据.*未写入任何数据"):
        run(city, xlsx([person_row(n) for n in (2, 3, 4, 1, 5)]))
    assert Person.objects.count() == PartyMember.objects.count() == Affiliation.objects.count() == 1
    job = ImportJob.objects.latest("id")
    assert job.status == "validated" and job.message.startswith("导入期间，其他操作写入或删除了相关数据")
    monkeypatch.undo()  # the next try validates again: person 1 is found and left as it is
    done = services.import_job_commit(job=job, actor=Actor(user=city.users["county_admin"]), scope=scope_for(city.users["county_admin"]),
                                      today=dt.date(2026, 11, 22))  # fmt: skip
    assert done.status == "done" and (done.created_count, done.unchanged_count) == (4, 1)


def test_it_rolls_back_chunks_already_written_when_a_later_row_is_bad(city, monkeypatch):
    from zugong.members import services
    from zugong.members.services import ImportRefused

    monkeypatch.setattr(importer, "COPY_CHUNK", 2)
    rows = [person_row(n) for n in range(1, 7)] + [person_row(7, 民族="火星族")]
    with pytest.raises(ImportRefused, match="有1行有误"):
        run(city, xlsx(rows))
    assert not Person.objects.exists() and not PartyMember.objects.exists() and not Affiliation.objects.exists()
    assert not AuditEvent.objects.filter(action="members.import").exists()
    assert not services._progress_note_path(ImportJob.objects.get()).exists()  # nor a progress note


def test_it_keeps_neither_copy_of_a_duplicate_person_when_importing_only_good_rows(city, monkeypatch):
    monkeypatch.setattr(importer, "COPY_CHUNK", 2)
    rows = [person_row(n) for n in range(1, 6)] + [person_row(1, 姓名="又一个")]
    job, _ = run(city, xlsx(rows), good_rows_only=True)
    assert job.status == "done" and job.created_count == 4 and job.error_rows == 2
    assert sorted(e[0] for e in job.errors) == [2, 7]
    assert not Person.objects.filter(name__in=["张一1", "又一个"]).exists()
    assert PartyMember.objects.count() == 4 == Affiliation.objects.count()


def test_it_copies_every_column_of_the_new_rows():
    """Every column without a database default is written (one with ``db_default``, e.g. the empty
    减少原因 of a new member, is left to the database)."""
    from django.db.models import NOT_PROVIDED

    from zugong.core.models import Person as P

    for model, columns in importer._NEW_ROW_TABLES:
        fields = model._meta.concrete_fields
        assert sorted(columns) == sorted(f.column for f in fields if f.db_default is NOT_PROVIDED), model
    assert importer._NEW_ROW_TABLES[0][0] is P


def test_it_refuses_a_duplicate_of_a_row_written_in_an_earlier_chunk(city, monkeypatch):
    from zugong.members.services import ImportRefused

    monkeypatch.setattr(importer, "COPY_CHUNK", 2)
    rows = [person_row(n) for n in range(1, 7)] + [person_row(1, 姓名="又一个")]  # row 8 repeats row 2
    with pytest.raises(ImportRefused, match="有2行有误"):
        run(city, xlsx(rows))
    assert not Person.objects.exists() and not PartyMember.objects.exists() and not Affiliation.objects.exists()
    errors = ImportJob.objects.latest("pk").errors  # the report names both rows
    assert [(e[0], e[3]) for e in errors] == [(2, "身份证号与第8行重复（同一人出现两次）"), (8, "身份证号与第2行重复（同一人出现两次）")]


def test_a_row_with_a_duplicate_in_a_later_chunk_lists_the_duplicate_first(city, monkeypatch):
    """Chunk by chunk (PostgreSQL) row 2 is validated before row 8 is seen; the report reads as in one pass (SQLite)."""
    from zugong.members.services import ImportRefused

    monkeypatch.setattr(importer, "COPY_CHUNK", 2)
    rows = [person_row(1, 民族="火星族")] + [person_row(n) for n in range(2, 7)] + [person_row(1, 姓名="又一个")]
    with pytest.raises(ImportRefused, match="有2行有误"):
        run(city, xlsx(rows))
    errors = ImportJob.objects.latest("pk").errors
    assert [(e[0], e[1]) for e in errors] == [(2, "身份证号"), (2, "民族"), (8, "身份证号")]


def test_it_finds_persons_on_file_in_every_chunk(city, monkeypatch):
    monkeypatch.setattr(importer, "COPY_CHUNK", 2)
    actor = Actor(user=city.users["city_admin"])
    on_file = [person_upsert(actor=actor, data=PersonData(name=f"张{'一二三四五六七八九十'[n % 10]}{n}", id_number=ident(n)))[0]
               for n in (3, 8, 9)]  # fmt: skip
    job, _ = run(city, xlsx([person_row(n) for n in range(1, 10)]))
    assert job.status == "done" and job.created_count == 9
    assert Person.objects.count() == 9 and PartyMember.objects.count() == 9 == Affiliation.objects.count()
    assert all(PartyMember.objects.filter(person=p).exists() for p in on_file)
    job, _ = run(city, xlsx([person_row(n) for n in range(1, 10)] + [person_row(10)]))  # the next import: all found
    assert (job.created_count, job.unchanged_count) == (1, 9)


def test_the_lookup_gives_one_row_per_person_on_file(city):
    """Keys repeated or unknown: one row for each person found, with member, affiliation and cadre columns."""
    actor = Actor(user=city.users["city_admin"])
    people = [person_upsert(actor=actor, data=PersonData(name=f"王{n}", id_number=ident(n)))[0] for n in (1, 2)]
    keys = [p.id_number_index for p in people]
    rows = importer._lookup_persons([*keys, *keys, "0" * 64])
    assert sorted(r[0] for r in rows) == sorted(keys)
    assert all(len(r) == len(importer._PERSON_COMPARE) + 14 and r[-11:] == (None,) * 11 for r in rows)  # no membership yet
    assert importer._lookup_persons([]) == []


def test_the_bulk_mode_of_the_interpreter_ends_with_the_import(city):
    import gc
    import sys

    before = sys.getswitchinterval()
    assert gc.isenabled()
    with importer.bulk_mode():
        with importer.bulk_mode():  # a second import at the same time
            assert not gc.isenabled() and sys.getswitchinterval() <= 0.0005
        assert not gc.isenabled()
    assert gc.isenabled() and sys.getswitchinterval() == before
    run(city, xlsx([person_row(1)]))
    assert gc.isenabled() and sys.getswitchinterval() == before


def test_it_validates_cells_of_every_type_by_type(city):
    """1, 1.0 and True are equal in Python; as cells they are different values (memo keys)."""
    from zugong.core.scope import scope_for
    from zugong.members.roster import MEMBER_COLUMNS, map_headers

    from .test_import import HEADERS

    p = importer.Prepared()
    v = importer._MemberValidator(map_headers(HEADERS, MEMBER_COLUMNS).index, scope_for(city.users["city_admin"]), dt.date(2026, 11, 22), p)
    rows = []
    for n, gender in ((2, 1), (3, 1.0), (4, True), (5, "男")):
        row = person_row(n)
        row["性别"] = gender
        rows.append((n, [row.get(h, "") for h in HEADERS]))
    got = v.rows(rows)
    assert [r.row for r in got] == [2, 3, 5]
    assert [(e[0], e[1], e[3]) for e in p.errors] == [(4, "性别", "未知的性别“True”（应为男或女）")]


def test_it_applies_the_18th_birthday_of_someone_born_on_29_february(city):
    from .test_import import error_for

    birth = dt.date(1988, 2, 29)  # 18 on 1 March 2006 (周岁 counts from the birthday; 2006 has no 29 February)
    bad = error_for(city, birth=birth, 出生年月="1988.02", 入党时间="2006.02.28", 转正时间="2007.03.01")
    assert bad and bad[0][0] == "入党时间" and "未满18周岁" in bad[0][1]
    assert error_for(city, birth=birth, 出生年月="1988.02", 入党时间="2006.03.01", 转正时间="2007.03.01") == []


def test_it_reports_an_unknown_gender_on_a_row_whose_id_number_is_wrong(city):
    """A bad 身份证号 gives no gender to compare with; the 性别 cell is still checked on its own."""
    wrong = ident(3)[:-1] + ("0" if ident(3)[-1] != "0" else "1")  # checksum wrong
    rows = [person_row(1), person_row(2, 身份证号="", 性别="未知"), person_row(3, 身份证号=wrong, 性别="M")]
    _, prepared = run(city, xlsx(rows), commit=False)
    assert [(e[0], e[1]) for e in prepared.errors] == [(3, "身份证号"), (3, "性别"), (4, "身份证号"), (4, "性别")]
    assert prepared.errors[1][3] == "未知的性别“未知”（应为男或女）"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY worker is PostgreSQL's")
def test_a_copy_worker_that_breaks_down_keeps_no_caller_waiting(db, monkeypatch):
    """Whatever fails on the worker thread, calls get the exception, a full queue keeps moving, close() raises it."""
    def broken(self, cur, item):
        raise RuntimeError("connection lost")

    monkeypatch.setattr(importer.CopyWorker, "_run", broken)
    with transaction.atomic():
        worker = importer.CopyWorker(importer._NEW_ROW_TABLES, depth=2)
        futures = [worker.call(lambda cur: 1) for _ in range(6)]  # more than the queue holds
        for future in futures:
            with pytest.raises(RuntimeError, match="connection lost"):
                future.result(timeout=10)
        with pytest.raises(RuntimeError, match="connection lost"):
            worker.close()


def test_the_page_sees_the_progress_of_a_commit_while_its_transaction_runs(city, monkeypatch):
    from zugong.members import services
    from zugong.members.tests.progress import watch_commit_progress

    monkeypatch.setattr(importer, "COPY_CHUNK", 2)
    seen = watch_commit_progress(monkeypatch)
    job, _ = run(city, xlsx([person_row(n) for n in range(1, 6)]))
    assert job.status == "done" and job.created_count == 5
    reading = "正在校验并写入数据库…"
    assert seen == [("importing", 2, 5, reading), ("importing", 4, 5, reading), ("importing", 5, 5, "已全部校验，正在保存更改并提交…")]
    assert services.import_job_live(job).progress_done == 5  # done: the row's own figures
    assert not services._progress_note_path(job).exists()  # the note is gone
