"""An export past Excel's row limit becomes a message on the page the user came from, for every export."""

from django.urls import reverse

from zugong.core import xlsx


def test_a_statistics_export_past_the_row_limit_is_refused_on_the_page_it_came_from(city, login, monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_ROWS", 2)
    c = login(city.users["county_admin"])
    tables = "http://testserver" + reverse("stats:tables")
    resp = c.get(reverse("stats:tables_export"), HTTP_REFERER=tables)
    assert resp.status_code == 302 and resp.url == tables
    page = c.get(tables)
    assert "超过Excel一张工作表的最大行数" in page.content.decode()


def test_without_a_referer_of_this_site_it_goes_home(city, login, monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_ROWS", 2)
    c = login(city.users["city_admin"])
    assert c.get(reverse("stats:tables_export")).url == "/"
    assert c.get(reverse("stats:tables_export"), HTTP_REFERER="https://evil.example/x").url == "/"


def test_an_export_within_the_limit_is_a_workbook(city, login):
    resp = login(city.users["county_admin"]).get(reverse("stats:tables_export"))
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxmlformats")
