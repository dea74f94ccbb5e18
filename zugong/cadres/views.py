"""Pages of the 干部名册 and 领导班子. Thin: reads go through ``zugong.cadres.selectors``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from zugong.cadres import selectors
from zugong.cadres.models import ManagementLevel
from zugong.core import codes
from zugong.core.paging import TailPaginator
from zugong.core.scope import scope_for
from zugong.members.views import query_without_page
from zugong.orgs.selectors import unit_get


@login_required
def cadre_list(request):
    """干部名册 of the user's unit subtree: search, filters, 50 rows a page, 姓氏笔画 order."""
    scope = scope_for(request.user)
    filters = selectors.CadreFilters.from_params(request.GET)
    page = TailPaginator(selectors.cadres_search(scope, filters), selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_rank_labels(selectors.cadre_rows_with_age(list(page.object_list)))
    return render(request, "cadres/list.html", {
        "page": page,
        "f": filters,
        "unit": unit_get(scope, filters.unit) if filters.unit else None,
        "query": query_without_page(request),
        "choices": {"management_level": ManagementLevel.choices, "post_level": codes.POST_LEVEL, "status": selectors.STATUS_CHOICES},
    })
