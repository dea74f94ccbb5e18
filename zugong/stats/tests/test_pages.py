import io

import pytest
from openpyxl import load_workbook

from zugong.stats.tests.conftest import AS_OF

PAGES = ("/", "/stats/figures/", "/stats/tables/", "/stats/figures.xlsx", "/stats/tables.xlsx")
API = ("/api/stats/members", "/api/stats/figures", "/api/stats/cadres")
D = f"date={AS_OF.isoformat()}"


def _sheet_rows(content: bytes, title: str) -> list[tuple]:
    wb = load_workbook(io.BytesIO(content), read_only=True)
    return [tuple(r) for r in wb[title].iter_rows(values_only=True)]


@pytest.mark.parametrize("url", PAGES)
def test_it_sends_anonymous_users_to_login(client, city, url):
    r = client.get(url)
    assert r.status_code == 302 and "/login/" in r["Location"]


@pytest.mark.parametrize("url", PAGES + API)
def test_it_refuses_the_outsider(city, login, url):
    assert login(city.users["outsider"]).get(url).status_code == 403


@pytest.mark.parametrize("url", API)
def test_it_refuses_anonymous_api_calls(client, city, url):
    assert client.get(url).status_code == 401


@pytest.mark.parametrize("url", PAGES + API)
@pytest.mark.parametrize("param", ("org", "unit"))
def test_it_hides_the_neighbouring_county(city, login, url, param):
    node = (city.orgs if param == "org" else city.units)["jinan"]
    r = login(city.users["neighbour_admin"]).get(f"{url}?{param}={node.pk}&{D}")
    assert r.status_code == 404


@pytest.mark.parametrize("url", PAGES + API)
def test_it_lets_the_leader_read(stats_city, login, url):
    assert login(stats_city.users["leader"]).get(f"{url}?{D}").status_code == 200


def test_it_shows_the_city_dashboard_with_figures_per_county(stats_city, login):
    r = login(stats_city.users["city_admin"]).get(f"/?{D}")
    html = r.content.decode()
    assert "全市55–58周岁的市管干部占<strong>50.0%</strong>（2/4）" in html
    assert "全市领导班子平均年龄为<strong>56.0岁</strong>（224/4）" in html
    assert "金安区</a>" in html and "裕安区</a>" in html
    assert "web/echarts.min.js" in html and 'id="stats-charts"' in html
    assert "党员总数" in html and "县管干部" in html


def test_a_branch_dashboard_leaves_out_the_cadre_charts_and_the_figures_it_has_no_base_for(stats_city, login):
    html = login(stats_city.users["branch_secretary"]).get(f"/?{D}").content.decode()
    assert "<h1>统计总览 · 金安区一村党支部</h1>" in html  # the branch's name, not its village's
    assert 'id="chart-age"' in html and 'id="chart-cadres"' not in html and "领导班子平均年龄分布" not in html
    assert "市管干部占" not in html and "县管干部</div>" not in html  # 0/0 in a branch: not shown as —（0/0）
    assert 'id="chart-cadres"' in login(stats_city.users["county_admin"]).get(f"/?{D}").content.decode()


def test_it_shows_a_county_its_own_figures_only(stats_city, login):
    html = login(stats_city.users["county_admin"]).get(f"/stats/figures/?{D}").content.decode()
    assert "金安区55–58周岁的市管干部占<strong>50.0%</strong>（2/4）" in html
    assert "裕安区" not in html
    assert "金安区委领导班子" in html


def test_it_narrows_to_a_sub_node(stats_city, login):
    c = login(stats_city.users["city_admin"])
    r = c.get(f"/api/stats/members?org={stats_city.orgs['yuan'].pk}&{D}")
    assert r.json()["total"] == 0
    r = c.get(f"/api/stats/members?unit={stats_city.units['jinan'].pk}&{D}")
    assert r.json()["total"] == 5


def test_it_exports_the_figures_as_xlsx(stats_city, login):
    r = login(stats_city.users["city_admin"]).get(f"/stats/figures.xlsx?{D}")
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _sheet_rows(r.content, "讲话数据")
    assert rows[0][0] == "六安市讲话数据（截至2023年6月30日）"
    assert rows[1][:4] == ("项目", "分子", "分母", "数值")
    assert rows[2][:4] == ("55–58周岁的市管干部", 2, 4, 50.0)
    assert rows[3][:4] == ("58周岁及以上的市管干部", 1, 4, 25.0)
    assert rows[4][:4] == ("领导班子平均年龄", 224, 4, 56.0)
    assert rows[5][:4] == ("农村党员中60岁及以上的", 1, 4, 25.0)
    counties = _sheet_rows(r.content, "分地区")
    assert [row[0] for row in counties[2:]] == ["金安区", "裕安区"]
    assert counties[2][1:4] == (2, 4, 50.0)
    teams = _sheet_rows(r.content, "领导班子平均年龄")
    assert teams[2] == ("金安区政府领导班子", "市管", 2, 115, 57.5)


def test_it_exports_the_structure_tables_like_the_bulletin(stats_city, login):
    r = login(stats_city.users["county_admin"]).get(f"/stats/tables.xlsx?{D}")
    wb = load_workbook(io.BytesIO(r.content), read_only=True)
    assert wb.sheetnames == ["党员基本情况", "党员职业", "入党时间", "基层党组织", "干部年龄结构"]
    basic = _sheet_rows(r.content, "党员基本情况")
    assert basic[0][0] == "金安区党员基本情况（截至2023年6月30日）"
    assert basic[1] == ("项目", "人数", "占比(%)")
    assert basic[2] == ("党员总数", 5, 100.0)
    assert basic[4] == ("　预备党员", 1, 20.0)
    labels = [row[0].strip("　") for row in basic]
    assert labels.index("30岁及以下") < labels.index("61岁及以上")
    occ = _sheet_rows(r.content, "党员职业")
    assert [row[0] for row in occ[3:]][:2] == ["工人（工勤技能人员）", "农牧渔民"]
    orgs = _sheet_rows(r.content, "基层党组织")
    assert orgs[1] == ("项目", "个数", "占比(%)") and orgs[2][:2] == ("基层党组织总数", 4)
    cadres = _sheet_rows(r.content, "干部年龄结构")
    assert cadres[1][:4] == ("管理权限", "人数", "35岁及以下人数", "35岁及以下占比(%)")
    assert [row[0] for row in cadres[2:]] == ["市管", "县管", "合计"]
    assert cadres[4][1] == sum(row[1] for row in cadres[2:4])
    joining = _sheet_rows(r.content, "入党时间")
    assert joining[3][0] == "新中国成立前入党的"


def test_it_serves_the_api_schema_shapes(stats_city, login):
    c = login(stats_city.users["city_admin"])
    figs = c.get(f"/api/stats/figures?{D}").json()
    assert figs["figures"][0]["numerator"] == 2 and figs["figures"][0]["denominator"] == 4
    assert [ch["unit_name"] for ch in figs["children"]] == ["金安区", "裕安区"]
    cadres = c.get(f"/api/stats/cadres?{D}").json()
    assert [lv["label"] for lv in cadres["levels"]] == ["市管", "县管", "合计"]
    assert cadres["levels"][0]["total"] == 4 and cadres["levels"][1]["total"] == 1
    members = c.get(f"/api/stats/members?{D}").json()
    assert members["sections"][2]["title"] == "年龄"


def test_it_flags_overdue_tasks_on_the_dashboard(city, login):
    import datetime as dt

    from zugong.work.models import Task, TaskKind, WorkDocument

    doc = WorkDocument.objects.create(
        title="2026年全区组织工作要点", document_date=dt.date(2026, 1, 10), raw_text="…", cleaned_text="…",
        owner_unit=city.units["jinan"],
    )
    Task.objects.create(document=doc, seq=1, action="选派30名干部到村任职", kind=TaskKind.TASK,
                        due=dt.date(2026, 6, 30), lead_unit=city.units["jinan"])
    body = login(city.users["county_admin"]).get("/").content.decode()
    assert "督办提醒" in body and "选派30名干部到村任职" in body
    body = login(city.users["neighbour_admin"]).get("/").content.decode()
    assert "选派30名干部到村任职" not in body


def test_the_workbooks_group_counts_and_keep_one_decimal_for_shares(stats_city, login):
    """Counts print 250,018 and shares 28.0 in Excel, as on the pages (General printed 28 and 250018)."""
    c = login(stats_city.users["city_admin"])
    tables = load_workbook(io.BytesIO(c.get(f"/stats/tables.xlsx?{D}").content))
    basic = tables["党员基本情况"]
    assert (basic["B3"].value, basic["B3"].number_format, basic["C3"].number_format) == (5, "#,##0", "0.0")
    assert basic["A3"].number_format == "General"
    cadres = tables["干部年龄结构"]
    assert [cadres.cell(3, col).number_format for col in (2, 3, 4)] == ["#,##0", "#,##0", "0.0"]
    figures = load_workbook(io.BytesIO(c.get(f"/stats/figures.xlsx?{D}").content))
    sheet = figures["讲话数据"]
    assert [sheet.cell(3, col).number_format for col in (2, 3, 4)] == ["#,##0", "#,##0", "0.0"]
    assert [figures["分地区"].cell(3, col).number_format for col in (2, 3, 4)] == ["#,##0", "#,##0", "0.0"]
    assert [figures["领导班子平均年龄"].cell(3, col).number_format for col in (3, 4, 5)] == ["#,##0", "#,##0", "0.0"]


def test_past_tables_say_education_occupation_and_management_level_are_todays(stats_city, login):
    c = login(stats_city.users["city_admin"])
    past = c.get(f"/stats/tables/?{D}").content.decode()
    assert "学历按现登记信息统计，不随统计日回溯" in past and "职业（人员类别）按现登记信息统计" in past
    assert "管理权限按干部现登记的管理权限统计，不随统计日回溯" in past
    today = c.get("/stats/tables/").content.decode()
    assert "不随统计日回溯" not in today
