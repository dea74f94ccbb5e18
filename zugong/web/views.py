"""Pages of the shell: dashboard (statistics of the user's subtree) and the audit log."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from zugong.core.scope import scope_for
from zugong.web import selectors


@login_required
def dashboard(request):
    """统计总览 of the user's subtree (filled by zugong.stats)."""
    from zugong.stats.views import dashboard as stats_dashboard

    return stats_dashboard(request)


@login_required
def audit_list(request):
    """审计日志 of the user's subtree; administrators only."""
    scope = scope_for(request.user)
    if not scope.is_admin:
        raise PermissionDenied("仅管理员可查看审计日志")
    page = Paginator(selectors.audit_events(scope, q=request.GET.get("q", "")), 50).get_page(request.GET.get("page"))
    return render(request, "web/audit.html", {"page": page, "q": request.GET.get("q", "")})
