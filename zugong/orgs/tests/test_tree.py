"""组织树 pages: lazy htmx expansion, member counts, detail, and who may see what."""

import pytest
from django.urls import reverse

from zugong.orgs.tests.people import populate


@pytest.fixture
def people(city):
    return populate(city)


def test_it_redirects_anonymous_users_to_login(client, city):
    for url in (reverse("orgs:tree"), reverse("orgs:children", args=[city.orgs["jinan"].id]),
                reverse("orgs:detail", args=[city.orgs["jinan"].id])):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/login/")


def test_it_refuses_the_outsider(city, login):
    c = login(city.users["outsider"])
    assert c.get(reverse("orgs:tree")).status_code == 403
    assert c.get(reverse("orgs:children", args=[city.orgs["jinan"].id])).status_code == 403
    assert c.get(reverse("orgs:detail", args=[city.orgs["jinan"].id])).status_code == 403


def test_it_hides_the_neighbouring_county(city, login, people):
    c = login(city.users["neighbour_admin"])
    for key in ("jinan", "jinan_town", "jinan_branch", "city"):
        assert c.get(reverse("orgs:children", args=[city.orgs[key].id])).status_code == 404
        assert c.get(reverse("orgs:detail", args=[city.orgs[key].id])).status_code == 404
    page = c.get(reverse("orgs:tree")).content.decode()
    assert "裕安区" in page and "金安区" not in page


def test_it_shows_the_county_admin_its_county_with_member_counts(city, login, people):
    c = login(city.users["county_admin"])
    page = c.get(reverse("orgs:tree")).content.decode()
    assert "中共六安市金安区委员会" in page and "中共金安区一镇委员会" in page
    assert "党员 3 名" in page  # the county and its township
    assert "裕安区" not in page
    fragment = c.get(reverse("orgs:children", args=[city.orgs["jinan_town"].id])).content.decode()
    assert "金安区一村党支部" in fragment and "党员 2 名" in fragment
    assert "金安区二村党支部" in fragment and "党员 1 名" in fragment
    assert "<html" not in fragment


def test_it_counts_members_with_one_group_by_per_expansion(city, login, people, django_assert_num_queries):
    c = login(city.users["city_admin"])
    c.get(reverse("orgs:tree"))  # warm the session and scope
    url = reverse("orgs:children", args=[city.orgs["city"].id])
    # session, user, profile (scope), parent, children, member GROUP BY, grandchildren GROUP BY
    with django_assert_num_queries(7):
        response = c.get(url)
    text = response.content.decode()
    assert "中共六安市金安区委员会" in text and "中共六安市裕安区委员会" in text
    assert "党员 3 名" in text and "党员 1 名" in text


def test_it_shows_the_city_admin_every_county(city, login, people):
    page = login(city.users["city_admin"]).get(reverse("orgs:tree")).content.decode()
    assert "党员 4 名" in page and "金安区" in page and "裕安区" in page


def test_it_limits_the_branch_secretary_to_its_branch(city, login, people):
    c = login(city.users["branch_secretary"])
    page = c.get(reverse("orgs:tree")).content.decode()
    assert "金安区一村党支部" in page and "金安区二村党支部" not in page
    assert c.get(reverse("orgs:detail", args=[city.orgs["jinan_branch"].id])).status_code == 200
    assert c.get(reverse("orgs:detail", args=[city.orgs["jinan_branch2"].id])).status_code == 404
    assert c.get(reverse("orgs:detail", args=[city.orgs["jinan_town"].id])).status_code == 404


def test_it_lets_the_leader_read_the_tree(city, login, people):
    c = login(city.users["leader"])
    assert c.get(reverse("orgs:tree")).status_code == 200
    assert c.get(reverse("orgs:detail", args=[city.orgs["jinan"].id])).status_code == 200


def test_it_shows_detail_with_breadcrumb_within_scope_and_member_list_link(city, login, people):
    c = login(city.users["county_admin"])
    branch = city.orgs["jinan_branch"]
    page = c.get(reverse("orgs:detail", args=[branch.id])).content.decode()
    assert "金安区一村党支部" in page and "党支部" in page
    assert "中共金安区一镇委员会" in page and "中共六安市金安区委员会" in page  # breadcrumb
    assert "中共六安市委员会" not in page  # above the county admin's scope
    assert f"{reverse('members:list')}?org={branch.id}" in page
    assert "金安区一村村委会" in page  # unit
