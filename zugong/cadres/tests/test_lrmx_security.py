"""The .lrmx import after review: XML tricks refused in any encoding, people of another county left
alone, résumé lines held to the career rules (职数, one running rank)."""

import datetime as dt

import pytest

from zugong.cadres import lrmx
from zugong.cadres.models import Cadre, CadreRank
from zugong.cadres.services.lrmx_import import LrmxDefaults, lrmx_import
from zugong.core.audit import Actor
from zugong.core.models import Person
from zugong.core.scope import scope_for
from zugong.core.testing import test_id_number
from zugong.orgs.tests.people import make_member, make_person, populate

D = dt.date


def _import(city, user, *files, defaults=None):
    scope = scope_for(city.users[user])
    return lrmx_import(actor=Actor(user=city.users[user]), scope=scope, files=list(files), defaults=defaults, today=D(2026, 6, 1))


def test_it_refuses_entities_hidden_behind_an_encoding_expat_does_not_read():
    utf7 = (b'<?xml version="1.0" encoding="utf-7"?>+ADw-!DOCTYPE Person +AFs-+ADw-!ENTITY a "xxxxxxxx"+AD4-+AF0-+AD4-'
            b"<Person><XingMing>&a;</XingMing></Person>")
    with pytest.raises(lrmx.LrmxError, match="编码无法识别|DTD"):
        lrmx.parse_lrmx(utf7)
    plain = b'<?xml version="1.0"?><!DOCTYPE Person [<!ENTITY a "x">]><Person><XingMing>&a;</XingMing></Person>'
    with pytest.raises(lrmx.LrmxError, match="DTD"):
        lrmx.parse_lrmx(plain)


def test_it_leaves_a_member_of_the_neighbouring_county_alone(city):
    populate(city)
    li = make_person("李红", 77, birth=D(1985, 3, 2), female=True)
    make_member(li, city.orgs["jinan_branch"], joined=D(2010, 7, 1))
    data = lrmx.lrmx_bytes(lrmx.ApprovalForm(name="李红改", gender="女", birth="1985.03", age=None, age_on=D(2026, 6, 1),
                                             id_number=test_id_number(77, birth=D(1985, 3, 2), female=True)))
    defaults = LrmxDefaults(unit=city.units["yuan_town"], post_level="50", management_level="county")
    result = _import(city, "neighbour_admin", ("li.lrmx", data), defaults=defaults)
    assert [(e.field, e.message) for e in result.errors] == [("身份证号", "该身份证号的人员不在您的管理范围内")]
    assert Person.objects.get(pk=li.pk).name == "李红" and not Cadre.objects.filter(person=li).exists()


def test_it_ends_the_running_rank_when_the_resume_adds_a_later_one(city):
    people = populate(city)
    cadre = Cadre.objects.get(person=people["孙丽"])
    CadreRank.objects.create(cadre=cadre, rank="09", start=D(2019, 1, 1))
    n, birth = 5, D(1988, 11, 11)  # 孙丽's number in populate()
    data = lrmx.lrmx_bytes(lrmx.ApprovalForm(name="孙丽", gender="女", birth="1988.11", age=None, age_on=D(2026, 6, 1),
                                             id_number=test_id_number(n, birth=birth, female=True),
                                             resume=["2023.01--         （二级主任科员）"]))
    result = _import(city, "county_admin", ("sun.lrmx", data))
    assert result.errors == []
    running = CadreRank.objects.filter(cadre=cadre, end__isnull=True)
    assert [r.rank for r in running] == ["08"]
    assert CadreRank.objects.get(cadre=cadre, rank="09").end == D(2023, 1, 1)


def test_it_holds_a_current_post_from_the_resume_to_the_post_quota_and_writes_nothing(city):
    from zugong.cadres.models import Appointment, LeadershipTeam, PostQuota

    people = populate(city)
    cadre = Cadre.objects.get(person=people["孙丽"])
    team = LeadershipTeam.objects.get(name="金安区一镇领导班子")
    PostQuota.objects.create(team=team, kind="chief", number=1)  # held by 张晓明, the 党委书记
    before = list(Appointment.objects.filter(cadre=cadre).values_list("post__title", "start", "end"))
    data = lrmx.lrmx_bytes(lrmx.ApprovalForm(name="孙丽", gender="女", birth="1988.11", age=None, age_on=D(2026, 6, 1),
                                             id_number=test_id_number(5, birth=D(1988, 11, 11), female=True),
                                             resume=["2026.03--         金安区一镇党委书记"]))
    result = _import(city, "county_admin", ("sun.lrmx", data))
    assert len(result.errors) == 1 and result.errors[0].field == "简历" and "不能登记为现任职务" in result.errors[0].message
    assert "职数" in result.errors[0].message, result.errors[0].message
    assert list(Appointment.objects.filter(cadre=cadre).values_list("post__title", "start", "end")) == before


def _form(n=81, **over):
    form = lrmx.ApprovalForm(name="周限", gender="女", birth="1985.03", age=None, age_on=D(2026, 6, 1),
                             id_number=test_id_number(n, birth=D(1985, 3, 2), female=True))
    for k, v in over.items():
        setattr(form, k, v)
    return lrmx.lrmx_bytes(form)


def test_it_refuses_more_files_than_the_limit_before_parsing_any(city, monkeypatch):
    from zugong.cadres.services import lrmx_import as svc

    parsed = []
    monkeypatch.setattr(svc, "MAX_FILES", 2)
    monkeypatch.setattr(lrmx, "parse_lrmx", lambda data: parsed.append(data) or {})
    result = _import(city, "county_admin", *[(f"{i}.lrmx", b"<Person/>") for i in range(3)])
    assert [str(e) for e in result.errors] == ["本次导入：文件：共3个文件，一次最多导入2个，请分批导入"]
    assert parsed == [] and not result.written


def test_it_refuses_an_overlong_family_list_or_resume_with_one_message_each(city):
    populate(city)
    family = [lrmx.FamilyMember(relation="外星人", name=f"某{i}") for i in range(31)]  # every row also bad
    resume = ["2007.07--2016.01  金安区一镇党政办科员"] + ["接上行"] * 300
    result = _import(city, "county_admin", ("多.lrmx", _form(family=family, resume=resume)),
                     defaults=LrmxDefaults(unit=city.units["jinan_town"], post_level="42", management_level="county"))
    assert [(e.field, e.message) for e in result.errors] == [
        ("家庭主要成员及重要社会关系", "家庭成员31人，超过30人"),
        ("简历", "简历共301行，超过300行，不是任免审批表的简历"),
    ]
    assert not Person.objects.filter(name="周限").exists()
