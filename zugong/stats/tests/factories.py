"""Hand-built members and cadres for the statistics tests (direct ORM writes; tests only)."""

from __future__ import annotations

import datetime as dt
import itertools

from zugong.cadres.models import Appointment, Cadre, LeadershipTeam, Post
from zugong.core.models import Person
from zugong.core.rules import make_id_number
from zugong.core.services import PersonData, person_fields
from zugong.members.models import Affiliation, PartyMember

_seq = itertools.count(1)


def person(*, birth: dt.date, female: bool = False, ethnicity: str = "01", education: str = "20") -> Person:
    """A Person born on ``birth`` with a valid, unique 身份证号."""
    n = next(_seq)
    seq = (2 * n + (0 if female else 1)) % 1000
    number = make_id_number(f"3415{n // 500 % 100:02d}", birth, seq)
    fields = person_fields(PersonData(name=f"测试{n}", id_number=number, ethnicity=ethnicity, education=education))
    return Person.objects.create(**fields)


def member(
    org,
    *,
    birth: dt.date = dt.date(1980, 5, 17),
    joined: dt.date = dt.date(2010, 7, 1),
    confirmed: dt.date | None = None,
    start: dt.date | None = None,
    female: bool = False,
    ethnicity: str = "01",
    education: str = "20",
    occupation: str = "02",
    left: dt.date | None = None,
) -> PartyMember:
    """A member of branch ``org`` since ``start`` (default: joining date); full unless confirmed is None
    and joined less than a year ago is wanted — pass ``confirmed`` explicitly for probationary tests."""
    p = person(birth=birth, female=female, ethnicity=ethnicity, education=education)
    if confirmed is None:
        confirmed = joined.replace(year=joined.year + 1)
    m = PartyMember.objects.create(
        person=p, org=org, status="full", joined_date=joined, confirmed_date=confirmed,
        occupation=occupation, left_date=left, left_reason="death" if left else "",
    )
    Affiliation.objects.create(member=m, org=org, start=start or joined)
    return m


def probationary(org, *, joined: dt.date, **kw) -> PartyMember:
    """A probationary member (not confirmed)."""
    p = person(birth=kw.pop("birth", dt.date(1995, 1, 1)))
    m = PartyMember.objects.create(person=p, org=org, status="probationary", joined_date=joined, occupation="07")
    Affiliation.objects.create(member=m, org=org, start=joined)
    return m


def transfer(m: PartyMember, to_org, *, on: dt.date) -> None:
    """Close the open affiliation of ``m`` on ``on`` and open one in ``to_org``."""
    Affiliation.objects.filter(member=m, end__isnull=True).update(end=on)
    Affiliation.objects.create(member=m, org=to_org, start=on)
    PartyMember.objects.filter(pk=m.pk).update(org=to_org)


def team(unit, name: str | None = None, level: str = "city") -> LeadershipTeam:
    return LeadershipTeam.objects.create(unit=unit, name=name or f"{unit.name}领导班子", management_level=level)


def cadre(
    unit,
    *,
    birth: dt.date,
    level: str = "city",
    team: LeadershipTeam | None = None,
    start: dt.date = dt.date(2020, 1, 1),
    end: dt.date | None = None,
    title: str = "副书记",
) -> Cadre:
    """A cadre holding one post in ``unit`` (seat of ``team`` if given) from ``start`` to ``end``."""
    p = person(birth=birth)
    c = Cadre.objects.create(person=p, management_level=level, post_level="31", unit=unit)
    post = Post.objects.create(unit=unit, team=team, title=title, post_level="31")
    Appointment.objects.create(cadre=c, post=post, start=start, end=end, document_no="六组〔2020〕1号")
    return c
