import datetime as dt
import io

import pytest

from zugong.members.roster import (
    MEMBER_COLUMNS,
    DateParseError,
    map_headers,
    normalize_header,
    parse_date,
    read_sheet,
)

D = dt.date


@pytest.mark.parametrize(
    "raw,expected,day_known",
    [
        ("1985.09", D(1985, 9, 1), False),
        ("1985.9", D(1985, 9, 1), False),
        ("1985-09-01", D(1985, 9, 1), True),
        ("1985/9/1", D(1985, 9, 1), True),
        ("198509", D(1985, 9, 1), False),
        ("19850901", D(1985, 9, 1), True),
        ("1985年9月", D(1985, 9, 1), False),
        ("1985年9月1日", D(1985, 9, 1), True),
        ("1985.09.15", D(1985, 9, 15), True),
        ("1985-09", D(1985, 9, 1), False),
        ("１９８５．０９", D(1985, 9, 1), False),
        (31291, D(1985, 9, 1), True),  # Excel serial
        (31291.0, D(1985, 9, 1), True),
        ("31291", D(1985, 9, 1), True),
        (198509, D(1985, 9, 1), False),
        (19850901, D(1985, 9, 1), True),
        (1985.09, D(1985, 9, 1), False),
        (1985.1, D(1985, 10, 1), False),  # what Excel keeps of a numeric 1985.10
        (D(1985, 9, 1), D(1985, 9, 1), True),
        (dt.datetime(1985, 9, 1, 0, 0), D(1985, 9, 1), True),
        ("1985-09-01 00:00:00", D(1985, 9, 1), True),
    ],
)
def test_it_parses_the_date_forms_people_type(raw, expected, day_known):
    got = parse_date(raw)
    assert got.date == expected
    assert got.day_known is day_known


@pytest.mark.parametrize("raw", ["1985", "85.9", "1985.13", "1985-02-30", "明年", "1985..9"])
def test_it_rejects_dates_it_cannot_read(raw):
    with pytest.raises(DateParseError):
        parse_date(raw)


def test_it_treats_empty_date_cells_as_none():
    assert parse_date(None) is None
    assert parse_date("") is None
    assert parse_date("  ") is None


@pytest.mark.parametrize(
    "header,key",
    [
        ("出生日期", "birth_date"), ("出生年月", "birth_date"), ("生日", "birth_date"),
        ("身份证号码", "id_number"), ("公民身份号码", "id_number"), ("证件号码", "id_number"),
        ("党支部", "branch"), ("所在支部", "branch"), ("所在党组织", "branch"),
        ("入党日期", "joined_date"), ("加入党组织日期", "joined_date"),
        ("文化程度", "education"), ("学历", "education"),
        (" 姓 名 ", "name"), ("*姓名", "name"), ("＊身份证号", "id_number"),
        ("出生年月（格式1985.09）", "birth_date"), ("身份证号(18位)", "id_number"),
        ("入党时间【年月】", "joined_date"), ("联系电话", "phone"), ("手机号码", "phone"),
    ],
)
def test_it_maps_header_variants(header, key):
    got = map_headers(["序号", header], MEMBER_COLUMNS)
    assert got.index.get(key) == 1, (header, got)


def test_it_reports_missing_required_headers():
    got = map_headers(["姓名", "性别"], MEMBER_COLUMNS)
    assert "身份证号" in got.missing and "所在党支部" in got.missing and "姓名" not in got.missing


def test_it_normalizes_full_width_brackets_and_markers():
    assert normalize_header("＊ 身份证号（必填）") == "身份证号"


def _sparse_xlsx(*cells):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws["A1"] = "姓名"
    for ref in cells:
        ws[ref] = "x"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("ref", ["XFD1048576", "A200000", "DA2", "CW1", "AAA3"])
def test_it_refuses_a_sheet_reaching_beyond_the_limits_before_reading_it(ref):
    # one far cell makes python-calamine allocate the whole rectangle (XFD1048576: ≈550 GB)
    with pytest.raises(ValueError, match="工作表的范围超出"):
        read_sheet(_sparse_xlsx(ref))


def test_it_reads_a_sheet_at_the_limits():
    rows = read_sheet(_sparse_xlsx("CV2", "A199999"))
    assert len(rows) == 199_999 and len(rows[0]) == 100 and rows[1][99] == "x"


def test_it_refuses_files_that_are_not_xlsx_or_xls():
    import zipfile

    ods = io.BytesIO()
    with zipfile.ZipFile(ods, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<x/>")
    for content in (ods.getvalue(), b"name,id\n", b""):
        with pytest.raises(ValueError, match="请上传.xlsx或.xls格式"):
            read_sheet(content)
