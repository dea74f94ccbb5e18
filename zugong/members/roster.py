"""Rosters as organization departments keep them: columns, tolerant header mapping, typed-date parsing.

A roster is a sheet with one header row (possibly below a title line such as “××党支部党员花名册”)
and one person per row. Headers are matched after normalization (blanks, full-width brackets and
'*' required markers removed) against each column's official header and its common variants.

Dates are accepted in the forms people type: 1985.09, 1985.9, 1985-09, 1985-09-01, 1985/9/1,
198509, 19850901, 1985年9月, 1985年9月1日, Excel serial numbers and real date cells. A date
without a day means the first of the month and is marked month-precision (``ParsedDate.day_known``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineWorkbook


@dataclass(frozen=True)
class Column:
    """One roster column: its field ``key``, official ``header``, header ``variants`` and whether required."""

    key: str
    header: str
    required: bool = False
    variants: tuple[str, ...] = ()
    is_date: bool = False


MEMBER_COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", True, ("党员姓名", "名字")),
    Column("gender", "性别", False),
    Column("ethnicity", "民族", False),
    Column("birth_date", "出生年月", False, ("出生日期", "生日", "出生时间", "出生年月日"), is_date=True),
    Column("id_number", "身份证号", True, ("身份证号码", "公民身份号码", "公民身份证号", "证件号码", "身份证", "身份证件号码")),
    Column("education", "学历", False, ("文化程度", "最高学历", "学历（文化程度）")),
    Column("degree", "学位", False, ("最高学位",)),
    Column("native_place", "籍贯", False),
    Column("work_start_date", "参加工作时间", False, ("参加工作日期", "工作时间"), is_date=True),
    Column("branch", "所在党支部", True, ("党支部", "所在支部", "所在党组织", "党组织", "所属党支部", "支部名称", "党组织名称")),
    Column("joined_date", "入党时间", True, ("入党日期", "加入党组织日期", "加入党组织时间", "入党年月"), is_date=True),
    Column("confirmed_date", "转正时间", False, ("转正日期", "转为正式党员时间", "转为正式党员日期"), is_date=True),
    Column("occupation", "人员类别", True, ("职业", "党员职业", "人员类型", "工作岗位")),
    Column("status", "党员类别", False, ("党员状态", "党员身份", "党籍状态")),
    Column("phone", "联系电话", False, ("手机号码", "手机号", "电话", "联系方式", "手机")),
)


class DateParseError(ValueError):
    """A value that is not a date in any accepted form; the message is Chinese."""


@dataclass(frozen=True)
class ParsedDate:
    """A parsed date; ``day_known`` is False for year-month values (the date is then the 1st)."""

    date: dt.date
    day_known: bool = True


_HEADER_DROP = re.compile(r"[\s*＊:：·]")
_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")"})


def normalize_header(text: object) -> str:
    """Header text compared for mapping: no blanks, '*' markers or colons; full-width brackets made half-width.

    A trailing bracketed note is dropped too: “出生年月(格式1985.09)” → “出生年月”.
    """
    s = _HEADER_DROP.sub("", str(text or "")).translate(_BRACKETS)
    s = re.sub(r"\([^)]*\)$", "", s) or s
    return s


@dataclass
class HeaderMap:
    """Result of mapping a header row: sheet column index per field key, what is missing and unknown."""

    index: dict[str, int] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    duplicate: list[str] = field(default_factory=list)


def _lookup(columns: Sequence[Column]) -> dict[str, str]:
    out: dict[str, str] = {}
    for col in columns:
        for name in (col.header, *col.variants):
            out[normalize_header(name)] = col.key
    return out


def map_headers(headers: Sequence[object], columns: Sequence[Column]) -> HeaderMap:
    """Map the cells of a header row to ``columns``: exact header, variants, then 'contains the header'."""
    lookup = _lookup(columns)
    result = HeaderMap()
    for i, raw in enumerate(headers):
        norm = normalize_header(raw)
        if not norm:
            continue
        key = lookup.get(norm)
        if key is None:  # e.g. “身份证号（18位）” already stripped; “入党时间（年月）”, “现所在党支部”
            key = next((col.key for col in columns if col.header in norm), None)
        if key is None:
            result.unknown.append(str(raw))
        elif key in result.index:
            result.duplicate.append(str(raw))
        else:
            result.index[key] = i
    result.missing = [col.header for col in columns if col.required and col.key not in result.index]
    return result


def find_header_row(rows: Sequence[Sequence[object]], columns: Sequence[Column], *, look: int = 10) -> int:
    """Index (0-based) of the row among the first ``look`` that maps the most columns (the header row)."""
    best, best_count = 0, -1
    for i, row in enumerate(rows[:look]):
        count = len(map_headers(row, columns).index)
        if count > best_count:
            best, best_count = i, count
    return best


#: Largest sheet a roster may be: python-calamine builds the whole rectangle from A1 to the last
#: cell in memory, so a 5 KB file with one cell at XFD1048576 would ask for ≈550 GB.
MAX_SHEET_ROWS = 199_999
MAX_SHEET_COLUMNS = 100  # CV
# a cell or row reference beyond those limits: column of 3 letters, D?–Z? or CW–CZ; row ≥ 200000
# (searched after XML white space is made a blank: a literal prefix is several times faster than \s)
_BEYOND = re.compile(rb' r="(?:[A-Z]{3}|[D-Z][A-Z]|C[W-Z]|[A-Z]{0,2}(?:\d{7}|[2-9]\d{5})")')
_XML_BLANKS = bytes.maketrans(b"\t\n\r", b"   ")
_MAX_SHEET_XML = 600_000_000  # bytes of uncompressed worksheet XML (a 200,000-row roster is ≈40 MB)
_OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")  # .xls (BIFF in an OLE2 compound file)
_NOT_A_SHEET = "无法读取Excel文件：请上传.xlsx或.xls格式的名册"


def _check_sheet_size(source: str | Path | bytes) -> None:
    """Refuse, before python-calamine reads it, a file that is not .xlsx/.xlsm/.xls or whose sheets
    reach beyond MAX_SHEET_ROWS × MAX_SHEET_COLUMNS (ValueError with a Chinese message).

    .xlsx: every worksheet's XML is streamed and searched for a cell or row reference beyond the
    limits (≈10 ms per 10 MB). .xls cannot exceed 65,536 × 256 cells. Other formats calamine knows
    (.ods, whose repeated-cell attributes expand a 1 KB file to millions of cells) are refused.
    """
    import io
    import zipfile

    if isinstance(source, bytes):
        head = source[:8]
    else:
        with Path(source).open("rb") as f:
            head = f.read(8)
    if head == _OLE2:
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except (zipfile.BadZipFile, OSError):
        raise ValueError(_NOT_A_SHEET) from None
    with archive:
        names = archive.namelist()
        if "xl/workbook.xml" not in names:
            raise ValueError(_NOT_A_SHEET)
        budget = _MAX_SHEET_XML
        for name in names:
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            tail = b""
            with archive.open(name) as xml:
                while chunk := xml.read(1 << 22):
                    budget -= len(chunk)
                    if budget < 0:
                        raise ValueError("Excel文件过大（解压后工作表超过600MB），请拆分后分批导入")
                    if _BEYOND.search((tail + chunk).translate(_XML_BLANKS)):
                        raise ValueError(
                            f"工作表的范围超出{MAX_SHEET_ROWS:,}行或{MAX_SHEET_COLUMNS}列（可能有远处的空白单元格带格式或内容），"
                            "请删除多余的行列后重新上传，或拆分后分批导入"
                        )
                    tail = chunk[-32:]


def read_sheet(source: str | Path | bytes) -> list[list[object]]:
    """All rows of the first sheet as lists of cell values (python-calamine: str, int, float, date, datetime, bool).

    ``source`` is a path or the file's bytes (.xlsx, .xlsm, .xls). Raises ValueError (Chinese)
    for a file that is not such a spreadsheet or whose sheets are larger than MAX_SHEET_ROWS ×
    MAX_SHEET_COLUMNS (checked before the cells are read: see ``_check_sheet_size``).
    """
    _check_sheet_size(source)
    try:
        if isinstance(source, bytes):
            import io

            wb = CalamineWorkbook.from_filelike(io.BytesIO(source))
        else:
            wb = CalamineWorkbook.from_path(str(source))
        sheet = wb.get_sheet_by_index(0)
        return sheet.to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types
        raise ValueError(f"无法读取Excel文件（{type(exc).__name__}）：请上传.xlsx或.xls格式的名册") from None


_DATE_RE = re.compile(r"^(\d{4})\s*[.\-/年．。]\s*(\d{1,2})(?:\s*[.\-/月．。]\s*(\d{1,2})\s*日?|\s*月?)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def _ymd(y: int, m: int, d: int | None, raw: object) -> ParsedDate:
    try:
        return ParsedDate(dt.date(y, m, d or 1), d is not None)
    except ValueError:
        raise DateParseError(f"日期“{raw}”不存在") from None


def _from_number(n: float, raw: object) -> ParsedDate:
    if n != int(n):
        # A numeric cell typed as 1985.09: year with a two-digit month. 1985.1 is what Excel keeps
        # of 1985.10, so a numeric one-digit fraction is read as October–December (1985.1 → 10月).
        year = int(n)
        month = round((n - year) * 100)
        if 1900 <= year <= 2100 and 1 <= month <= 12:
            return _ymd(year, month, None, raw)
        raise DateParseError(f"无法识别的日期“{raw}”")
    n = int(n)
    s = str(n)
    if len(s) == 8:
        return _ymd(int(s[:4]), int(s[4:6]), int(s[6:]), raw)
    if len(s) == 6 and s[:2] in ("19", "20"):
        return _ymd(int(s[:4]), int(s[4:]), None, raw)
    if 2200 < n <= 80000:  # Excel serial day number (1900 date system: 1906–2119); 1985 alone is a year, not a date
        return ParsedDate(_EXCEL_EPOCH + dt.timedelta(days=n))
    raise DateParseError(f"无法识别的日期“{raw}”")


def parse_date(value: object) -> ParsedDate | None:
    """Parse a roster date cell; None for an empty cell. Raises DateParseError with a Chinese reason.

    Accepts date/datetime cells, Excel serial numbers, numbers like 198509 / 19850901 / 1985.09 and
    texts like 1985.09, 1985.9, 1985-09-01, 1985/9/1, 198509, 19850901, 1985年9月, 1985年9月1日.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return ParsedDate(value.date())
    if isinstance(value, dt.date):
        return ParsedDate(value)
    if isinstance(value, bool):
        raise DateParseError(f"无法识别的日期“{value}”")
    if isinstance(value, int | float):
        return _from_number(float(value), value)
    text = str(value).strip().translate(_FULL_DIGITS)
    if not text:
        return None
    if text.isdigit():
        return _from_number(float(text), value) if len(text) in (5, 6, 8) else _bad(value)
    m = _DATE_RE.match(text)
    if m:
        y, mo, d = m.groups()
        return _ymd(int(y), int(mo), int(d) if d else None, value)
    # 1985-09-01 00:00:00 as text
    if len(text) >= 10 and text[10:11] in (" ", "T"):
        return parse_date(text[:10])
    return _bad(value)


def _bad(value: object) -> ParsedDate:
    raise DateParseError(f"无法识别的日期“{value}”（可写作1985.09、1985-09-01、198509、1985年9月等）")


_FULL_DIGITS = str.maketrans("０１２３４５６７８９．－／", "0123456789.-/")


def cell_text(value: object) -> str:
    """A cell as trimmed text: integral floats without '.0' (Excel keeps 身份证号-like numbers as floats)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y.%m.%d")
    if isinstance(value, dt.date):
        return value.strftime("%Y.%m.%d")
    return str(value).strip()


def iter_data_rows(rows: Sequence[Sequence[object]], header_row: int) -> Iterator[tuple[int, Sequence[object]]]:
    """Yield ``(excel_row_number, cells)`` for non-blank rows below the header (row numbers as Excel shows them)."""
    for i in range(header_row + 1, len(rows)):
        cells = rows[i]
        if cells:
            c = cells[0]
            if type(c) is str and c and not c[0].isspace():  # the usual row: a name in its first cell
                yield i + 1, cells
                continue
        for c in cells:  # a plain loop: most rows stop at their first cell (a generator per row cost 2 µs)
            if c is None or c == "" or (type(c) is str and not c.strip()):
                continue
            yield i + 1, cells
            break


ERROR_HEADER = "错误说明"


def error_file(source: str | Path | bytes, errors: Sequence[Sequence], columns: Sequence[Column]) -> bytes:
    """A copy of an uploaded sheet with a 错误说明 column and its bad rows highlighted (.xlsx bytes).

    ``source``: the uploaded file (path or bytes); ``errors``: ``(row, column header, value, reason)``
    with 1-based sheet rows, as the importers report them; ``columns``: the importer's columns, to
    find the header row that gets the 错误说明 heading. .xlsx/.xlsm files keep their formatting
    (openpyxl); .xls or unreadable files are rebuilt from their values.
    """
    import io

    from openpyxl import Workbook, load_workbook
    from openpyxl.styles import Font, PatternFill

    by_row: dict[int, list[str]] = {}
    for row, column, _value, reason in errors:
        by_row.setdefault(row, []).append(f"{column}：{reason}")
    try:
        wb = load_workbook(io.BytesIO(source) if isinstance(source, bytes) else source)
        ws = wb.worksheets[0]
    except Exception:  # .xls or a damaged file: rebuild from the values
        wb = Workbook()
        ws = wb.active
        for cells in read_sheet(source) if source else []:
            ws.append(list(cells))
    head = [list(r) for r in ws.iter_rows(min_row=1, max_row=10, values_only=True)]
    header_row = find_header_row(head, columns) + 1 if head else 1
    col = ws.max_column + 1
    fill = PatternFill("solid", fgColor="FFC7CE")
    heading = ws.cell(row=header_row, column=col, value=ERROR_HEADER)
    heading.font = Font(bold=True, color="9C0006")
    for row, reasons in by_row.items():
        cell = ws.cell(row=row, column=col)
        cell.value = "；".join(reasons)
        cell.data_type = "s"
        for c in range(1, col + 1):
            ws.cell(row=row, column=c).fill = fill
    ws.column_dimensions[heading.column_letter].width = 60
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
