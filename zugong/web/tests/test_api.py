"""/api/audit: the 审计日志 read, for administrators, scoped like the page."""

import pytest

from zugong.core.models import AuditEvent


@pytest.fixture
def events(city):
    o = city.orgs
    AuditEvent.objects.create(
        actor_name="county_admin", action="person.update", object_type="Person", object_id="5", summary="金安区事件",
        before={"name": "张三"}, after={"name": "张三丰"}, scope_path=o["jinan_branch"].path,
    )  # fmt: skip
    AuditEvent.objects.create(actor_name="neighbour_admin", action="cadres.round_open", summary="裕安区事件", scope_path=o["yuan_branch"].path)


def summaries(response) -> list[str]:
    return [row["summary"] for row in response.json()["items"]]


def test_it_refuses_anonymous_users_and_other_roles(client, city, login, events):
    assert client.get("/api/audit/").status_code == 401
    for persona in ("outsider", "leader", "branch_secretary"):
        response = login(city.users[persona]).get("/api/audit/")
        assert response.status_code == 403, persona


def test_it_gives_each_administrator_its_subtree_in_the_pages_words(city, login, events):
    data = login(city.users["county_admin"]).get("/api/audit/").json()
    assert data["count"] == 1
    (row,) = data["items"]
    assert (row["action"], row["action_label"], row["object_label"], row["summary"]) == ("person.update", "修改人员信息", "人员 5", "金安区事件")
    assert row["changes"] == [{"field": "姓名", "before": "张三", "after": "张三丰"}]
    assert summaries(login(city.users["neighbour_admin"]).get("/api/audit/")) == ["裕安区事件"]


def test_it_filters_like_the_page(city, login, events):
    c = login(city.users["city_admin"])
    assert summaries(c.get("/api/audit/", {"group": "cadres"})) == ["裕安区事件"]
    assert summaries(c.get("/api/audit/", {"actor": "county"})) == ["金安区事件"]
    assert summaries(c.get("/api/audit/", {"to": "2000-01-01"})) == []
    assert c.get("/api/audit/", {"from": "not a date"}).status_code == 422  # the schema says what a date is
    assert c.get("/api/audit/", {"page_size": 1}).json()["pages"] == 2


def test_the_schema_names_the_audit_endpoint_and_its_filters(city, login):
    schema = login(city.users["city_admin"]).get("/api/openapi.json").json()
    params = {p["name"] for p in schema["paths"]["/api/audit/"]["get"]["parameters"]}
    assert {"q", "group", "actor", "from", "to", "page", "page_size"} <= params
    assert schema["components"]["schemas"]["AuditRow"]["properties"]["action_label"]["description"] == "操作（中文名称）"
