"""Member roster import, bulk write path: several COPY chunks, persons already on file, worker failures."""

import datetime as dt

import pytest

from zugong.core.audit import Actor
from zugong.core.models import AuditEvent, Person
from zugong.core.services import PersonData, person_upsert
from zugong.members import importer
from zugong.members.models import Affiliation, PartyMember
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


def test_it_writes_nothing_when_the_bulk_write_fails(city, monkeypatch):
    real = importer.new_rows

    def failing(recs, now):
        if any(r.person["name"] == "张五4" for r in recs):
            raise RuntimeError("boom")
        return real(recs, now)

    monkeypatch.setattr(importer, "COPY_CHUNK", 2)
    monkeypatch.setattr(importer, "new_rows", failing)
    with pytest.raises(RuntimeError, match="boom"):
        run(city, xlsx([person_row(n) for n in range(1, 8)]))
    assert not Person.objects.exists() and not PartyMember.objects.exists() and not Affiliation.objects.exists()
    assert not AuditEvent.objects.filter(action="members.import").exists()


def test_it_rolls_back_chunks_already_written_when_a_later_row_is_bad(city, monkeypatch):
    from zugong.members.services import ImportRefused

    monkeypatch.setattr(importer, "COPY_CHUNK", 2)
    rows = [person_row(n) for n in range(1, 7)] + [person_row(7, 民族="火星族")]
    with pytest.raises(ImportRefused, match="有1行有误"):
        run(city, xlsx(rows))
    assert not Person.objects.exists() and not PartyMember.objects.exists() and not Affiliation.objects.exists()
    assert not AuditEvent.objects.filter(action="members.import").exists()


def test_it_keeps_neither_copy_of_a_duplicate_person_when_importing_only_good_rows(city, monkeypatch):
    monkeypatch.setattr(importer, "COPY_CHUNK", 2)
    rows = [person_row(n) for n in range(1, 6)] + [person_row(1, 姓名="又一个")]
    job, _ = run(city, xlsx(rows), good_rows_only=True)
    assert job.status == "done" and job.created_count == 4 and job.error_rows == 2
    assert sorted(e[0] for e in job.errors) == [2, 7]
    assert not Person.objects.filter(name__in=["张一1", "又一个"]).exists()
    assert PartyMember.objects.count() == 4 == Affiliation.objects.count()


def test_it_copies_every_column_of_the_new_rows():
    from zugong.core.models import Person as P

    for model, columns in importer._NEW_ROW_TABLES:
        assert sorted(columns) == sorted(f.column for f in model._meta.concrete_fields), model
    assert importer._NEW_ROW_TABLES[0][0] is P
