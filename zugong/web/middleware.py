"""Middleware of the web interface."""

from __future__ import annotations

from django.contrib import messages
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

from zugong.core.xlsx import ExportRefused


class ExportRefusedMiddleware:
    """Turn a refused export (``ExportRefused``: a sheet past Excel's 1,048,576 rows, too many
    background exports running) into the Chinese message on the page the user came from, instead
    of a server error, for every export view (member and cadre lists, statistics, 任务分解表 …).

    Back to the page is the ``Referer`` when it is of this site, else the home page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ExportRefused):
            return None
        return back_with_message(request, str(exception))


def back_with_message(request: HttpRequest, text: str) -> HttpResponse:
    """Flash ``text`` as an error and send the user back: to the ``Referer`` when it is of this site,
    else the home page; an htmx request is told to reload its page (``HX-Refresh``), which shows it."""
    messages.error(request, text)
    if request.headers.get("HX-Request"):
        return HttpResponse(status=200, headers={"HX-Refresh": "true"})
    back = request.headers.get("Referer", "")
    safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return HttpResponseRedirect(back if safe else "/")


#: What the user reads when the database refused a write for another one in progress.
BUSY_MESSAGE = "数据正被其他操作占用（如名册导入正在写入），本次操作未保存，请稍后重试"
#: PostgreSQL SQLSTATEs of a write that lost to another: deadlock, serialization failure, lock timeout.
_BUSY_STATES = ("40P01", "40001", "55P03")


class BusyDatabaseMiddleware:
    """Turn a write the database refused because of another one in progress into ``BUSY_MESSAGE`` on the
    page the user came from, instead of a server error: SQLite's "database is locked" (its only write
    lock held past the timeout, e.g. by an import) and PostgreSQL's deadlock, serialization failure and
    lock timeout. The service's transaction was rolled back: nothing of the action was written, and
    trying again may pass. Other database errors stay server errors."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_busy(exception):
            return None
        return back_with_message(request, BUSY_MESSAGE)


def is_busy(exc: BaseException) -> bool:
    """Whether ``exc`` is the database refusing a write for another in progress (``BusyDatabaseMiddleware``)."""
    if not isinstance(exc, OperationalError):
        return False
    return getattr(exc.__cause__, "sqlstate", None) in _BUSY_STATES or "database is locked" in str(exc)
