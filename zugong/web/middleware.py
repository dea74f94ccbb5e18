"""Middleware of the web interface."""

from __future__ import annotations

from django.contrib import messages
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
        messages.error(request, str(exception))
        back = request.headers.get("Referer", "")
        safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure())
        return HttpResponseRedirect(back if safe else "/")
