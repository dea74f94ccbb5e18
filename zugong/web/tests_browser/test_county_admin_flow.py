"""A county administrator's day, in a real browser: log in, read the dashboard, import a roster
with errors, read the error report, fix the file, import it, find the new members in the list."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from zugong.core.rules import make_id_number
from zugong.web.tests_browser.flows import login

HEADERS = ["序号", "姓名", "性别", "民族", "出生年月", "身份证号", "学历", "所在党支部", "入党时间", "转正时间", "人员类别"]


def roster(rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["金安区一村党支部党员名册"])
    ws.append(HEADERS)
    for i, row in enumerate(rows, start=1):
        ws.append([i, *row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def good_rows() -> list[list]:
    return [
        ["丁一民", "男", "汉族", "1979.03", make_id_number("341502", dt.date(1979, 3, 8), 11), "大学本科",
         "金安区一村党支部", "2001.07.01", "2002.07.01", "农牧渔民"],
        ["王秀英", "女", "回族", "1986.11", make_id_number("341502", dt.date(1986, 11, 2), 22), "高中",
         "金安区一村党支部", "2010.06.30", "2011.07.02", "农牧渔民"],
        ["欧阳明", "男", "汉族", "1992.01", make_id_number("341502", dt.date(1992, 1, 15), 33), "大学专科",
         "金安区二村党支部", "2016.05.04", "2017.05.06", "工人（工勤技能人员）"],
    ]  # fmt: skip


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(page, base: str, name: str, content: bytes) -> None:
    page.goto(f"{base}/members/import/")
    page.set_input_files("input[name=file]", files=[{
        "name": name, "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "buffer": content,
    }])  # fmt: skip
    page.click("button:has-text('上传并校验')")
    page.wait_for_selector("text=校验结果")


def test_it_runs_a_county_administrators_import_from_errors_to_success(live_server, city, media, page, shot):
    from zugong.orgs.tests.people import populate

    populate(city)  # a few members and cadres so the dashboard has something to draw
    base = live_server.url
    login(page, base, "county_admin")

    # The dashboard of 金安区: KPI cards, charts and the speech figures render.
    page.wait_for_selector("text=统计总览")
    page.wait_for_selector(".chart svg")  # ECharts (SVG renderer) drew, from the local asset
    assert "讲话数据" in page.inner_text("main")
    shot(page, "flow-1-dashboard")

    # A roster with two bad rows: a wrong check digit and a branch of the neighbouring county.
    rows = good_rows()
    bad = [row[:] for row in rows]
    bad[1][4] = bad[1][4][:-1] + ("0" if bad[1][4][-1] != "0" else "1")
    bad[2][6] = "裕安区一村党支部"
    upload(page, base, "金安区一村党员名册.xlsx", roster(bad))
    body = page.inner_text("main")
    assert "有误的行" in body
    assert "身份证号校验码错误" in body
    assert "不在您的管理范围内" in body
    errors = page.locator("table.list tbody tr")
    assert errors.count() == 2
    assert errors.nth(0).locator("td").nth(0).inner_text() == "4"  # Excel row number (title + header rows)
    assert page.locator("button:has-text('全部导入')").count() == 0  # all-or-nothing: not offered with errors
    with page.expect_download() as info:
        page.click("text=下载错误说明文件")
    assert info.value.suggested_filename.endswith(".xlsx")
    shot(page, "flow-2-import-errors")

    # Nothing was written; the user fixes the file and imports it whole.
    from zugong.core.models import Person

    assert not Person.objects.filter(name__in=["丁一民", "王秀英", "欧阳明"]).exists()
    upload(page, base, "金安区一村党员名册（已更正）.xlsx", roster(good_rows()))
    assert "有误的行" in page.inner_text("main")
    page.click("button:has-text('全部导入')")
    page.wait_for_selector("text=导入完成")
    shot(page, "flow-3-import-done")
    assert set(Person.objects.filter(name__in=["丁一民", "王秀英", "欧阳明"]).values_list("name", flat=True)) == {
        "丁一民", "王秀英", "欧阳明"
    }

    # The new members are in the list, found by pinyin initials, with masked 身份证号.
    page.goto(f"{base}/members/?q=wxy")
    row = page.locator("table.list tbody tr", has_text="王秀英")
    assert row.count() == 1
    assert "********" in row.inner_text()
    shot(page, "flow-4-member-list")

    # The audit log tells the administrator the story in words: two uploads, the start, the import.
    page.goto(f"{base}/audit/?group=members")
    actions = page.locator("table.list.audit tbody tr td:nth-child(4)").all_inner_texts()
    assert actions[:2] == ["导入党员名册", "开始导入党员名册"] and actions.count("上传党员名册") == 2
    assert "导入任务" in page.locator("table.list.audit tbody tr").first.inner_text()
