"""The cadre's record page (résumé lines, sections, print CSS) and the team roster export (issue 4 §5)."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zugong.cadres.models import Appointment, Cadre, CadreRank, LeadershipTeam, Post
from zugong.cadres.selectors_record import post_name, post_title_candidates, resume_lines
from zugong.core.models import AuditEvent
from zugong.orgs.tests.people import populate

D = dt.date


@pytest.fixture
def people(city):
    return populate(city)


def test_it_generates_the_resume_from_dated_facts(city, people):
    cadre = Cadre.objects.get(person=people["孙丽"])
    first = Appointment.objects.get(cadre=cadre)
    Appointment.objects.filter(pk=first.pk).update(start=D(2010, 7, 1), end=D(2015, 9, 1))
    post = Post.objects.create(unit=city.units["jinan_town"], title="党委委员、副镇长", post_level="42")
    Appointment.objects.create(cadre=cadre, post=post, start=D(2015, 9, 1))
    conc = Post.objects.create(unit=city.units["jinan_town"], title="武装部部长", post_level="42")
    Appointment.objects.create(cadre=cadre, post=conc, start=D(2018, 1, 1), is_concurrent=True)
    CadreRank.objects.create(cadre=cadre, rank="10", start=D(2019, 6, 1))
    lines = [str(x) for x in resume_lines(cadre)]
    assert lines == [
        "2010.07--2015.09 金安区一镇副镇长",
        "2015.09--     金安区一镇党委委员、副镇长（兼任金安区一镇武装部部长）",
        "2019.06--     金安区一镇四级主任科员",
    ]


def test_it_shows_a_printable_record_page(city, login, people):
    cadre = Cadre.objects.get(person=people["张晓明"])
    text = login(city.users["county_admin"]).get(reverse("cadres:record", args=[cadre.id])).content.decode()
    for part in ("照片", "简历", "2021.06--", "职务", "职级", "年度考核", "考核依据", "后备干部", "能上能下调整", "record.css", "window.print()"):
        assert part in text


def test_the_record_page_shows_native_place_party_date_and_work_start_as_the_form_prints_them(city, login, people):
    cadre = Cadre.objects.get(person=people["张晓明"])
    person = cadre.person
    person.work_start_date, person.native_place = D(2002, 7, 1), "341502"
    person.save(update_fields=["work_start_date", "native_place"])
    text = login(city.users["county_admin"]).get(reverse("cadres:record", args=[cadre.id])).content.decode()
    assert '<td id="native-place">安徽六安</td>' in text  # 341502 金安区, written by its city
    assert '<td id="party-date">2005.07</td>' in text
    assert "<th>参加工作时间</th><td>2002.07</td>" in text


def test_it_exports_team_rosters_in_post_order_or_by_surname_strokes(city, login, people):
    c = login(city.users["county_admin"])
    r = c.get(reverse("cadres:team_export"), {"on": "2026-06-01"})
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "领导班子成员名册（截至2026年6月1日）"
    assert rows[1][:3] == ("序号", "姓名", "性别")
    assert [(row[1], row[9]) for row in rows[2:]] == [("张晓明", "党委书记"), ("孙丽", "副镇长")]  # the team page's order
    r = c.get(reverse("cadres:team_export"), {"on": "2026-06-01", "sort": "stroke"})
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert [row[1] for row in rows[2:]] == ["孙丽", "张晓明"]  # 孙 (6 strokes) before 张 (7)
    assert AuditEvent.objects.filter(action="cadres.team_roster_export").count() == 2
    team = LeadershipTeam.objects.get(name="裕安区一镇领导班子")
    assert c.get(reverse("cadres:team_export"), {"team": team.id}).status_code == 404
    assert login(city.users["outsider"]).get(reverse("cadres:team_export")).status_code == 403
    n = login(city.users["neighbour_admin"])
    rows = list(load_workbook(io.BytesIO(n.get(reverse("cadres:team_export")).content)).active.iter_rows(values_only=True))
    assert [row[1] for row in rows[2:]] == ["钱明"]


#: (unit, title, as written): every shape of unit name and title the demo city holds where the unit's
#: last character begins the title (SELECT … FROM cadres_post JOIN orgs_unit …), and the kinds around them.
POST_NAMES = [
    # 区 / 县 / 市 organs by the place's short form: the suffix once
    ("金安区", "区委书记", "金安区委书记"),
    ("金安区", "区委副书记", "金安区委副书记"),
    ("金安区", "区委常委、常务副区长", "金安区委常委、常务副区长"),
    ("金安区", "区委常委、纪委书记、监委主任", "金安区委常委、纪委书记、监委主任"),
    ("金安区", "区委常委、人武部政委", "金安区委常委、人武部政委"),
    ("金安区", "区人大常委会主任", "金安区人大常委会主任"),
    ("金安区", "区人大常委会副主任", "金安区人大常委会副主任"),
    ("金安区", "区政协主席", "金安区政协主席"),
    ("金安区", "区政协副主席", "金安区政协副主席"),
    ("金安区", "区政府党组成员", "金安区政府党组成员"),
    ("霍邱县", "县委书记", "霍邱县委书记"),
    ("霍邱县", "县委常委、副县长", "霍邱县委常委、副县长"),
    ("霍邱县", "县人大常委会主任", "霍邱县人大常委会主任"),
    ("霍邱县", "县政协副主席", "霍邱县政协副主席"),
    ("霍邱县", "县政府党组成员", "霍邱县政府党组成员"),
    ("六安市", "市委副书记", "六安市委副书记"),
    ("金安区", "区纪委副书记", "金安区纪委副书记"),
    ("金安区", "区人民法院院长", "金安区人民法院院长"),
    # the head of government keeps the suffix, as every 局长 / 镇长 / 乡长 / 院长 / 校长
    ("金安区", "区长", "金安区区长"),
    ("霍邱县", "县长", "霍邱县县长"),
    ("金安区", "副区长", "金安区副区长"),
    ("霍邱县", "副县长", "霍邱县副县长"),
    ("毛坦厂镇", "镇长", "毛坦厂镇镇长"),
    ("花石乡", "乡长", "花石乡乡长"),
    ("金安区财政局", "局长", "金安区财政局局长"),
    ("六安市人民医院", "院长", "六安市人民医院院长"),
    ("六安市金安中学", "校长", "六安市金安中学校长"),
    # titles without the place: as they are
    ("毛坦厂镇", "党委书记", "毛坦厂镇党委书记"),
    ("毛坦厂镇", "人大主席", "毛坦厂镇人大主席"),
    ("三里桥街道", "办事处主任", "三里桥街道办事处主任"),
    ("三里桥街道", "党工委书记", "三里桥街道党工委书记"),
    ("金安区委组织部", "常务副部长", "金安区委组织部常务副部长"),
    ("金安区委政法委员会", "常务副书记", "金安区委政法委员会常务副书记"),
    ("六安经济技术开发区", "管委会主任", "六安经济技术开发区管委会主任"),
    ("金安区", "", "金安区"),
]


@pytest.mark.parametrize(("unit", "title", "written"), POST_NAMES)
def test_a_post_is_written_without_the_place_twice(unit, title, written):
    assert post_name(unit, title) == written
    assert title in post_title_candidates(unit, written[len(unit):])  # and read back (the import picks among them)


def test_reading_a_post_back_puts_the_suffix_before_a_committee_first():
    assert post_title_candidates("金安区", "委书记") == ["区委书记", "委书记"]
    assert post_title_candidates("金安区", "政协副主席") == ["政协副主席", "区政协副主席"]
    # a 社区 or 开发区 is no place with organs: its 委员 is not a 区委员 (found by review)
    assert post_title_candidates("三里桥社区", "委员") == ["委员"]
    assert post_title_candidates("六安经济技术开发区", "委员会主任") == ["委员会主任"]
    assert post_name("三里桥社区", "区委员") == "三里桥社区区委员" and post_title_candidates("浦东新区", "委书记")[0] == "区委书记"
    assert post_title_candidates("金安区", "区委书记") == ["区委书记"]  # the doubled wording of older files
    assert post_title_candidates("毛坦厂镇", "党委书记") == ["党委书记"]


def test_the_record_page_writes_a_county_post_once_in_the_resume(city, login, people):
    cadre = Cadre.objects.get(person=people["张晓明"])
    Appointment.objects.filter(cadre=cadre, end__isnull=True).update(end=D(2023, 1, 1))
    Appointment.objects.create(cadre=cadre, post=Post.objects.create(unit=city.units["jinan"], title="区委书记", post_level="31"),
                               start=D(2023, 1, 1))  # fmt: skip
    assert str(resume_lines(cadre)[-1]) == "2023.01--     金安区委书记"
    text = login(city.users["county_admin"]).get(reverse("cadres:record", args=[cadre.id])).content.decode()
    assert "金安区委书记" in text and "金安区区委书记" not in text


def test_a_post_is_written_as_documents_write_it_wherever_it_is_shown(city):
    """Post.written_name: the 任免 audit summaries, the 能上能下 case page and the picker use it."""
    post = Post(unit=city.units["jinan"], title="区委书记")
    assert city.units["jinan"].name == "金安区" and post.written_name == "金安区委书记"
    assert Post(unit=city.units["jinan_town"], title="镇长").written_name == "金安区一镇镇长"
