"""/api/orgs and the OpenAPI schema: scoped like the pages."""

import pytest

from zugong.orgs.tests.people import populate


@pytest.fixture
def people(city):
    return populate(city)


def test_it_builds_the_openapi_schema(city, login):
    response = login(city.users["city_admin"]).get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    for path in ("/api/orgs/", "/api/orgs/{org_id}", "/api/members/", "/api/members/{person_id}",
                 "/api/cadres/", "/api/cadres/teams"):
        assert path in schema["paths"], path
    props = schema["components"]["schemas"]["MemberRow"]["properties"]
    assert props["id_number_masked"]["description"] == "身份证号（已脱敏）"
    assert schema["components"]["schemas"]["OrgNode"]["properties"]["member_count"]["description"].startswith("党员人数")


def test_it_refuses_anonymous_and_outsider(client, city, login):
    assert client.get("/api/orgs/").status_code == 401
    c = login(city.users["outsider"])
    assert c.get("/api/orgs/").status_code == 403
    assert c.get(f"/api/orgs/{city.orgs['jinan'].id}").status_code == 403


def test_it_hides_the_neighbouring_county(city, login, people):
    c = login(city.users["neighbour_admin"])
    assert c.get(f"/api/orgs/{city.orgs['jinan'].id}").status_code == 404
    assert c.get(f"/api/orgs/?parent={city.orgs['jinan_town'].id}").status_code == 404
    roots = c.get("/api/orgs/").json()
    assert [r["name"] for r in roots] == ["中共六安市裕安区委员会"]
    assert roots[0]["member_count"] == 1


def test_it_lists_children_with_counts_for_the_city_admin(city, login, people):
    c = login(city.users["city_admin"])
    root = c.get("/api/orgs/").json()[0]
    assert root["name"] == "中共六安市委员会" and root["member_count"] == 4 and root["child_count"] == 2
    kids = c.get(f"/api/orgs/?parent={root['id']}").json()
    assert {k["name"]: k["member_count"] for k in kids} == {"中共六安市金安区委员会": 3, "中共六安市裕安区委员会": 1}


def test_it_gives_detail_with_ancestors_in_scope(city, login, people):
    c = login(city.users["county_admin"])
    data = c.get(f"/api/orgs/{city.orgs['jinan_town'].id}").json()
    assert data["kind_label"] == "党委" and data["member_count"] == 3
    assert [a["name"] for a in data["ancestors"]] == ["中共六安市金安区委员会"]
    assert {ch["name"] for ch in data["children"]} == {"金安区一村党支部", "金安区二村党支部"}


def test_it_limits_branch_secretary_and_lets_leader_read(city, login, people):
    c = login(city.users["branch_secretary"])
    assert [r["name"] for r in c.get("/api/orgs/").json()] == ["金安区一村党支部"]
    assert c.get(f"/api/orgs/{city.orgs['jinan_town'].id}").status_code == 404
    assert login(city.users["leader"]).get(f"/api/orgs/{city.orgs['jinan'].id}").status_code == 200
