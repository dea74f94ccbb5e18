"""Pages of the shell: dashboard (statistics of the user's subtree) and the audit log."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from zugong.core.audit import ACTION_GROUPS, Actor
from zugong.core.paging import TailPaginator
from zugong.core.scope import scope_for
from zugong.core.xlsx import xlsx_response
from zugong.web import audit_display, selectors, services


@login_required
def dashboard(request):
    """统计总览 of the user's subtree (filled by zugong.stats)."""
    from zugong.stats.views import dashboard as stats_dashboard

    return stats_dashboard(request)


@login_required
def audit_list(request):
    """审计日志 of the user's subtree with its filters (``AuditFilters``); administrators only."""
    scope = scope_for(request.user)
    if not scope.is_admin:
        raise PermissionDenied("仅管理员可查看审计日志")
    filters = selectors.AuditFilters.from_params(request.GET)
    page = TailPaginator(selectors.audit_events(scope, filters), 50).get_page(request.GET.get("page"))
    events = audit_display.views(page)
    return render(request, "web/audit.html", {
        "page": page, "events": events, "f": filters, "groups": ACTION_GROUPS, "query": urlencode(filters.params()),
    })  # fmt: skip


@login_required
def audit_export(request):
    """The filtered 审计日志 as .xlsx (``services.audit_export``: administrators only, audited)."""
    filters = selectors.AuditFilters.from_params(request.GET)
    content = services.audit_export(actor=Actor.from_request(request), scope=scope_for(request.user), filters=filters)
    return xlsx_response(content, "审计日志.xlsx")
