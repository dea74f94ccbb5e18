"""Cadre roster export (the import page is shared with members: members:import with kind=cadres)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required

from zugong.cadres import services
from zugong.core.audit import Actor
from zugong.core.scope import scope_for
from zugong.core.xlsx import xlsx_response


@login_required
def cadre_export(request):
    """The scoped cadre list (filters as on the 干部名册 page, plus ``org``) as .xlsx, audited."""
    scope = scope_for(request.user)
    params = {k: v for k, v in request.GET.items() if v}
    return xlsx_response(services.cadre_export(actor=Actor.from_request(request), scope=scope, params=params), "干部名册.xlsx")
