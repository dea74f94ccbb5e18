"""/api/members: the 党员名册 and 人员信息 reads, scoped like the pages, 身份证号 masked."""

import datetime as dt

import pytest

from zugong.core.testing import test_id_number
from zugong.orgs.tests.people import populate


@pytest.fixture
def people(city):
    return populate(city)


def names(response) -> list[str]:
    return [row["name"] for row in response.json()["items"]]


def test_it_refuses_anonymous_and_outsider(client, city, people):
    assert client.get("/api/members/").status_code == 401
    assert client.get(f"/api/members/{people['张晓明'].id}").status_code == 401


def test_it_refuses_the_outsider(city, login, people):
    c = login(city.users["outsider"])
    assert c.get("/api/members/").status_code == 403
    assert c.get(f"/api/members/{people['张晓明'].id}").status_code == 403


def test_it_hides_the_neighbouring_county(city, login, people):
    c = login(city.users["neighbour_admin"])
    assert names(c.get("/api/members/")) == ["赵强"]
    assert c.get(f"/api/members/?org={city.orgs['jinan'].id}").status_code == 404
    assert c.get(f"/api/members/{people['张晓明'].id}").status_code == 404


def test_it_lists_with_filters_and_masks_id_numbers(city, login, people):
    c = login(city.users["county_admin"])
    data = c.get("/api/members/").json()
    assert data["count"] == 3 and data["pages"] == 1 and len(data["items"]) == 3
    row = next(r for r in data["items"] if r["name"] == "张晓明")
    assert row["id_number_masked"] == people["张晓明"].id_number_masked and row["org_name"] == "金安区一村党支部"
    assert test_id_number(1, birth=dt.date(1980, 5, 17)) not in c.get("/api/members/").content.decode()
    assert names(c.get("/api/members/?q=lh")) == ["李红"]
    assert names(c.get("/api/members/", {"q": test_id_number(3, birth=dt.date(1960, 1, 9))})) == ["王刚"]
    assert names(c.get("/api/members/?status=probationary")) == ["李红"]
    assert names(c.get(f"/api/members/?org={city.orgs['jinan_branch2'].id}")) == ["王刚"]
    paged = c.get("/api/members/?page_size=2&page=2&sort=joined").json()
    assert paged["pages"] == 2 and [r["name"] for r in paged["items"]] == ["李红"]
    assert c.get("/api/members/?page_size=500").status_code == 422


def test_it_limits_branch_secretary_and_lets_city_admin_and_leader_read(city, login, people):
    assert sorted(names(login(city.users["branch_secretary"]).get("/api/members/"))) == ["张晓明", "李红"]
    assert login(city.users["city_admin"]).get("/api/members/").json()["count"] == 4
    assert login(city.users["leader"]).get(f"/api/members/{people['赵强'].id}").status_code == 200


def test_it_returns_a_person_with_history_and_posts(city, login, people):
    data = login(city.users["county_admin"]).get(f"/api/members/{people['张晓明'].id}").json()
    assert data["id_number_masked"] == people["张晓明"].id_number_masked
    assert data["membership"]["status"] == "正式党员"
    assert [a["org_name"] for a in data["membership"]["affiliations"]] == ["金安区二村党支部", "金安区一村党支部"]
    assert data["cadre"]["posts"][0]["title"] == "党委书记"
    assert data["age"] == people["张晓明"].age_on(dt.date.today())


def test_it_shows_a_member_who_left_and_lists_them_apart(city, login, people):
    from zugong.core.audit import Actor
    from zugong.core.scope import scope_for
    from zugong.members import changes
    from zugong.members.models import PartyMember

    admin = city.users["county_admin"]
    changes.member_leave(actor=Actor(user=admin), scope=scope_for(admin), member=PartyMember.objects.get(person=people["王刚"]),
                         on=dt.date(2026, 5, 1), reason="death")  # fmt: skip
    c = login(admin)
    data = c.get(f"/api/members/{people['王刚'].id}").json()["membership"]
    assert (data["left_date"], data["left_reason"]) == ("2026-05-01", "死亡")
    assert data["affiliations"][-1]["end"] == "2026-05-01" and data["affiliations"][-1]["reason"] == ""
    [row] = c.get("/api/members/", {"status": "left"}).json()["items"]
    assert (row["name"], row["left_date"], row["left_reason"]) == ("王刚", "2026-05-01", "死亡")
    assert "王刚" not in [r["name"] for r in c.get("/api/members/").json()["items"]]
