"""Error pages in Chinese, in the shell where the user is logged in; the navigation offers each role
only the pages it may open."""

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from zugong.web.context import NAVIGATION


def nav_links(body: str) -> set[str]:
    nav = body.split('<nav class="sidenav"', 1)[1].split("</nav>", 1)[0]
    return {label for _, items in NAVIGATION for label, *_ in items if f">{label}</a>" in nav}


def test_a_refused_page_says_why_in_chinese_inside_the_shell(city, login):
    response = login(city.users["branch_secretary"]).get(reverse("web:audit"))
    body = response.content.decode()
    assert response.status_code == 403
    assert "无权访问" in body and "仅管理员可查看审计日志" in body and "Forbidden" not in body
    assert "党员名册" in nav_links(body)  # still in the shell: the user can go on


def test_a_missing_record_says_so_without_telling_whether_it_exists_elsewhere(city, login):
    response = login(city.users["county_admin"]).get(reverse("members:person", args=[999_999]))
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in body and "不在您的管理范围内" in body and "Not Found" not in body


@pytest.mark.parametrize(
    ("persona", "missing"),
    [
        ("city_admin", set()), ("county_admin", set()), ("leader", {"导入名册", "审计日志"}),
        ("branch_secretary", {"审计日志", "干部名册", "领导班子", "缺配年轻干部", "年度考核", "优先使用干部", "后备干部库", "能上能下"}),
    ],
)
def test_the_navigation_offers_only_the_pages_the_role_may_open(city, login, persona, missing):
    client = login(city.users[persona])
    shown = nav_links(client.get(reverse("orgs:tree")).content.decode())
    every = {label for _, items in NAVIGATION for label, *_ in items}
    assert every - shown == missing
    for _, items in NAVIGATION:
        for label, url, *_ in items:
            if label in shown:
                assert client.get(reverse(url)).status_code == 200, label  # no link leads to a refusal


def test_the_server_error_and_bad_request_pages_stand_alone():
    for name, title in (("500.html", "系统出错"), ("400.html", "请求有误")):
        html = render_to_string(name)  # rendered without a request: no context processors, no database
        assert title in html and 'lang="zh-CN"' in html


def test_an_expired_form_says_so_in_chinese(city):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403 and "页面已过期" in response.content.decode()
