"""A large 党员名册 export in a real browser: 导出Excel opens the background job's page, which polls
its progress, then offers the file; the file downloads and reads back; the list page lists it."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from zugong.web.tests_browser.flows import login


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_county_administrator_exports_a_long_list_in_the_background(live_server, city, media, page, monkeypatch, tmp_path):
    from zugong.members import exports
    from zugong.members.models import PartyMember
    from zugong.orgs.tests.people import populate

    populate(city)
    monkeypatch.setattr(exports, "BACKGROUND_MIN_ROWS", 1)  # the test city is small: every export is "long"
    base = live_server.url
    login(page, base, "county_admin")
    page.goto(f"{base}/members/")
    page.click("a:has-text('导出Excel')")
    page.wait_for_selector("h1:has-text('导出党员名册')")
    page.wait_for_selector("text=导出完成")  # the thread wrote the file; the page polled until then
    count = PartyMember.objects.filter(org__path__startswith=city.orgs["jinan"].path, left_date__isnull=True).count()
    assert f"共 {count} 人" in page.inner_text("main")
    with page.expect_download() as info:
        page.click("a:has-text('下载党员名册.xlsx')")
    assert info.value.suggested_filename == "党员名册.xlsx"
    saved = tmp_path / "download.xlsx"
    info.value.save_as(saved)
    rows = list(load_workbook(saved).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("姓名", "性别") and len(rows) == count + 1
    page.goto(f"{base}/members/")
    page.wait_for_selector("text=最近导出")
    assert f"{count}人" in page.inner_text(".export-recent")
