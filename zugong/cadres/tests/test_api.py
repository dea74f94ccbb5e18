"""/api/cadres and /api/cadres/teams, scoped like the pages."""

import datetime as dt

import pytest

from zugong.core.rules import age_on
from zugong.orgs.tests.people import populate


@pytest.fixture
def people(city):
    return populate(city)


def test_it_refuses_anonymous_and_outsider(client, city, login):
    assert client.get("/api/cadres/").status_code == 401
    assert client.get("/api/cadres/teams").status_code == 401
    c = login(city.users["outsider"])
    assert c.get("/api/cadres/").status_code == 403
    assert c.get("/api/cadres/teams").status_code == 403


def test_it_hides_the_neighbouring_county(city, login, people):
    c = login(city.users["neighbour_admin"])
    assert [r["name"] for r in c.get("/api/cadres/").json()["items"]] == ["钱明"]
    assert c.get(f"/api/cadres/?unit={city.units['jinan'].id}").status_code == 404
    assert [t["name"] for t in c.get("/api/cadres/teams").json()] == ["裕安区一镇领导班子"]


def test_it_lists_cadres_with_posts_for_the_county_admin(city, login, people):
    data = login(city.users["county_admin"]).get("/api/cadres/").json()
    assert data["count"] == 2
    row = next(r for r in data["items"] if r["name"] == "张晓明")
    assert row["posts"] == ["党委书记"] and row["post_level"] == "乡科级正职" and row["management_level"] == "县管"
    assert row["appointed"] == "2021-06-01" and row["age"] == age_on(dt.date(1980, 5, 17), dt.date.today())


def test_it_gives_team_figures(city, login, people):
    teams = login(city.users["city_admin"]).get("/api/cadres/teams").json()
    jinan = next(t for t in teams if t["name"] == "金安区一镇领导班子")
    assert jinan["size"] == 2 and jinan["women"] == 1
    assert jinan["youngest_age"] == age_on(dt.date(1988, 11, 11), dt.date.today())
    assert len(teams) == 2


def test_it_limits_branch_secretary_and_lets_leader_read(city, login, people):
    c = login(city.users["branch_secretary"])
    assert c.get("/api/cadres/").json()["count"] == 0 and c.get("/api/cadres/teams").json() == []
    assert login(city.users["leader"]).get("/api/cadres/").json()["count"] == 3


def test_it_serves_team_structure_and_round_figures_scoped(city, login, people):
    from zugong.cadres.models import AppraisalRound

    c = login(city.users["county_admin"])
    rows = c.get("/api/cadres/teams/structure?on=2026-06-01").json()
    assert [(r["name"], r["size"], r["women"], r["gaps"]) for r in rows] == [("金安区一镇领导班子", 2, 1, ["缺年轻干部"])]
    rnd = AppraisalRound.objects.create(unit=city.units["jinan_town"], year=2025, category="organ")
    assert c.get(f"/api/cadres/appraisal/{rnd.id}").json()["quota"] == 0
    n = login(city.users["neighbour_admin"])
    assert n.get(f"/api/cadres/appraisal/{rnd.id}").status_code == 404
    assert n.get(f"/api/cadres/teams/structure?unit={city.units['jinan'].id}").status_code == 404
    assert login(city.users["outsider"]).get("/api/cadres/teams/structure").status_code == 403


def test_it_gives_the_rank_held_with_its_date(city, login, people):
    from zugong.cadres.models import Appointment, Cadre, CadreRank

    sun = Cadre.objects.get(person=people["孙丽"])
    Appointment.objects.filter(cadre=sun).update(end=dt.date(2023, 3, 1))
    CadreRank.objects.create(cadre=sun, rank="10", start=dt.date(2019, 6, 1), end=dt.date(2023, 3, 1))
    CadreRank.objects.create(cadre=sun, rank="09", start=dt.date(2023, 3, 1))
    rows = {r["name"]: r for r in login(city.users["county_admin"]).get("/api/cadres/").json()["items"]}
    assert (rows["孙丽"]["rank"], rows["孙丽"]["rank_start"], rows["孙丽"]["posts"]) == ("三级主任科员", "2023-03-01", [])
    assert (rows["张晓明"]["rank"], rows["张晓明"]["rank_start"]) == ("", None)
    assert [r["name"] for r in login(city.users["neighbour_admin"]).get("/api/cadres/").json()["items"]] == ["钱明"]
