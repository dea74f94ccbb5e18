"""The cadre's record page (résumé lines, sections, print CSS) and the team roster export (issue 4 §5)."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zugong.cadres.models import Appointment, Cadre, CadreRank, LeadershipTeam, Post
from zugong.cadres.selectors_record import resume_lines
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
        "2019.06--     （四级主任科员）",
    ]


def test_it_shows_a_printable_record_page(city, login, people):
    cadre = Cadre.objects.get(person=people["张晓明"])
    text = login(city.users["county_admin"]).get(reverse("cadres:record", args=[cadre.id])).content.decode()
    for part in ("照片", "简历", "2021.06--", "职务", "职级", "年度考核", "考核依据", "后备干部", "能上能下调整", "record.css", "window.print()"):
        assert part in text


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
