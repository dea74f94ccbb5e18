"""Shared tail of the cadre pages' POST views: run the service, flash the outcome, go back."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from zugong.cadres import rules
from zugong.core.scope import require_write, scope_for


def post_back(request, target: str, action: Callable[[], object], ok: str = "已保存", *,
              errors: tuple[type[Exception], ...] = (rules.RuleViolation,)) -> HttpResponse:
    """Run ``action`` (a service call); flash ``ok``, or the Chinese reason of one of ``errors`` (default
    RuleViolation); redirect to ``target``."""
    try:
        action()
        messages.success(request, ok)
    except errors as exc:
        messages.error(request, str(exc))
    return redirect(target)


def invalid(request, target: str, text: str) -> HttpResponse:
    """Flash ``text`` (what the form lacks, in Chinese) and redirect to ``target``. A POST of a
    read-only role (leader) is refused first (PermissionDenied, 403): it may not write whatever the
    form holds, and the form's complaints would only wait in its messages for the next page."""
    if request.method == "POST":
        require_write(scope_for(request.user))
    messages.error(request, text)
    return redirect(target)
