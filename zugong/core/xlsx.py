"""Excel export shared by every list: header styling, formula-injection safety, HTTP response.

Written with XlsxWriter in its constant-memory mode (rows go to a temporary file as they come, so a
city-wide list of 250,000 members does not sit in memory as cells): twice as fast as openpyxl's
write-only mode for the same list (docs/decisions/0008-xlsx-writer.md, bench/README.md).
openpyxl still reads every file, and writes the few that change an uploaded workbook (the error
report of an import) or need its layout features.

Formula injection: a text cell starting with = + - @ or a tab/CR would be read by Excel as a
formula (CSV/DDE injection, OWASP). Such texts are written with a leading apostrophe, and all
texts are written as plain strings (never as formulas, URLs or numbers).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import xlsxwriter
from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "yyyy.mm.dd"
MAX_ROWS = 1_048_576  # rows of an Excel worksheet (Excel 2007+ specifications and limits)


class ExportRefused(ValueError):
    """An export the server declines to write (the message is Chinese, for the user): shown on the
    page the user came from by ``zugong.web.middleware.ExportRefusedMiddleware``."""


class ExportTooLarge(ExportRefused):
    """Raised by ``add_sheet`` when a sheet would pass Excel's row limit; the message is Chinese."""


#: Number formats for ``add_sheet``: counts grouped by three (250,018), shares with one decimal (28.0).
COUNT = "#,##0"
SHARE = "0.0"


def safe_text(value: str) -> str:
    """Return ``value`` with a leading apostrophe when Excel would read it as a formula."""
    return "'" + value if value.startswith(_DANGEROUS) else value


class Book:
    """A workbook being written (``new_workbook``): sheets are added with ``add_sheet``, and
    ``workbook_bytes`` (in memory) or ``workbook_close`` (to a file) finishes it. Holds the
    XlsxWriter workbook, its output and its formats."""

    def __init__(self, path: Path | None = None) -> None:
        self.output = io.BytesIO() if path is None else None
        self.book = xlsxwriter.Workbook(str(path) if path is not None else self.output, {
            "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
            "strings_to_numbers": False, "tmpdir": str(rows_tmpdir()),
        })  # fmt: skip  (aware datetimes: add_sheet converts them to local time)
        self.header = self.book.add_format({"bold": True, "bg_color": "#F2F2F2", "align": "center"})
        self.title = self.book.add_format({"bold": True, "font_size": 14})
        self.date = self.book.add_format({"num_format": DATE_FORMAT})
        self.closed = False
        self._number_formats: dict[str, object] = {}

    def number_format(self, pattern: str):
        """The cell format of an Excel number format (``COUNT`` "#,##0", ``SHARE`` "0.0"), made once per book."""
        if pattern not in self._number_formats:
            self._number_formats[pattern] = self.book.add_format({"num_format": pattern})
        return self._number_formats[pattern]

    def close(self) -> None:
        """Finish the workbook once (XlsxWriter warns on a second close); its row files go."""
        if not self.closed:
            self.closed = True
            self.book.close()


def add_sheet(
    wb: Book,
    title: str,
    columns: Sequence[str],
    rows: Iterable[Sequence],
    *,
    heading: str | None = None,
    widths: Sequence[int] | None = None,
    number_formats: Sequence[str | None] | None = None,
) -> None:
    """Append a sheet: optional heading line, a header row of ``columns`` (frozen), then ``rows``.
    ``number_formats`` gives each column's Excel number format for its numbers (``COUNT`` 250,018,
    ``SHARE`` 28.0; None: General, as without it).

    Cells: str (escaped; '' is an empty cell), int/float/Decimal (NaN and infinities: empty), bool,
    date or datetime (yyyy.mm.dd; an aware datetime in the local time zone, settings.TIME_ZONE),
    None (empty); anything else is written as its text.
    Sheets are written in order and each row once (constant memory). Texts longer than Excel's
    32,767 characters are cut there. Raises ExportTooLarge past ``MAX_ROWS`` rows. On any error
    (``rows`` may be a generator that fails) the workbook is abandoned (``workbook_abandon``).
    """
    ws = wb.book.add_worksheet(title[:31])
    for i, width in enumerate(widths or [max(10, len(c) * 2 + 4) for c in columns]):
        ws.set_column(i, i, width)
    top = 0
    if heading:
        ws.write_string(0, 0, heading, wb.title)
        top = 1
    for i, c in enumerate(columns):
        ws.write_string(top, i, c, wb.header)
    ws.freeze_panes(top + 1, 0)
    text, number, date, boolean, date_format = ws.write_string, ws.write_number, ws.write_datetime, ws.write_boolean, wb.date
    if number_formats:
        cell_formats = [wb.number_format(f) if f else None for f in number_formats]
        cell_formats += [None] * (len(columns) - len(cell_formats))
        plain_number = number

        def number(r: int, c: int, v: float) -> None:
            plain_number(r, c, v, cell_formats[c] if c < len(cell_formats) else None)
    try:
        for r, row in enumerate(rows, start=top + 1):
            if r >= MAX_ROWS:  # XlsxWriter would drop the row silently
                wb.close()  # frees its temporary files; the bytes are never used
                raise ExportTooLarge(f"“{title}”超过Excel一张工作表的最大行数（{MAX_ROWS:,}行），请缩小范围后分批导出")
            for c, v in enumerate(row):
                if v is None or v == "":
                    continue
                kind = type(v)
                if kind is str:
                    text(r, c, safe_text(v))
                elif kind is int:
                    number(r, c, v)
                elif isinstance(v, dt.date):
                    if isinstance(v, dt.datetime) and v.tzinfo is not None:
                        v = timezone.localtime(v).replace(tzinfo=None)
                    date(r, c, v, date_format)
                elif isinstance(v, bool):
                    boolean(r, c, v)
                elif isinstance(v, int | float | Decimal):
                    if math.isfinite(v):
                        number(r, c, float(v))
                else:
                    text(r, c, safe_text(str(v)))

    except BaseException:  # a row that cannot be made: XlsxWriter's temporary row files go with the workbook
        workbook_abandon(wb)
        raise

def rows_tmpdir() -> Path:
    """Where XlsxWriter's constant-memory mode keeps the rows of a sheet being written (one file per
    sheet, removed when the workbook is closed): ``MEDIA_ROOT/exports/tmp``, owner-only, not the
    system's shared temporary folder — the rows are personal data in plain text, and a process killed
    mid-export leaves its file behind (swept by ``members.exports.purge_expired``; not in backups)."""
    path = Path(settings.MEDIA_ROOT) / "exports" / "tmp"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def workbook_abandon(wb: Book) -> None:
    """Give up ``wb`` after an error: close it so that XlsxWriter removes its temporary row files
    (errors while closing are ignored). The caller deletes the output file, if any."""
    with contextlib.suppress(Exception):
        wb.close()


def new_workbook(path: Path | None = None) -> Book:
    """A workbook to pass to ``add_sheet`` and then to ``workbook_bytes`` — or, written to the file
    ``path`` (a large export: not held in memory), to ``workbook_close``."""
    return Book(path)


def workbook_bytes(wb: Book) -> bytes:
    """Finish ``wb`` (made without a path) and return its .xlsx bytes."""
    wb.close()
    return wb.output.getvalue()


def workbook_close(wb: Book) -> None:
    """Finish ``wb`` (made with a path): the .xlsx file is complete when this returns."""
    wb.close()


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
