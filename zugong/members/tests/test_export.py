"""The 党员名册 export: its content (columns, widths, 出生年月, masking), re-import and streaming."""

import datetime as dt
import inspect
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from zugong.core import xlsx
from zugong.core.audit import Actor
from zugong.core.models import AuditEvent
from zugong.core.scope import scope_for
from zugong.members import services
from zugong.members.models import PartyMember
from zugong.members.roster import MEMBER_COLUMNS
from zugong.members.tests.test_import import HEADERS, ident, person_row, run
from zugong.members.tests.test_import import xlsx as roster


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def export(city, user):
    u = city.users[user]
    return load_workbook(io.BytesIO(services.member_export(actor=Actor(user=u), scope=scope_for(u)))).active


def test_it_exports_the_import_columns_wide_enough_with_birth_as_year_month(city):
    run(city, roster([person_row(1, birth=dt.date(1985, 9, 3)), person_row(2, 联系电话="13912345678", 转正时间="")]))
    ws = export(city, "county_admin")
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == [c.header for c in MEMBER_COLUMNS]
    widths = {rows[0][i]: ws.column_dimensions[chr(ord("A") + i)].width for i in range(len(rows[0]))}
    assert widths["身份证号"] >= 20 and widths["所在党支部"] >= 28
    by_name = {r[0]: r for r in rows[1:]}
    one, two = by_name["张二1"], by_name["张三2"]
    assert one[3] == "1985.09" and ws["D2"].data_type == "s"  # 出生年月: year.month text, as the column is named
    assert two[3] == "1980.05" and two[4] == ident(2)
    assert one[10] == dt.datetime(2005, 7, 1) and two[11] is None  # 入党时间 a date cell; no 转正时间: empty
    assert two[14] == "13912345678"  # full numbers: the county administrator may view them
    assert [r[0] for r in rows[1:]] == ["张二1", "张三2"]  # 姓氏笔画


def test_it_masks_id_numbers_and_phones_for_a_branch_secretary(city):
    run(city, roster([person_row(1, 联系电话="13912345678")]))
    row = list(export(city, "branch_secretary").iter_rows(min_row=2, values_only=True))[0]
    assert row[4] != ident(1) and "*" in row[4] and row[14] == "139****5678"
    event = AuditEvent.objects.filter(action="members.export").latest("id")
    assert event.after["count"] == 1 and event.after["unmasked"] is False


def test_an_export_reimports_as_unchanged_with_its_year_month_birth_dates(city):
    run(city, roster([person_row(1, birth=dt.date(1985, 9, 3)), person_row(2, 入党时间="2026.01.05", 转正时间="")]))
    u = city.users["county_admin"]
    content = services.member_export(actor=Actor(user=u), scope=scope_for(u))
    assert load_workbook(io.BytesIO(content)).active["D2"].value in ("1985.09", "1980.05")
    job, prepared = run(city, content)
    assert prepared.errors == [] and job.unchanged_count == 2 and job.created_count == job.updated_count == 0
    assert AuditEvent.objects.filter(action="members.export").latest("id").after["count"] == 2


def test_native_places_are_exported_by_name_with_their_code_and_reimport_unchanged(city):
    headers = [*HEADERS, "籍贯"]
    rows = [person_row(1, 籍贯="341502"), person_row(2, 籍贯="110101"), person_row(3), person_row(4, 籍贯="522600"),
            person_row(5, 籍贯="江苏南京玄武"), person_row(6, 籍贯="991234")]  # fmt: skip
    run(city, roster(rows, headers=headers))
    u = city.users["county_admin"]
    content = services.member_export(actor=Actor(user=u), scope=scope_for(u))
    places = {r[0]: r[7] for r in load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2, values_only=True)}
    assert places == {
        "张二1": "六安市金安区（341502）", "张三2": "北京市东城区（110101）", "张四3": None,  # outside the tree: the national table
        "张五4": "贵州省黔东南苗族侗族自治州（522600）", "张六5": "江苏省南京市玄武区（320102）",
        "张七6": "991234",  # a code nobody names: the code alone
    }  # fmt: skip
    job, prepared = run(city, content)
    assert prepared.errors == [] and job.unchanged_count == 6


def test_it_streams_rows_with_a_fixed_number_of_queries(city):
    """No query per member (labels, branch names and keys are looked up once): 3 and 9 members
    take the same queries; the rows come from a generator, not a list of every member."""
    run(city, roster([person_row(n) for n in range(1, 4)]))
    scope = scope_for(city.users["city_admin"])
    assert inspect.isgenerator(services.member_export_rows(scope, {}))
    with CaptureQueriesContext(connection) as few:
        assert len(list(services.member_export_rows(scope, {}))) == 3
    run(city, roster([person_row(n, 所在党支部="金安区二村党支部" if n % 2 else "金安区一村党支部") for n in range(4, 10)]))
    with CaptureQueriesContext(connection) as many:
        rows = list(services.member_export_rows(scope, {}))
    assert len(rows) == 9 and len(many.captured_queries) == len(few.captured_queries)
    assert {r[9] for r in rows} == {"金安区一村党支部", "金安区二村党支部"}
    assert PartyMember.objects.count() == 9


def test_a_streamed_sheet_past_excels_row_limit_is_refused(monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_ROWS", 3)
    assert xlsx.rows_to_xlsx("名册", ["姓名"], iter([["张三"], ["李四"]]))
    with pytest.raises(xlsx.ExportTooLarge, match="超过Excel一张工作表的最大行数"):
        xlsx.rows_to_xlsx("名册", ["姓名"], iter([["张三"], ["李四"], ["王五"]]))
