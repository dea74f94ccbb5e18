"""An export past Excel's row limit, or a write the database refused for another in progress, becomes a
message on the page the user came from."""

import pytest
from django.db import OperationalError
from django.urls import reverse

from zugong.core import xlsx
from zugong.members import changes
from zugong.orgs.tests.people import populate
from zugong.web.middleware import BUSY_MESSAGE


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


def _refused(message, sqlstate=None):
    def raise_(**kw):
        exc = OperationalError(message)
        exc.__cause__ = type("Cause", (Exception,), {"sqlstate": sqlstate})()
        raise exc

    return raise_


@pytest.mark.parametrize(("message", "sqlstate"), [("database is locked", None), ("deadlock detected", "40P01"),
                                                   ("could not serialize access", "40001")])  # fmt: skip
def test_a_write_refused_for_another_in_progress_is_a_message_not_a_server_error(city, login, monkeypatch, message, sqlstate):
    people = populate(city)
    monkeypatch.setattr(changes, "member_confirm", _refused(message, sqlstate))
    c = login(city.users["county_admin"])
    person = "http://testserver" + reverse("members:person", args=[people["李红"].id])
    resp = c.post(reverse("members:confirm", args=[people["李红"].id]), {"on": "2025-07-01"}, HTTP_REFERER=person)
    assert resp.status_code == 302 and resp.url == person
    assert BUSY_MESSAGE in c.get(person).content.decode()
    htmx = c.post(reverse("members:confirm", args=[people["李红"].id]), {"on": "2025-07-01"}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200 and htmx["HX-Refresh"] == "true"


def test_other_database_errors_stay_server_errors(city, login, monkeypatch):
    people = populate(city)
    monkeypatch.setattr(changes, "member_confirm", _refused("disk I/O error", "58030"))
    with pytest.raises(OperationalError):
        login(city.users["county_admin"]).post(reverse("members:confirm", args=[people["李红"].id]), {"on": "2025-07-01"})
