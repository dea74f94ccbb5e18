"""Team structure as of a date, young-cadre thresholds as data, the 缺配年轻干部 list (issue 4 §1)."""

import datetime as dt

import pytest
from django.urls import reverse

from zugong.cadres import selectors
from zugong.cadres.models import Appointment, Cadre, LeadershipTeam, Post, PostQuota
from zugong.cadres.services import career
from zugong.core.audit import Actor
from zugong.core.models import AuditEvent
from zugong.core.scope import scope_for
from zugong.orgs.tests.people import populate

D = dt.date
ON = D(2026, 6, 1)  # 张晓明 (1980-05-17, 党委书记 41) is 46; 孙丽 (1988-11-11, 副镇长 42, 女) is 37


@pytest.fixture
def people(city):
    return populate(city)


def scope(city, name="county_admin"):
    return scope_for(city.users[name])


def test_it_counts_young_cadres_by_the_threshold_of_the_post_level(city, people):
    team = selectors.team_structure(scope(city), ON).get()
    assert (team.size, team.young, team.women, team.non_party) == (2, 0, 1, 0)  # 孙丽 37 > 35 (乡科级副职)
    a = Actor(city.users["city_admin"])
    career.young_threshold_set(actor=a, scope=scope(city, "city_admin"), post_level="42", max_age=37)
    assert selectors.team_structure(scope(city), ON).get().young == 1  # 37 ≤ 37: boundary counts
    assert selectors.team_structure(scope(city), D(2026, 11, 11)).get().young == 0  # 38 on her birthday
    assert selectors.team_structure(scope(city), D(2026, 11, 10)).get().young == 1
    event = AuditEvent.objects.get(action="cadres.young_threshold_set")
    assert event.before == {"max_age": 35} and event.after == {"max_age": 37}


def test_it_computes_structure_as_of_any_date(city, people):
    Appointment.objects.filter(cadre__person=people["孙丽"]).update(end=D(2025, 1, 1))
    s = scope(city)
    assert selectors.team_structure(s, D(2024, 12, 31)).get().size == 2
    team = selectors.team_structure(s, D(2025, 1, 1)).get()
    assert (team.size, team.women) == (1, 0)
    assert selectors.team_structure(s, D(2021, 5, 31)).get().size == 0  # before the appointments
    assert team.band_3 == 0 and sum(getattr(team, f"band_{i}") for i in range(7)) == 1


def test_it_averages_each_team_member_once(city, people):
    """张晓明 (46) also holds a second post of his team and one of 金安区委领导班子: one member of each."""
    team = LeadershipTeam.objects.get(name="金安区一镇领导班子")
    other = LeadershipTeam.objects.create(unit=city.units["jinan"], name="金安区委领导班子", management_level="city")
    zhang, sun = (Cadre.objects.get(person=people[n]) for n in ("张晓明", "孙丽"))
    for t, title in ((team, "人大主席团主席"), (other, "区委委员")):
        post = Post.objects.create(unit=t.unit, team=t, title=title, post_level="42")
        Appointment.objects.create(cadre=zhang, post=post, start=D(2022, 1, 1), is_concurrent=True)
    # 孙丽 (37): her first post ended; two later posts of the team still run on ON
    Appointment.objects.filter(cadre=sun).update(end=D(2023, 1, 1))
    for title in ("副镇长", "党委委员"):
        post = Post.objects.create(unit=team.unit, team=team, title=title, post_level="42")
        Appointment.objects.create(cadre=sun, post=post, start=D(2023, 1, 1))
    rows = {t.name: t for t in selectors.team_structure(scope(city), ON)}
    assert (rows["金安区一镇领导班子"].size, rows["金安区一镇领导班子"].avg_age) == (2, pytest.approx((46 + 37) / 2))
    assert (rows["金安区委领导班子"].size, rows["金安区委领导班子"].avg_age) == (1, pytest.approx(46))
    assert selectors.team_structure(scope(city), D(2022, 6, 1)).get(pk=team.pk).avg_age == pytest.approx((42 + 33) / 2)


def test_it_totals_the_subtree_counting_each_cadre_once(city, people):
    team = LeadershipTeam.objects.get(name="金安区一镇领导班子")
    other = LeadershipTeam.objects.create(unit=city.units["jinan"], name="金安区委领导班子", management_level="city")
    post = Post.objects.create(unit=city.units["jinan"], team=other, title="区委委员", post_level="32")
    Appointment.objects.create(cadre=Cadre.objects.get(person=people["孙丽"]), post=post, start=D(2022, 1, 1), is_concurrent=True)
    totals = selectors.structure_totals(scope(city), ON)
    assert totals["size"] == 2 and totals["women"] == 1 and totals["young"] == 1  # 37 ≤ 40 for 县处级副职
    assert dict(totals["bands"])["36至40岁"] == 1 and dict(totals["bands"])["46至50岁"] == 1
    assert selectors.structure_totals(scope(city), ON, unit_path=team.unit.path)["young"] == 0
    assert selectors.structure_totals(scope(city, "neighbour_admin"), ON)["size"] == 1


def test_it_lists_teams_missing_a_young_cadre_a_woman_or_a_holder(city, people):
    team = LeadershipTeam.objects.get(name="金安区一镇领导班子")
    gaps = {t.name: selectors.gap_reasons(t) for t in selectors.teams_with_gaps(scope(city, "city_admin"), ON)}
    assert gaps == {"金安区一镇领导班子": ["缺年轻干部"], "裕安区一镇领导班子": ["缺年轻干部", "缺女干部"]}
    PostQuota.objects.create(team=team, kind="deputy", number=2)
    Post.objects.create(unit=team.unit, team=team, title="纪委书记", post_level="42")
    row = selectors.teams_with_gaps(scope(city), ON).get()
    assert selectors.gap_reasons(row) == ["缺年轻干部", "副职缺1名", "1个职务空缺"]


def test_it_shows_the_structure_pages_to_the_right_people(city, login, people):
    team = LeadershipTeam.objects.get(name="金安区一镇领导班子")
    c = login(city.users["county_admin"])
    r = c.get(reverse("cadres:teams"), {"on": "2026-06-01"})
    text = r.content.decode()
    assert "36至40岁" in text and "缺年轻干部" in text and "金安区一镇领导班子" in text and "裕安区" not in text
    assert c.get(reverse("cadres:teams"), {"on": "junk"}).status_code == 404
    assert "缺年轻干部" in c.get(reverse("cadres:gaps"), {"on": "2026-06-01"}).content.decode()
    assert c.get(reverse("cadres:thresholds")).status_code == 200
    assert c.post(reverse("cadres:thresholds"), {"post_level": "42", "max_age": 40}).status_code == 403
    admin = login(city.users["city_admin"])
    admin.post(reverse("cadres:thresholds"), {"post_level": "42", "max_age": 40})
    assert selectors.young_thresholds()["42"] == 40
    n = login(city.users["neighbour_admin"])
    assert n.get(reverse("cadres:teams"), {"unit": city.units["jinan"].id}).status_code == 404
    assert n.get(reverse("cadres:gaps"), {"unit": city.units["jinan"].id}).status_code == 404
    assert n.get(reverse("cadres:team", args=[team.id])).status_code == 404
    o = login(city.users["outsider"])
    for url in (reverse("cadres:teams"), reverse("cadres:gaps"), reverse("cadres:thresholds"), reverse("cadres:team", args=[team.id])):
        assert o.get(url).status_code == 403


def test_the_teams_page_pages_its_teams_and_keeps_the_totals_of_all(city, login, people, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 1)
    c = login(city.users["city_admin"])
    first = c.get(reverse("cadres:teams"), {"on": "2026-06-01"}).content.decode()
    second = c.get(reverse("cadres:teams"), {"on": "2026-06-01", "page": 2}).content.decode()
    assert "第 1 / 2 页" in first and "page=2" in first and "on=2026-06-01" in first
    assert "共 2 个领导班子" in first and "共 2 个领导班子" in second  # all of them, not the page's
    assert ("金安区一镇领导班子" in first) != ("金安区一镇领导班子" in second)
    assert ("裕安区一镇领导班子" in first) != ("裕安区一镇领导班子" in second)
    total = first[first.index("班子成员合计") :][:200]
    assert total == second[second.index("班子成员合计") :][:200]  # the subtree's totals on every page
