"""登录 page: renders, logs in, rejects a wrong password, logs out."""

from django.urls import reverse

from zugong.core.testing import PASSWORD


def test_it_renders_the_login_page(client, db):
    response = client.get(reverse("login"))
    text = response.content.decode()
    assert response.status_code == 200 and "用户名" in text and "密码" in text and "登录" in text


def test_it_logs_in_and_redirects_to_next(client, city):
    response = client.post(reverse("login"), {"username": "county_admin", "password": PASSWORD, "next": "/members/"})
    assert response.status_code == 302 and response.url == "/members/"
    page = client.get("/members/")
    assert page.status_code == 200 and "金安区" in page.content.decode()


def test_it_rejects_a_wrong_password(client, city):
    response = client.post(reverse("login"), {"username": "county_admin", "password": "wrong-password"})
    assert response.status_code == 200 and "用户名或密码错误" in response.content.decode()
    assert client.get("/members/").status_code == 302


def test_it_logs_out(client, city, login):
    c = login(city.users["city_admin"])
    assert c.post(reverse("logout")).status_code == 302
    assert c.get("/members/").status_code == 302
