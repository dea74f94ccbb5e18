"""Excel export shared by every list: header styling, formula-injection safety, HTTP response.

Formula injection: a text cell starting with = + - @ or a tab/CR would be read by Excel as a
formula (CSV/DDE injection, OWASP). Such texts are written with a leading apostrophe, and all
texts are written as plain strings (never as formulas).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
_TITLE_FONT = Font(bold=True, size=14)


def safe_text(value: str) -> str:
    """Return ``value`` with a leading apostrophe when Excel would read it as a formula."""
    return "'" + value if value.startswith(_DANGEROUS) else value


def _cell(ws, value):
    if isinstance(value, str):
        cell = WriteOnlyCell(ws, value=safe_text(value))
        cell.data_type = "s"
        return cell
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, dt.date):
        cell.number_format = "yyyy.mm.dd"
    return cell


def add_sheet(
    wb: Workbook,
    title: str,
    columns: Sequence[str],
    rows: Iterable[Sequence],
    *,
    heading: str | None = None,
    widths: Sequence[int] | None = None,
) -> None:
    """Append a write-only sheet: optional heading line, a header row of ``columns``, then ``rows``.

    Cells: str (escaped), int/float, date (yyyy.mm.dd), None (empty).
    """
    ws = wb.create_sheet(title=title[:31])
    for i, width in enumerate(widths or [max(10, len(c) * 2 + 4) for c in columns]):
        ws.column_dimensions[_col(i)].width = width
    ws.freeze_panes = "A3" if heading else "A2"
    if heading:
        cell = WriteOnlyCell(ws, value=heading)
        cell.font = _TITLE_FONT
        ws.append([cell])
    header = []
    for c in columns:
        cell = WriteOnlyCell(ws, value=c)
        cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, Alignment(horizontal="center")
        header.append(cell)
    ws.append(header)
    for row in rows:
        ws.append([_cell(ws, v) for v in row])


def _col(i: int) -> str:
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def new_workbook() -> Workbook:
    """A write-only workbook (constant memory) to pass to ``add_sheet``."""
    return Workbook(write_only=True)


def workbook_bytes(wb: Workbook) -> bytes:
    """Serialize ``wb`` to .xlsx bytes."""
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """An attachment response for ``content`` named ``filename`` (UTF-8 name per RFC 6266)."""
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def rows_to_xlsx(title: str, columns: Sequence[str], rows: Iterable[Sequence], *, heading: str | None = None) -> bytes:
    """One-sheet workbook bytes: the common case of exporting a list."""
    wb = new_workbook()
    add_sheet(wb, title, columns, rows, heading=heading)
    return workbook_bytes(wb)
