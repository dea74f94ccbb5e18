"""Pages of the 党员名册 and the person page. Thin: reads go through ``zugong.members.selectors``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_POST

from zugong.core import codes
from zugong.core.audit import Actor
from zugong.core.scope import scope_for
from zugong.core.services import person_reveal_id_number
from zugong.members import selectors
from zugong.orgs.selectors import party_org_get


def query_without_page(request) -> str:
    """The request's query string without ``page`` (for paging and export links)."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def member_list(request):
    """党员名册 of the user's subtree: search, filters, 50 rows a page, 姓氏笔画 order."""
    scope = scope_for(request.user)
    filters = selectors.MemberFilters.from_params(request.GET)
    page = Paginator(selectors.members_search(scope, filters), selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "members/list.html", {
        "page": page,
        "f": filters,
        "org": party_org_get(scope, filters.org) if filters.org else None,
        "query": query_without_page(request),
        "choices": {
            "status": codes.MEMBER_STATUS,
            "gender": codes.GENDER[1:3],
            "education": codes.EDUCATION,
            "occupation": codes.OCCUPATION,
            "age_band": [(key, label) for key, label, _, _ in selectors.AGE_BANDS],
            "sort": selectors.SORTS,
        },
    })


@login_required
def person_detail(request, person_id: int):
    """人员信息: basic data (masked 身份证号), membership and 组织关系 history, current posts."""
    scope = scope_for(request.user)
    profile = selectors.person_profile(scope, person_id)
    return render(request, "members/person.html", {"p": profile, "person": profile.person})


@login_required
@require_POST
def person_reveal_id(request, person_id: int):
    """The full 身份证号 as an htmx fragment; audited. 404 outside the subtree, 403 without the right."""
    scope = scope_for(request.user)
    person = selectors.person_get(scope, person_id)
    number = person_reveal_id_number(actor=Actor.from_request(request), scope=scope, person=person)
    return render(request, "members/_id_number.html", {"number": number})
