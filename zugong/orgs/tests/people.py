"""Test people for the page and API tests: members and cadres in the test city (zugong.core.testing).

``populate(city)`` adds, on top of the ``city`` fixture:
- 金安区一村党支部 (jinan_branch): 张晓明 (男, 1980, 正式, 大学本科), 李红 (女, 1995, 预备, 高中);
- 金安区二村党支部 (jinan_branch2): 王刚 (男, 1960, 正式, 初中, 农牧渔民);
- 裕安区一村党支部 (yuan_branch): 赵强 (男, 1975, 正式);
- cadres: 张晓明 also 金安区 县管 cadre in the 金安区一镇 team; 孙丽 (女, 1988) 金安区一镇 cadre;
  钱明 裕安区一镇 cadre in the 裕安区一镇 team.
Returns a dict of Persons by name.
"""

from __future__ import annotations

import datetime as dt

from zugong.cadres.models import Appointment, Cadre, LeadershipTeam, Post
from zugong.core.models import Person
from zugong.core.services import PersonData, person_fields
from zugong.core.testing import test_id_number
from zugong.members.models import Affiliation, MemberStatus, PartyMember

D = dt.date


def make_person(name: str, n: int, *, birth: dt.date, female: bool = False, area: str = "341502",
                education: str = "20") -> Person:
    """A Person with a valid 身份证号 number ``n``."""
    number = test_id_number(n, birth=birth, female=female, area=area)
    return Person.objects.create(**person_fields(PersonData(name=name, id_number=number, education=education)))


def make_member(person: Person, org, *, joined: dt.date, status: str = MemberStatus.FULL,
                occupation: str = "04", history: tuple = ()) -> PartyMember:
    """A PartyMember in ``org`` with its open Affiliation; ``history`` = ((org, start, end), …) before it."""
    confirmed = joined.replace(year=joined.year + 1) if status == MemberStatus.FULL else None
    member = PartyMember.objects.create(person=person, org=org, status=status, joined_date=joined,
                                        confirmed_date=confirmed, occupation=occupation)
    start = joined
    for old_org, old_start, old_end in history:
        Affiliation.objects.create(member=member, org=old_org, start=old_start, end=old_end, reason="转入")
        start = old_end
    Affiliation.objects.create(member=member, org=org, start=start, document_no="金组转〔2020〕1号")
    return member


def make_cadre(person: Person, unit, team, *, title: str, level: str = "41", management: str = "county",
               start: dt.date = dt.date(2021, 6, 1)) -> Cadre:
    """A Cadre at ``unit`` holding a new Post ``title`` (in ``team``) since ``start``."""
    cadre = Cadre.objects.create(person=person, management_level=management, post_level=level, unit=unit)
    post = Post.objects.create(unit=unit, team=team, title=title, post_level=level)
    Appointment.objects.create(cadre=cadre, post=post, start=start, document_no="金组〔2021〕8号")
    return cadre


def populate(city) -> dict[str, Person]:
    """Add the members and cadres described in the module docstring; return Persons by name."""
    o, u = city.orgs, city.units
    p = {
        "张晓明": make_person("张晓明", 1, birth=D(1980, 5, 17), education="20"),
        "李红": make_person("李红", 2, birth=D(1995, 3, 2), female=True, education="60"),
        "王刚": make_person("王刚", 3, birth=D(1960, 1, 9), education="70"),
        "赵强": make_person("赵强", 4, birth=D(1975, 8, 30), area="341503"),
        "孙丽": make_person("孙丽", 5, birth=D(1988, 11, 11), female=True),
        "钱明": make_person("钱明", 6, birth=D(1970, 2, 14), area="341503"),
    }
    make_member(p["张晓明"], o["jinan_branch"], joined=D(2005, 7, 1), history=((o["jinan_branch2"], D(2005, 7, 1), D(2012, 3, 1)),))
    make_member(p["李红"], o["jinan_branch"], joined=D(2024, 6, 30), status=MemberStatus.PROBATIONARY, occupation="07")
    make_member(p["王刚"], o["jinan_branch2"], joined=D(1985, 7, 1), occupation="02")
    make_member(p["赵强"], o["yuan_branch"], joined=D(2000, 7, 1))
    jinan_team = LeadershipTeam.objects.create(unit=u["jinan_town"], name="金安区一镇领导班子", management_level="county")
    yuan_team = LeadershipTeam.objects.create(unit=u["yuan_town"], name="裕安区一镇领导班子", management_level="county")
    make_cadre(p["张晓明"], u["jinan_town"], jinan_team, title="党委书记")
    make_cadre(p["孙丽"], u["jinan_town"], jinan_team, title="副镇长", level="42")
    make_cadre(p["钱明"], u["yuan_town"], yuan_team, title="镇长")
    return p
